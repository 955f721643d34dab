// SPDX-License-Identifier: MIT
#include "eventstore.h"

#include <stdexcept>

EventStore::EventStore()
    : m_idSlots(1 << 12)
{ }

EventStore::~EventStore() = default;
EventStore::EventStore(EventStore&&) noexcept = default;
EventStore& EventStore::operator=(EventStore&&) noexcept = default;

quint32 EventStore::append(const EventRecord& record)
{
    if (m_size >= 0x7FFF0000u)
        throw std::length_error("EventStore: full");
    if (m_shown != m_size)
        throw std::logic_error("EventStore: appending during a replay");
    if (m_size == m_chunks.size() * ChunkSize) {
        if (m_spareChunk) {
            m_chunks.push_back(std::move(m_spareChunk));
        } else {
            // smooth (a live window): small pages, faulted in as the records are written; a huge page
            // zeroes its 2 MiB at the first write, which on this kind of VM held the GUI thread for tens
            // of milliseconds at a time (records are written in order, so the TLB gains little here)
            m_chunks.push_back(newChunk());
        }
    }
    const quint32 index = m_base + m_size;
    if (index == NotFound) {
        // once every 2^32 events: keep NotFound unambiguous by leaving this index empty
        EventRecord empty;
        empty.setFlag(EventRecord::NotAnEvent);
        m_chunks.back()->write(m_size & ChunkMask, empty);
        ++m_size;
        ++m_shown;
        return append(record);
    }
    m_chunks.back()->write(m_size & ChunkMask, record);
    ++m_size;
    ++m_shown;
    return index;
}

std::unique_ptr<EventChunk> EventStore::newChunk()
{
    // Reading a whole file (no smooth growth): a chunk's 1.5 MiB of records, below a huge page, are
    // mapped and faulted in at once in small pages. Sharing huge pages between chunks is no faster once
    // the memory is warm, and on a VM that hands freed memory back to its host (free page reporting) a
    // cold huge page costs milliseconds to back and zero: a file opened after a pause spends twice the
    // kernel time (benchmarks/bench-cold.sh). Written in order, records need no huge page for the TLB;
    // the id index, probed at random, keeps them.
    return std::make_unique<EventChunk>(ChunkSize, m_smoothGrowth ? LargeArrayPages::Small : LargeArrayPages::Huge);
}

namespace {
/// In the table being drained during a resize, an entry already moved or erased keeps its tag (so probes
/// go on past it) and names no event.
constexpr quint64 Moved = quint64(EventStore::NotFound) << 32;
constexpr quint32 MigratePerInsert = 8; ///< old slots moved per insert: done long before the new table fills
} // namespace

quint32 EventStore::findIn(const LargeArray<quint64>& table, const Uuid& id, quint32 tag) const
{
    const std::size_t mask = table.size() - 1;
    for (std::size_t slot = (tag >> 1) & mask;; slot = (slot + 1) & mask) {
        const quint64 v = table[slot];
        if (v == 0)
            return NotFound;
        const quint32 index = quint32(v >> 32);
        if (quint32(v) == tag && index != NotFound && idAt(index) == id)
            return index;
    }
}

quint32 EventStore::findId(const Uuid& id) const
{
    if (m_idIndexDropped) {
        // the first of an id is the one not marked a duplicate, as the index would have it
        for (quint32 i = m_base + m_retired; i != m_base + m_shown; ++i) {
            if (idAt(i) == id && isFirstOfId(i))
                return i;
        }
        return NotFound;
    }
    const quint32 tag = tagOf(id);
    quint32 found = findIn(m_idSlots, id, tag);
    if (found == NotFound && m_oldSlots.size() != 0)
        found = findIn(m_oldSlots, id, tag);
    return found == NotFound || contains(found) ? found : NotFound;
}

void EventStore::placeNew(quint64 v)
{
    const std::size_t mask = m_idSlots.size() - 1;
    std::size_t slot = homeOf(quint32(v));
    while (m_idSlots[slot] != 0)
        slot = (slot + 1) & mask;
    m_idSlots[slot] = v;
}

