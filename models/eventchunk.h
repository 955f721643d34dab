// SPDX-License-Identifier: MIT
#pragma once

#include "eventrecord.h"
#include "largearray.h"
#include "recordfile.h"

#include <cstring>
#include <memory>
#include <type_traits>

/// One column of a chunk of events whose values mostly lie close together (clocks, offsets into the
/// raw bytes, sequence numbers): each value is kept as its difference from the chunk's first value,
/// in a Narrow type while every difference fits, and widened, for this chunk only, the first time one
/// does not. While every value equals the first, or every value is the one before plus one (a bus's
/// sequence numbers), nothing is written at all.
///
/// The narrow differences live in an array of the column's own, allocated only once a value differs
/// (a file's receive times, which are its event times; one origin; one block of raw bytes), or in a
/// slot of a record beside it (useSlots()), so that the values of an event are written together.
///
/// Values are appended in order, index 0 first. Differences are taken modulo 2^bits(Wide), so an
/// unsigned Wide holds signed values too.
template<typename Wide, typename Narrow>
class PackedColumn
{
    static_assert(std::is_unsigned_v<Wide> && sizeof(Narrow) <= sizeof(Wide));

public:
    using Pages = LargeArrayPages;
    using WideType = Wide;
    using NarrowType = Narrow;

    /// The narrow differences go to `first`, `stride` bytes apart, instead of an array of their own.
    void useSlots(Narrow* first, std::size_t stride)
    {
        m_slots = reinterpret_cast<char*>(first);
        m_stride = stride;
    }

    Wide get(quint32 i) const
    {
        switch (m_mode) {
        case Mode::Same:
            return m_base;
        case Mode::Stepped:
            return Wide(m_base + i);
        case Mode::Narrowed:
            return Wide(m_base + Wide(narrow(i)));
        case Mode::Widened:
            break;
        }
        return m_wide[i];
    }

    /// Stores value i; values 0 .. i-1 are stored already. `capacity` is the chunk's size.
    /// Inline for the common cases (six columns an event): the value the chunk's first had, the next
    /// of a sequence, or a difference that fits.
    Q_ALWAYS_INLINE void append(quint32 i, Wide v, quint32 capacity, Pages pages)
    {
        if (i != 0) {
            if (m_mode == Mode::Same && v == m_base)
                return;
            if (m_mode == Mode::Narrowed && fits(v)) {
                narrow(i) = Narrow(Wide(v - m_base));
                return;
            }
            if (m_mode == Mode::Stepped && v == Wide(m_base + i))
                return;
        }
        appendElse(i, v, capacity, pages);
    }

private:
    Q_NEVER_INLINE void appendElse(quint32 i, Wide v, quint32 capacity, Pages pages)
    {
        if (i == 0) {
            m_mode = Mode::Same;
            m_base = v;
            return;
        }
        switch (m_mode) {
        case Mode::Same:
            if (v == m_base)
                return;
            if (i == 1 && v == Wide(m_base + 1)) {
                m_mode = Mode::Stepped;
                return;
            }
            [[fallthrough]];
        case Mode::Stepped: // (the next of the sequence returned in append())
            // what was written so far as differences: all 0 (Same), or 0 .. i-1 (Stepped)
            if (fits(v) && (m_mode == Mode::Same || fits(Wide(m_base + i - 1)))) {
                if (!m_slots) {
                    m_narrow.reset(capacity, pages);
                    useOwnArray();
                }
                const bool stepped = m_mode == Mode::Stepped;
                for (quint32 j = 0; j < i; ++j)
                    narrow(j) = stepped ? Narrow(j) : Narrow(0);
                m_mode = Mode::Narrowed;
                narrow(i) = Narrow(Wide(v - m_base));
                return;
            }
            widen(i, capacity, pages);
            break;
        case Mode::Narrowed:
            if (fits(v)) {
                narrow(i) = Narrow(Wide(v - m_base));
                return;
            }
            widen(i, capacity, pages);
            break;
        case Mode::Widened:
            break;
        }
        m_wide[i] = v;
    }

public:
    /// Heap bytes of the arrays of its own (a reused chunk keeps them for its next events; borrowed
    /// arrays are a mapped file's, not the heap's).
    std::size_t heapBytes() const
    {
        return (m_narrow.isBorrowed() ? 0 : m_narrow.size() * sizeof(Narrow))
            + (m_wide.isBorrowed() ? 0 : m_wide.size() * sizeof(Wide));
    }

