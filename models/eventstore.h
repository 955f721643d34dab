// SPDX-License-Identifier: MIT
#pragma once

#include "eventrecord.h"
#include "largearray.h"
#include "rawstore.h"

#include <memory>
#include <vector>

/// The session's events in arrival order, in 2 MiB chunks (no reallocation spikes), with an index by id.
class EventStore
{
public:
    static constexpr quint32 NotFound = 0xFFFFFFFFu;

    EventStore();
    ~EventStore();

    quint32 size() const { return m_size; }
    const EventRecord& at(quint32 i) const { return m_chunks[i >> ChunkShift][i & ChunkMask]; }
    EventRecord& at(quint32 i) { return m_chunks[i >> ChunkShift][i & ChunkMask]; }
    quint32 append(const EventRecord& record);
    /// Sizes the id index for this many events up front (rehashing a large index costs a cache miss per id).
    void reserve(std::size_t events);

    std::string_view raw(const EventRecord& r) const { return m_raw.view(r.rawRef, r.rawLength()); }
    RawStore& rawStore() { return m_raw; }
    const RawStore& rawStore() const { return m_raw; }

    /// The first event with this id, or NotFound.
    quint32 findId(const Uuid& id) const;
    /// Indexes event `index` under its id unless an earlier event has that id; returns the first event's index.
    quint32 insertId(quint32 index);

    /// Starts loading the index slot of id into the cache, for a lookup a few events later.
    void prefetchId(const Uuid& id) const { __builtin_prefetch(&m_idSlots[id.hashValue() & (m_idSlots.size() - 1)]); }

    /// Heap bytes of records, id index and arena (for the memory figures).
    std::size_t heapBytes() const;

private:
    static constexpr int ChunkShift = 15;
    static constexpr quint32 ChunkSize = 1u << ChunkShift;
    static constexpr quint32 ChunkMask = ChunkSize - 1;
    void growIndex();

    std::vector<LargeArray<EventRecord>> m_chunks; ///< 2 MiB each: one huge page
    quint32 m_size = 0;
    /// Open addressing: low 32 bits of the id's hash (the tag, which also gives the home slot) and
    /// event index + 1 above them; 0 is empty. The tag avoids touching records on a miss.
    LargeArray<quint64> m_idSlots;
    quint32 m_idCount = 0;
    RawStore m_raw;
};
