// SPDX-License-Identifier: MIT
#include "breakermodel.h"

#include "session.h"
#include "timestamp.h"

#include <QBrush>
#include <QColor>
#include <QCoreApplication>
#include <iterator>
#include <limits>

namespace {
QString durationText(qint64 us)
{
    const qint64 s = std::max<qint64>(0, us / 1000000);
    if (s < 60)
        return QCoreApplication::translate("BreakerModel", "%1 s")
            .arg(double(std::max<qint64>(0, us)) / 1e6, 0, 'f', 1);
    if (s < 3600)
        return QCoreApplication::translate("BreakerModel", "%1 min %2 s").arg(s / 60).arg(s % 60);
    return QCoreApplication::translate("BreakerModel", "%1 h %2 min").arg(s / 3600).arg(s / 60 % 60);
}
} // namespace

namespace {
constexpr SessionTableModel::Header HeadersBreakerModel[] = {
    { QT_TRANSLATE_NOOP("BreakerModel", "Breaker"), nullptr, "email-gateway" }, // NameColumn
    { QT_TRANSLATE_NOOP("BreakerModel", "State"), nullptr, "HALF_OPEN" }, // StateColumn
    { QT_TRANSLATE_NOOP("BreakerModel", "In state for"), nullptr, "59 min 59 s" }, // SinceColumn
    { QT_TRANSLATE_NOOP("BreakerModel", "Transitions"), nullptr, "1,234" }, // TransitionsColumn
    { QT_TRANSLATE_NOOP("BreakerModel", "Failures"), nullptr, "1,234" }, // FailuresColumn
    { QT_TRANSLATE_NOOP("BreakerModel", "Open in total"), nullptr, "59 min 59 s" }, // OpenTimeColumn
    { QT_TRANSLATE_NOOP("BreakerModel", "Last reason"), nullptr, "failure threshold reached" }, // ReasonColumn
};
constexpr SessionTableModel::Header HeadersBreakerHistoryModel[] = {
    { QT_TRANSLATE_NOOP("BreakerHistoryModel", "Time (UTC)"), nullptr, "00:00:00.000" }, // TimeColumn
    { QT_TRANSLATE_NOOP("BreakerHistoryModel", "From"), nullptr, "HALF_OPEN" }, // FromColumn
    { QT_TRANSLATE_NOOP("BreakerHistoryModel", "To"), nullptr, "HALF_OPEN" }, // ToColumn
    { QT_TRANSLATE_NOOP("BreakerHistoryModel", "Failures"), nullptr, "1,234" }, // FailuresColumn
    { QT_TRANSLATE_NOOP("BreakerHistoryModel", "Reason"), nullptr, "failure threshold reached" }, // ReasonColumn
};
} // namespace
static_assert(std::size(HeadersBreakerModel) == BreakerModel::ColumnCount);
static_assert(std::size(HeadersBreakerHistoryModel) == BreakerHistoryModel::ColumnCount);

BreakerModel::BreakerModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersBreakerModel, parent)
{ }

BreakerModel::~BreakerModel() = default;

void BreakerModel::refresh(qint64 nowUs)
{
    m_nowUs = nowUs;
    const int now = int(m_session.breakers().size());
    if (m_rows > 0)
        Q_EMIT dataChanged(
            index(0, 0), index(m_rows - 1, ColumnCount - 1), { Qt::DisplayRole, SortRole, StateRole, ScopeRole });
    if (now > m_rows) {
        beginInsertRows({}, m_rows, now - 1);
        m_rows = now;
        endInsertRows();
    }
}

void BreakerModel::reset()
{
    beginResetModel();
    m_rows = 0;
    endResetModel();
}

int BreakerModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows; }

QVariant BreakerModel::value(int row, int column) const
{
    const Breaker& b = m_session.breakers().at(std::size_t(row));
    switch (column) {
    case NameColumn:
        return b.merged ? tr("%1 (all %2 origins)").arg(QString::fromStdString(b.name)).arg(b.members.size())
                        : m_session.breakerLabel(std::size_t(row));
    case StateColumn:
        return int(b.state());
    case SinceColumn:
        return m_nowUs - b.sinceUs();
    case TransitionsColumn:
        return qulonglong(b.transitionCount);
    case FailuresColumn:
        return b.history.empty() || b.history.back().failureCount < 0
            ? QVariant()
            : QVariant(qlonglong(b.history.back().failureCount));
    case OpenTimeColumn:
        return b.openTimeUs(std::numeric_limits<qint64>::min() / 2, m_nowUs);
    case ReasonColumn:
        return b.history.empty() ? QString() : QString::fromStdString(b.history.back().reason);
    }
    return {};
}