void EventStore::migrateSome(std::size_t slots)
{
    const std::size_t end = std::min(m_oldSlots.size(), m_migrated + slots);
    for (; m_migrated < end; ++m_migrated) {
        quint64& v = m_oldSlots[m_migrated];
        if (v != 0 && quint32(v >> 32) != NotFound) {
            placeNew(v);
            v = Moved | quint32(v);
        }
    }
    if (m_migrated == m_oldSlots.size()) {
        m_oldSlots = LargeArray<quint64>();
        m_migrated = 0;
    }
}

void EventStore::expectIds(std::size_t count)
{
    if (m_idIndexDropped)
        return;
    std::size_t holds = 0;
    const std::size_t slots = hashSlotsFor(m_idSlots.size(), count, &holds);
    m_expectedIds = std::max(m_expectedIds, holds);
    if (slots == m_idSlots.size())
        return;
    if (m_oldSlots.size())
        migrateSome(m_oldSlots.size());
    LargeArray<quint64> old;
    old.swap(m_idSlots);
    m_idSlots.reset(slots, m_smoothGrowth ? LargeArray<quint64>::Pages::Small : LargeArray<quint64>::Pages::Huge);
    m_nextSlots = LargeArray<quint64>();
    m_nextTouched = 0;
    if (m_smoothGrowth) {
        // as in growIndex(): the ids move a few per insert, long before the bigger table fills (moved
        // all at once, sizing a window's index as its file comes in made the event loop up to 20 ms late)
        m_oldSlots.swap(old);
        m_migrated = 0;
        return;
    }
    for (std::size_t i = 0; i < old.size(); ++i) {
        if (old[i] != 0 && quint32(old[i] >> 32) != NotFound)
            placeNew(old[i]);
    }
}

void EventStore::dropIdIndex()
{
    m_idSlots = LargeArray<quint64>();
    m_oldSlots = LargeArray<quint64>();
    m_nextSlots = LargeArray<quint64>();
    m_migrated = 0;
    m_nextTouched = 0;
    m_expectedIds = 0;
    m_idIndexDropped = true;
}

void EventStore::rebuildIdIndex()
{
    // every stored event that was indexed, into a table sized for them as expectIds() sizes one
    m_idSlots.reset(1 << 12, m_smoothGrowth ? LargeArray<quint64>::Pages::Small : LargeArray<quint64>::Pages::Huge);
    m_idIndexDropped = false;
    expectIds(m_idCount);
    for (quint32 i = m_base + m_retired; i != m_base + m_size; ++i) {
        if (isFirstOfId(i))
            placeNew((quint64(i) << 32) | tagOf(idAt(i)));
    }
}

quint32 EventStore::insertId(quint32 index)
{
    if (m_idIndexDropped)
        rebuildIdIndex();
    if (m_oldSlots.size())
        migrateSome(MigratePerInsert);
    if (m_idCount >= m_expectedIds) {
        prepareGrowth();
        if ((m_idCount + 1) * 2 > m_idSlots.size())
            growIndex();
    }
    const Uuid& id = idAt(index);
    const quint32 tag = tagOf(id);
    if (m_oldSlots.size()) {
        const quint32 other = findIn(m_oldSlots, id, tag);
        if (other != NotFound)
            return other;
    }
    const std::size_t mask = m_idSlots.size() - 1;
    for (std::size_t slot = homeOf(tag);; slot = (slot + 1) & mask) {
        const quint64 v = m_idSlots[slot];
        if (v == 0) {
            m_idSlots[slot] = (quint64(index) << 32) | tag;
            ++m_idCount;
            return index;
        }
        const quint32 other = quint32(v >> 32);
        if (quint32(v) == tag && idAt(other) == id)
            return other;
    }
}

