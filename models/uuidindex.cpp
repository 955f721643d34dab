// SPDX-License-Identifier: MIT
#include "uuidindex.h"

UuidIndex::UuidIndex()
    : m_table(1 << 10)
{ }

UuidIndex::Slot* UuidIndex::findIn(LargeArray<Slot>& table, const Uuid& key)
{
    const std::size_t n = table.size();
    for (std::size_t i = Table::homeIn(n, key.hashValue());; i = Table::nextIn(n, i)) {
        Slot& s = table[i];
        if (s.value1 == 0)
            return nullptr;
        if (s.value1 != Moved && s.key == key)
            return &s;
    }
}

quint32 UuidIndex::find(const Uuid& key) const
{
    auto& table = const_cast<GrowingTable<Slot, SlotTraits>&>(m_table);
    const Slot* s = findIn(table.slots(), key);
    if (!s && table.isDraining())
        s = findIn(table.draining(), key);
    return s ? s->value1 - 1 : NotFound;
}

UuidIndex::Slot& UuidIndex::slotFor(const Uuid& key)
{
    m_table.prepareInsert();
    if (m_table.isDraining())
        if (Slot* s = findIn(m_table.draining(), key))
            return *s;
    LargeArray<Slot>& slots = m_table.slots();
    const std::size_t n = slots.size();
    for (std::size_t i = m_table.home(key.hashValue());; i = Table::nextIn(n, i)) {
        Slot& s = slots[i];
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
    m_table.added();
    return value;
}

void UuidIndex::set(const Uuid& key, quint32 value)
{
    Slot& s = slotFor(key);
    if (s.value1 == 0) {
        s.key = key;
        m_table.added();
    }
    s.value1 = value + 1;
}

void UuidIndex::erase(const Uuid& key)
{
    const LargeArray<Slot>& slots = m_table.slots();
    const std::size_t n = slots.size();
    for (std::size_t hole = m_table.home(key.hashValue());; hole = Table::nextIn(n, hole)) {
        if (slots[hole].value1 == 0)
            break;
        if (slots[hole].key == key) {
            m_table.removeAt(hole);
            return;
        }
    }
    // not in the new table: in the one being drained, or absent
    if (m_table.isDraining())
        if (Slot* s = findIn(m_table.draining(), key)) {
            SlotTraits::markMoved(*s);
            m_table.removed();
        }
}
