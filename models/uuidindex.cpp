// SPDX-License-Identifier: MIT
#include "uuidindex.h"

UuidIndex::UuidIndex()
    : m_slots(1 << 10)
{ }

quint32 UuidIndex::find(const Uuid& key) const
{
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = key.hashValue() & mask;; i = (i + 1) & mask) {
        const Slot& s = m_slots[i];
        if (s.value1 == 0)
            return NotFound;
        if (s.key == key)
            return s.value1 - 1;
    }
}

UuidIndex::Slot& UuidIndex::slotFor(const Uuid& key)
{
    if ((m_size + 1) * 2 > m_slots.size())
        grow();
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = key.hashValue() & mask;; i = (i + 1) & mask) {
        Slot& s = m_slots[i];
        if (s.value1 == 0 || s.key == key)
            return s;
    }
}

quint32 UuidIndex::insert(const Uuid& key, quint32 value)
{
    Slot& s = slotFor(key);
    if (s.value1 != 0)
        return s.value1 - 1;
    s.key = key;
    s.value1 = value + 1;
    ++m_size;
    return value;
}

void UuidIndex::set(const Uuid& key, quint32 value)
{
    Slot& s = slotFor(key);
    if (s.value1 == 0) {
        s.key = key;
        ++m_size;
    }
    s.value1 = value + 1;
}

void UuidIndex::erase(const Uuid& key)
{
    const std::size_t mask = m_slots.size() - 1;
    std::size_t hole = key.hashValue() & mask;
    for (;; hole = (hole + 1) & mask) {
        if (m_slots[hole].value1 == 0)
            return;
        if (m_slots[hole].key == key)
            break;
    }
    for (std::size_t j = (hole + 1) & mask;; j = (j + 1) & mask) {
        const Slot& s = m_slots[j];
        if (s.value1 == 0)
            break;
        const std::size_t home = s.key.hashValue() & mask;
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            m_slots[hole] = s;
            hole = j;
        }
    }
    m_slots[hole] = Slot {};
    --m_size;
}

void UuidIndex::grow()
{
    LargeArray<Slot> old(m_slots.size() * 2);
    old.swap(m_slots);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t k = 0; k < old.size(); ++k) {
        const Slot& s = old[k];
        if (s.value1 == 0)
            continue;
        std::size_t i = s.key.hashValue() & mask;
        while (m_slots[i].value1 != 0)
            i = (i + 1) & mask;
        m_slots[i] = s;
    }
}
