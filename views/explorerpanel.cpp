// SPDX-License-Identifier: MIT
#include "explorerpanel.h"

#include "chaindiff.h"
#include "chaindiffwindow.h"
#include "chainlistmodel.h"
#include "chaintreemodel.h"
#include "elidedlabel.h"
#include "eventdetail.h"
#include "printable.h"
#include "session.h"
#include "tablesetup.h"
#include "waterfallview.h"

#include <QCheckBox>
#include <QDataStream>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QScrollArea>
#include <QSortFilterProxyModel>
#include <QSpinBox>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

ExplorerPanel::ExplorerPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_chains(new ChainListModel(session, this))
    , m_sorted(new QSortFilterProxyModel(this))
    , m_tree(new ChainTreeModel(session, this))
    , m_search(new QLineEdit(this))
    , m_failed(new QCheckBox(tr("Failed"), this))
    , m_retried(new QCheckBox(tr("Retried"), this))
    , m_deadLettered(new QCheckBox(tr("Dead-lettered"), this))
    , m_orphaned(new QCheckBox(tr("Orphaned"), this))
    , m_open(new QCheckBox(tr("Still open after"), this))
    , m_openSeconds(new QSpinBox(this))
    , m_status(new QLabel(this))
    , m_throughChip(new QToolButton(this))
    , m_chainTitle(new ElidedLabel(this))
    , m_chainTable(new QTableView(this))
    , m_treeView(new QTreeView(this))
    , m_waterfall(new WaterfallView(session, *m_tree, this))
    , m_detail(new EventDetail(session, this))
    , m_compare(new QToolButton(this))
{
    m_status->setObjectName(QStringLiteral("chainCount"));
    m_search->setPlaceholderText(tr("Correlation id, event id or any text in an event (e.g. BK-10042)"));
    m_search->setClearButtonEnabled(true);
    m_search->setAccessibleName(tr("Search chains"));
    m_openSeconds->setRange(1, 86400);
    m_openSeconds->setValue(30);
    m_openSeconds->setSuffix(tr(" s"));
    m_openSeconds->setAccessibleName(tr("Open for at least"));
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_search, 1);
    for (QWidget* w :
        { static_cast<QWidget*>(m_failed), static_cast<QWidget*>(m_retried), static_cast<QWidget*>(m_deadLettered),
            static_cast<QWidget*>(m_orphaned), static_cast<QWidget*>(m_open), static_cast<QWidget*>(m_openSeconds),
            static_cast<QWidget*>(m_throughChip), static_cast<QWidget*>(m_status) })
        bar->addWidget(w);
    m_throughChip->setObjectName(QStringLiteral("throughFilter"));
    m_throughChip->setToolButtonStyle(Qt::ToolButtonTextOnly);
    m_throughChip->setToolTip(tr("Only chains through this link of the flow map, that ended at this stage, or that a "
                                 "breaker's trip affected; click to show every chain"));
    m_throughChip->hide();
    connect(m_throughChip, &QToolButton::clicked, this, [this] {
        m_through.clear();
        m_endedAt = { -1, -1 };
        m_onlyChains = false;
        m_chainSet.clear();
        m_throughChip->hide();
        applyQuery();
    });

    m_sorted->setSourceModel(m_chains);
    m_sorted->setSortRole(ChainListModel::SortRole);
    m_sorted->setDynamicSortFilter(false);
    m_chainTable->setModel(m_sorted);
    m_chainTable->setObjectName(QStringLiteral("chainTable"));
    m_chainTable->setAccessibleName(tr("Chains"));
    setUpTable(m_chainTable, 4);
    m_chainTable->setSortingEnabled(true);
    m_chainTable->sortByColumn(ChainListModel::StartColumn, Qt::DescendingOrder);
    sizeColumnsToTypicalContent(m_chainTable);
    m_chainTable->horizontalHeader()->setStretchLastSection(true);

    m_treeView->setModel(m_tree);
    m_treeView->setObjectName(QStringLiteral("causationTree"));
    m_treeView->setAccessibleName(tr("Causation tree"));
    m_treeView->setUniformRowHeights(true);
    m_treeView->header()->resizeSection(ChainTreeModel::TypeColumn, 300);
    m_scroll = new QScrollArea(this);
    m_scroll->setWidget(m_waterfall);
    m_scroll->setWidgetResizable(true);
    auto* views = new QTabWidget(this);
    views->addTab(m_scroll, tr("Waterfall"));
    views->addTab(m_treeView, tr("Causation tree"));
    m_chainTitle->setTextFormat(Qt::PlainText);
    m_chainTitle->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* chainBox = new QWidget(this);
    auto* chainLayout = new QVBoxLayout(chainBox);
    chainLayout->setContentsMargins(0, 0, 0, 0);
    auto* titleRow = new QHBoxLayout;
    titleRow->addWidget(m_chainTitle, 1);
    titleRow->addWidget(m_compare);
    chainLayout->addLayout(titleRow);
    chainLayout->addWidget(views, 1);

    auto* lower = new QSplitter(Qt::Horizontal, this);
    lower->addWidget(chainBox);
    lower->addWidget(m_detail);
    lower->setStretchFactor(0, 3);
    lower->setStretchFactor(1, 2);
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_chainTable);
    split->addWidget(lower);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(bar);
    layout->addWidget(split, 1);

    connect(m_search, &QLineEdit::returnPressed, this, &ExplorerPanel::applyQuery);
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& t) {
        if (t.isEmpty())
            applyQuery();
    });
    for (QCheckBox* box : { m_failed, m_retried, m_deadLettered, m_orphaned, m_open })
        connect(box, &QCheckBox::toggled, this, &ExplorerPanel::applyQuery);
    connect(m_openSeconds, &QSpinBox::valueChanged, this, &ExplorerPanel::applyQuery);
    connect(
        m_chainTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
            if (i.isValid())
                showChain(i.data(ChainListModel::ChainRole).toUInt());
        });
    connect(m_treeView->selectionModel(), &QItemSelectionModel::currentChanged, this, [this](const QModelIndex& i) {
        if (i.isValid())
            selectEvent(i.data(ChainTreeModel::EventIndexRole).toUInt());
    });
    connect(m_waterfall, &WaterfallView::eventSelected, this, &ExplorerPanel::selectEvent);

    // compare: with a typical chain, or select one as A and compare another with it (as file diff tools do)
    m_compare->setObjectName(QStringLiteral("compareChains"));
    m_compare->setText(tr("Compare"));
    m_compare->setToolTip(tr("Compare this chain with another, step by step"));
    m_compare->setPopupMode(QToolButton::InstantPopup);
    auto* menu = new QMenu(m_compare);
    QAction* typical = menu->addAction(tr("With a typical chain of its root"), this, [this] { compareWithTypical(); });
    QAction* withA = menu->addAction(QString(), this, [this] {
        if (m_compareA != ChainTracker::None)
            compareChains(m_compareA, currentChain());
    });
    menu->addSeparator();
    menu->addAction(tr("Select for compare (as A)"), this, &ExplorerPanel::selectForCompare);
    connect(menu, &QMenu::aboutToShow, this, [this, typical, withA] {
        const quint32 shown = currentChain();
        const ChainTracker& chains = m_session.chains();
        const bool haveA
            = m_compareA < chains.size() && chains.alive(m_compareA) && chains.at(m_compareA).opener == m_compareOpener;
        if (!haveA)
            m_compareA = ChainTracker::None;
        const bool hasTypical
            = shown != ChainTracker::None && ChainDiff::typicalChain(m_session, shown) != ChainTracker::None;
        typical->setEnabled(hasTypical);
        typical->setText(hasTypical || shown == ChainTracker::None
                ? tr("With a typical chain of its root")
                : tr("With a typical chain of its root (no other chain starts like this one)"));
        withA->setEnabled(haveA && shown != ChainTracker::None && shown != m_compareA);
        withA->setText(haveA ? tr("With A: %1").arg(Printable::forDisplay(chains.idText(m_compareA), 60))
                             : tr("With A (select a chain for compare first)"));
    });
    m_compare->setMenu(menu);
}