    /// What a saved index keeps of a column (SessionIndex): how its values are held, its first value,
    /// and the array it keeps them in, if any: its narrow differences when they are not in a record's
    /// slot, or its wide values.
    static constexpr quint8 Modes = 4;
    quint8 mode() const { return quint8(m_mode); }
    Wide base() const { return m_base; }
    const Narrow* ownNarrow() const { return m_mode == Mode::Narrowed && m_narrow.size() ? m_narrow.data() : nullptr; }
    const Wide* wide() const { return m_mode == Mode::Widened ? m_wide.data() : nullptr; }
    /// Whether a column in `mode` keeps an array of its own: of Narrow (1), of Wide (2), or none (0).
    /// `slotted`: its narrow differences go to records' slots (useSlots()).
    static int arrayOf(quint8 mode, bool slotted)
    {
        return mode == quint8(Mode::Widened) ? 2 : mode == quint8(Mode::Narrowed) && !slotted ? 1 : 0;
    }
    /// Takes a saved column's state (mode() below Modes), its array borrowed: `narrow` or `wide`, as
    /// arrayOf() says, holding `count` values and outliving the column. Values are appended after them
    /// as to any column (the arrays are then written to: a private mapping's pages are copied).
    void adopt(quint8 mode, Wide base, Narrow* narrow, Wide* wide, quint32 count)
    {
        m_mode = Mode(mode);
        m_base = base;
        if (narrow) {
            m_narrow = LargeArray<Narrow>::borrow(narrow, count);
            useOwnArray();
        }
        if (wide)
            m_wide = LargeArray<Wide>::borrow(wide, count);
    }

private:
    enum class Mode : quint8 { Same, Stepped, Narrowed, Widened };
    Narrow& narrow(quint32 i) const { return *reinterpret_cast<Narrow*>(m_slots + std::size_t(i) * m_stride); }
    void useOwnArray()
    {
        m_slots = reinterpret_cast<char*>(m_narrow.data());
        m_stride = sizeof(Narrow);
    }
    bool fits(Wide v) const
    {
        const Wide d = Wide(v - m_base);
        return Wide(Narrow(d)) == d;
    }
    void widen(quint32 i, quint32 capacity, Pages pages)
    {
        if (m_wide.size() != capacity)
            m_wide.reset(capacity, pages);
        for (quint32 j = 0; j < i; ++j)
            m_wide[j] = get(j);
        m_mode = Mode::Widened;
        if (m_narrow.size()) { // a chunk widened once keeps only what it uses
            m_narrow = LargeArray<Narrow>();
            m_slots = nullptr;
        }
    }

    Wide m_base = 0;
    Mode m_mode = Mode::Same;
    char* m_slots = nullptr; ///< the narrow differences: m_narrow's, or slots of another array
    std::size_t m_stride = 0;
    LargeArray<Narrow> m_narrow;
    LargeArray<Wide> m_wide;
};

