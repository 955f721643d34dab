// SPDX-License-Identifier: MIT
#include "eventstore.h"

#include "modelslogging.h"

#include <stdexcept>

EventStore::EventStore()
    : m_ids(1 << 12)
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
        if (!m_recordDirectory.isEmpty() && m_filing == Filing::RecordsAndKept && !m_chunks.empty()
            && !m_chunks.back()->isBorrowed())
            moveToRecordFile();
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

void EventStore::adoptChunk(std::unique_ptr<EventChunk> chunk, std::shared_ptr<const void> backing)
{
    if (m_size != m_chunks.size() * ChunkSize || m_shown != m_size || m_base != 0)
        throw std::logic_error("EventStore: a chunk adopted after a partial one, or during a replay");
    m_chunks.push_back(std::move(chunk));
    if (backing)
        m_backing = std::move(backing);
}

void EventStore::reveal(quint32 count)
{
    if (std::size_t(m_size) + count > m_chunks.size() * ChunkSize)
        throw std::logic_error("EventStore: revealing events no chunk holds");
    m_size += count;
    m_shown += count;
}

namespace {
/// Of `count` regions in a record file, oldest first, all but the newest `keep` hand back their pages
/// in turn, `1/rounds` of them a call, from `next` on: `release(k)` hands back region k's.
template<typename Release>
void releaseInTurn(std::size_t count, std::size_t keep, std::size_t rounds, std::size_t& next, Release release)
{
    const std::size_t older = count > keep ? count - keep : 0;
    for (std::size_t n = (older + rounds - 1) / rounds; n > 0; --n) {
        if (next >= older)
            next = 0;
        release(next++);
    }
}
} // namespace

RecordFile* EventStore::recordFile()
{
    if (m_recordDirectory.isEmpty()) // none asked for, or it could take no more
        return nullptr;
    if (!m_recordFile && m_recordFileError.isEmpty()) {
        m_recordFile = RecordFile::create(m_recordDirectory, &m_recordFileError, m_recordKeepFree);
        if (!m_recordFile)
            qCWarning(lcModels).noquote() << "records stay on the heap:" << m_recordFileError;
    }
    return m_recordFile.get();
}

void EventStore::moveToRecordFile()
{
    RecordFile* file = recordFile();
    if (!file)
        return;
    EventChunk& full = *m_chunks.back();
    char* at = nullptr;
    std::shared_ptr<RecordFile::Region> region = file->put(full.recordBytes(), ChunkSize * EventChunk::FixedBytes, &at);
    if (!region) {
        m_recordFileError = file->error();
        qCWarning(lcModels).noquote() << "records stay on the heap from now on:" << m_recordFileError;
        m_recordDirectory.clear();
        return;
    }
    std::unique_ptr<EventChunk> emptied = full.moveRecords(at, std::move(region));
    if (!m_spareChunk)
        m_spareChunk = std::move(emptied);
    releaseOlderRecordPages();
}

void EventStore::releaseOlderRecordPages()
{
    // A read of an older record (an id confirmed in its record: a duplicate, a cause) faults its page in,
    // and the kernel maps the cached pages around it too (fault-around, 64 KiB): left alone, every chunk
    // in the file comes back into the process's memory a few reads at a time. Each chunk that goes to
    // the file hands an eighth of the older ones' pages back, in turn, so a page read stays for at most
    // eight chunks' time. The newest 16 chunks (half a million events) keep theirs: most causes are
    // among them, and paging those back in after every release would slow a big file's read by a tenth.
    releaseInTurn(m_chunks.size(), KeepRecordPages, ReleaseRounds, m_releaseNext,
        [this](std::size_t k) { m_chunks[k]->releaseRecordPages(); });
}

void EventStore::fileDroppedChunk()
{
    RecordFile* file = recordFile();
    if (!file)
        return;
    DroppedChunk& full = m_dropped.back();
    char* at = nullptr;
    std::shared_ptr<RecordFile::Region> region
        = file->put(reinterpret_cast<const char*>(full.heap.data()), ChunkSize * sizeof(Dropped), &at);
    if (!region) {
        m_recordFileError = file->error();
        qCWarning(lcModels).noquote() << "what dropped events keep stays on the heap from now on:" << m_recordFileError;
        m_recordDirectory.clear();
        return;
    }
    full.filed = std::move(region);
    full.at = reinterpret_cast<Dropped*>(at);
    full.heap = LargeArray<Dropped>();
    ++m_droppedFiled;
    // read as records are (an id confirmed, a cause's chain), and handed back in turn as they are
    releaseInTurn(m_droppedFiled, KeepRecordPages, ReleaseRounds, m_droppedReleaseNext,
        [this](std::size_t k) { RecordFile::release(*m_dropped[k].filed); });
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
    const quint32 found = findIndexed(id);
    return found == NotFound || contains(found) ? found : NotFound;
}