ChainDiffWindow* ExplorerPanel::compareChains(quint32 a, quint32 b)
{
    const ChainTracker& chains = m_session.chains();
    if (a >= chains.size() || b >= chains.size() || !chains.alive(a) || !chains.alive(b))
        return nullptr;
    auto* diff = new ChainDiffWindow(m_session, a, b, this);
    diff->setAttribute(Qt::WA_DeleteOnClose);
    connect(diff, &ChainDiffWindow::eventActivated, this, [this](quint32 chain, quint32 event) {
        showChain(chain, event);
        window()->raise();
        window()->activateWindow();
    });
    diff->show();
    return diff;
}

ChainDiffWindow* ExplorerPanel::compareWithTypical()
{
    const quint32 shown = currentChain();
    if (shown == ChainTracker::None)
        return nullptr;
    const quint32 typical = ChainDiff::typicalChain(m_session, shown);
    if (typical == ChainTracker::None)
        return nullptr;
    ChainDiffWindow* diff = compareChains(typical, shown);
    if (diff)
        diff->setNoteA(tr("a typical chain of its root"));
    return diff;
}

void ExplorerPanel::selectForCompare()
{
    const quint32 shown = currentChain();
    if (shown == ChainTracker::None)
        return;
    m_compareA = shown;
    m_compareOpener = m_session.chains().at(shown).opener;
}