void EventStore::eraseId(quint32 index)
{
    const quint32 tag = tagOf(idAt(index));
    const std::size_t mask = m_idSlots.size() - 1;
    std::size_t hole = homeOf(tag);
    for (;; hole = (hole + 1) & mask) {
        const quint64 v = m_idSlots[hole];
        if (v == 0) {
            // not in the new table: still in the one being drained, or not indexed (a duplicate)
            if (m_oldSlots.size()) {
                const std::size_t oldMask = m_oldSlots.size() - 1;
                for (std::size_t slot = (tag >> 1) & oldMask; m_oldSlots[slot] != 0; slot = (slot + 1) & oldMask)
                    if (m_oldSlots[slot] == ((quint64(index) << 32) | tag)) {
                        m_oldSlots[slot] = Moved | tag;
                        --m_idCount;
                        return;
                    }
            }
            return;
        }
        if (quint32(v >> 32) == index && quint32(v) == tag)
            break;
    }
    // backward-shift deletion keeps every remaining entry reachable from its home slot
    for (std::size_t j = (hole + 1) & mask;; j = (j + 1) & mask) {
        const quint64 v = m_idSlots[j];
        if (v == 0)
            break;
        const std::size_t home = homeOf(quint32(v));
        if (((j - home) & mask) >= ((j - hole) & mask)) {
            m_idSlots[hole] = v;
            hole = j;
        }
    }
    m_idSlots[hole] = 0;
    --m_idCount;
}

void EventStore::prepareGrowth()
{
    if (!m_smoothGrowth)
        return;
    // From 3/8 full on, the next table is allocated and its pages are written one per insert: by the
    // time it is needed (1/2 full) the kernel has zeroed all of them, a little at a time. Left to the
    // inserts that follow the switch, those first writes fault on nearly every insert for a while:
    // 40-110 ms of faults in the first batches after each doubling, measured.
    if (m_nextSlots.size() == 0) {
        if (m_idCount * 8 < m_idSlots.size() * 3)
            return;
        m_nextSlots.reset(m_idSlots.size() * 2, LargeArray<quint64>::Pages::Small);
        m_nextTouched = 0;
    }
    // the next table has 2S slots (S/256 pages) to fault in over the S/8 inserts before it is needed:
    // a page every 16 inserts finishes with half the time to spare
    constexpr std::size_t SlotsPerPage = 4096 / sizeof(quint64);
    if ((++m_touchTick & 15) == 0 && m_nextTouched < m_nextSlots.size()) {
        reinterpret_cast<volatile quint64&>(m_nextSlots[m_nextTouched]) = 0;
        m_nextTouched += SlotsPerPage;
    }
}

void EventStore::growIndex()
{
    // a resize copies a few slots per insert instead of all of them at once: a table of millions of
    // slots took 100-200 ms in one go, a visible freeze of the window
    if (m_oldSlots.size())
        migrateSome(m_oldSlots.size()); // (not reached with 8 per insert; kept for safety)
    if (m_nextSlots.size() != m_idSlots.size() * 2)
        m_nextSlots.reset(m_idSlots.size() * 2,
            m_smoothGrowth ? LargeArray<quint64>::Pages::Small : LargeArray<quint64>::Pages::Huge);
    m_oldSlots.swap(m_idSlots);
    m_idSlots.swap(m_nextSlots);
    m_nextSlots = LargeArray<quint64>();
    m_migrated = 0;
    // reading a whole file, nobody waits on a frame: one pass now, and huge pages (fewer TLB misses)
    if (!m_smoothGrowth)
        migrateSome(m_oldSlots.size());
}

void EventStore::dropOldestChunk()
{
    if (m_size < ChunkSize)
        return;
    retireIds(ChunkSize - m_retired);
    m_retired = 0;
    m_spareChunk = std::move(m_chunks.front());
    m_chunks.erase(m_chunks.begin());
    m_base += ChunkSize;
    m_size -= ChunkSize;
    m_shown = m_size;
    m_raw.releaseBefore(m_base, m_size);
}

void EventStore::retireIds(quint32 count)
{
    if (m_size < ChunkSize)
        return;
    const quint32 end = std::min<quint32>(ChunkSize, m_retired + count);
    for (quint32 n = m_retired, i = m_base + m_retired; n < end; ++i, ++n) {
        if (m_idIndexDropped) {
            m_idCount -= isFirstOfId(i);
            continue;
        }
        if (n + 8 < end)
            prefetchId(idAt(i + 8)); // each erase probes a random slot
        if (isFirstOfId(i))
            eraseId(i);
    }
    m_retired = end;
}

std::size_t EventStore::heapBytes() const
{
    std::size_t records = m_spareChunk ? m_spareChunk->heapBytes() : 0;
    for (const auto& c : m_chunks)
        records += c->heapBytes();
    return records + (m_idSlots.size() + m_oldSlots.size() + m_nextSlots.size()) * sizeof(quint64) + m_raw.heapBytes();
}