quint32 EventStore::findIndexed(const Uuid& id) const
{
    return m_ids.find(id, [this](quint32 index) { return anyIdAt(index); });
}

quint32 EventStore::findAnyId(const Uuid& id) const
{
    return m_keepDropped && !m_idIndexDropped ? findIndexed(id) : findId(id);
}

void EventStore::keepDropped(quint32 i, quint32 opener)
{
    if (m_droppedCount == 0)
        m_droppedFirst = i;
    const std::size_t n = m_droppedCount;
    if ((n >> ChunkShift) == m_dropped.size()) {
        DroppedChunk& chunk = m_dropped.emplace_back();
        chunk.heap.reset(ChunkSize);
        chunk.at = chunk.heap.data();
    }
    Dropped& d = m_dropped.back().at[n & ChunkMask];
    const EventChunk& chunk = chunkOf(i);
    const quint32 local = (i - m_base) & ChunkMask;
    d.id = chunk.id(local);
    d.opener = opener;
    d.type = chunk.type(local);
    d.source = chunk.source(local);
    ++m_droppedCount;
    if ((m_droppedCount & ChunkMask) == 0 && m_droppedFiled + 1 == m_dropped.size())
        fileDroppedChunk();
}

void EventStore::forgetDropped()
{
    std::vector<DroppedChunk>().swap(m_dropped);
    m_droppedFiled = m_droppedReleaseNext = 0;
    m_droppedCount = 0;
    m_keepDropped = false;
    if (m_idIndexDropped)
        return;
    // the index held the dropped events' ids too: the stored events' alone, in a table sized for them
    m_idsWhileDropped = 0;
    for (quint32 i = m_base + m_retired; i != m_base + m_size; ++i)
        m_idsWhileDropped += isFirstOfId(i);
    rebuildIdIndex();
}

std::size_t EventStore::keptBytes() const
{
    return m_keepDropped ? m_ids.heapBytes() + (m_dropped.size() - m_droppedFiled) * ChunkSize * sizeof(Dropped) : 0;
}

void EventStore::expectIds(std::size_t count)
{
    if (!m_idIndexDropped)
        m_ids.expect(count);
}

std::shared_ptr<void> EventStore::dropIdIndex()
{
    if (m_idIndexDropped || m_keepDropped) // the dropped events' ids live only in the index
        return {};
    m_idsWhileDropped = m_ids.size();
    auto held = std::make_shared<TaggedIndex>(std::move(m_ids));
    m_ids.reset(0);
    m_idIndexDropped = true;
    return held;
}

void EventStore::adoptUnindexed(std::size_t firstOfIds)
{
    m_ids.reset(0);
    m_idIndexDropped = true;
    m_idsWhileDropped = firstOfIds;
}

void EventStore::rebuildIdIndex()
{
    // every stored event that was indexed, into a table sized for them as expectIds() sizes one
    m_ids.reset(1 << 12);
    m_idIndexDropped = false;
    m_ids.expect(m_idsWhileDropped);
    for (quint32 i = m_base + m_retired; i != m_base + m_size; ++i) {
        if (isFirstOfId(i))
            m_ids.placeNew(idAt(i), i);
    }
}

quint32 EventStore::insertId(quint32 index)
{
    if (m_idIndexDropped)
        rebuildIdIndex();
    return m_ids.insert(idAt(index), index, [this](quint32 other) { return anyIdAt(other); });
}

void EventStore::dropOldestChunk()
{
    if (m_size < ChunkSize)
        return;
    retireIds(ChunkSize - m_retired);
    m_retired = 0;
    if (!m_chunks.front()->isBorrowed()) // a mapped index's records are not written over
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
            m_idsWhileDropped -= isFirstOfId(i);
            continue;
        }
        if (m_keepDropped)
            continue; // it stays findable: findAnyId()
        if (n + 8 < end)
            prefetchId(idAt(i + 8)); // each erase probes a random slot
        // (an event the index holds may be marked a duplicate: of one Session's RecentIds knows)
        m_ids.erase(idAt(i), i);
    }
    m_retired = end;
}

std::size_t EventStore::heapBytes() const
{
    std::size_t records = m_spareChunk ? m_spareChunk->heapBytes() : 0;
    for (const auto& c : m_chunks)
        records += c->heapBytes();
    return records + (m_keepDropped ? 0 : m_ids.heapBytes()) + m_raw.heapBytes();
}