ExplorerPanel::~ExplorerPanel() = default;

void ExplorerPanel::applyQuery()
{
    ChainListModel::Query q;
    q.search = m_search->text();
    q.failed = m_failed->isChecked();
    q.retried = m_retried->isChecked();
    q.deadLettered = m_deadLettered->isChecked();
    q.orphaned = m_orphaned->isChecked();
    q.openAfterSeconds = m_open->isChecked() ? m_openSeconds->value() : -1;
    q.through = m_through;
    q.endedRoot = m_endedAt.first;
    q.endedStage = m_endedAt.second;
    q.onlyChains = m_onlyChains;
    q.chains = m_chainSet;
    m_chains->setQuery(q);
    m_chains->refresh(m_nowUs, 50);
    m_sorted->sort(m_sorted->sortColumn(), m_sorted->sortOrder());
    // an id search names one chain: open it at once
    if (!q.search.trimmed().isEmpty() && m_chains->rowCount() == 1)
        showChain(m_chains->chainAt(0));
}

void ExplorerPanel::showChainsThrough(const std::vector<std::pair<quint16, quint16>>& typePairs, const QString& label)
{
    m_through = typePairs;
    m_endedAt = { -1, -1 };
    m_onlyChains = false;
    m_chainSet.clear();
    showFilterChip(tr("Through %1  ✕").arg(Printable::forDisplay(label, 80)));
}

void ExplorerPanel::showChainsEndedAt(int root, int stage, const QString& label)
{
    m_through.clear();
    m_endedAt = { root, stage };
    m_onlyChains = false;
    m_chainSet.clear();
    showFilterChip(tr("Ended at %1  ✕").arg(Printable::forDisplay(label, 80)));
}

void ExplorerPanel::showChains(const std::vector<BlastRadius::ChainRef>& chains, const QString& label)
{
    m_through.clear();
    m_endedAt = { -1, -1 };
    m_onlyChains = true;
    m_chainSet = chains;
    showFilterChip(tr("%1  ✕").arg(Printable::forDisplay(label, 100)));
}

void ExplorerPanel::showFilterChip(const QString& text)
{
    m_throughChip->setText(text);
    m_throughChip->show();
    m_chainTable->sortByColumn(ChainListModel::DurationColumn, Qt::DescendingOrder);
    applyQuery();
    if (m_sorted->rowCount() > 0)
        m_chainTable->setCurrentIndex(m_sorted->index(0, 0));
}

QString ExplorerPanel::throughFilter() const
{
    return m_through.empty() && m_endedAt.first < 0 && !m_onlyChains ? QString() : m_throughChip->text();
}

void ExplorerPanel::search(const QString& text)
{
    m_search->setText(text);
    applyQuery();
}

void ExplorerPanel::reset()
{
    m_chains->reset();
    listNow(); // the list again at the next refresh, not up to a second later
    m_tree->setChain(ChainTracker::None);
    m_detail->setEvent(EventStore::NotFound);
}

void ExplorerPanel::listWhole()
{
    m_chains->rescan();
    listNow();
}

void ExplorerPanel::refresh(qint64 nowUs)
{
    m_nowUs = nowUs;
    if (!isVisible())
        return; // hidden: no work (the models catch up when shown)
    // the list changes faster than anyone reads it on a busy bus: once a second is plenty (a new query
    // refreshes at once, a look at every chain goes on at every tick); the open chain's tree and
    // waterfall follow every tick
    if (!m_listClock.isValid() || m_listClock.elapsed() >= 1000 || m_chains->isLooking()) {
        m_listClock.start();
        m_chains->refresh(nowUs, 4);
        // sorted once per refresh, not per inserted or changed row (the proxy is not dynamic)
        m_sorted->sort(m_sorted->sortColumn(), m_sorted->sortOrder());
    }
    const quint64 matching = std::max<quint64>(m_chains->matchCount(), quint64(m_chains->rowCount()));
    if (m_chains->isSearching())
        m_status->setText(tr("%L1 chains, searching...").arg(m_chains->rowCount()));
    else if (matching > quint64(m_chains->rowCount())) // a list that shows only part says so
        m_status->setText(
            tr("%L1 of %L2 chains (the newest): refine the search").arg(m_chains->rowCount()).arg(matching));
    else
        m_status->setText(tr("%L1 chains").arg(m_chains->rowCount()));
    if (m_tree->refresh()) {
        m_waterfall->chainChanged();
        m_treeView->expandAll();
    }
}

