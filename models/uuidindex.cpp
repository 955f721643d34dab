// SPDX-License-Identifier: MIT
#include "uuidindex.h"

UuidIndex::UuidIndex()
    : m_slots(1 << 10)
{
}

quint32 UuidIndex::find(const Uuid& key) const
{
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = key.hashValue() & mask;; i = (i + 1) & mask) {
        const Slot& s = m_slots[i];
        if (s.value == NotFound)
            return NotFound;
        if (s.key == key)
            return s.value;
    }
}

quint32 UuidIndex::insert(const Uuid& key, quint32 value)
{
    if ((m_size + 1) * 2 > m_slots.size())
        grow();
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = key.hashValue() & mask;; i = (i + 1) & mask) {
        Slot& s = m_slots[i];
        if (s.value == NotFound) {
            s.key = key;
            s.value = value;
            ++m_size;
            return value;
        }
        if (s.key == key)
            return s.value;
    }
}

void UuidIndex::grow()
{
    std::vector<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    const std::size_t mask = m_slots.size() - 1;
    for (const Slot& s : old) {
        if (s.value == NotFound)
            continue;
        std::size_t i = s.key.hashValue() & mask;
        while (m_slots[i].value != NotFound)
            i = (i + 1) & mask;
        m_slots[i] = s;
    }
}
