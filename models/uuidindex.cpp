// SPDX-License-Identifier: MIT
#include "uuidindex.h"

namespace {
constexpr std::size_t MigratePerInsert = 8; ///< old slots moved per insert: done long before the new table fills
}

UuidIndex::UuidIndex()
    : m_slots(1 << 10)
{ }

UuidIndex::Slot* UuidIndex::findIn(LargeArray<Slot>& table, const Uuid& key)
{
    const std::size_t mask = table.size() - 1;
    for (std::size_t i = key.hashValue() & mask;; i = (i + 1) & mask) {
        Slot& s = table[i];
        if (s.value1 == 0)
            return nullptr;
        if (s.value1 != Moved && s.key == key)
            return &s;
    }
}

quint32 UuidIndex::find(const Uuid& key) const
{
    auto* self = const_cast<UuidIndex*>(this);
    const Slot* s = findIn(self->m_slots, key);
    if (!s && m_old.size())
        s = findIn(self->m_old, key);
    return s ? s->value1 - 1 : NotFound;
}

void UuidIndex::migrateSome(std::size_t slots)
{
    const std::size_t end = std::min(m_old.size(), m_migrated + slots);
    for (; m_migrated < end; ++m_migrated) {
        Slot& s = m_old[m_migrated];
        if (s.value1 == 0 || s.value1 == Moved)
            continue;
        placeNew(s);
        s.value1 = Moved; // occupied still, so probes in the old table go on past it
    }
    if (m_migrated == m_old.size()) {
        m_old = LargeArray<Slot>();
        m_migrated = 0;
    }
}

UuidIndex::Slot& UuidIndex::slotFor(const Uuid& key)
{
    if (m_old.size())
        migrateSome(MigratePerInsert);
    if (m_size >= m_expected) {
        prepareGrowth();
        if ((m_size + 1) * 2 > m_slots.size())
            grow();
    }
    if (m_old.size())
        if (Slot* s = findIn(m_old, key))
            return *s;
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
        if (m_slots[hole].value1 == 0) {
            // not in the new table: in the one being drained, or absent
            if (m_old.size())
                if (Slot* s = findIn(m_old, key)) {
                    s->value1 = Moved;
                    --m_size;
                }
            return;
        }
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

void UuidIndex::prepareGrowth()
{
    if (!m_smoothGrowth)
        return;
    // as EventStore::prepareGrowth: the next table's pages are faulted in a few per insert, ahead of need
    if (m_next.size() == 0) {
        if (m_size * 8 < m_slots.size() * 3)
            return;
        m_next.reset(m_slots.size() * 2, LargeArray<Slot>::Pages::Small);
        m_nextTouched = 0;
    }
    // 2S slots of 24 bytes (S/85 pages) over S/8 inserts: a page every 4 inserts is done in time
    constexpr std::size_t SlotsPerPage = 4096 / sizeof(Slot);
    if ((++m_touchTick & 3) == 0 && m_nextTouched < m_next.size()) {
        reinterpret_cast<volatile quint32&>(m_next[m_nextTouched].value1) = 0;
        m_nextTouched += SlotsPerPage;
    }
}

void UuidIndex::grow()
{
    // a few slots move per insert instead of all at once: a table of millions froze the window for
    // tens of milliseconds
    if (m_old.size())
        migrateSome(m_old.size());
    if (m_next.size() != m_slots.size() * 2)
        m_next.reset(
            m_slots.size() * 2, m_smoothGrowth ? LargeArray<Slot>::Pages::Small : LargeArray<Slot>::Pages::Huge);
    m_old.swap(m_slots);
    m_slots.swap(m_next);
    m_next = LargeArray<Slot>();
    m_migrated = 0;
    if (!m_smoothGrowth)
        migrateSome(m_old.size());
}

void UuidIndex::expect(std::size_t count)
{
    std::size_t holds = 0;
    const std::size_t slots = hashSlotsFor(m_slots.size(), count, &holds);
    m_expected = std::max(m_expected, holds);
    if (slots == m_slots.size())
        return;
    if (m_old.size())
        migrateSome(m_old.size());
    LargeArray<Slot> old;
    old.swap(m_slots);
    m_slots.reset(slots, m_smoothGrowth ? LargeArray<Slot>::Pages::Small : LargeArray<Slot>::Pages::Huge);
    m_next = LargeArray<Slot>();
    m_nextTouched = 0;
    if (m_smoothGrowth) {
        // as in grow(): the keys move a few per insert, long before the bigger table fills (moved all
        // at once, sizing a window's index as its file comes in made the event loop up to 20 ms late)
        m_old.swap(old);
        m_migrated = 0;
        return;
    }
    for (std::size_t i = 0; i < old.size(); ++i) {
        if (old[i].value1 != 0 && old[i].value1 != Moved)
            placeNew(old[i]);
    }
}

void UuidIndex::placeNew(const Slot& s)
{
    const std::size_t mask = m_slots.size() - 1;
    std::size_t i = s.key.hashValue() & mask;
    while (m_slots[i].value1 != 0)
        i = (i + 1) & mask;
    m_slots[i] = s;
}
