// SPDX-License-Identifier: MIT
#include "eventstore.h"

#include <stdexcept>

EventStore::EventStore()
    : m_idSlots(1 << 12, 0)
{
}

EventStore::~EventStore() = default;

quint32 EventStore::append(const EventRecord& record)
{
    if (m_size == NotFound - 1)
        throw std::length_error("EventStore: full");
    if ((m_size >> ChunkShift) >= m_chunks.size())
        m_chunks.emplace_back(new EventRecord[ChunkSize]);
    at(m_size) = record;
    return m_size++;
}

quint32 EventStore::findId(const Uuid& id) const
{
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t slot = id.hashValue() & mask;; slot = (slot + 1) & mask) {
        const quint32 v = m_idSlots[slot];
        if (v == 0)
            return NotFound;
        if (at(v - 1).id == id)
            return v - 1;
    }
}

quint32 EventStore::insertId(quint32 index)
{
    if ((m_idCount + 1) * 2 > m_idSlots.size())
        growIndex();
    const Uuid& id = at(index).id;
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t slot = id.hashValue() & mask;; slot = (slot + 1) & mask) {
        const quint32 v = m_idSlots[slot];
        if (v == 0) {
            m_idSlots[slot] = index + 1;
            ++m_idCount;
            return index;
        }
        if (at(v - 1).id == id)
            return v - 1;
    }
}

void EventStore::growIndex()
{
    std::vector<quint32> old(m_idSlots.size() * 2, 0);
    old.swap(m_idSlots);
    const std::size_t mask = m_idSlots.size() - 1;
    for (quint32 v : old) {
        if (v == 0)
            continue;
        std::size_t slot = at(v - 1).id.hashValue() & mask;
        while (m_idSlots[slot] != 0)
            slot = (slot + 1) & mask;
        m_idSlots[slot] = v;
    }
}

std::size_t EventStore::heapBytes() const
{
    return m_chunks.size() * ChunkSize * sizeof(EventRecord) + m_idSlots.size() * sizeof(quint32) + m_raw.heapBytes();
}
