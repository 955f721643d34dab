// SPDX-License-Identifier: MIT
#include "deadlettermodel.h"

#include "jsontext.h"
#include "session.h"
#include "timestamp.h"

#include <iterator>

namespace {
constexpr SessionTableModel::Header HeadersDeadLetterModel[] = {
    { QT_TRANSLATE_NOOP("DeadLetterModel", "Time (UTC)"), nullptr, "00:00:00.000" }, // TimeColumn
    { QT_TRANSLATE_NOOP("DeadLetterModel", "Event type"), nullptr, "system.event.retry_scheduled" }, // TypeColumn
    { QT_TRANSLATE_NOOP("DeadLetterModel", "Attempts"), nullptr, "12" }, // AttemptsColumn
    { QT_TRANSLATE_NOOP("DeadLetterModel", "Reason"), nullptr, "retries exhausted after 5 attempts" }, // ReasonColumn
    { QT_TRANSLATE_NOOP("DeadLetterModel", "Correlation"), nullptr,
        "00000000-0000-0000-0000-000000000000" }, // CorrelationColumn
    { QT_TRANSLATE_NOOP("DeadLetterModel", "Event id"), nullptr,
        "00000000-0000-0000-0000-000000000000" }, // EventIdColumn
};
} // namespace
static_assert(std::size(HeadersDeadLetterModel) == DeadLetterModel::ColumnCount);

DeadLetterModel::DeadLetterModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersDeadLetterModel, parent)
{ }

DeadLetterModel::~DeadLetterModel() = default;

void DeadLetterModel::reset()
{
    beginResetModel();
    m_rows.clear();
    m_unresolved.clear();
    m_next = 0;
    endResetModel();
}

void DeadLetterModel::refresh()
{
    const RetryTracker& retries = m_session.retries();
    const quint64 first = retries.firstId();
    std::size_t gone = 0;
    while (gone < m_rows.size() && m_rows[gone] < first)
        ++gone;
    if (gone > 0) {
        beginRemoveRows({}, 0, int(gone) - 1);
        m_rows.erase(m_rows.begin(), m_rows.begin() + qsizetype(gone));
        endRemoveRows();
    }
    // targets resolve late: refresh those rows only (all rows each tick would re-sort every view on them)
    while (!m_unresolved.empty() && m_unresolved.front() < first)
        m_unresolved.pop_front();
    for (auto it = m_unresolved.begin(); it != m_unresolved.end();) {
        if (retries.entries()[std::size_t(*it - first)].target == RetryTracker::Unknown) {
            ++it;
            continue;
        }
        const auto row = std::lower_bound(m_rows.begin(), m_rows.end(), *it);
        if (row != m_rows.end() && *row == *it) {
            const int r = int(row - m_rows.begin());
            Q_EMIT dataChanged(index(r, 0), index(r, ColumnCount - 1), { Qt::DisplayRole, SortRole });
        }
        it = m_unresolved.erase(it);
    }
    const quint64 end = first + retries.entries().size();
    std::vector<quint64> added;
    for (quint64 id = std::max(m_next, first); id < end; ++id)
        if (retries.entries()[std::size_t(id - first)].kind == RetryTracker::DeadLetter) {
            added.push_back(id);
            if (retries.entries()[std::size_t(id - first)].target == RetryTracker::Unknown
                && m_unresolved.size() < 100000)
                m_unresolved.push_back(id);
        }
    m_next = end;
    if (added.empty())
        return;
    const int row = int(m_rows.size());
    beginInsertRows({}, row, row + int(added.size()) - 1);
    m_rows.insert(m_rows.end(), added.begin(), added.end());
    endInsertRows();
}

int DeadLetterModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant DeadLetterModel::value(quint64 id, int column) const
{
    const RetryTracker& retries = m_session.retries();
    if (id < retries.firstId() || id - retries.firstId() >= retries.entries().size())
        return {};
    const RetryTracker::Entry& e = retries.entries()[std::size_t(id - retries.firstId())];
    const EventStore& store = m_session.store();
    if (!store.contains(e.event))
        return {};
    const EventRecord& report = store.at(e.event);
    switch (column) {
    case TimeColumn:
        return m_session.basisTime(report);
    case TypeColumn:
        return e.type ? m_session.types().string(e.type) : QString();
    case AttemptsColumn:
        return e.attempt < 0 ? QVariant() : QVariant(qlonglong(e.attempt));
    case ReasonColumn:
        return QString::fromStdString(e.reason);
    case CorrelationColumn:
        return report.chain != EventRecord::NoChain ? m_session.chains().idText(report.chain) : QString();
    case EventIdColumn: {
        if (e.target != RetryTracker::Unknown && store.contains(e.target))
            return store.at(e.target).id.toString();
        std::string text;
        return JsonText::field(store.raw(report), "payload.eventId", &text) ? QString::fromStdString(text) : QString();
    }
    }
    return {};
}

QVariant DeadLetterModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const quint64 id = m_rows[std::size_t(index.row())];
    const RetryTracker& retries = m_session.retries();
    const bool kept = id >= retries.firstId() && id - retries.firstId() < retries.entries().size();
    const RetryTracker::Entry* e = kept ? &retries.entries()[std::size_t(id - retries.firstId())] : nullptr;
    switch (role) {
    case ReportRole:
        return e ? QVariant(e->event) : QVariant();
    case TargetRole:
        return e && e->target != RetryTracker::Unknown && m_session.store().contains(e->target) ? QVariant(e->target)
                                                                                                : QVariant();
    case ChainRole: {
        if (!e || !m_session.store().contains(e->event))
            return {};
        quint32 chain = m_session.store().chainAt(e->event);
        if (chain == EventRecord::NoChain && e->target != RetryTracker::Unknown
            && m_session.store().contains(e->target))
            chain = m_session.store().chainAt(e->target);
        return chain == EventRecord::NoChain ? QVariant() : QVariant(chain);
    }
    case SortRole:
        return value(id, index.column());
    case Qt::DisplayRole: {
        const QVariant v = value(id, index.column());
        if (index.column() == TimeColumn && v.isValid())
            return Timestamp::clockText(v.toLongLong());
        return v;
    }
    default:
        return {};
    }
}
