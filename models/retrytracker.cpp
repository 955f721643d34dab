// SPDX-License-Identifier: MIT
#include "retrytracker.h"

#include "eventstore.h"

RetryTracker::RetryTracker(std::size_t maxEntries)
    : m_maxEntries(maxEntries)
{ }

quint64 RetryTracker::add(Entry entry, quint16 targetType)
{
    ++m_counts[entry.kind];
    countType(entry.kind, entry.type, 1);
    if (entry.target != Unknown)
        countEvent(entry.kind, entry.target, targetType);
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
    // an evicted event cannot be reported about again (reports find events among the stored)
    for (auto& targets : m_targets) {
        for (auto it = targets.begin(); it != targets.end();)
            it = store.contains(*it) ? std::next(it) : targets.erase(it);
    }
}

void RetryTracker::resolve(quint64 id, quint32 target, quint16 targetType)
{
    if (id < m_firstId || id - m_firstId >= m_entries.size())
        return;
    Entry& e = m_entries[std::size_t(id - m_firstId)];
    e.target = target;
    countEvent(e.kind, target, targetType);
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

quint64 RetryTracker::eventsForType(Kind kind, quint16 type) const
{
    return type < m_perTypeEvents[kind].size() ? m_perTypeEvents[kind][type] : 0;
}

void RetryTracker::countEvent(Kind kind, quint32 target, quint16 type)
{
    for (const Kind k : { kind, AnyKind }) {
        if (!m_targets[k].insert(target).second)
            continue;
        ++m_eventCounts[k];
        auto& v = m_perTypeEvents[k];
        if (type >= v.size())
            v.resize(std::size_t(type) + 1, 0);
        ++v[type];
    }
}

std::size_t RetryTracker::heapBytes() const
{
    std::size_t bytes = 0;
    for (const auto& targets : m_targets) // a node (next pointer, value, cached hash) and a bucket
        bytes += targets.size() * (sizeof(void*) + 2 * sizeof(std::size_t)) + targets.bucket_count() * sizeof(void*);
    return bytes;
}
