// SPDX-License-Identifier: MIT
#pragma once

#include "eventchunk.h"
#include "eventrecord.h"
#include "largearray.h"
#include "rawstore.h"
#include "recordfile.h"
#include "taggedindex.h"

#include <algorithm>
#include <memory>
#include <vector>

/// The session's events in arrival order, in chunks of 32,768 (no reallocation spikes), packed into 44
/// bytes an event (EventChunk), with an index by id.
///
/// Event indices are global and only grow (modulo 2^32): when memory is capped the oldest chunk is
/// dropped and indices of the events that remain do not change. The store holds the window
/// [first(), first() + size()); contains() says whether an index is still in it. 0xFFFFFFFF is never
/// handed out (it is NotFound).
class EventStore
{
public:
    static constexpr quint32 NotFound = 0xFFFFFFFFu;
    static constexpr quint32 ChunkSize = 1u << 15;

    EventStore();
    ~EventStore();
    EventStore(EventStore&&) noexcept;
    EventStore& operator=(EventStore&&) noexcept;

    /// Events shown: all stored ones, or those before the replay horizon (setShown()).
    quint32 size() const { return m_shown; }
    quint32 first() const { return m_base; }
    /// One past the last event shown; outside a replay, the index the next appended event gets.
    quint32 end() const { return m_base + m_shown; }
    bool contains(quint32 i) const { return quint32(i - m_base) < m_shown; }
    /// Every stored event, shown or not.
    quint32 storedCount() const { return m_size; }
    /// Replay over the stored events: size(), end(), contains() and findId() show only the first
    /// `count` of them, as if the rest had not arrived yet (Session::replayTo()). Appending needs all
    /// of them shown.
    void setShown(quint32 count) { m_shown = std::min(count, m_size); }
    /// Event i's record, put together from its chunk's columns (EventChunk).
    EventRecord at(quint32 i) const
    {
        const quint32 local = i - m_base;
        return m_chunks[local >> ChunkShift]->read(local & ChunkMask);
    }
    /// The index the next appended event gets.
    quint32 nextIndex() const { return end() == NotFound ? 0 : end(); }
    /// Appends a record (its rawRef already made for nextIndex()); returns its index.
    quint32 append(const EventRecord& record);

    // Single fields, without putting the whole record together (the ingest and replay loops).
    Uuid idAt(quint32 i) const { return chunkOf(i).id((i - m_base) & ChunkMask); }
    quint8 flagsAt(quint32 i) const { return chunkOf(i).flags((i - m_base) & ChunkMask); }
    bool isFirstOfId(quint32 i) const { return EventRecord::isFirstOfId(flagsAt(i)); }
    void setFlag(quint32 i, EventRecord::Flag f) { chunkOf(i).setFlag((i - m_base) & ChunkMask, f); }
    quint32 chainAt(quint32 i) const { return chunkOf(i).chain((i - m_base) & ChunkMask); }
    void setChain(quint32 i, quint32 chain) { chunkOf(i).setChain((i - m_base) & ChunkMask, chain); }
    qint32 parentDeltaAt(quint32 i) const { return chunkOf(i).parentDelta((i - m_base) & ChunkMask); }
    void setParentDelta(quint32 i, qint32 delta) { chunkOf(i).setParentDelta((i - m_base) & ChunkMask, delta); }
    quint16 typeAt(quint32 i) const { return chunkOf(i).type((i - m_base) & ChunkMask); }
    quint16 originAt(quint32 i) const { return chunkOf(i).origin((i - m_base) & ChunkMask); }
    quint16 sourceAt(quint32 i) const { return chunkOf(i).source((i - m_base) & ChunkMask); }
    qint64 eventTimeAt(quint32 i) const { return chunkOf(i).eventTimeUs((i - m_base) & ChunkMask); }
    qint64 receiveTimeAt(quint32 i) const { return chunkOf(i).receiveTimeUs((i - m_base) & ChunkMask); }

    /// The next event of i's correlation chain (kept beside the records, dropped with them), or NotFound.
    quint32 link(quint32 i) const { return chunkOf(i).link((i - m_base) & ChunkMask); }
    void setLink(quint32 i, quint32 next) { chunkOf(i).setLink((i - m_base) & ChunkMask, next); }