/// The records of a chunk of consecutive events, 44 bytes an event: the id and a slim record (raw
/// length and flags, chain, cause, chain link, type, source, and the event time and raw offset as
/// 32-bit differences: PackedColumn). Receive time, raw block, origin and sequence number take no room
/// while they do not vary inside the chunk, or (the sequence) go up by one an event; else 2 or 4 bytes
/// each. A file's event thus costs 44 bytes where the 64-byte EventRecord and its link took 68.
/// EventRecord stays the value handed in and out; only the store keeps this form.
class EventChunk
{
    /// An event's id and everything else of it that is written together (44 bytes: the id is kept as
    /// bytes, so that the record needs no 8-byte alignment).
    struct Slim
    {
        char id[sizeof(Uuid)];
        quint32 rawLenFlags;
        quint32 chain;
        quint32 link;
        qint32 parentDelta;
        qint32 eventTime; ///< PackedColumn slots
        qint32 rawOffset;
        quint16 type;
        quint16 source;
    };

public:
    using Pages = LargeArrayPages;

    EventChunk(quint32 capacity, Pages pages)
        : m_slim(capacity, pages)
        , m_capacity(capacity)
        , m_pages(pages)
    {
        pointSlots();
    }
    // moved, the arrays keep their memory, so the columns' slots still point into the slim records
    EventChunk(EventChunk&&) noexcept = default;
    EventChunk& operator=(EventChunk&&) noexcept = default;

    /// Stores record i of the chunk; records 0 .. i-1 are stored already.
    void write(quint32 i, const EventRecord& r)
    {
        Slim& s = m_slim[i];
        std::memcpy(s.id, &r.id, sizeof s.id);
        s.rawLenFlags = r.rawLenFlags;
        s.chain = r.chain;
        s.link = EventRecord::NoChain;
        s.parentDelta = r.parentDelta;
        s.type = r.type;
        s.source = r.source;
        m_eventTimes.append(i, quint64(r.eventTimeUs), m_capacity, m_pages);
        m_receiveDeltas.append(i, quint64(r.receiveTimeUs) - quint64(r.eventTimeUs), m_capacity, m_pages);
        m_rawOffsets.append(i, r.rawOffset(), m_capacity, m_pages);
        m_rawChunks.append(i, r.rawChunk(), m_capacity, m_pages);
        m_seqs.append(i, r.seq(), m_capacity, m_pages);
        m_origins.append(i, r.origin(), m_capacity, m_pages);
    }
    EventRecord read(quint32 i) const
    {
        EventRecord r;
        const Slim& s = m_slim[i];
        std::memcpy(&r.id, s.id, sizeof s.id);
        r.eventTimeUs = qint64(m_eventTimes.get(i));
        r.receiveTimeUs = qint64(quint64(r.eventTimeUs) + m_receiveDeltas.get(i));
        r.rawRef = (quint64(m_rawChunks.get(i)) << 48) | m_rawOffsets.get(i);
        r.seqOrigin = (m_seqs.get(i) << 16) | m_origins.get(i);
        r.rawLenFlags = s.rawLenFlags;
        r.chain = s.chain;
        r.parentDelta = s.parentDelta;
        r.type = s.type;
        r.source = s.source;
        return r;
    }

    Uuid id(quint32 i) const
    {
        Uuid id;
        std::memcpy(&id, m_slim[i].id, sizeof id);
        return id;
    }
    quint16 source(quint32 i) const { return m_slim[i].source; }
    quint8 flags(quint32 i) const { return quint8(m_slim[i].rawLenFlags >> 24); }
    void setFlag(quint32 i, EventRecord::Flag f) { m_slim[i].rawLenFlags |= quint32(f) << 24; }
    quint32 chain(quint32 i) const { return m_slim[i].chain; }
    void setChain(quint32 i, quint32 chain) { m_slim[i].chain = chain; }
    qint32 parentDelta(quint32 i) const { return m_slim[i].parentDelta; }
    void setParentDelta(quint32 i, qint32 delta) { m_slim[i].parentDelta = delta; }
    quint32 link(quint32 i) const { return m_slim[i].link; }
    void setLink(quint32 i, quint32 next) { m_slim[i].link = next; }
    quint16 type(quint32 i) const { return m_slim[i].type; }
    quint16 origin(quint32 i) const { return m_origins.get(i); }
    qint64 eventTimeUs(quint32 i) const { return qint64(m_eventTimes.get(i)); }
    qint64 receiveTimeUs(quint32 i) const { return qint64(m_eventTimes.get(i) + m_receiveDeltas.get(i)); }
    /// Where record i's id lies, to prefetch it.
    const void* idAddress(quint32 i) const { return &m_slim[i].id; }

