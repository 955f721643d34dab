// SPDX-License-Identifier: MIT
#include "eventstore.h"

#include <stdexcept>

EventStore::EventStore()
    : m_idSlots(1 << 12)
{ }

EventStore::~EventStore() = default;

quint32 EventStore::append(const EventRecord& record)
{
    if (m_size >= 0x7FFF0000u)
        throw std::length_error("EventStore: full");
    if (m_size == m_chunks.size() * ChunkSize) {
        if (m_spareChunk.size() == ChunkSize) {
            m_chunks.emplace_back();
            m_chunks.back().swap(m_spareChunk);
            m_links.emplace_back();
            m_links.back().swap(m_spareLinks);
        } else {
            m_chunks.emplace_back(ChunkSize);
            m_links.emplace_back(ChunkSize);
        }
    }
    quint32 index = m_base + m_size;
    if (index == NotFound) {
        // once every 2^32 events: keep NotFound unambiguous by leaving this index empty
        at(index) = EventRecord {};
        at(index).setFlag(EventRecord::Placeholder);
        setLink(index, NotFound);
        ++m_size;
        return append(record);
    }
    ++m_size;
    at(index) = record;
    setLink(index, NotFound);
    return index;
}

quint32 EventStore::findId(const Uuid& id) const
{
    const quint32 tag = tagOf(id);
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t slot = homeOf(tag);; slot = (slot + 1) & mask) {
        const quint64 v = m_idSlots[slot];
        if (v == 0)
            return NotFound;
        const quint32 index = quint32(v >> 32);
        if (quint32(v) == tag && at(index).id == id)
            return index;
    }
}

quint32 EventStore::insertId(quint32 index)
{
    if ((m_idCount + 1) * 2 > m_idSlots.size())
        growIndex();
    const Uuid& id = at(index).id;
    const quint32 tag = tagOf(id);
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t slot = homeOf(tag);; slot = (slot + 1) & mask) {
        const quint64 v = m_idSlots[slot];
        if (v == 0) {
            m_idSlots[slot] = (quint64(index) << 32) | tag;
            ++m_idCount;
            return index;
        }
        const quint32 other = quint32(v >> 32);
        if (quint32(v) == tag && at(other).id == id)
            return other;
    }
}

void EventStore::eraseId(quint32 index)
{
    const quint32 tag = tagOf(at(index).id);
    const std::size_t mask = m_idSlots.size() - 1;
    std::size_t hole = homeOf(tag);
    for (;; hole = (hole + 1) & mask) {
        const quint64 v = m_idSlots[hole];
        if (v == 0)
            return; // not indexed (a duplicate of an earlier event)
        if (quint32(v >> 32) == index && quint32(v) == tag)
            break;
    }
    // backward-shift deletion keeps every remaining entry reachable from its home slot
    for (std::size_t j = (hole + 1) & mask;; j = (j + 1) & mask) {
        const quint64 v = m_idSlots[j];
        if (v == 0)
            break;
        const std::size_t home = homeOf(quint32(v));
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            m_idSlots[hole] = v;
            hole = j;
        }
    }
    m_idSlots[hole] = 0;
    --m_idCount;
}

void EventStore::growIndex()
{
    LargeArray<quint64> old(m_idSlots.size() * 2);
    old.swap(m_idSlots);
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t k = 0; k < old.size(); ++k) {
        const quint64 v = old[k];
        if (v == 0)
            continue;
        std::size_t slot = homeOf(quint32(v));
        while (m_idSlots[slot] != 0)
            slot = (slot + 1) & mask;
        m_idSlots[slot] = v;
    }
}

void EventStore::dropOldestChunk()
{
    if (m_size < ChunkSize)
        return;
    retireIds(ChunkSize - m_retired);
    m_retired = 0;
    m_spareChunk.swap(m_chunks.front());
    m_spareLinks.swap(m_links.front());
    m_chunks.pop_front();
    m_links.pop_front();
    m_base += ChunkSize;
    m_size -= ChunkSize;
    m_raw.releaseBefore(m_base, m_size);
}

void EventStore::retireIds(quint32 count)
{
    if (m_size < ChunkSize)
        return;
    const quint32 end = std::min<quint32>(ChunkSize, m_retired + count);
    for (quint32 n = m_retired, i = m_base + m_retired; n < end; ++i, ++n) {
        if (n + 8 < end)
            prefetchId(at(i + 8).id); // each erase probes a random slot
        if (!at(i).has(EventRecord::Placeholder) && !at(i).has(EventRecord::Duplicate))
            eraseId(i);
    }
    m_retired = end;
}

std::size_t EventStore::heapBytes() const
{
    const std::size_t chunks = m_chunks.size() + (m_spareChunk.size() ? 1 : 0);
    return chunks * ChunkSize * (sizeof(EventRecord) + sizeof(quint32)) + m_idSlots.size() * sizeof(quint64)
        + m_raw.heapBytes();
}
