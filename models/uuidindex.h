// SPDX-License-Identifier: MIT
#pragma once

#include "growingtable.h"
#include "uuid.h"

#include <vector>

/// A flat open-addressing map from Uuid to a 32-bit value below 0xFFFFFFFE (linear probing, at most
/// half full; it grows incrementally, a few slots per insert, so no insert pays for a whole rehash).
/// Several times faster than std::unordered_map here: no node allocation, one cache line per probe,
/// and prefetch() lets a batch loop hide the memory latency of the next lookups.
class UuidIndex
{
public:
    static constexpr quint32 NotFound = 0xFFFFFFFFu;

    UuidIndex();
    quint32 find(const Uuid& key) const;
    /// Inserts key -> value unless present; returns the value now stored for key.
    quint32 insert(const Uuid& key, quint32 value);
    /// Inserts key -> value, or overwrites the value key has.
    void set(const Uuid& key, quint32 value);
    /// Removes key (backward-shift deletion: no tombstones to pile up).
    void erase(const Uuid& key);
    /// Always inlined, as EventStore::prefetchId() must be (GCC deleted a prefetch it split off).
    Q_ALWAYS_INLINE void prefetch(const Uuid& key) const
    {
        if (m_table.slots().size())
            __builtin_prefetch(&m_table.slots()[m_table.home(key.hashValue())]);
    }
    /// The value of key when its home slot holds it (the usual case), else NotFound: the second step of
    /// a prefetch, once prefetch() has brought the slot in, to fetch what the value names.
    Q_ALWAYS_INLINE quint32 peekHome(const Uuid& key) const
    {
        if (m_table.slots().size() == 0)
            return NotFound;
        const Slot& s = m_table.slots()[m_table.home(key.hashValue())];
        return s.value1 != 0 && s.value1 != Moved && s.key == key ? s.value1 - 1 : NotFound;
    }
    std::size_t size() const { return m_table.size(); }
    /// See EventStore::expectIds().
    void expect(std::size_t count) { m_table.expect(count); }
    /// See EventStore::setSmoothGrowth().
    void setSmoothGrowth(bool smooth) { m_table.setSmoothGrowth(smooth); }
    std::size_t heapBytes() const { return m_table.heapBytes(); }
    /// What its next growth will allocate and heapBytes() does not count yet (the memory cap keeps room for it).
    std::size_t growthBytes() const { return m_table.growthBytes(); }

private:
    struct Slot
    {
        Uuid key;
        quint32 value1; ///< value + 1; 0 marks an empty slot (so a zero-filled table is empty)
    };
    static constexpr quint32 Moved = 0xFFFFFFFFu; ///< value1 of a slot of the old table already moved or erased
    struct SlotTraits
    {
        static bool isEmpty(const Slot& s) { return s.value1 == 0; }
        static bool isLive(const Slot& s) { return s.value1 != 0 && s.value1 != Moved; }
        static std::size_t hash(const Slot& s) { return s.key.hashValue(); }
        static void markMoved(Slot& s) { s.value1 = Moved; }
    };
    static Slot* findIn(LargeArray<Slot>& table, const Uuid& key);
    /// The slot holding key, or the empty slot where it goes (growing the table first if needed).
    Slot& slotFor(const Uuid& key);

    using Table = GrowingTable<Slot, SlotTraits>;
    Table m_table;
};