    /// The packed columns, in the order a saved index holds them (SessionIndex): event time, receive
    /// delta, raw offset, raw chunk, sequence, origin.
    static constexpr int Columns = 6;
    static constexpr int RawChunkColumn = 3;
    static constexpr int OriginColumn = 5;
    /// What a saved index keeps of column `k`: PackedColumn::mode() and base(), and its array (null when
    /// the mode keeps none), `elementBytes` per event.
    struct ColumnImage
    {
        quint8 mode = 0;
        quint64 base = 0;
        const char* array = nullptr;
        std::size_t elementBytes = 0;
    };
    ColumnImage column(int k) const
    {
        ColumnImage image;
        withColumn(*this, k, [&](const auto& c) {
            using Column = std::decay_t<decltype(c)>;
            image.mode = c.mode();
            image.base = quint64(c.base());
            const int kind = Column::arrayOf(image.mode, slotted(k));
            image.array = kind == 1 ? reinterpret_cast<const char*>(c.ownNarrow())
                : kind == 2         ? reinterpret_cast<const char*>(c.wide())
                                    : nullptr;
            image.elementBytes = elementBytes<Column>(kind);
        });
        return image;
    }
    /// Bytes an event takes in column `k`'s array in `mode` (below PackedColumn's Modes): 0 when that mode
    /// keeps no array.
    static std::size_t arrayBytes(int k, quint8 mode)
    {
        // the columns' types: 16-bit raw chunk and origin, 64-bit (32-bit differences) the others
        using Column64 = PackedColumn<quint64, qint32>;
        using Column16 = PackedColumn<quint16, quint16>;
        const int kind = Column64::arrayOf(mode, slotted(k));
        return k == RawChunkColumn || k == OriginColumn ? elementBytes<Column16>(kind) : elementBytes<Column64>(kind);
    }
    /// The records as they are kept, FixedBytes an event: the first `count` are what a saved index holds.
    const char* recordBytes() const { return reinterpret_cast<const char*>(m_slim.data()); }
    /// A chunk over a saved one's memory (a mapped index), nothing copied: `records` holds `count` records
    /// (recordBytes()), and each column k takes mode `modes[k]`, base `bases[k]` and the array at
    /// `arrays[k]` (arrayBytes() an event; null when its mode keeps none). The memory must outlive the
    /// chunk; it is written to only when events are changed or added (a private mapping's pages are then
    /// copied). The modes must be below PackedColumn's Modes.
    EventChunk(char* records, quint32 count, const quint8 (&modes)[Columns], const quint64 (&bases)[Columns],
        char* const (&arrays)[Columns])
        : m_slim(LargeArray<Slim>::borrow(reinterpret_cast<Slim*>(records), count))
        , m_capacity(count)
    {
        pointSlots();
        for (int k = 0; k < Columns; ++k) {
            withColumn(*this, k, [&](auto& c) {
                using Column = std::decay_t<decltype(c)>;
                const int kind = Column::arrayOf(modes[k], slotted(k));
                c.adopt(modes[k], typename Column::WideType(bases[k]),
                    kind == 1 ? reinterpret_cast<typename Column::NarrowType*>(arrays[k]) : nullptr,
                    kind == 2 ? reinterpret_cast<typename Column::WideType*>(arrays[k]) : nullptr, count);
            });
        }
    }
    /// Its records now lie at `records`, a copy of recordBytes() that `keep` keeps (a record file's
    /// mapping: RecordFile), where they are read and written from now on. The memory they were in goes
    /// to the returned chunk, empty and of the same capacity, for the next events: reused, its pages
    /// already in, rather than fresh pages faulted in and zeroed.
    std::unique_ptr<EventChunk> moveRecords(char* records, std::shared_ptr<RecordFile::Region> keep)
    {
        std::unique_ptr<EventChunk> emptied(new EventChunk(std::move(m_slim), m_capacity, m_pages));
        m_slim = LargeArray<Slim>::borrow(reinterpret_cast<Slim*>(records), m_capacity);
        m_keep = std::move(keep);
        pointSlots();
        return emptied;
    }
    /// Whether its records lie in a record file (moveRecords()).
    bool isInRecordFile() const { return m_keep != nullptr; }
    /// Hands the pages of its records in a record file back to the kernel (RecordFile::release()), until
    /// they are read again.
    void releaseRecordPages() const
    {
        if (m_keep)
            RecordFile::release(*m_keep);
    }
    /// Whether its records are another's memory (a mapped index's, a record file's).
    bool isBorrowed() const { return m_slim.isBorrowed(); }

