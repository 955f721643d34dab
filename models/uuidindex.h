// SPDX-License-Identifier: MIT
#pragma once

#include "largearray.h"
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
        if (m_slots.size())
            __builtin_prefetch(&m_slots[key.hashValue() & (m_slots.size() - 1)]);
    }
    /// The value of key when its home slot holds it (the usual case), else NotFound: the second step of
    /// a prefetch, once prefetch() has brought the slot in, to fetch what the value names.
    Q_ALWAYS_INLINE quint32 peekHome(const Uuid& key) const
    {
        if (m_slots.size() == 0)
            return NotFound;
        const Slot& s = m_slots[key.hashValue() & (m_slots.size() - 1)];
        return s.value1 != 0 && s.value1 != Moved && s.key == key ? s.value1 - 1 : NotFound;
    }
    std::size_t size() const { return m_size; }
    /// See EventStore::expectIds().
    void expect(std::size_t count);
    /// See EventStore::setSmoothGrowth().
    void setSmoothGrowth(bool smooth) { m_smoothGrowth = smooth; }
    std::size_t heapBytes() const { return (m_slots.size() + m_old.size() + m_next.size()) * sizeof(Slot); }
    /// What its next growth will allocate and heapBytes() does not count yet (the memory cap keeps room for it).
    std::size_t growthBytes() const { return m_next.size() == 0 ? m_slots.size() * 2 * sizeof(Slot) : 0; }

private:
    struct Slot
    {
        Uuid key;
        quint32 value1; ///< value + 1; 0 marks an empty slot (so a zero-filled table is empty)
    };
    static constexpr quint32 Moved = 0xFFFFFFFFu; ///< value1 of a slot of the old table already moved or erased
    void grow();
    void migrateSome(std::size_t slots);
    /// Puts a key known to be absent into m_slots.
    void placeNew(const Slot& s);
    void prepareGrowth();
    static Slot* findIn(LargeArray<Slot>& table, const Uuid& key);
    /// The slot holding key, or the empty slot where it goes (growing the table first if needed).
    Slot& slotFor(const Uuid& key);
    LargeArray<Slot> m_slots;
    LargeArray<Slot> m_old; ///< while growing: the previous table, being drained into m_slots
    std::size_t m_migrated = 0;
    LargeArray<Slot> m_next; ///< the table after the next growth, its pages faulted in ahead
    std::size_t m_nextTouched = 0;
    quint32 m_touchTick = 0;
    bool m_smoothGrowth = true;
    std::size_t m_size = 0; ///< keys in both tables
    std::size_t m_expected = 0;
};
