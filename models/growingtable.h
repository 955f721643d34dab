// SPDX-License-Identifier: MIT
#pragma once

#include "largearray.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>

/// The slots of an open-addressing hash table (linear probing, at most half full, backward-shift
/// deletion) and the way it grows, shared by UuidIndex and EventStore's id index. They differ in what a
/// slot holds and how a key is compared, so lookups stay theirs; this keeps the slots and grows them.
///
/// Growing doubles the table and moves the old slots a few per insert, so no insert waits for a whole
/// rehash (a table of millions of slots moved at once froze a window for 100-200 ms). From 3/8 full on,
/// the next table is allocated and one of its pages written every few inserts: by the time it is needed
/// the kernel has zeroed all of them, a little at a time (left to the inserts after the switch, those
/// first writes faulted on nearly every insert, 40-110 ms in the first batches after each doubling).
/// With smooth growth off (reading a whole file, nobody waits on a frame) a growth rehashes at once into
/// huge pages, fewer TLB misses, and no table is held ahead of need.
///
/// `Traits` says what a slot is: `isEmpty(slot)` (a zero-filled slot is empty), `isLive(slot)` (holds an
/// entry: neither empty nor moved), `hash(slot)` (its home is home(hash)) and `markMoved(slot)` (a slot
/// of the table being drained that was moved or erased: occupied still, so probes go on past it).
template<typename Slot, typename Traits>
class GrowingTable
{
public:
    explicit GrowingTable(std::size_t slots)
        : m_slots(slots)
    { }

    /// The table inserts go to.
    LargeArray<Slot>& slots() { return m_slots; }
    const LargeArray<Slot>& slots() const { return m_slots; }
    /// Where an entry of `hash` starts in a table of `size` slots: the hash's low 31 bits scaled to the
    /// size (multiply and shift), so a table may have any size: one sized for a file's events is not up
    /// to twice what they need, as a power of two would be. Tables up to 2^32 slots.
    static std::size_t homeIn(std::size_t size, std::size_t hash)
    {
        return std::size_t(((std::uint64_t(hash) & 0x7FFFFFFFu) * size) >> 31);
    }
    /// The slot after `i`, round to the first after the last.
    static std::size_t nextIn(std::size_t size, std::size_t i) { return i + 1 == size ? 0 : i + 1; }
    std::size_t home(std::size_t hash) const { return homeIn(m_slots.size(), hash); }
    /// While growing: the previous table, being drained into slots(). Empty otherwise.
    LargeArray<Slot>& draining() { return m_old; }
    const LargeArray<Slot>& draining() const { return m_old; }
    bool isDraining() const { return m_old.size() != 0; }

    /// Entries in both tables.
    std::size_t size() const { return m_size; }
    void added() { ++m_size; }
    void removed() { --m_size; }

    /// Before an insert: moves a few slots of the table being drained, faults in the next table ahead
    /// of need and doubles the table when one more entry would fill it past half.
    void prepareInsert()
    {
        if (m_old.size())
            migrateSome(MigratePerInsert);
        if (m_size >= m_expected) {
            touchNext();
            if ((m_size + 1) * 2 > m_slots.size())
                grow();
        }
    }

    /// Puts a slot known to be absent into slots().
    void placeNew(const Slot& s)
    {
        const std::size_t n = m_slots.size();
        std::size_t i = homeIn(n, Traits::hash(s));
        while (!Traits::isEmpty(m_slots[i]))
            i = nextIn(n, i);
        m_slots[i] = s;
    }

    /// Empties slot `hole` of slots() by shifting later entries back, so that every remaining entry stays
    /// reachable from its home slot (no tombstones to pile up), and counts one entry fewer.
    void removeAt(std::size_t hole)
    {
        const std::size_t n = m_slots.size();
        // how far `to` lies after `from`, round the end
        const auto distance = [n](std::size_t from, std::size_t to) { return to >= from ? to - from : to + n - from; };
        for (std::size_t j = nextIn(n, hole);; j = nextIn(n, j)) {
            const Slot& s = m_slots[j];
            if (Traits::isEmpty(s))
                break;
            if (distance(homeIn(n, Traits::hash(s)), j) >= distance(hole, j)) {
                m_slots[hole] = s;
                hole = j;
            }
        }
        m_slots[hole] = Slot {};
        --m_size;
    }