    /// Bytes an event always costs, whatever the packed columns hold.
    static constexpr std::size_t FixedBytes = 44;
    /// Bytes an event costs at most: every packed column widened.
    static constexpr std::size_t MaxBytes = FixedBytes + 4 * sizeof(quint64) + 2 * sizeof(quint16);
    std::size_t heapBytes() const
    {
        return (m_slim.isBorrowed() ? 0 : m_capacity * FixedBytes) + m_eventTimes.heapBytes()
            + m_receiveDeltas.heapBytes() + m_rawOffsets.heapBytes() + m_rawChunks.heapBytes() + m_seqs.heapBytes()
            + m_origins.heapBytes();
    }

private:
    EventChunk(LargeArray<Slim>&& slim, quint32 capacity, Pages pages)
        : m_slim(std::move(slim))
        , m_capacity(capacity)
        , m_pages(pages)
    {
        pointSlots();
    }
    static_assert(sizeof(Slim) == FixedBytes);
    /// Whether column k's narrow differences go to the records' slots (pointSlots()).
    static constexpr bool slotted(int k) { return k == 0 || k == 2; }
    template<typename Column>
    static std::size_t elementBytes(int kind)
    {
        return kind == 1 ? sizeof(typename Column::NarrowType) : kind == 2 ? sizeof(typename Column::WideType) : 0;
    }
    /// Calls f(column k of `self`).
    template<typename Self, typename F>
    static void withColumn(Self& self, int k, F&& f)
    {
        switch (k) {
        case 0:
            f(self.m_eventTimes);
            break;
        case 1:
            f(self.m_receiveDeltas);
            break;
        case 2:
            f(self.m_rawOffsets);
            break;
        case 3:
            f(self.m_rawChunks);
            break;
        case 4:
            f(self.m_seqs);
            break;
        default:
            f(self.m_origins);
            break;
        }
    }
    void pointSlots()
    {
        m_eventTimes.useSlots(&m_slim.data()->eventTime, sizeof(Slim));
        m_rawOffsets.useSlots(&m_slim.data()->rawOffset, sizeof(Slim));
    }

    std::shared_ptr<RecordFile::Region> m_keep; ///< the record file's region its records lie in (moveRecords())
    LargeArray<Slim> m_slim;
    PackedColumn<quint64, qint32> m_eventTimes;
    PackedColumn<quint64, qint32> m_receiveDeltas; ///< receive time minus event time
    PackedColumn<quint64, qint32> m_rawOffsets;
    PackedColumn<quint16, quint16> m_rawChunks;
    PackedColumn<quint64, qint32> m_seqs;
    PackedColumn<quint16, quint16> m_origins;
    static_assert(std::is_same_v<decltype(m_rawChunks), decltype(m_origins)>, "arrayBytes() knows them as 16-bit");
    quint32 m_capacity = 0;
    Pages m_pages = Pages::Small;
};
