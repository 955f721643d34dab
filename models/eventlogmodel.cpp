// SPDX-License-Identifier: MIT
#include "eventlogmodel.h"

#include "jsontext.h"
#include "session.h"
#include "textcolours.h"
#include "sessiontablemodel.h"
#include "timestamp.h"
#include "urlredaction.h"

#include <QBrush>
#include <QColor>
#include <QDeadlineTimer>

EventLogModel::EventLogModel(const Session& session, QObject* parent)
    : BoundedText<QAbstractTableModel>(parent)
    , m_session(session)
    , m_next(session.store().end())
    , m_fillCursor(session.store().end())
    , m_fillStop(session.store().first())
{ }

EventLogModel::~EventLogModel() = default;

void EventLogModel::setFilter(EventFilter filter)
{
    m_filter = std::move(filter);
    reset();
}

void EventLogModel::reset()
{
    // the filter over the session from its newest event back, filled again as the view asks
    beginResetModel();
    m_fixed = false;
    m_rows.clear();
    m_next = m_session.store().end();
    m_fillCursor = m_next;
    m_fillStop = m_session.store().first();
    m_scanned = 0;
    endResetModel();
}

void EventLogModel::setFieldColumns(const QStringList& paths)
{
    beginResetModel();
    m_fieldColumns = paths;
    endResetModel();
}

void EventLogModel::setEvents(const std::vector<quint32>& events)
{
    beginResetModel();
    m_fixed = true;
    m_rows.assign(events.begin(), events.end());
    m_fillCursor = m_fillStop = 0;
    endResetModel();
}

int EventLogModel::rowOf(quint32 event) const
{
    if (m_fixed) {
        const auto it = std::find(m_rows.begin(), m_rows.end(), event);
        return it == m_rows.end() ? -1 : int(it - m_rows.begin());
    }
    // ascending in store order (relative to the store's first event: indices wrap)
    const quint32 base = m_session.store().first();
    const auto it = std::lower_bound(
        m_rows.begin(), m_rows.end(), event, [base](quint32 a, quint32 b) { return a - base < b - base; });
    return it != m_rows.end() && *it == event ? int(it - m_rows.begin()) : -1;
}

void EventLogModel::refresh(int budgetMs)
{
    dropEvicted();
    if (m_fixed)
        return;
    const QDeadlineTimer deadline(budgetMs, Qt::PreciseTimer);
    if (!m_paused)
        appendNew(deadline);
    fillBackwards(deadline);
}

void EventLogModel::dropEvicted()
{
    const EventStore& store = m_session.store();
    if (!m_fixed) {
        std::size_t gone = 0;
        while (gone < m_rows.size() && !store.contains(m_rows[gone]))
            ++gone;
        if (gone > 0) {
            beginRemoveRows({}, 0, int(gone) - 1);
            m_rows.erase(m_rows.begin(), m_rows.begin() + qsizetype(gone));
            endRemoveRows();
        }
    } else {
        // a fixed list is in any order: remove runs of gone events from the back
        for (int row = int(m_rows.size()) - 1; row >= 0;) {
            if (store.contains(m_rows[std::size_t(row)])) {
                --row;
                continue;
            }
            int first = row;
            while (first > 0 && !store.contains(m_rows[std::size_t(first - 1)]))
                --first;
            beginRemoveRows({}, first, row);
            m_rows.erase(m_rows.begin() + first, m_rows.begin() + row + 1);
            endRemoveRows();
            row = first - 1;
        }
    }
    // the cursors must not point before the store's window
    const quint32 first = store.first();
    if (quint32(m_next - first) > store.size())
        m_next = first;
    if (isFilling() && quint32(m_fillStop - first) > store.size())
        m_fillStop = first;
    if (isFilling() && quint32(m_fillCursor - first) > store.size())
        m_fillCursor = m_fillStop;
}

void EventLogModel::appendNew(const QDeadlineTimer& deadline)
{
    const quint32 end = m_session.store().end();
    std::vector<quint32> added;
    int tested = 0;
    while (m_next != end) {
        if (m_filter.matches(m_session, m_next))
            added.push_back(m_next);
        ++m_next;
        ++m_scanned;
        if ((++tested & 255) == 0 && deadline.hasExpired())
            break;
    }
    if (added.size() > std::size_t(m_maxRows))
        added.erase(added.begin(), added.end() - m_maxRows);
    const std::size_t excess = m_rows.size() + added.size() > std::size_t(m_maxRows)
        ? m_rows.size() + added.size() - std::size_t(m_maxRows)
        : 0;
    if (excess > 0) {
        const int n = int(std::min(excess, m_rows.size()));
        beginRemoveRows({}, 0, n - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + n);
        endRemoveRows();
        // nothing older than what was trimmed needs filling any more
        m_fillCursor = m_fillStop;
    }
    if (!added.empty()) {
        const int first = int(m_rows.size());
        beginInsertRows({}, first, first + int(added.size()) - 1);
        m_rows.insert(m_rows.end(), added.begin(), added.end());
        endInsertRows();
    }
}

void EventLogModel::fillBackwards(const QDeadlineTimer& deadline)
{
    std::vector<quint32> found; // newest first
    int tested = 0;
    while (isFilling() && m_rows.size() + found.size() < std::size_t(m_maxRows)) {
        const quint32 e = --m_fillCursor;
        if (m_filter.matches(m_session, e))
            found.push_back(e);
        ++m_scanned;
        if ((++tested & 255) == 0 && deadline.hasExpired())
            break;
    }
    if (m_rows.size() + found.size() >= std::size_t(m_maxRows))
        m_fillCursor = m_fillStop;
    if (found.empty())
        return;
    beginInsertRows({}, 0, int(found.size()) - 1);
    m_rows.insert(m_rows.begin(), found.rbegin(), found.rend());
    endInsertRows();
}

int EventLogModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

int EventLogModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : FixedColumnCount + int(m_fieldColumns.size());
}

QVariant EventLogModel::value(quint32 event, int column) const
{
    const EventStore& store = m_session.store();
    if (!store.contains(event))
        return {};
    const EventRecord& r = store.at(event);
    const auto jsonField = [&](const char* path) -> QVariant {
        std::string text;
        return JsonText::field(store.raw(r), path, &text) ? QVariant(QString::fromStdString(text)) : QVariant();
    };
    switch (column) {
    case TimeColumn: // when it was received; in a file of producer times, its own time
        return m_session.receiveTimeKnown(r.origin()) || !r.has(EventRecord::HasEventTime) ? r.receiveTimeUs
                                                                                           : r.eventTimeUs;
    case TypeColumn:
        return m_session.types().string(r.type);
    case SourceColumn:
        return m_session.sources().string(r.source);
    case CorrelationColumn:
        return r.chain != EventRecord::NoChain ? m_session.chains().idText(r.chain) : QVariant();
    case IdColumn:
        return r.has(EventRecord::IdHashed) ? jsonField("id") : QVariant(r.id.toString());
    case SeqColumn:
        return r.has(EventRecord::HasSeq) ? QVariant(qulonglong(r.seq())) : QVariant();
    case DelayColumn:
        return r.has(EventRecord::HasEventTime) && m_session.receiveTimeKnown(r.origin())
            ? QVariant(double(r.receiveTimeUs - r.eventTimeUs) / 1000.0)
            : QVariant();
    case OriginColumn:
        return m_session.originName(r.origin());
    default:
        break;
    }
    const int field = column - FixedColumnCount;
    if (field < 0 || field >= m_fieldColumns.size())
        return {};
    const std::string path = m_fieldColumns.at(field).toStdString();
    std::string text;
    if (JsonText::field(store.raw(r), path, &text)
        || (path.rfind("payload.", 0) == 0 && JsonText::field(store.raw(r), "data." + path.substr(8), &text)))
        return QString::fromStdString(text);
    return {};
}

QVariant EventLogModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const quint32 event = m_rows[std::size_t(index.row())];
    switch (role) {
    case EventIndexRole:
        return event;
    case SortRole:
        return value(event, index.column());
    case ProblemRole:
    case Qt::ForegroundRole: {
        if (!m_session.store().contains(event))
            return {};
        const std::string_view type = m_session.types().view(m_session.store().typeAt(event));
        const int problem
            = type == "system.event.dead_lettered" || type == "system.handler.failed" || type == "system.error" ? 2
            : type == "system.event.retry_scheduled" || type == "system.warning"
                || type == "system.circuit_breaker.state_changed"
            ? 1
            : 0;
        if (role == ProblemRole)
            return problem;
        return problem == 2 ? QVariant(QBrush(TextColours::failure()))
            : problem == 1  ? QVariant(QBrush(TextColours::warning()))
                            : QVariant();
    }
    case Qt::DisplayRole:
    case Qt::ToolTipRole: {
        const QVariant v = value(event, index.column());
        if (index.column() == TimeColumn && v.isValid())
            return Timestamp::clockText(v.toLongLong());
        if (index.column() == DelayColumn && v.isValid())
            return QString::number(v.toDouble(), 'f', 1);
        if (role == Qt::ToolTipRole && index.column() == OriginColumn && m_session.store().contains(event)) {
            const quint16 origin = m_session.store().originAt(event);
            return tr("%1\ndecoded as %2").arg(v.toString(), EventProfiles::title(m_session.originProfile(origin)));
        }
        if (index.column() == OriginColumn) // the exact text stays in the tooltip, SortRole and copies
            return UrlRedaction::readable(v.toString());
        return v;
    }
    case Qt::TextAlignmentRole:
        return index.column() == SeqColumn || index.column() == DelayColumn
            ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
            : QVariant(Qt::AlignLeft | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == SessionTableModel::TypicalTextRole) {
        // as wide as the column's values usually are, for its first width
        static const char* const typical[FixedColumnCount] = { "00:00:00.000", "system.event.retry_scheduled",
            "notification-service", "00000000-0000-0000-0000-000000000000", "00000000-0000-0000-0000-000000000000",
            "12,345,678", "12,345.0", "ws://127.0.0.1:8080/events" };
        return section >= 0 && section < FixedColumnCount ? QVariant(QString::fromLatin1(typical[section]))
                                                          : QVariant(QStringLiteral("booking.location_reserved"));
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time (UTC)");
    case TypeColumn:
        return tr("Type");
    case SourceColumn:
        return tr("Source");
    case CorrelationColumn:
        return tr("Correlation");
    case IdColumn:
        return tr("Id");
    case SeqColumn:
        return tr("Seq");
    case DelayColumn:
        return tr("On bus (ms)");
    case OriginColumn:
        return tr("Origin");
    default:
        break;
    }
    const int field = section - FixedColumnCount;
    return field >= 0 && field < m_fieldColumns.size() ? QVariant(m_fieldColumns.at(field)) : QVariant();
}
