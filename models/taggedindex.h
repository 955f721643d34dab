// SPDX-License-Identifier: MIT
#pragma once

#include "growingtable.h"
#include "uuid.h"

/// A flat open-addressing index from a Uuid to a 32-bit value, for values whose owner keeps the Uuid
/// itself (a chain its correlation id): a slot is 8 bytes, the value in the high half and a 31-bit tag
/// of the key's hash in the low one, and a tag that matches is confirmed by asking the owner for the
/// value's key (`keyOf(value)`). A third of UuidIndex's 24-byte slots, which hold the key. The chains'
/// index by correlation id and EventStore's by event id. Linear probing, grown as GrowingTable does; values below
/// NotFound.
class TaggedIndex
{
public:
    static constexpr quint32 NotFound = 0xFFFFFFFFu;

    explicit TaggedIndex(std::size_t slots = 1 << 10)
        : m_table(slots)
    { }

    /// The value of `key`, or NotFound.
    template<typename KeyOf>
    quint32 find(const Uuid& key, KeyOf keyOf) const
    {
        const quint32 tag = tagOf(key);
        const quint32 found = findIn(m_table.slots(), key, tag, keyOf);
        return found == NotFound && m_table.isDraining() ? findIn(m_table.draining(), key, tag, keyOf) : found;
    }

    /// Inserts key -> value unless key is there; returns the value now stored for key. `keyOf` is asked
    /// only about values already in the index.
    template<typename KeyOf>
    quint32 insert(const Uuid& key, quint32 value, KeyOf keyOf)
    {
        m_table.prepareInsert();
        const quint32 tag = tagOf(key);
        if (m_table.isDraining()) {
            const quint32 other = findIn(m_table.draining(), key, tag, keyOf);
            if (other != NotFound)
                return other;
        }
        LargeArray<quint64>& slots = m_table.slots();
        const std::size_t n = slots.size();
        for (std::size_t i = m_table.home(tag >> 1);; i = Table::nextIn(n, i)) {
            const quint64 v = slots[i];
            if (v == 0) {
                slots[i] = (quint64(value) << 32) | tag;
                m_table.added();
                return value;
            }
            const quint32 other = quint32(v >> 32);
            if (quint32(v) == tag && other != NotFound && keyOf(other) == key)
                return other;
        }
    }

    /// Places key -> value with no look for key first: for filling an index again from owners known to
    /// hold different keys.
    void placeNew(const Uuid& key, quint32 value)
    {
        m_table.placeNew((quint64(value) << 32) | tagOf(key));
        m_table.added();
    }

    /// Removes the entry key -> value, when there.
    void erase(const Uuid& key, quint32 value)
    {
        const quint32 tag = tagOf(key);
        const quint64 entry = (quint64(value) << 32) | tag;
        const LargeArray<quint64>& slots = m_table.slots();
        const std::size_t n = slots.size();
        for (std::size_t hole = m_table.home(tag >> 1); slots[hole] != 0; hole = Table::nextIn(n, hole))
            if (slots[hole] == entry) {
                m_table.removeAt(hole);
                return;
            }
        // not in the new table: in the one being drained, or absent
        if (!m_table.isDraining())
            return;
        LargeArray<quint64>& old = m_table.draining();
        const std::size_t oldSize = old.size();
        for (std::size_t i = Table::homeIn(oldSize, tag >> 1); old[i] != 0; i = Table::nextIn(oldSize, i))
            if (old[i] == entry) {
                Slot::markMoved(old[i]);
                m_table.removed();
                return;
            }
    }

    Q_ALWAYS_INLINE void prefetch(const Uuid& key) const
    {
        if (m_table.slots().size())
            __builtin_prefetch(&m_table.slots()[m_table.home(tagOf(key) >> 1)]);
    }
    /// The value in key's home slot when its tag is key's (the usual case for a key that is there; maybe
    /// another key's), else NotFound: for prefetching what the value names, not for lookups.
    Q_ALWAYS_INLINE quint32 peekHome(const Uuid& key) const
    {
        if (m_table.slots().size() == 0)
            return NotFound;
        const quint32 tag = tagOf(key);
        const quint64 v = m_table.slots()[m_table.home(tag >> 1)];
        return quint32(v) == tag ? quint32(v >> 32) : NotFound;
    }

    std::size_t size() const { return m_table.size(); }
    /// Empties it, to a table of `slots` slots.
    void reset(std::size_t slots) { m_table.reset(slots); }
    /// See GrowingTable::expect().
    void expect(std::size_t count) { m_table.expect(count); }
    void setSmoothGrowth(bool smooth) { m_table.setSmoothGrowth(smooth); }
    std::size_t heapBytes() const { return m_table.heapBytes(); }
    std::size_t growthBytes() const { return m_table.growthBytes(); }

private:
    struct Slot
    {
        static bool isEmpty(quint64 v) { return v == 0; }
        static bool isLive(quint64 v) { return v != 0 && quint32(v >> 32) != NotFound; }
        static std::size_t hash(quint64 v) { return quint32(v) >> 1; }
        /// keeps the tag, so probes in the table being drained go on past it, and names no value
        static void markMoved(quint64& v) { v = (quint64(NotFound) << 32) | quint32(v); }
    };
    /// the low 31 bits of the key's hash, and 1, so that no occupied slot is 0
    static quint32 tagOf(const Uuid& key) { return (quint32(key.hashValue()) << 1) | 1u; }

    template<typename KeyOf>
    static quint32 findIn(const LargeArray<quint64>& table, const Uuid& key, quint32 tag, KeyOf& keyOf)
    {
        const std::size_t n = table.size();
        for (std::size_t i = Table::homeIn(n, tag >> 1);; i = Table::nextIn(n, i)) {
            const quint64 v = table[i];
            if (v == 0)
                return NotFound;
            const quint32 value = quint32(v >> 32);
            if (quint32(v) == tag && value != NotFound && keyOf(value) == key)
                return value;
        }
    }

    using Table = GrowingTable<quint64, Slot>;
    Table m_table;
};