    std::string_view raw(const EventRecord& r) const { return m_raw.view(r.rawRef, r.rawLength()); }
    RawStore& rawStore() { return m_raw; }
    const RawStore& rawStore() const { return m_raw; }

    /// The first stored event with this id (among those shown), or NotFound.
    quint32 findId(const Uuid& id) const;
    /// Indexes event `index` under its id unless a stored event has that id; returns that event's index.
    quint32 insertId(quint32 index);

    /// Starts loading the index slot of id into the cache, for a lookup a few events later.
    /// Always inlined: GCC 12 split the test off, judged the part holding only the prefetch free of
    /// effects and deleted its calls, so no id lookup was ever prefetched (seen in the disassembly).
    Q_ALWAYS_INLINE void prefetchId(const Uuid& id) const
    {
        if (!m_idIndexDropped)
            m_ids.prefetch(id);
    }
    /// The second step of prefetchId(), a few events later: the slot is in the cache by now, so the
    /// event it names, whose id the lookup compares, starts loading too.
    Q_ALWAYS_INLINE void prefetchEventOf(const Uuid& id) const
    {
        if (m_idIndexDropped)
            return;
        const quint32 index = m_ids.peekHome(id);
        if (index != NotFound && contains(index))
            __builtin_prefetch(chunkOf(index).idAddress((index - m_base) & ChunkMask));
    }
    /// About `count` events will come in all (a file of known size): the id index is made big enough
    /// for them now, while it is nearly empty, and grows no more until they are exceeded, so no table is
    /// held ahead of need and no rehash runs on the way. A wrong guess costs only the usual growth.
    void expectIds(std::size_t count);
    /// What a dropped event keeps while keepDropped() is on.
    struct Dropped
    {
        Uuid id;
        quint32 opener; ///< the opener of the chain it was in (its name; Session), or NotFound
        quint16 type;
        quint16 source;
    };
    /// Dropped events stay in the id index, and keep their id, type, source and chain (a Dropped, 24
    /// bytes an event, plus their index slot): findAnyId() finds them and insertId() knows their ids,
    /// so a session can count as if nothing had been dropped (Session::Config::exactBeyondCap). The
    /// index and what they keep are then outside heapBytes() (keptBytes()). With a record directory,
    /// each full chunk of what they keep goes to the record file, as full chunks of records do: the
    /// heap then keeps only their index slots. Set before the first event.
    void setKeepDropped(bool keep) { m_keepDropped = keep; }
    /// Event `i`, the next of the oldest chunk to be retired (in order), keeps what a Dropped holds.
    void keepDropped(quint32 i, quint32 opener);
    /// Ends keepDropped(): hands what each dropped event kept to `each` (oldest first), lets go of it,
    /// and indexes only the stored events from then on (Session::Config::exactBeyondCapBytes).
    template<typename Each>
    void forgetDropped(Each each)
    {
        for (std::size_t n = 0; n < m_droppedCount; ++n) {
            each(m_dropped[n >> ChunkShift].at[n & ChunkMask]);
            if ((n & ChunkMask) == ChunkMask && m_dropped[n >> ChunkShift].filed)
                RecordFile::release(*m_dropped[n >> ChunkShift].filed); // read once: no need to keep its pages
        }
        forgetDropped();
    }
    /// The first event with this id, stored or dropped (keepDropped()), or NotFound.
    quint32 findAnyId(const Uuid& id) const;
    /// What dropped event `i` kept (keepDropped()); nullptr for an event not dropped, or not kept.
    const Dropped* dropped(quint32 i) const { return quint32(i - m_base) < m_size ? nullptr : droppedAt(i); }
    /// Heap for the dropped events (keepDropped()): their index slots, with the stored ones', and what
    /// they kept that is not in the record file.
    std::size_t keptBytes() const;
    /// Frees the id index, for a session that takes in no more events (an opened capture): findId()
    /// then scans the stored events (a few milliseconds a million), and insertId() builds it again. The
    /// index is handed back, for the caller to free where it likes (null: none was held).
    std::shared_ptr<void> dropIdIndex();
    /// The events were appended without insertId() (a session restored from its index): no index is
    /// held, as after dropIdIndex(), and `firstOfIds` of them are indexed when insertId() builds it.
    void adoptUnindexed(std::size_t firstOfIds);

