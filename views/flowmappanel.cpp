// SPDX-License-Identifier: MIT
#include "flowmappanel.h"

#include "flowmapview.h"
#include "printable.h"
#include "session.h"
#include "stagefunnelview.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSignalBlocker>
#include <QSpinBox>
#include <QSplitter>
#include <QTimer>
#include <QVBoxLayout>

FlowMapPanel::FlowMapPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_view(new FlowMapView(this))
    , m_funnel(new StageFunnelView(session, this))
    , m_root(new QComboBox(this))
    , m_byService(new QCheckBox(tr("One box per service"), this))
    , m_minCount(new QSpinBox(this))
    , m_status(new QLabel(this))
{
    m_due = new QTimer(this);
    m_due->setSingleShot(true);
    connect(m_due, &QTimer::timeout, this, [this] { refresh(m_nowUs); });
    m_byService->setToolTip(tr("Group the event types by the service producing most of them"));
    m_minCount->setRange(1, 1'000'000);
    m_minCount->setValue(1);
    m_minCount->setPrefix(tr("Hide links seen fewer than "));
    m_minCount->setSuffix(tr(" times"));
    m_minCount->setToolTip(tr("Leave out the rare links, so that a busy bus's map stays readable"));
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* controls = new QHBoxLayout;
    controls->addWidget(m_byService);
    controls->addWidget(m_minCount);
    controls->addWidget(m_status, 1);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(m_view);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    // the stages of a saga beside the map: a funnel for the root picked above it
    m_root->setToolTip(tr("The type whose chains the stages follow"));
    m_root->setAccessibleName(tr("Stages of"));
    m_root->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_root->setMinimumContentsLength(18);
    auto* funnelScroll = new QScrollArea(this);
    funnelScroll->setWidget(m_funnel);
    funnelScroll->setWidgetResizable(true);
    funnelScroll->setFrameShape(QFrame::NoFrame);
    auto* stages = new QWidget(this);
    auto* stagesLayout = new QVBoxLayout(stages);
    stagesLayout->setContentsMargins(0, 0, 0, 0);
    auto* rootRow = new QHBoxLayout;
    rootRow->addWidget(new QLabel(tr("Stages of"), stages));
    rootRow->addWidget(m_root, 1);
    stagesLayout->addLayout(rootRow);
    stagesLayout->addWidget(funnelScroll, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(scroll);
    split->addWidget(stages);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 1);
    stages->setMinimumWidth(300);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(split, 1);
    connect(m_root, &QComboBox::activated, this, [this] { m_funnel->refresh(m_root->currentData().toInt()); });
    connect(m_funnel, &StageFunnelView::stageActivated, this, [this](int root, int type) {
        Q_EMIT chainsEndedAtRequested(root, type,
            m_session.types().string(quint16(root)) + QStringLiteral(" → ") + m_session.types().string(quint16(type)));
    });

    connect(m_byService, &QCheckBox::toggled, this, &FlowMapPanel::rebuild);
    connect(m_minCount, &QSpinBox::valueChanged, this, &FlowMapPanel::rebuild);
    connect(m_view, &FlowMapView::edgeActivated, this, [this](int edge) {
        const FlowGraph& g = m_view->graph();
        const FlowGraph::Edge& e = g.edges[std::size_t(edge)];
        Q_EMIT chainsThroughRequested(
            e.typePairs, g.nodes[std::size_t(e.from)].label + QStringLiteral(" → ") + g.nodes[std::size_t(e.to)].label);
    });
    connect(m_view, &FlowMapView::nodeActivated, this, [this](int node) {
        Q_EMIT filterRequested(m_byService->isChecked() ? QStringLiteral("source") : QStringLiteral("type"),
            m_view->graph().nodes[std::size_t(node)].label);
    });
}

FlowMapPanel::~FlowMapPanel() = default;

void FlowMapPanel::refresh(qint64 nowUs)
{
    m_nowUs = nowUs;
    if (!isVisible())
        return;
    // only when links, failures or events came (the rates age too, but a second's change can wait)
    if (m_session.flow().linkCount() == m_seenLinks && m_session.eventCount() == m_seenEvents)
        return;
    const bool first = m_seenLinks == ~quint64(0);
    const qint64 since = QDateTime::currentMSecsSinceEpoch() - m_builtAtMs;
    if (!first && since < 1000) {
        if (!m_due->isActive())
            m_due->start(int(1000 - since));
        return;
    }
    rebuild();
}

void FlowMapPanel::reset()
{
    m_seenLinks = m_seenEvents = ~quint64(0);
    m_view->setGraph({});
    m_history = {};
    m_root->clear();
    m_funnel->refresh(-1);
}

void FlowMapPanel::fillRoots()
{
    // the roots with the most chains (at most 50), the choice kept while it still starts chains
    const int chosen = m_root->currentData().isValid() ? m_root->currentData().toInt() : -1;
    const auto& roots = m_session.stages().roots();
    std::vector<int> order;
    for (std::size_t r = 0; r < roots.size(); ++r)
        if (roots[r].chains)
            order.push_back(int(r));
    std::sort(order.begin(), order.end(),
        [&](int a, int b) { return roots[std::size_t(a)].chains > roots[std::size_t(b)].chains; });
    if (order.size() > 50)
        order.resize(50);
    QSignalBlocker block(m_root);
    m_root->clear();
    for (const int r : order)
        m_root->addItem(tr("%1 (%L2 chains)")
                            .arg(Printable::forDisplay(m_session.types().string(quint16(r)), 60))
                            .arg(roots[std::size_t(r)].chains),
            r);
    const int index = m_root->findData(chosen);
    m_root->setCurrentIndex(index >= 0 ? index : 0);
}

void FlowMapPanel::rebuild()
{
    m_due->stop();
    m_builtAtMs = QDateTime::currentMSecsSinceEpoch();
    m_seenLinks = m_session.flow().linkCount();
    m_seenEvents = m_session.eventCount();
    FlowGraph::Options options;
    options.byService = m_byService->isChecked();
    options.minCount = quint64(m_minCount->value());
    m_view->setGraph(FlowGraph::build(m_session, options, m_nowUs, &m_history));
    fillRoots();
    m_funnel->refresh(m_root->currentData().isValid() ? m_root->currentData().toInt() : -1);
    const FlowGraph& g = m_view->graph();
    QString status = tr("%L1 boxes, %L2 links").arg(g.nodes.size()).arg(g.edges.size());
    if (g.hiddenEdges)
        status += tr("; %L1 rarer links (%L2 times in all) left out").arg(g.hiddenEdges).arg(g.hiddenLinks);
    if (g.droppedLinks)
        status += tr("; %L1 links between further type pairs not counted").arg(g.droppedLinks);
    m_status->setText(status);
}
