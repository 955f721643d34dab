// SPDX-License-Identifier: MIT
#pragma once

#include "eventrecord.h"
#include "rawstore.h"

#include <memory>
#include <vector>

/// The session's events in arrival order, in 1 MiB chunks (no reallocation spikes), with an index by id.
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

    std::string_view raw(const EventRecord& r) const { return m_raw.view(r.rawRef, r.rawLength()); }
    RawStore& rawStore() { return m_raw; }
    const RawStore& rawStore() const { return m_raw; }

    /// The first event with this id, or NotFound.
    quint32 findId(const Uuid& id) const;
    /// Indexes event `index` under its id unless an earlier event has that id; returns the first event's index.
    quint32 insertId(quint32 index);

    /// Heap bytes of records, id index and arena (for the memory figures).
    std::size_t heapBytes() const;

private:
    static constexpr int ChunkShift = 14;
    static constexpr quint32 ChunkSize = 1u << ChunkShift;
    static constexpr quint32 ChunkMask = ChunkSize - 1;
    void growIndex();

    std::vector<std::unique_ptr<EventRecord[]>> m_chunks;
    quint32 m_size = 0;
    std::vector<quint32> m_idSlots; ///< open addressing; event index + 1, 0 is empty
    quint32 m_idCount = 0;
    RawStore m_raw;
};
