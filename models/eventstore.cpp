// SPDX-License-Identifier: MIT
#include "eventstore.h"

#include <stdexcept>

EventStore::EventStore()
    : m_idSlots(1 << 12)
{
}

EventStore::~EventStore() = default;

quint32 EventStore::append(const EventRecord& record)
{
    if (m_size == NotFound - 1)
        throw std::length_error("EventStore: full");
    if ((m_size >> ChunkShift) >= m_chunks.size())
        m_chunks.emplace_back(ChunkSize);
    at(m_size) = record;
    return m_size++;
}

quint32 EventStore::findId(const Uuid& id) const
{
    const quint32 tag = quint32(id.hashValue());
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t slot = tag & mask;; slot = (slot + 1) & mask) {
        const quint64 v = m_idSlots[slot];
        if (v == 0)
            return NotFound;
        const quint32 index = quint32(v >> 32) - 1;
        if (quint32(v) == tag && at(index).id == id)
            return index;
    }
}

quint32 EventStore::insertId(quint32 index)
{
    if ((m_idCount + 1) * 2 > m_idSlots.size())
        growIndex();
    const Uuid& id = at(index).id;
    const quint32 tag = quint32(id.hashValue());
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t slot = tag & mask;; slot = (slot + 1) & mask) {
        const quint64 v = m_idSlots[slot];
        if (v == 0) {
            m_idSlots[slot] = (quint64(index + 1) << 32) | tag;
            ++m_idCount;
            return index;
        }
        const quint32 other = quint32(v >> 32) - 1;
        if (quint32(v) == tag && at(other).id == id)
            return other;
    }
}

void EventStore::reserve(std::size_t events)
{
    std::size_t slots = m_idSlots.size();
    while (slots < events * 2 && slots < (std::size_t(1) << 32))
        slots *= 2;
    while (m_idSlots.size() < slots)
        growIndex();
}

void EventStore::growIndex()
{
    // the slot tables stay below 2^32 entries, so the stored tag holds every bit the position needs
    LargeArray<quint64> old(m_idSlots.size() * 2);
    old.swap(m_idSlots);
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t k = 0; k < old.size(); ++k) {
        const quint64 v = old[k];
        if (v == 0)
            continue;
        std::size_t slot = quint32(v) & mask;
        while (m_idSlots[slot] != 0)
            slot = (slot + 1) & mask;
        m_idSlots[slot] = v;
    }
}

std::size_t EventStore::heapBytes() const
{
    return m_chunks.size() * ChunkSize * sizeof(EventRecord) + m_idSlots.size() * sizeof(quint64) + m_raw.heapBytes();
}
