// SPDX-License-Identifier: MIT
#include "retrytracker.h"

#include "eventstore.h"

RetryTracker::RetryTracker(std::size_t maxEntries)
    : m_maxEntries(maxEntries)
{ }

quint64 RetryTracker::add(Entry entry)
{
    ++m_counts[entry.kind];
    countType(entry.kind, entry.type, 1);
    if (m_entries.size() >= m_maxEntries) {
        ++m_dropped;
        return NoEntry;
    }
    m_entries.push_back(std::move(entry));
    return m_firstId + m_entries.size() - 1;
}

void RetryTracker::dropEvicted(const EventStore& store)
{
    while (!m_entries.empty() && !store.contains(m_entries.front().event)) {
        m_entries.pop_front();
        ++m_firstId;
    }
}

void RetryTracker::resolve(quint64 id, quint32 target, quint16 targetType)
{
    if (id < m_firstId || id - m_firstId >= m_entries.size())
        return;
    Entry& e = m_entries[std::size_t(id - m_firstId)];
    e.target = target;
    if (e.type == 0 && targetType != 0) {
        countType(e.kind, 0, -1);
        countType(e.kind, targetType, 1);
        e.type = targetType;
    }
}

quint64 RetryTracker::countForType(Kind kind, quint16 type) const
{
    return type < m_perType[kind].size() ? m_perType[kind][type] : 0;
}

void RetryTracker::countType(Kind kind, quint16 type, int delta)
{
    auto& v = m_perType[kind];
    if (type >= v.size())
        v.resize(std::size_t(type) + 1, 0);
    v[type] += quint64(qint64(delta));
}