    /// About `count` entries will come in all: the table is made big enough for them now, while it is
    /// nearly empty, and grows no more until it is 3/4 full (hashSlotsFor()), the load it was sized to
    /// reach with them: a guess a little short costs no doubling. A wrong guess costs only the usual growth.
    void expect(std::size_t count)
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
        m_slots.reset(slots, pages());
        m_next = LargeArray<Slot>();
        m_nextTouched = 0;
        if (m_smoothGrowth) {
            // the entries move a few per insert, as after a doubling (moved all at once, sizing a window's
            // index as its file comes in made the event loop up to 20 ms late)
            m_old.swap(old);
            m_migrated = 0;
            return;
        }
        for (std::size_t i = 0; i < old.size(); ++i)
            if (Traits::isLive(old[i]))
                placeNew(old[i]);
    }

    /// Empty, with `slots` slots (0: no table at all, for an index that is dropped).
    void reset(std::size_t slots)
    {
        m_slots = LargeArray<Slot>();
        if (slots)
            m_slots.reset(slots, pages());
        m_old = LargeArray<Slot>();
        m_next = LargeArray<Slot>();
        m_migrated = 0;
        m_nextTouched = 0;
        m_size = 0;
        m_expected = 0;
    }

    void setSmoothGrowth(bool smooth) { m_smoothGrowth = smooth; }
    std::size_t heapBytes() const { return (m_slots.size() + m_old.size() + m_next.size()) * sizeof(Slot); }
    /// What its next doubling will allocate, once that is near: within a quarter of its slots of where
    /// the next table is allocated (half full, or 3/8 with smooth growth, which faults it in ahead; at
    /// once after a doubling, as the table is then a quarter full), or, for a table sized for the entries
    /// expected (expect()), within a sixteenth of them: it cannot grow before they are in. A table sized
    /// for more entries than a memory cap lets in thus never has room held back for a doubling it will
    /// not make, and one sized for a whole file holds none until the file is nearly in.
    std::size_t growthBytes() const
    {
        if (m_next.size() != 0)
            return 0; // allocated already, and counted by heapBytes()
        const std::size_t byLoad = m_smoothGrowth ? m_slots.size() * 3 / 8 : m_slots.size() / 2;
        const bool near
            = m_expected > byLoad ? m_size + m_expected / 16 >= m_expected : m_size + m_slots.size() / 4 >= byLoad;
        return near ? m_slots.size() * 2 * sizeof(Slot) : 0;
    }

private:
    static constexpr std::size_t MigratePerInsert = 8; ///< done long before the new table fills
    /// The next table's 2S slots fill 2S * sizeof(Slot) / 4096 pages, to be faulted in over the S/8
    /// inserts before it is needed: a page every 256 / sizeof(Slot) inserts would just do; half that, as
    /// a power of two, finishes with time to spare.
    static constexpr unsigned TouchPeriod = 128 / sizeof(Slot) >= 16 ? 16 : 128 / sizeof(Slot) >= 8 ? 8 : 4;

    LargeArrayPages pages() const { return m_smoothGrowth ? LargeArrayPages::Small : LargeArrayPages::Huge; }

    void migrateSome(std::size_t count)
    {
        const std::size_t end = std::min(m_old.size(), m_migrated + count);
        for (; m_migrated < end; ++m_migrated) {
            Slot& s = m_old[m_migrated];
            if (!Traits::isLive(s))
                continue;
            placeNew(s);
            Traits::markMoved(s);
        }
        if (m_migrated == m_old.size()) {
            m_old = LargeArray<Slot>();
            m_migrated = 0;
        }
    }

    void touchNext()
    {
        if (!m_smoothGrowth)
            return;
        if (m_next.size() == 0) {
            if (m_size * 8 < m_slots.size() * 3)
                return;
            m_next.reset(m_slots.size() * 2, LargeArrayPages::Small);
            m_nextTouched = 0;
        }
        constexpr std::size_t SlotsPerPage = std::max<std::size_t>(4096 / sizeof(Slot), 1);
        if ((++m_touchTick & (TouchPeriod - 1)) == 0 && m_nextTouched < m_next.size()) {
            volatile unsigned char* first = reinterpret_cast<volatile unsigned char*>(&m_next[m_nextTouched]);
            *first = 0;
            m_nextTouched += SlotsPerPage;
        }
    }

    void grow()
    {
        if (m_old.size())
            migrateSome(m_old.size());
        if (m_next.size() != m_slots.size() * 2)
            m_next.reset(m_slots.size() * 2, pages());
        m_old.swap(m_slots);
        m_slots.swap(m_next);
        m_next = LargeArray<Slot>();
        m_migrated = 0;
        if (!m_smoothGrowth)
            migrateSome(m_old.size());
    }

    LargeArray<Slot> m_slots;
    LargeArray<Slot> m_old;
    std::size_t m_migrated = 0; ///< slots of m_old already moved
    LargeArray<Slot> m_next; ///< the table after the next doubling, its pages faulted in ahead
    std::size_t m_nextTouched = 0;
    unsigned m_touchTick = 0;
    bool m_smoothGrowth = true;
    std::size_t m_size = 0;
    std::size_t m_expected = 0; ///< expect(): the table holds this many before it grows
};