void ExplorerPanel::showChain(quint32 chain, quint32 event)
{
    const ChainTracker& chains = m_session.chains();
    if (chain == ChainTracker::None || chain >= chains.size() || !chains.alive(chain))
        return;
    if (m_tree->chain() != chain || m_tree->timeline().empty()) {
        m_tree->setChain(chain);
        m_treeView->expandAll();
        m_waterfall->chainChanged();
    }
    const Chain& c = chains.at(chain);
    m_chainTitle->setFullText(tr("Chain %1: %L2 events over %3 ms, %4 failures, %5 retries, %6 dead letters%7")
                                  .arg(chains.idText(chain))
                                  .arg(c.size)
                                  .arg(double(c.durationUs()) / 1000.0, 0, 'f', 1)
                                  .arg(c.failures)
                                  .arg(c.retries)
                                  .arg(c.deadLetters)
                                  .arg(c.orphans ? tr(", %1 orphans").arg(c.orphans) : QString()));
    const int row = m_chains->rowOfChain(chain);
    if (row >= 0) {
        const QModelIndex proxied = m_sorted->mapFromSource(m_chains->index(row, 0));
        if (m_chainTable->currentIndex().row() != proxied.row()) {
            QSignalBlocker block(m_chainTable->selectionModel());
            m_chainTable->selectRow(proxied.row());
        }
        m_chainTable->scrollTo(proxied);
    }
    if (event == 0xFFFFFFFFu && !m_tree->timeline().empty()) {
        // a problem is what people come for: pick the first dead letter or failure, else the root
        event = m_tree->timeline().front().event;
        for (const TimelineEntry& e : m_tree->timeline())
            if (e.kind == TimelineEntry::DeadLetter || e.kind == TimelineEntry::Failure) {
                event = e.event;
                break;
            }
    }
    selectEvent(event);
}

void ExplorerPanel::selectEvent(quint32 event)
{
    m_waterfall->setSelectedEvent(event);
    const int row = m_waterfall->rowOfEvent(event);
    if (row >= 0)
        m_scroll->ensureVisible(0, m_waterfall->rowCenterY(row), 0, 60);
    const QModelIndex i = m_tree->indexOfEvent(event);
    if (i.isValid() && m_treeView->currentIndex() != i) {
        QSignalBlocker block(m_treeView->selectionModel());
        m_treeView->setCurrentIndex(i);
    }
    m_detail->setEvent(event);
}

quint32 ExplorerPanel::currentChain() const { return m_tree->chain(); }

quint32 ExplorerPanel::selectedEvent() const { return m_waterfall->selectedEvent(); }

QByteArray ExplorerPanel::saveState() const
{
    QByteArray out;
    QDataStream s(&out, QIODevice::WriteOnly);
    s << quint8(1) << m_chainTable->horizontalHeader()->saveState() << m_failed->isChecked() << m_retried->isChecked()
      << m_deadLettered->isChecked() << m_orphaned->isChecked() << m_open->isChecked() << m_openSeconds->value();
    return out;
}

void ExplorerPanel::restoreState(const QByteArray& state)
{
    QDataStream s(state);
    quint8 version = 0;
    QByteArray header;
    bool failed = false, retried = false, dead = false, orphaned = false, open = false;
    int seconds = 30;
    s >> version >> header >> failed >> retried >> dead >> orphaned >> open >> seconds;
    if (s.status() != QDataStream::Ok || version != 1)
        return;
    m_chainTable->horizontalHeader()->restoreState(header);
    m_failed->setChecked(failed);
    m_retried->setChecked(retried);
    m_deadLettered->setChecked(dead);
    m_orphaned->setChecked(orphaned);
    m_open->setChecked(open);
    m_openSeconds->setValue(seconds);
}