    /// Drops the oldest full chunk of events (the caller has let go of everything pointing at them):
    /// their ids leave the index and arena chunks nothing points into any more are freed.
    void dropOldestChunk();
    /// Takes the ids of the next `count` events of the oldest chunk out of the index ahead of
    /// dropOldestChunk(), so the work can be done in slices. retired() says how far it has got.
    void retireIds(quint32 count);
    quint32 retired() const { return m_retired; }

    /// Smooth (the default): the id index grows a few slots per insert, its next table's pages faulted
    /// in ahead, so no insert waits for a whole rehash (a live window). Off: each growth rehashes at once
    /// into huge pages, the fastest way through a whole file, and no table is held ahead of need.
    void setSmoothGrowth(bool smooth)
    {
        m_smoothGrowth = smooth;
        m_ids.setSmoothGrowth(smooth);
    }

    /// Heap bytes of records, links, id index and arena.
    std::size_t heapBytes() const;
    /// What the next growths will allocate and heapBytes() does not count yet: the id index's doubling,
    /// a chunk of records and links (unless a dropped one waits to be reused), and an arena chunk.
    std::size_t growthBytes() const
    {
        return (m_keepDropped ? 0 : m_ids.growthBytes())
            + (m_spareChunk ? 0
                            : (m_chunks.empty() ? ChunkSize * EventChunk::FixedBytes : m_chunks.back()->heapBytes()))
            + m_raw.growthBytes();
    }

    /// What goes to the record file.
    enum class Filing {
        RecordsAndKept, ///< full chunks of records, and of what dropped events keep (keepDropped())
        KeptOnly, ///< only what dropped events keep: the records stay on the heap, under a memory cap
    };
    /// Full chunks' records go to a record file in `directory` (RecordFile: mapped, in the kernel's page
    /// cache, not the heap), made when the first chunk is full. Empty (the default): they stay on the
    /// heap. When the file cannot be made or take more, the records stay on the heap from then on, and
    /// recordFileError() says why. No chunk is written that would leave the disk less than `keepFreeBytes`.
    void setRecordDirectory(const QString& directory, Filing filing = Filing::RecordsAndKept,
        quint64 keepFreeBytes = RecordFile::DefaultKeepFreeBytes)
    {
        m_recordDirectory = directory;
        m_filing = filing;
        m_recordKeepFree = keepFreeBytes;
    }
    QString recordFileError() const { return m_recordFileError; }
    /// The newest chunks whose records keep their pages in the process as events come (the older ones
    /// hand theirs back in turn).
    static constexpr std::size_t KeepRecordPages = 16;
    /// Hands back the pages of the chunk of event `i` when its records lie in the record file: read again,
    /// they are paged back in. A walk over most events calls it as it leaves each chunk behind, so that it
    /// does not bring the whole file back into the process's memory.
    void releaseRecordPagesOf(quint32 i) const
    {
        if (contains(i))
            chunkOf(i).releaseRecordPages();
    }
    /// Bytes of records, and of what dropped events keep (keepDropped()), in the record file.
    quint64 recordFileBytes() const { return m_recordFile ? m_recordFile->bytesHeld() : 0; }
    /// Of those, the bytes in this process's memory (RecordFile::bytesInProcess()).
    quint64 recordFileBytesInProcess() const { return m_recordFile ? m_recordFile->bytesInProcess() : 0; }

