// SPDX-License-Identifier: MIT
#include "flowmappanel.h"

#include "flowmapview.h"
#include "session.h"

#include <QCheckBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QScrollArea>
#include <QSpinBox>
#include <QVBoxLayout>

FlowMapPanel::FlowMapPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_view(new FlowMapView(this))
    , m_byService(new QCheckBox(tr("One box per service"), this))
    , m_minCount(new QSpinBox(this))
    , m_status(new QLabel(this))
{
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
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(controls);
    layout->addWidget(scroll, 1);

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
    if (!first && QDateTime::currentMSecsSinceEpoch() - m_builtAtMs < 1000)
        return;
    rebuild();
}

void FlowMapPanel::reset()
{
    m_seenLinks = m_seenEvents = ~quint64(0);
    m_view->setGraph({});
}

void FlowMapPanel::rebuild()
{
    m_builtAtMs = QDateTime::currentMSecsSinceEpoch();
    m_seenLinks = m_session.flow().linkCount();
    m_seenEvents = m_session.eventCount();
    FlowGraph::Options options;
    options.byService = m_byService->isChecked();
    options.minCount = quint64(m_minCount->value());
    m_view->setGraph(FlowGraph::build(m_session, options, m_nowUs));
    const FlowGraph& g = m_view->graph();
    QString status = tr("%L1 boxes, %L2 links").arg(g.nodes.size()).arg(g.edges.size());
    if (g.hiddenEdges)
        status += tr("; %L1 rarer links (%L2 times in all) left out").arg(g.hiddenEdges).arg(g.hiddenLinks);
    if (g.droppedLinks)
        status += tr("; %L1 links between further type pairs not counted").arg(g.droppedLinks);
    m_status->setText(status);
}
