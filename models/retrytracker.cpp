// SPDX-License-Identifier: MIT
#include "retrytracker.h"

#include "eventstore.h"

RetryTracker::RetryTracker(std::size_t maxEntries)
    : m_maxEntries(maxEntries)
{ }

quint64 RetryTracker::add(Entry entry, quint16 targetType, quint8* dropped, const Place* place)
{
    ++m_counts[entry.kind];
    countType(entry.kind, entry.type, 1);
    if (dropped)
        countDropped(entry.kind, targetType, *dropped);
    else if (entry.target != Unknown)
        countEvent(entry.kind, entry.target, targetType);
    if (m_entries.size() >= m_maxEntries) {
        ++m_dropped;
        return NoEntry;
    }
    m_entries.push_back(std::move(entry));
    if (m_keepPlaces)
        m_places.push_back(place ? *place : Place());
    return m_firstId + m_entries.size() - 1;
}

void RetryTracker::dropEvicted(const EventStore& store)
{
    while (m_keepPlaces && m_past < m_entries.size() && !store.contains(m_entries[m_past].event))
        ++m_past;
    while (!m_keepPlaces && !m_entries.empty() && !store.contains(m_entries.front().event)) {
        m_entries.pop_front();
        ++m_firstId;
    }
    // an evicted event cannot be reported about again (reports find events among the stored): all but
    // the stored range goes
    const quint32 first = store.first(), stored = store.storedCount();
    if (stored == 0)
        m_reported.clear();
    else
        eraseRange(first + stored, quint32(0) - stored, [](quint32, quint8) {});
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

void RetryTracker::countEvent(Kind kind, quint32 target, quint16 type) { countDropped(kind, type, m_reported[target]); }

template<typename F>
void RetryTracker::eraseRange(quint32 from, quint32 count, F taken)
{
    if (count == 0 || m_reported.empty())
        return;
    const auto eraseSpan = [&](quint32 lo, quint32 hi) { // [lo, hi], no wrap
        auto it = m_reported.lower_bound(lo);
        while (it != m_reported.end() && it->first <= hi) {
            taken(it->first, it->second);
            it = m_reported.erase(it);
        }
    };
    const quint32 last = from + (count - 1);
    if (last >= from) {
        eraseSpan(from, last);
    } else {
        eraseSpan(from, 0xFFFFFFFFu);
        eraseSpan(0, last);
    }
}

std::vector<std::pair<quint32, quint8>> RetryTracker::takeTargets(quint32 from, quint32 count)
{
    std::vector<std::pair<quint32, quint8>> out;
    eraseRange(from, count, [&out](quint32 index, quint8 bits) { out.emplace_back(index, bits); });
    return out;
}

void RetryTracker::countDropped(Kind kind, quint16 type, quint8& bits)
{
    for (const Kind k : { kind, AnyKind }) {
        const quint8 bit = quint8(1u << k);
        if (bits & bit)
            continue;
        bits |= bit;
        countTypeEvent(k, type);
    }
}

void RetryTracker::countTypeEvent(Kind kind, quint16 type)
{
    ++m_eventCounts[kind];
    auto& v = m_perTypeEvents[kind];
    if (type >= v.size())
        v.resize(std::size_t(type) + 1, 0);
    ++v[type];
}

std::size_t RetryTracker::heapBytes() const
{
    std::size_t bytes = 0;
    // a tree node: three pointers, a colour, the pair
    bytes += m_reported.size() * (4 * sizeof(void*) + sizeof(std::pair<const quint32, quint8>));
    return bytes;
}