    /// Saving an index (SessionIndex): the chunk that holds stored event `i`, as it is.
    const EventChunk& chunkHolding(quint32 i) const { return chunkOf(i); }
    /// Restoring an index: `chunk` becomes the next chunk (the store holding only whole chunks so far, from
    /// event 0), its events stored as reveal() counts them. `backing` keeps the memory a borrowed chunk
    /// lies in alive as long as the store may use it.
    void adoptChunk(std::unique_ptr<EventChunk> chunk, std::shared_ptr<const void> backing);
    /// Restoring an index: the next `count` events of the adopted chunks are stored.
    void reveal(quint32 count);

private:
    static constexpr int ChunkShift = 15;
    static constexpr quint32 ChunkMask = ChunkSize - 1;
    std::unique_ptr<EventChunk> newChunk();
    /// The last chunk, full, moves its records to the record file; the memory they were in is the spare.
    void moveToRecordFile();
    /// The record file, made when first wanted; null when there is no record directory, or it failed.
    RecordFile* recordFile();
    /// The last chunk of what dropped events keep, full, goes to the record file.
    void fileDroppedChunk();
    void forgetDropped();
    void releaseOlderRecordPages();
    static constexpr std::size_t ReleaseRounds = 8;
    /// The id of event `index`, stored or dropped (keepDropped()).
    Uuid anyIdAt(quint32 index) const
    {
        if (contains(index) || quint32(index - m_base) < m_size)
            return idAt(index);
        const Dropped* d = droppedAt(index);
        return d ? d->id : m_noId;
    }
    const Dropped* droppedAt(quint32 i) const
    {
        const std::size_t n = quint32(i - m_droppedFirst);
        return n < m_droppedCount ? &m_dropped[n >> ChunkShift].at[n & ChunkMask] : nullptr;
    }
    /// The event the id index holds for `id` (stored or, with keepDropped(), dropped), or NotFound.
    quint32 findIndexed(const Uuid& id) const;
    void rebuildIdIndex();

    const EventChunk& chunkOf(quint32 i) const { return *m_chunks[(i - m_base) >> ChunkShift]; }
    EventChunk& chunkOf(quint32 i) { return *m_chunks[(i - m_base) >> ChunkShift]; }

    std::shared_ptr<const void> m_backing; ///< what borrowed chunks lie in (adoptChunk()): outlives them
    /// Oldest first. A vector, not a deque: each field read or written finds its chunk in one step, and
    /// dropping the oldest moves a few hundred pointers once every 32,768 events.
    std::vector<std::unique_ptr<EventChunk>> m_chunks;
    QString m_recordDirectory;
    Filing m_filing = Filing::RecordsAndKept;
    quint64 m_recordKeepFree = RecordFile::DefaultKeepFreeBytes;
    std::shared_ptr<RecordFile> m_recordFile;
    QString m_recordFileError;
    std::size_t m_releaseNext = 0; ///< the chunk releaseOlderRecordPages() goes on from
    std::unique_ptr<EventChunk> m_spareChunk; ///< the last dropped chunk, reused (fresh pages cost zeroing)
    quint32 m_base = 0;
    quint32 m_size = 0;
    quint32 m_shown = 0;
    /// By event id: each slot the event's index and a 31-bit tag of its id's hash, confirmed in its
    /// record (or its dropped id). The tag spares touching records on a miss.
    TaggedIndex m_ids;
    bool m_smoothGrowth = true;
    bool m_idIndexDropped = false;
    std::size_t m_idsWhileDropped = 0; ///< after dropIdIndex(): the ids a rebuilt index would hold
    quint32 m_retired = 0; ///< events of the oldest chunk already out of the id index
    bool m_keepDropped = false;
    /// ChunkSize of what dropped events keep: on the heap, or once full in the record file.
    struct DroppedChunk
    {
        LargeArray<Dropped> heap;
        std::shared_ptr<RecordFile::Region> filed;
        Dropped* at = nullptr; ///< where they lie, in one or the other
    };
    std::vector<DroppedChunk> m_dropped; ///< oldest first
    std::size_t m_droppedFiled = 0; ///< of them, in the record file (the oldest)
    std::size_t m_droppedReleaseNext = 0; ///< as m_releaseNext, for them
    quint32 m_droppedFirst = 0; ///< index of the first dropped event kept
    std::size_t m_droppedCount = 0;
    Uuid m_noId { ~quint64(0), ~quint64(0) };
    RawStore m_raw;
};