QVariant BreakerModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    switch (role) {
    case BreakerRole:
        return index.row();
    case ScopeRole: {
        const Breaker& b = m_session.breakers().at(std::size_t(index.row()));
        return b.merged ? QStringLiteral("merged") : b.sharedName ? QStringLiteral("origin") : QStringLiteral("single");
    }
    case StateRole:
        return int(m_session.breakers().at(std::size_t(index.row())).state());
    case SortRole:
        return value(index.row(), index.column());
    case Qt::DisplayRole: {
        const QVariant v = value(index.row(), index.column());
        switch (index.column()) {
        case StateColumn:
            return BreakerTransition::stateName(BreakerTransition::State(v.toInt())).toUpper();
        case SinceColumn:
        case OpenTimeColumn:
            return durationText(v.toLongLong());
        default:
            return v;
        }
    }
    case Qt::BackgroundRole:
    case Qt::ForegroundRole: {
        if (index.column() != StateColumn)
            return {};
        // colour backs up the words, never replaces them
        const auto state = m_session.breakers().at(std::size_t(index.row())).state();
        const QColor back = state == BreakerTransition::Open ? QColor(0xc6, 0x28, 0x28)
            : state == BreakerTransition::HalfOpen           ? QColor(0xb3, 0x59, 0x00)
            : state == BreakerTransition::Closed             ? QColor(0x2e, 0x7d, 0x32)
                                                             : QColor(0x75, 0x75, 0x75);
        return role == Qt::BackgroundRole ? QBrush(back) : QBrush(Qt::white);
    }
    case Qt::AccessibleTextRole:
        if (index.column() == StateColumn)
            return tr("state %1")
                .arg(BreakerTransition::stateName(m_session.breakers().at(std::size_t(index.row())).state()));
        return {};
    default:
        return {};
    }
}

BreakerHistoryModel::BreakerHistoryModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersBreakerHistoryModel, parent)
{ }

BreakerHistoryModel::~BreakerHistoryModel() = default;

void BreakerHistoryModel::setBreaker(int breaker)
{
    beginResetModel();
    m_breaker = breaker >= 0 && std::size_t(breaker) < m_session.breakers().size() ? breaker : -1;
    m_rows = m_breaker < 0 ? 0 : int(m_session.breakers().at(std::size_t(m_breaker)).history.size());
    endResetModel();
}

void BreakerHistoryModel::reset()
{
    beginResetModel();
    m_breaker = -1;
    m_rows = 0;
    endResetModel();
}

void BreakerHistoryModel::refresh()
{
    if (m_breaker < 0)
        return;
    const auto& history = m_session.breakers().at(std::size_t(m_breaker)).history;
    const int now = int(history.size());
    if (now < m_rows) { // the history cap dropped old transitions
        setBreaker(m_breaker);
        return;
    }
    if (now > m_rows) {
        // a late report may land anywhere: the history is kept sorted by time
        if (m_rows > 0)
            Q_EMIT dataChanged(index(0, 0), index(m_rows - 1, ColumnCount - 1));
        beginInsertRows({}, m_rows, now - 1);
        m_rows = now;
        endInsertRows();
    }
}

int BreakerHistoryModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : m_rows; }

QVariant BreakerHistoryModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const BreakerTransition& t = m_session.breakers().at(std::size_t(m_breaker)).history[std::size_t(index.row())];
    switch (role) {
    case EventIndexRole:
        return t.event;
    case TimeRole:
        return t.timeUs;
    case StateRole:
        return int(t.to);
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return Timestamp::clockText(t.timeUs);
        case FromColumn:
            return BreakerTransition::stateName(t.from).toUpper();
        case ToColumn:
            return BreakerTransition::stateName(t.to).toUpper();
        case FailuresColumn:
            return t.failureCount < 0 ? QVariant() : QVariant(qlonglong(t.failureCount));
        case ReasonColumn:
            return QString::fromStdString(t.reason);
        }
        return {};
    default:
        return {};
    }
}
