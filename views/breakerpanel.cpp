// SPDX-License-Identifier: MIT
#include "breakerpanel.h"

#include "breakermodel.h"
#include "eventlogmodel.h"
#include "printable.h"
#include "session.h"
#include "tablesetup.h"
#include "timestamp.h"

#include <QCheckBox>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace {
constexpr int EventsAround = 40;
} // namespace

BreakerPanel::BreakerPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
    , m_model(new BreakerModel(session, this))
    , m_history(new BreakerHistoryModel(session, this))
    , m_around(new EventLogModel(session, this))
    , m_board(new QTableView(this))
    , m_historyTable(new QTableView(this))
    , m_aroundTable(new QTableView(this))
    , m_aroundTitle(new QLabel(tr("Click a transition to see the events around it"), this))
    , m_merge(new QCheckBox(tr("&Merge origins"), this))
    , m_sorted(new QSortFilterProxyModel(this))
{
    m_sorted->setSourceModel(m_model);
    m_sorted->setSortRole(BreakerModel::SortRole);
    m_sorted->setFilterRole(BreakerModel::ScopeRole);
    m_sorted->setFilterRegularExpression(QStringLiteral("^(single|origin)$"));
    m_board->setModel(m_sorted);
    m_board->setObjectName(QStringLiteral("breakerBoard"));
    m_board->setAccessibleName(tr("Circuit breakers"));
    m_board->setSortingEnabled(true);
    m_board->sortByColumn(BreakerModel::NameColumn, Qt::AscendingOrder);
    setUpTable(m_board, 6);
    m_board->horizontalHeader()->setStretchLastSection(true);
    sizeColumnsToTypicalContent(m_board);
    m_historyTable->setModel(m_history);
    m_historyTable->setObjectName(QStringLiteral("breakerHistory"));
    m_historyTable->setAccessibleName(tr("Breaker history"));
    setUpTable(m_historyTable);
    sizeColumnsToTypicalContent(m_historyTable);
    m_historyTable->horizontalHeader()->setStretchLastSection(true);
    m_around->setEvents({});
    m_aroundTable->setModel(m_around);
    m_aroundTable->setObjectName(QStringLiteral("eventsAround"));
    m_aroundTable->setAccessibleName(tr("Events around the transition"));
    setUpTable(m_aroundTable);
    m_aroundTable->horizontalHeader()->setStretchLastSection(true);
    sizeColumnsToTypicalContent(m_aroundTable);
    m_aroundTitle->setWordWrap(true);

    auto* lower = new QWidget(this);
    auto* lowerLayout = new QVBoxLayout(lower);
    lowerLayout->setContentsMargins(0, 0, 0, 0);
    lowerLayout->addWidget(m_aroundTitle);
    lowerLayout->addWidget(m_aroundTable, 1);
    m_merge->setToolTip(tr("Breakers that several origins report under one name: each origin's on its own "
                           "(\"email-gateway @ ws://bus-b/\"), or all of them as one, in the worst state any is in"));
    m_merge->setVisible(false);
    connect(m_merge, &QCheckBox::toggled, this, [this](bool merged) {
        m_sorted->setFilterRegularExpression(
            merged ? QStringLiteral("^(single|merged)$") : QStringLiteral("^(single|origin)$"));
        m_history->setBreaker(-1);
        if (m_sorted->rowCount() > 0)
            m_board->selectRow(0);
    });
    auto* upper = new QWidget(this);
    auto* upperLayout = new QVBoxLayout(upper);
    upperLayout->setContentsMargins(0, 0, 0, 0);
    upperLayout->addWidget(m_merge);
    upperLayout->addWidget(m_board, 1);
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(upper);
    split->addWidget(m_historyTable);
    split->addWidget(lower);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);

    connect(m_board->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
        m_history->setBreaker(i.isValid() ? i.data(BreakerModel::BreakerRole).toInt() : -1);
    });
    connect(m_historyTable, &QTableView::clicked, this,
        [this](const QModelIndex& i) { showEventsAround(i.data(BreakerHistoryModel::EventIndexRole).toUInt()); });
    connect(m_aroundTable, &QTableView::doubleClicked, this,
        [this](const QModelIndex& i) { Q_EMIT eventActivated(m_around->eventAt(i.row())); });
}

BreakerPanel::~BreakerPanel() = default;

void BreakerPanel::reset()
{
    m_model->reset();
    m_history->reset();
    m_around->setEvents({});
}

void BreakerPanel::refresh(qint64 nowUs)
{
    m_model->refresh(nowUs);
    if (m_merge->isHidden() && m_model->rowCount() > 0) {
        for (int row = 0; row < m_model->rowCount(); ++row)
            if (m_model->index(row, 0).data(BreakerModel::ScopeRole).toString() == QLatin1String("merged")) {
                m_merge->setVisible(true);
                break;
            }
    }
    m_history->refresh();
    m_around->refresh();
    if (m_history->breaker() < 0 && m_model->rowCount() > 0)
        m_board->selectRow(0);
}

void BreakerPanel::selectBreaker(int breaker)
{
    const QAbstractItemModel* shown = m_board->model();
    for (int row = 0; row < shown->rowCount(); ++row)
        if (shown->index(row, 0).data(BreakerModel::BreakerRole).toInt() == breaker) {
            m_board->selectRow(row);
            return;
        }
}

void BreakerPanel::showEventsAround(quint32 event)
{
    const EventStore& store = m_session.store();
    if (!store.contains(event))
        return;
    std::vector<quint32> events;
    const quint32 before = std::min<quint32>(EventsAround, event - store.first());
    const quint32 after = std::min<quint32>(EventsAround, store.end() - event - 1);
    for (quint32 e = event - before; e != event + after + 1; ++e)
        events.push_back(e);
    m_around->setEvents(events);
    const EventRecord& r = store.at(event);
    m_aroundTitle->setText(tr("%L1 events around the transition at %2 UTC (%3)")
                               .arg(events.size())
                               .arg(Timestamp::clockText(m_session.basisTime(r)),
                                   Printable::forDisplay(m_session.types().view(r.type), 80)));
    const int row = m_around->rowOf(event);
    if (row >= 0) {
        m_aroundTable->selectRow(row);
        m_aroundTable->scrollTo(m_around->index(row, 0), QAbstractItemView::PositionAtCenter);
    }
    // and the transition in the history
    for (int h = 0; h < m_history->rowCount(); ++h)
        if (m_history->index(h, 0).data(BreakerHistoryModel::EventIndexRole).toUInt() == event) {
            QSignalBlocker block(m_historyTable->selectionModel());
            m_historyTable->selectRow(h);
        }
}
