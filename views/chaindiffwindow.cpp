// SPDX-License-Identifier: MIT
#include "chaindiffwindow.h"

#include "chaindiffmodel.h"
#include "chainreport.h"
#include "chaintreemodel.h"
#include "differencefilter.h"
#include "printable.h"
#include "session.h"
#include "tablesetup.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

namespace {
QString headerOf(const Session& s, const char* name, quint32 c, const QString& note)
{
    const Chain& chain = s.chains().at(c);
    QString text = ChainDiffWindow::tr("%1: %2, %3 events over %4 s")
                       .arg(QLatin1String(name), Printable::forDisplay(s.chains().idText(c), 120))
                       .arg(chain.size)
                       .arg(double(chain.durationUs()) / 1e6, 0, 'f', 3);
    text += ChainReport::problemsOf(chain);
    if (!note.isEmpty())
        text += QStringLiteral(": ") + note;
    return text;
}
} // namespace

ChainDiffWindow::ChainDiffWindow(const Session& session, quint32 chainA, quint32 chainB, QWidget* parent)
    : QWidget(parent, Qt::Window)
    , m_session(session)
    , m_chainA(chainA)
    , m_chainB(chainB)
    , m_openerA(session.chains().at(chainA).opener)
    , m_openerB(session.chains().at(chainB).opener)
    , m_headerA(new QLabel(this))
    , m_headerB(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_threshold(new QSpinBox(this))
    , m_onlyDifferences(new QCheckBox(tr("Only what differs"), this))
    , m_model(new ChainDiffModel(this))
    , m_filtered(
          new DifferenceFilter([](const QAbstractItemModel* m,
                                   int row) { return m->index(row, 0).data(ChainDiffModel::MarksRole).toInt() != 0; },
              this))
    , m_table(new QTableView(this))
{
    setObjectName(QStringLiteral("chainDiffWindow"));
    setWindowTitle(tr("EventScope: chain diff"));
    setWindowIcon(QIcon(QStringLiteral(":/eventscope/eventscope.png")));
    for (QLabel* l : { m_headerA, m_headerB, m_summary }) {
        l->setTextFormat(Qt::PlainText);
        l->setTextInteractionFlags(Qt::TextSelectableByMouse);
    }
    m_summary->setObjectName(QStringLiteral("chainDiffSummary"));
    m_threshold->setRange(0, 3600000);
    m_threshold->setValue(100);
    m_threshold->setSuffix(tr(" ms"));
    m_threshold->setAccessibleName(tr("Mark hops that differ by more than"));
    auto* swapButton = new QPushButton(tr("Swap A and B"), this);

    m_filtered->setSourceModel(m_model);
    m_table->setModel(m_filtered);
    m_table->setObjectName(QStringLiteral("chainDiffTable"));
    m_table->setAccessibleName(tr("Chain diff"));
    setUpTable(m_table, 4);
    m_table->verticalHeader()->hide();
    m_table->setWordWrap(false);
    m_table->horizontalHeader()->setStretchLastSection(true);

    auto* controls = new QHBoxLayout;
    controls->addWidget(new QLabel(tr("Mark hops that differ by more than"), this));
    controls->addWidget(m_threshold);
    controls->addWidget(m_onlyDifferences);
    controls->addStretch(1);
    controls->addWidget(swapButton);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_headerA);
    layout->addWidget(m_headerB);
    layout->addWidget(m_summary);
    layout->addLayout(controls);
    layout->addWidget(m_table, 1);

    connect(m_threshold, &QSpinBox::valueChanged, this, &ChainDiffWindow::compare);
    connect(m_onlyDifferences, &QCheckBox::toggled, this,
        [this](bool on) { static_cast<DifferenceFilter*>(m_filtered)->setOnly(on); });
    connect(swapButton, &QPushButton::clicked, this, &ChainDiffWindow::swap);
    connect(m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        // the side clicked (the difference column: B), or the other when the step is on it only
        const bool preferA = index.column() <= ChainDiffModel::AHop;
        const QVariant a = index.data(ChainDiffModel::EventARole), b = index.data(ChainDiffModel::EventBRole);
        const bool useA = preferA ? a.isValid() : !b.isValid();
        const QVariant event = useA ? a : b;
        if (event.isValid())
            Q_EMIT eventActivated(useA ? m_chainA : m_chainB, event.toUInt());
    });
    compare();
    resize(1200, 640);
}

ChainDiffWindow::~ChainDiffWindow() = default;

void ChainDiffWindow::swap()
{
    std::swap(m_chainA, m_chainB);
    std::swap(m_openerA, m_openerB);
    std::swap(m_noteA, m_noteB);
    compare();
}

void ChainDiffWindow::setNoteA(const QString& note)
{
    m_noteA = note;
    compare();
}

void ChainDiffWindow::compare()
{
    const ChainTracker& chains = m_session.chains();
    const auto present = [&chains](quint32 c, quint32 opener) {
        return c < chains.size() && chains.alive(c) && chains.at(c).opener == opener;
    };
    if (!present(m_chainA, m_openerA) || !present(m_chainB, m_openerB)) {
        m_summary->setText(tr("A chain has left the session: this is the diff as it was."));
        return;
    }
    ChainDiff::Options options;
    options.thresholdUs = qint64(m_threshold->value()) * 1000;
    options.maxSteps = ChainTreeModel::MaxEvents; // as many as the waterfall shows: a huge chain stays quick
    const ChainDiff diff = ChainDiff::compare(m_session, m_chainA, m_chainB, options);
    m_model->setDiff(m_session, diff);
    m_headerA->setText(headerOf(m_session, "A", m_chainA, m_noteA));
    m_headerB->setText(headerOf(m_session, "B", m_chainB, m_noteB));
    const ChainDiff::Counts c = diff.counts();
    const auto steps = [](int n) { return n == 1 ? tr("1 step") : tr("%1 steps").arg(n); };
    QStringList parts { tr("%1 aligned").arg(steps(c.aligned)), tr("%1 only in A").arg(c.onlyA),
        tr("%1 only in B").arg(c.onlyB), tr("%1 slower and %2 faster in B").arg(c.slower).arg(c.faster) };
    if (c.retryChanges)
        parts << tr("retries differ on %1").arg(steps(c.retryChanges));
    if (c.failureChanges)
        parts << tr("failures or dead letters differ on %1").arg(steps(c.failureChanges));
    QString summary = parts.join(QStringLiteral("; "));
    if (!diff.exact())
        summary += tr(" (too long to align exactly: the rest paired greedily)");
    if (diff.omittedA() || diff.omittedB())
        summary += tr(" (the first %L1 steps of each: %L2 of A and %L3 of B not compared)")
                       .arg(ChainTreeModel::MaxEvents)
                       .arg(diff.omittedA())
                       .arg(diff.omittedB());
    m_summary->setText(summary);
    m_table->resizeColumnsToContents();
    for (int column : { int(ChainDiffModel::AStep), int(ChainDiffModel::BStep) })
        m_table->setColumnWidth(column, std::min(m_table->columnWidth(column), 360));
}
