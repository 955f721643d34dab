// SPDX-License-Identifier: MIT
#include "breakerpanel.h"

#include "breakermodel.h"
#include "eventlogmodel.h"
#include "printable.h"
#include "session.h"
#include "tablesetup.h"
#include "timestamp.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace {
constexpr int EventsAround = 40;
/// Bounds on what the settings may hold (they may have been edited by hand, or by anyone)
constexpr int MaxHandlers = 64;
constexpr int MaxNameLength = 200;

QString settingsKey(const QString& breaker)
{
    // a breaker's name may hold anything: the key holds its hex, so no '/' or '\\' makes a group
    return QStringLiteral("breakers/handlersBehind/") + QString::fromLatin1(breaker.toUtf8().toHex());
}

QString period(qint64 fromUs, qint64 toUs, bool ongoing)
{
    return QStringLiteral("%1 - %2").arg(Timestamp::toIso8601(fromUs).mid(11, 12),
        ongoing ? BreakerPanel::tr("now") : Timestamp::toIso8601(toUs).mid(11, 12));
}
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
    , m_affected(new QPushButton(tr("Show &affected chains"), this))
    , m_handlers(new QPushButton(tr("&Handlers behind..."), this))
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
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_affected);
    buttons->addWidget(m_handlers);
    buttons->addStretch(1);
    upperLayout->addLayout(buttons);
    m_affected->setObjectName(QStringLiteral("showAffectedChains"));
    m_affected->setToolTip(tr("The chains that had a failure, retry or dead letter behind this breaker while it "
                              "was not closed (or within 5 s after), in the explorer"));
    m_affected->setEnabled(false);
    m_handlers->setToolTip(tr("Say which handlers are behind this breaker, for failures that name no breaker and "
                              "that the session does not show behind one"));
    m_handlers->setEnabled(false);
    connect(m_affected, &QPushButton::clicked, this, [this] { showAffectedChains(selectedBreaker()); });
    connect(m_handlers, &QPushButton::clicked, this, [this] {
        const int breaker = selectedBreaker();
        if (breaker < 0)
            return;
        const QString name = QString::fromStdString(m_session.breakers().at(std::size_t(breaker)).name);
        bool ok = false;
        const QString text = QInputDialog::getText(this, tr("Handlers behind %1").arg(Printable::forDisplay(name, 80)),
            tr("Handlers behind %1, separated by commas:").arg(Printable::forDisplay(name, 80)), QLineEdit::Normal,
            handlersBehind(name).join(QStringLiteral(", ")), &ok);
        if (ok)
            setHandlersBehind(name, text.split(u',', Qt::SkipEmptyParts));
    });
    // a transition of the history: the chains its trip affected
    m_historyTable->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_historyTable, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        const QModelIndex i = m_historyTable->indexAt(at);
        const int breaker = m_history->breaker();
        if (!i.isValid() || breaker < 0)
            return;
        const quint32 event = i.data(BreakerHistoryModel::EventIndexRole).toUInt();
        if (!m_session.store().contains(event))
            return;
        const qint64 timeUs = m_session.basisTime(m_session.store().at(event));
        QMenu menu(this);
        menu.addAction(tr("Show chains affected by this trip"), this,
            [this, breaker, timeUs] { showAffectedChains(breaker, timeUs); });
        menu.exec(m_historyTable->viewport()->mapToGlobal(at));
    });
    auto* split = new QSplitter(Qt::Horizontal, this);
    split->addWidget(upper);
    split->addWidget(m_historyTable);
    split->addWidget(lower);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(split);

    connect(m_board->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex& i) {
        const int breaker = i.isValid() ? i.data(BreakerModel::BreakerRole).toInt() : -1;
        m_history->setBreaker(breaker);
        const bool one = breaker >= 0 && !m_session.breakers().at(std::size_t(breaker)).merged;
        m_affected->setEnabled(one);
        m_handlers->setEnabled(one);
    });
    connect(m_historyTable, &QTableView::clicked, this,
        [this](const QModelIndex& i) { showEventsAround(i.data(BreakerHistoryModel::EventIndexRole).toUInt()); });
    connect(m_aroundTable, &QTableView::doubleClicked, this,
        [this](const QModelIndex& i) { Q_EMIT eventActivated(m_around->eventAt(i.row())); });
}

BreakerPanel::~BreakerPanel() = default;

int BreakerPanel::selectedBreaker() const
{
    const QModelIndex i = m_board->currentIndex();
    return i.isValid() ? i.data(BreakerModel::BreakerRole).toInt() : -1;
}

void BreakerPanel::showAffectedChains(int breaker, qint64 atUs)
{
    const BreakerTracker& breakers = m_session.breakers();
    if (breaker < 0 || std::size_t(breaker) >= breakers.size() || breakers.at(std::size_t(breaker)).merged)
        return;
    const BlastRadius radius(m_session, blastOptions());
    const BlastRadius::Breaker* b = radius.find(std::size_t(breaker));
    if (!b)
        return;
    const int p = atUs == std::numeric_limits<qint64>::min() ? -1 : radius.periodAt(std::size_t(breaker), atUs);
    const QString name = Printable::forDisplay(m_session.breakerLabel(std::size_t(breaker)), 60);
    QString label;
    if (p >= 0) {
        const BlastRadius::Period& at = b->periods[std::size_t(p)];
        label = tr("Affected by %1 not closed %2").arg(name, period(at.fromUs, at.toUs, at.ongoing));
    } else {
        label = b->periods.size() == 1 ? tr("Affected by %1 not closed (1 period)").arg(name)
                                       : tr("Affected by %1 not closed (%2 periods)").arg(name).arg(b->periods.size());
    }
    Q_EMIT chainsRequested(radius.chains(std::size_t(breaker), p), label);
}

void BreakerPanel::setHandlersBehind(const QString& name, const QStringList& handlers)
{
    QStringList kept;
    for (const QString& h : handlers) {
        const QString trimmed = h.trimmed().left(MaxNameLength);
        if (!trimmed.isEmpty() && !kept.contains(trimmed) && kept.size() < MaxHandlers)
            kept << trimmed;
    }
    QSettings settings;
    if (kept.isEmpty())
        settings.remove(settingsKey(name));
    else
        settings.setValue(settingsKey(name), kept);
}

QStringList BreakerPanel::handlersBehind(const QString& name) const
{
    const QVariant v = QSettings().value(settingsKey(name));
    if (v.metaType() != QMetaType::fromType<QStringList>() && v.metaType() != QMetaType::fromType<QString>())
        return {};
    QStringList out;
    for (const QString& h : v.toStringList())
        if (!h.trimmed().isEmpty() && out.size() < MaxHandlers)
            out << h.trimmed().left(MaxNameLength);
    return out;
}

BlastRadius::Options BreakerPanel::blastOptions() const
{
    BlastRadius::Options o;
    const BreakerTracker& breakers = m_session.breakers();
    for (std::size_t i = 0; i < breakers.size(); ++i) {
        if (breakers.at(i).merged)
            continue;
        const QString name = QString::fromStdString(breakers.at(i).name);
        for (const QString& h : handlersBehind(name))
            o.mapping.emplace(h.toStdString(), breakers.at(i).name);
    }
    return o;
}

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
