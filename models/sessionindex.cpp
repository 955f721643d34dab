// SPDX-License-Identifier: MIT
// A capture's saved index: written from a session that read the capture whole, read back into a fresh
// one: its records, reports and the trackers' figures, each checked as it is restored.
#include "sessionindex.h"

#include "decodedbatch.h"
#include "eventdecoder.h"
#include "figurearchive.h"
#include "sessionreplay.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>
#include <QStandardPaths>
#include <cstring>
#include <xxhash.h>

static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "the index is written as the machine holds its values");

namespace {

constexpr char Magic[8] = { '\x89', 'E', 'S', 'I', 'D', 'X', '\r', '\n' };
constexpr quint32 ShapesLearned = 1;
/// Times a decoder can give (ISO 8601 years 0-9999, or +-10^14 ms) lie well within this; the difference
/// of any two within it fits a qint64, as the trackers' arithmetic needs.
constexpr qint64 MaxTimeUs = qint64(1'000'000'000'000'000'000);
bool isTime(qint64 t) { return t >= -MaxTimeUs && t <= MaxTimeUs; }
constexpr quint32 Unstarted = EventStore::NotFound - 1; ///< a chain none of whose events came (no index is this)
/// The chunks start, and each of their parts starts, at a multiple of this: mapped, the records and
/// columns lie as the store keeps them (EventChunk), aligned for their values.
constexpr std::size_t ChunkAlign = 64;
constexpr std::size_t aligned(std::size_t n) { return (n + ChunkAlign - 1) / ChunkAlign * ChunkAlign; }
/// A chunk's header: its tag and events, and each column's mode and first value (EventChunk::column()).
struct ChunkHeader
{
    quint32 tag;
    quint32 events;
    quint64 columns[EventChunk::Columns][2];
};
constexpr std::size_t ChunkHeaderBytes = aligned(sizeof(ChunkHeader));
constexpr std::size_t HashedBlock = 64 * 1024;
constexpr quint32 MaxText = 1 << 16; ///< a name, reason or excerpt longer than this is corruption
constexpr quint32 MaxAnnotation = 1 << 20;

/// The header's fields, in the order they are written (docs/capture-format.md).
struct Header
{
    char magic[8];
    quint32 version;
    quint32 flags; ///< ShapesLearned
    quint64 captureSize;
    qint64 captureModifiedMs;
    quint64 captureHeadHash;
    quint64 captureTailHash;
    quint64 settingsKey;
    quint64 events;
    quint64 metaBytes;
    quint64 metaHash; ///< XXH3-64 of the sections before the records
    quint64 recordsHash; ///< XXH3-64 of the chunks (after the sections and their padding)
    quint64 recordsBytes; ///< bytes of the chunks
    quint64 headerHash; ///< XXH3-64 of the header's bytes before this field
};
static_assert(sizeof(Header) == SessionIndex::HeaderBytes);

/// The PART section that opens the sections: the bytes of the sections before the streamed ones (the
/// head, which the header's checksum covers), then for CHNS, RTRS, SLOG and FIGS in turn their bytes and
/// the XXH3-64 of their items (all but their tag and count, PartOpening bytes).
constexpr std::size_t PartFields = 9;
constexpr std::size_t PartOpening = 4 + 8;
constexpr std::size_t PartBytes = 4 + PartFields * 8;
/// Each chain's counts at the start of FIGS: failures, retries, dead letters (u32), orphans, ends (u16).
constexpr std::size_t ChainFigureBytes = 16;

/// Section tags: four letters each, checked where the section is expected.
constexpr quint32 tag(const char (&t)[5])
{
    return quint32(quint8(t[0])) | quint32(quint8(t[1])) << 8 | quint32(quint8(t[2])) << 16
        | quint32(quint8(t[3])) << 24;
}

class Out
{
public:
    template<typename T>
    void put(T v)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    void text(std::string_view s)
    {
        const std::size_t n = std::min<std::size_t>(s.size(), MaxText);
        put(quint32(n));
        bytes.append(s.data(), qsizetype(n));
    }
    void blob(const QByteArray& b, quint32 max)
    {
        const qsizetype n = std::min<qsizetype>(b.size(), max);
        put(quint32(n));
        bytes.append(b.constData(), n);
    }
    /// (events stored, count so far) after each batch that had some (Session's malformed and skewed marks)
    void marks(const std::vector<std::pair<quint32, quint64>>& marks)
    {
        put(quint64(marks.size()));
        for (const auto& [events, count] : marks) {
            put(events);
            put(count);
        }
    }
    void malformed(const MalformedRecord& m)
    {
        put(m.position.origin);
        put(quint8(m.position.unit));
        put(m.position.number);
        put(m.position.byteOffset);
        put(m.element);
        put(m.receiveTimeUs);
        text(m.reason.toStdString());
        blob(m.excerpt, MaxText);
    }
    QByteArray bytes;
};

/// Reads what Out wrote, every value checked against the bytes left: a hostile count never allocates
/// more than the bytes that would hold it.
class In
{
public:
    In(const char* begin, const char* end)
        : m_p(begin)
        , m_end(end)
    { }
    template<typename T>
    T get()
    {
        T v {};
        if (std::size_t(m_end - m_p) < sizeof v) {
            fail(QStringLiteral("the index ends early"));
            return v;
        }
        std::memcpy(&v, m_p, sizeof v);
        m_p += sizeof v;
        return v;
    }
    /// A count of items of at least `itemBytes` each, at most `max`.
    std::size_t count(std::size_t itemBytes, std::size_t max, const char* what)
    {
        const quint64 n = get<quint64>();
        if (ok() && (n > max || n > std::size_t(m_end - m_p) / std::max<std::size_t>(itemBytes, 1)))
            fail(QStringLiteral("%1: %2 cannot be").arg(QLatin1String(what)).arg(n));
        return ok() ? std::size_t(n) : 0;
    }
    std::string_view text(quint32 max = MaxText)
    {
        const quint32 n = get<quint32>();
        if (!ok())
            return {};
        if (n > max || n > std::size_t(m_end - m_p)) {
            fail(QStringLiteral("a text of %1 bytes cannot be").arg(n));
            return {};
        }
        const std::string_view s(m_p, n);
        m_p += n;
        return s;
    }
    /// Steps over `n` bytes.
    void skip(std::size_t n)
    {
        if (n > std::size_t(m_end - m_p))
            fail(QStringLiteral("the index ends early"));
        else
            m_p += n;
    }
    void expect(quint32 t, const char* name)
    {
        if (get<quint32>() != t && ok())
            fail(QStringLiteral("section %1 expected").arg(QLatin1String(name)));
    }
    MalformedRecord malformed(std::size_t origins)
    {
        MalformedRecord m;
        m.position.origin = get<quint16>();
        const quint8 unit = get<quint8>();
        m.position.number = get<quint64>();
        m.position.byteOffset = get<qint64>();
        m.element = get<qint32>();
        m.receiveTimeUs = get<qint64>();
        if (ok() && !isTime(m.receiveTimeUs))
            fail(QStringLiteral("a time out of range"));
        const std::string_view reason = text();
        m.reason = QString::fromUtf8(reason.data(), qsizetype(reason.size()));
        const std::string_view excerpt = text();
        m.excerpt = QByteArray(excerpt.data(), qsizetype(excerpt.size()));
        if (ok() && (unit > SourcePosition::Message || m.position.origin >= origins))
            fail(QStringLiteral("a malformed record's position is not one"));
        m.position.unit = SourcePosition::Unit(unit);
        return m;
    }
    void fail(const QString& why)
    {
        if (m_why.isEmpty())
            m_why = why;
    }
    bool ok() const { return m_why.isEmpty(); }
    QString why() const { return m_why; }
    const char* position() const { return m_p; }

private:
    const char* m_p;
    const char* m_end;
    QString m_why;
};

quint64 hashOf(const char* data, std::size_t size) { return XXH3_64bits(data, size); }

/// One entry of the RTRS section, its texts still in the index.
struct SavedEntry
{
    quint8 kind = 0;
    std::string_view breaker, handler, reason;
    RetryTracker::Entry entry;
};
SavedEntry readEntry(In& in)
{
    SavedEntry e;
    e.kind = in.get<quint8>();
    e.breaker = in.text();
    e.entry.event = in.get<quint32>();
    e.entry.target = in.get<quint32>();
    e.entry.type = in.get<quint16>();
    e.entry.typeAtReport = in.get<quint16>();
    e.entry.attempt = in.get<qint64>();
    e.entry.delayMs = in.get<qint64>();
    e.handler = in.text();
    e.reason = in.text();
    return e;
}

/// Where a capture's index goes in the cache: a hash of its absolute path.
QString cacheName(const QString& capture)
{
    const QByteArray path = QFileInfo(capture).absoluteFilePath().toUtf8();
    return QString::number(hashOf(path.constData(), std::size_t(path.size())), 16) + QStringLiteral(".esidx");
}

/// A capture mapped for its events' bytes, read on demand (no read ahead: an index opens without
/// touching the payloads).
class MappedCapture : public RawBlock
{
public:
    bool open(const QString& path, quint64 bytes)
    {
        m_file.setFileName(path);
        if (!m_file.open(QIODevice::ReadOnly))
            return false;
        m_size = std::size_t(m_file.size());
        if (bytes > 0)
            m_size = std::min<std::size_t>(m_size, bytes);
        if (m_size == 0)
            return true;
        // read-only: a private mapping is writable (copy-on-write), and the kernel refuses one bigger
        // than memory (a 38 GB capture of 100 M events)
        m_data = reinterpret_cast<const char*>(m_file.map(0, qint64(m_size)));
        return m_data != nullptr;
    }
    const char* data() const override { return m_data; }
    std::size_t size() const override { return m_size; }

private:
    QFile m_file;
    const char* m_data = nullptr;
    std::size_t m_size = 0;
};

} // namespace

bool CaptureIdentity::of(const QString& path, CaptureIdentity* identity, QString* error, quint64 bytes)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        *error = file.errorString();
        return false;
    }
    identity->size = quint64(file.size());
    identity->modifiedMs = QFileInfo(file).lastModified().toMSecsSinceEpoch();
    if (bytes > 0 && bytes < identity->size) {
        identity->size = bytes; // a part of a capture being written: the time is the whole's
        identity->modifiedMs = 0;
    }
    const QByteArray head = file.read(qint64(HashedBlock));
    identity->headHash = hashOf(head.constData(), std::size_t(head.size()));
    QByteArray tail;
    if (identity->size > HashedBlock && file.seek(qint64(identity->size - HashedBlock)))
        tail = file.read(qint64(HashedBlock));
    else
        tail = head;
    identity->tailHash = hashOf(tail.constData(), std::size_t(tail.size()));
    return true;
}

quint64 SessionIndex::settingsKey(const Session::Config& config, const DecoderConfig& decoder)
{
    // the settings as text, hashed: a new setting joins the text and changes every key
    QByteArray text = "v" + QByteArray::number(Version);
    text += " clock " + QByteArray::number(int(config.clock));
    text += " types " + QByteArray::number(qulonglong(config.maxTypes));
    text += " sources " + QByteArray::number(qulonglong(config.maxSources));
    text += " malformed " + QByteArray::number(qulonglong(config.maxMalformedKept));
    text += " rate " + QByteArray::number(config.rateSeconds);
    text += " skew " + QByteArray::number(config.maxClockSkewUs);
    for (const std::string& t : config.terminalTypes)
        text += " end " + QByteArray::fromStdString(t);
    for (const std::string& f : decoder.correlationFields)
        text += " corr " + QByteArray::fromStdString(f);
    for (const std::string& f : decoder.causationFields)
        text += " cause " + QByteArray::fromStdString(f);
    text += " profile " + QByteArray::number(decoder.profile ? int(*decoder.profile) : -1);
    for (const auto& [role, path] : decoder.fields)
        text += " field " + QByteArray::fromStdString(role) + '=' + QByteArray::fromStdString(path);
    text += " readerskew " + QByteArray::number(decoder.maxClockSkewUs);
    text += " eventbytes " + QByteArray::number(qulonglong(decoder.maxEventBytes));
    text += " framebytes " + QByteArray::number(qulonglong(decoder.maxFrameBytes));
    text += " schemas " + QByteArray::number(int(decoder.schemas != nullptr));
    return hashOf(text.constData(), std::size_t(text.size()));
}

QString SessionIndex::whyNot(const Session& s)
{
    if (s.m_replay)
        return QStringLiteral("a replay is shown");
    if (!s.canReplay())
        return QStringLiteral("not every event is held (memory cap, or a report past its cap)");
    if (s.m_consumers.samples() > 0)
        return QStringLiteral("it holds a broker's consumers");
    if (s.m_schemasActive || s.m_schemaRegistry)
        return QStringLiteral("payloads are checked against schemas");
    if (s.m_origins.overflowed() > 0 || s.m_sources.overflowed() > 0)
        return QStringLiteral("names past their tables' caps");
    const quint32 events = s.m_store.storedCount();
    if (events == 0)
        return QStringLiteral("no events");
    if (events >= EventStore::NotFound)
        return QStringLiteral("too many events");
    const quint16 chunk = s.m_store.at(0).rawChunk();
    const RawBlock* block = s.m_store.rawStore().blockOf(chunk);
    if (!block || block->isDecompressed())
        return QStringLiteral("its events' bytes are not in a mapped capture");
    // every event's bytes in that block: no other chunk (an arena's copies) is pointed into
    if (!s.m_store.rawStore().isOnlyUsed(chunk))
        return QStringLiteral("some events' bytes are not in the capture");
    return {};
}

namespace {
/// Writes the checksums of the streamed sections into PART again, as far as the bytes go, and returns
/// that of the head.
quint64 sealParts(char* sections, std::size_t size)
{
    if (size < PartBytes)
        return hashOf(sections, size);
    quint64 part[PartFields];
    std::memcpy(part, sections + 4, sizeof part);
    std::size_t at = std::size_t(std::min<quint64>(part[0], size));
    for (std::size_t k = 1; k < PartFields; k += 2) {
        const std::size_t bytes = std::size_t(std::min<quint64>(part[k], size - at));
        part[k + 1] = bytes >= PartOpening ? hashOf(sections + at + PartOpening, bytes - PartOpening) : 0;
        at += bytes;
    }
    std::memcpy(sections + 4, part, sizeof part);
    return hashOf(sections, std::size_t(std::min<quint64>(part[0], size)));
}
} // namespace

QByteArray SessionIndex::sections(const Session& s, const Extra& extra)
{
    Out out;

    // where the sections read as the records come lie, and their checksums: filled in at the end
    out.put(tag("PART"));
    const qsizetype partAt = out.bytes.size();
    out.bytes.append(qsizetype(PartFields * sizeof(quint64)), '\0');

    out.put(tag("STRS"));
    for (const StringPool* pool : { &s.m_types, &s.m_sources, &s.m_origins }) {
        out.put(quint64(pool->size() - 2)); // 0 ("") and 1 ("(other)") are every pool's own
        for (std::size_t id = 2; id < pool->size(); ++id)
            out.text(pool->view(StringPool::Id(id)));
    }

    out.put(tag("BRKS"));
    struct Transition
    {
        const Breaker* breaker;
        const BreakerTransition* t;
    };
    std::vector<Transition> transitions;
    for (std::size_t b = 0; b < s.m_breakers.size(); ++b) {
        const Breaker& breaker = s.m_breakers.at(b);
        if (breaker.merged)
            continue; // made again from its members' transitions
        for (const BreakerTransition& t : breaker.history)
            transitions.push_back({ &breaker, &t });
    }
    std::sort(transitions.begin(), transitions.end(),
        [](const Transition& a, const Transition& b) { return a.t->event < b.t->event; });
    out.put(quint64(transitions.size()));
    for (const Transition& t : transitions) {
        out.put(t.t->event);
        out.put(t.breaker->origin);
        out.text(t.breaker->name);
        out.put(t.t->timeUs);
        out.put(quint8(t.t->from));
        out.put(quint8(t.t->to));
        out.put(t.t->failureCount);
        out.text(t.t->reason);
    }

    out.put(tag("MALF"));
    out.put(s.m_malformedCount);
    out.put(quint64(s.m_firstMalformed.size()));
    for (const MalformedRecord& m : s.m_firstMalformed)
        out.malformed(m);
    out.put(quint64(s.m_recentMalformed.size()));
    for (const MalformedRecord& m : s.m_recentMalformed)
        out.malformed(m);
    out.marks(s.m_malformedMarks);
    out.put(s.m_skewedCount);
    out.put(quint64(s.m_firstSkewed.size()));
    for (const MalformedRecord& m : s.m_firstSkewed)
        out.malformed(m);
    out.marks(s.m_skewedMarks);

    out.put(tag("PROF"));
    for (quint64 n : s.m_profileCounts)
        out.put(n);
    out.put(quint64(s.m_originProfiles.size()));
    for (const ProfileCounts& counts : s.m_originProfiles) {
        for (quint64 n : counts)
            out.put(n);
    }
    out.put(quint64(s.m_originPlaced.size()));
    for (qint8 placed : s.m_originPlaced)
        out.put(placed);
    out.put(quint64(s.m_blockLatest.size()));
    for (qint64 t : s.m_blockLatest)
        out.put(t);
    out.put(s.m_latestBasis);

    out.put(tag("SHPS"));
    const std::vector<ShapeTracker::Type>& shapes = s.m_shapeTracker.types();
    out.put(quint64(shapes.size()));
    for (const ShapeTracker::Type& t : shapes) {
        out.put(quint8(t.truncated));
        out.put(quint64(t.fields.size()));
        for (const ShapeTracker::Field& f : t.fields) {
            out.text(f.path);
            out.put(f.types);
            out.put(f.firstEvent);
        }
        out.put(quint64(t.shapes.size()));
        for (const ShapeTracker::Shape& shape : t.shapes) {
            out.put(shape.hash);
            out.put(quint64(shape.fields.size()));
            for (std::size_t i = 0; i < shape.fields.size(); ++i) {
                out.put(shape.fields[i]);
                out.put(shape.types[i]);
            }
        }
        out.put(quint64(t.changes.size()));
        for (const ShapeTracker::Change& c : t.changes) {
            out.put(quint8(c.kind));
            out.put(c.field);
            out.put(c.from);
            out.put(c.to);
            out.put(c.source);
            out.put(c.event);
            out.put(c.timeUs);
        }
    }
    out.put(tag("NOTE"));
    out.put(quint8(extra.appendable));
    out.put(quint64(extra.annotations.size()));
    for (const auto& [timeUs, json] : extra.annotations) {
        out.put(timeUs);
        out.blob(json, MaxAnnotation);
    }
    out.put(extra.readOn.records);
    out.put(quint64(extra.readOn.origins.size()));
    for (const QString& name : extra.readOn.origins)
        out.blob(name.toUtf8(), MaxText);

    // what the rebuilt session must count again: a check that it was rebuilt whole
    out.put(tag("SUMS"));
    out.put(s.m_ingested);
    out.put(s.m_duplicates);
    out.put(s.m_pendingCauses);
    out.put(quint64(s.m_chains.liveCount()));
    out.put(s.m_firstTimeUs);
    out.put(s.m_lastTimeUs);

    // read as the records come, each checked then (a walk over them before the first paint would read
    // hundreds of megabytes at 100 M events)
    quint64 part[PartFields] = { quint64(out.bytes.size()) };
    auto streamed = [&](int k, auto&& write) {
        const qsizetype start = out.bytes.size();
        write();
        part[k] = quint64(out.bytes.size() - start);
        part[k + 1] = hashOf(out.bytes.constData() + start + PartOpening, std::size_t(part[k]) - PartOpening);
    };
    streamed(1, [&] {
        out.put(tag("CHNS"));
        out.put(quint64(s.m_chains.size()));
        for (quint32 c = 0; c < s.m_chains.size(); ++c) {
            out.put(s.m_chains.at(c).correlation);
            out.put(s.m_chains.at(c).opener);
            const std::string* text = s.m_chains.hashedText(c);
            out.text(text ? std::string_view(*text) : std::string_view());
        }
    });
    streamed(3, [&] {
        out.put(tag("RTRS"));
        out.put(quint64(s.m_retries.entries().size()));
        for (const RetryTracker::Entry& e : s.m_retries.entries()) {
            out.put(quint8(e.kind));
            out.text(s.m_retries.breakerName(e.breaker));
            out.put(e.event);
            out.put(e.target);
            out.put(e.type);
            out.put(e.typeAtReport);
            out.put(e.attempt);
            out.put(e.delayMs);
            out.text(e.handler);
            out.text(e.reason);
        }
    });
    streamed(5, [&] {
        out.put(tag("SLOG"));
        out.put(quint64(s.m_shapeLog.size()));
        out.bytes.append(reinterpret_cast<const char*>(s.m_shapeLog.data()), qsizetype(s.m_shapeLog.size()));
    });
    streamed(7, [&] {
        // the figures the records alone do not give without a replay of them all: restored whole
        FigureWriter figures;
        figures.bytes.reserve(qsizetype(s.m_chains.size() * 20 + (1 << 20)));
        figures.tag("FIGS");
        figures.size(s.m_chains.size(), 0, 0);
        for (quint32 c = 0; c < s.m_chains.size(); ++c) {
            const Chain& chain = s.m_chains.at(c);
            figures.value(chain.failures);
            figures.value(chain.retries);
            figures.value(chain.deadLetters);
            figures.value(chain.orphans);
            figures.value(chain.ends);
        }
        s.m_stages.writeFigures(figures);
        s.m_flow.writeFigures(figures);
        s.m_rates.writeFigures(figures);
        figures.tag("ORGR");
        figureOptionals(
            figures, s.m_originRates, 0, [] { return nullptr; },
            [](FigureWriter& a, const RateSeries& r) { r.writeFigures(a); });
        s.m_gaps.writeFigures(figures);
        s.m_busTimes.writeFigures(figures);
        s.m_shapeTracker.writeCounts(figures);
        out.bytes.append(figures.bytes);
    });
    std::memcpy(out.bytes.data() + partAt, part, sizeof part);

    out.put(tag("RECS"));
    return out.bytes;
}

bool SessionIndex::writeTo(QIODevice& device, const Session& s, const CaptureIdentity& identity, quint64 settingsKey,
    const QByteArray& sections)
{
    // the header last (it holds the checksums)
    XXH3_state_t* state = XXH3_createState();
    XXH3_64bits_reset(state);
    auto write = [&](const char* data, std::size_t size) {
        XXH3_64bits_update(state, data, size);
        return device.write(data, qint64(size)) == qint64(size);
    };
    bool ok = device.write(QByteArray(qsizetype(HeaderBytes), '\0')) == qint64(HeaderBytes)
        && device.write(sections) == sections.size();
    const std::size_t sectionsEnd = HeaderBytes + std::size_t(sections.size());
    ok = ok && device.write(QByteArray(qsizetype(aligned(sectionsEnd) - sectionsEnd), '\0')) >= 0;
    // the chunks as the store keeps them, so that a reader maps them instead of copying
    const QByteArray padding(qsizetype(ChunkAlign), '\0');
    auto part = [&](const char* data, std::size_t size) {
        return write(data, size) && write(padding.constData(), aligned(size) - size);
    };
    const quint32 events = s.m_store.storedCount();
    quint64 recordsBytes = 0;
    for (quint32 first = 0; ok && first < events; first += EventStore::ChunkSize) {
        const quint32 n = std::min(events - first, EventStore::ChunkSize);
        const EventChunk& chunk = s.m_store.chunkHolding(first);
        ChunkHeader header {};
        header.tag = tag("CHNK");
        header.events = n;
        EventChunk::ColumnImage columns[EventChunk::Columns];
        for (int k = 0; k < EventChunk::Columns; ++k) {
            columns[k] = chunk.column(k);
            header.columns[k][0] = columns[k].mode;
            header.columns[k][1] = columns[k].base;
        }
        // every event's bytes are in the one block (whyNot()), whose number is the reader's: a restore
        // gives it its own
        ok = ok && header.columns[EventChunk::RawChunkColumn][0] == 0;
        header.columns[EventChunk::RawChunkColumn][1] = 0;
        ok = ok && part(reinterpret_cast<const char*>(&header), sizeof header)
            && part(chunk.recordBytes(), std::size_t(n) * EventChunk::FixedBytes);
        recordsBytes += ChunkHeaderBytes + aligned(std::size_t(n) * EventChunk::FixedBytes);
        for (const EventChunk::ColumnImage& c : columns) {
            if (ok && c.array) {
                ok = part(c.array, std::size_t(n) * c.elementBytes);
                recordsBytes += aligned(std::size_t(n) * c.elementBytes);
            }
        }
    }
    const quint64 recordsHash = XXH3_64bits_digest(state);
    XXH3_freeState(state);

    Header h {};
    std::memcpy(h.magic, Magic, sizeof Magic);
    h.version = Version;
    h.captureSize = identity.size;
    h.captureModifiedMs = identity.modifiedMs;
    h.captureHeadHash = identity.headHash;
    h.captureTailHash = identity.tailHash;
    h.settingsKey = settingsKey;
    h.events = events;
    h.flags = s.m_shapeLog.empty() ? 0 : ShapesLearned;
    h.metaBytes = quint64(sections.size());
    quint64 headBytes = 0; // PART's first field (sections())
    std::memcpy(&headBytes, sections.constData() + 4, sizeof headBytes);
    h.metaHash = hashOf(sections.constData(), std::size_t(headBytes));
    h.recordsHash = recordsHash;
    h.recordsBytes = recordsBytes;
    h.headerHash = hashOf(reinterpret_cast<const char*>(&h), offsetof(Header, headerHash));
    return ok && device.seek(0) && device.write(reinterpret_cast<const char*>(&h), sizeof h) == qint64(sizeof h);
}

QByteArray SessionIndex::make(
    const Session& session, const CaptureIdentity& identity, quint64 settingsKey, const Extra& extra)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    writeTo(buffer, session, identity, settingsKey, sections(session, extra));
    return buffer.data();
}

void SessionIndex::seal(QByteArray& index)
{
    if (std::size_t(index.size()) < HeaderBytes)
        return;
    Header h;
    std::memcpy(&h, index.constData(), sizeof h);
    const std::size_t meta = std::min<std::size_t>(h.metaBytes, std::size_t(index.size()) - HeaderBytes);
    h.metaHash = sealParts(index.data() + HeaderBytes, meta);
    const std::size_t chunks = std::min<std::size_t>(aligned(HeaderBytes + meta), std::size_t(index.size()));
    h.recordsHash = hashOf(index.constData() + chunks, std::size_t(index.size()) - chunks);
    h.headerHash = hashOf(reinterpret_cast<const char*>(&h), offsetof(Header, headerHash));
    std::memcpy(index.data(), &h, sizeof h);
}

bool SessionIndex::Restore::begin(QByteArrayView index, const CaptureIdentity& identity, quint64 settingsKey,
    bool needShapes, std::shared_ptr<const RawBlock> capture, Session& s, Extra* extra, QString* why)
{
    m_session = &s;
    if (s.m_types.size() != 2 || s.m_sources.size() != 2 || s.m_origins.size() != 2 || s.m_store.storedCount() != 0) {
        *why = QStringLiteral("the session to restore into is not new");
        return false;
    }
    auto refuse = [&](const QString& reason) {
        s.reset();
        *why = reason;
        return false;
    };
    if (std::size_t(index.size()) < HeaderBytes)
        return refuse(QStringLiteral("not an index (%1 bytes)").arg(index.size()));
    Header h;
    std::memcpy(&h, index.data(), sizeof h);
    if (std::memcmp(h.magic, Magic, sizeof Magic) != 0)
        return refuse(QStringLiteral("not an index"));
    if (h.version != Version)
        return refuse(QStringLiteral("an index of version %1 (this build reads %2)").arg(h.version).arg(Version));
    if (h.headerHash != hashOf(reinterpret_cast<const char*>(&h), offsetof(Header, headerHash)))
        return refuse(QStringLiteral("corrupt: the header fails its checksum"));
    const CaptureIdentity indexed { h.captureSize, h.captureModifiedMs, h.captureHeadHash, h.captureTailHash };
    if (!capture || capture->size() != identity.size)
        return refuse(QStringLiteral("stale: the capture changed since it was indexed"));
    // a capture that has grown since (records appended to it) is the one indexed when its first bytes
    // are: the same head, and the same 64 KiB where the index ends (the rest is read on from there, if
    // the index says where a read stood: checked with the NOTE section)
    m_readOnFrom = 0;
    // an index made while the capture was being written has no time of it: its size and hashes tie it
    const bool sameBytes = indexed.size == identity.size && indexed.headHash == identity.headHash
        && indexed.tailHash == identity.tailHash && indexed.modifiedMs == 0;
    if (!(indexed == identity) && !sameBytes) {
        if (!(indexed.size > HashedBlock && indexed.size < identity.size && indexed.headHash == identity.headHash
                && hashOf(capture->data() + indexed.size - HashedBlock, HashedBlock) == indexed.tailHash))
            return refuse(QStringLiteral("stale: the capture changed since it was indexed"));
        m_readOnFrom = indexed.size;
    }
    if (h.settingsKey != settingsKey)
        return refuse(QStringLiteral("made with other settings (decoding or session)"));
    if (needShapes && !(h.flags & ShapesLearned))
        return refuse(QStringLiteral("made without payload shapes"));
    const std::size_t body = std::size_t(index.size()) - HeaderBytes;
    if (h.events == 0 || h.events >= EventStore::NotFound - 1 || h.metaBytes > body
        || aligned(HeaderBytes + h.metaBytes) > std::size_t(index.size())
        || h.recordsBytes != std::size_t(index.size()) - aligned(HeaderBytes + h.metaBytes))
        return refuse(QStringLiteral("corrupt: its sizes do not add up (truncated?)"));
    if (quintptr(index.data()) % alignof(quint64) != 0) {
        // the chunks are read in place, as the store keeps them: aligned for their values (the file's
        // offsets are multiples of ChunkAlign; a mapping starts at a page)
        m_aligned.reset(static_cast<char*>(std::aligned_alloc(ChunkAlign, aligned(std::size_t(index.size())))));
        if (!m_aligned)
            return refuse(QStringLiteral("no memory for a copy of the index"));
        std::memcpy(m_aligned.get(), index.data(), std::size_t(index.size()));
        index = QByteArrayView(m_aligned.get(), index.size());
    }
    // PART says where the head (the sections restored now) ends and the streamed ones lie; the head's
    // checksum covers it
    const char* const sectionsAt = index.data() + HeaderBytes;
    const char* const records = sectionsAt + h.metaBytes;
    quint64 part[PartFields] = {};
    if (h.metaBytes >= PartBytes)
        std::memcpy(part, sectionsAt + 4, sizeof part);
    if (h.metaHash != hashOf(sectionsAt, std::size_t(std::min(part[0], h.metaBytes))))
        return refuse(QStringLiteral("corrupt: it fails its checksum"));
    if (part[0] < PartBytes || part[1] < PartOpening || part[3] < PartOpening || part[5] < PartOpening
        || part[7] < PartOpening || part[0] > h.metaBytes || part[1] > h.metaBytes || part[3] > h.metaBytes
        || part[5] > h.metaBytes || part[7] > h.metaBytes
        || part[0] + part[1] + part[3] + part[5] + part[7] + 4 != h.metaBytes)
        return refuse(QStringLiteral("corrupt: its sections do not add up"));

    const quint32 events = quint32(h.events);
    In in(sectionsAt, sectionsAt + part[0]);
    auto corrupt = [&](const QString& what) { return refuse(QStringLiteral("corrupt: %1").arg(what)); };
    in.expect(tag("PART"), "PART");
    in.skip(PartFields * sizeof(quint64));

    // names, with the ids the records use
    in.expect(tag("STRS"), "STRS");
    for (StringPool* pool : { &s.m_types, &s.m_sources, &s.m_origins }) {
        const std::size_t n = in.count(4, 65533, "names");
        for (std::size_t k = 0; k < n && in.ok(); ++k) {
            const std::string_view name = in.text();
            if (in.ok() && pool->intern(name) != k + 2)
                return corrupt(QStringLiteral("a name repeats or overflows its table"));
        }
    }
    const std::size_t types = s.m_types.size(), sources = s.m_sources.size(), origins = s.m_origins.size();

    // the whole session's reports, as a replay that has gone back holds them
    auto replay = std::make_unique<Session::Replay>();
    replay->whole = true;
    in.expect(tag("BRKS"), "BRKS");
    const std::size_t transitionCount = in.count(30, std::size_t(events), "breaker transitions");
    qint64 lastEvent = -1;
    for (std::size_t t = 0; t < transitionCount && in.ok(); ++t) {
        BreakerTransition transition;
        transition.event = in.get<quint32>();
        const quint16 origin = in.get<quint16>();
        const std::string_view name = in.text();
        transition.timeUs = in.get<qint64>();
        const quint8 from = in.get<quint8>(), to = in.get<quint8>();
        transition.failureCount = in.get<qint64>();
        transition.reason = std::string(in.text());
        if (!in.ok())
            break;
        if (transition.event >= events || qint64(transition.event) <= lastEvent || origin >= origins
            || !isTime(transition.timeUs) || from > BreakerTransition::HalfOpen || to > BreakerTransition::HalfOpen)
            return corrupt(QStringLiteral("breaker transition %1 is not one").arg(t));
        lastEvent = transition.event;
        transition.from = BreakerTransition::State(from);
        transition.to = BreakerTransition::State(to);
        replay->breakers.apply(origin, name, std::move(transition));
    }
    if (replay->breakers.overflowed() > 0)
        return corrupt(QStringLiteral("more breakers than a session holds"));

    in.expect(tag("MALF"), "MALF");
    auto marks = [&](std::vector<std::pair<quint32, quint64>>& out, quint64 total) {
        const std::size_t n = in.count(12, Session::MaxMalformedMarks + 1, "marks");
        quint32 lastEvents = 0;
        quint64 lastCount = 0;
        for (std::size_t k = 0; k < n && in.ok(); ++k) {
            const quint32 at = in.get<quint32>();
            const quint64 count = in.get<quint64>();
            if (in.ok() && (at > events || at < lastEvents || count < lastCount || count > total))
                in.fail(QStringLiteral("a mark is out of order"));
            out.emplace_back(at, count);
            lastEvents = at;
            lastCount = count;
        }
    };
    replay->malformedCount = in.get<quint64>();
    const std::size_t firstMalformed = in.count(35, 100, "malformed records");
    for (std::size_t k = 0; k < firstMalformed && in.ok(); ++k)
        replay->firstMalformed.push_back(in.malformed(origins));
    const std::size_t recentMalformed = in.count(35, s.m_config.maxMalformedKept, "malformed records");
    for (std::size_t k = 0; k < recentMalformed && in.ok(); ++k)
        replay->recentMalformed.push_back(in.malformed(origins));
    if (in.ok()
        && (replay->recentMalformed.size() > replay->malformedCount
            || replay->firstMalformed.size() > replay->malformedCount))
        return corrupt(QStringLiteral("more malformed records than counted"));
    marks(s.m_malformedMarks, replay->malformedCount);
    const quint64 skewed = in.get<quint64>();
    const std::size_t firstSkewed = in.count(35, 100, "clock-skewed records");
    for (std::size_t k = 0; k < firstSkewed && in.ok(); ++k)
        s.m_firstSkewed.push_back(in.malformed(origins));
    marks(s.m_skewedMarks, skewed);
    if (in.ok() && s.m_firstSkewed.size() > skewed)
        return corrupt(QStringLiteral("more clock-skewed records than counted"));

    in.expect(tag("PROF"), "PROF");
    for (quint64& n : s.m_profileCounts)
        n = in.get<quint64>();
    const std::size_t originProfiles = in.count(sizeof(ProfileCounts), origins, "origins' profiles");
    s.m_originProfiles.resize(originProfiles);
    for (ProfileCounts& counts : s.m_originProfiles) {
        for (quint64& n : counts)
            n = in.get<quint64>();
    }
    const std::size_t placed = in.count(1, origins, "origins' clocks");
    for (std::size_t k = 0; k < placed && in.ok(); ++k) {
        const qint8 p = in.get<qint8>();
        if (p < -1 || p > 1)
            return corrupt(QStringLiteral("an origin's clock is not one"));
        s.m_originPlaced.push_back(p);
    }
    const std::size_t blocks = in.count(8, events / Session::BlockSize, "blocks");
    if (in.ok() && blocks != events / Session::BlockSize)
        return corrupt(QStringLiteral("the time blocks do not cover the events"));
    for (std::size_t k = 0; k < blocks && in.ok(); ++k)
        s.m_blockLatest.push_back(in.get<qint64>());
    if (in.ok() && !std::all_of(s.m_blockLatest.begin(), s.m_blockLatest.end(), isTime))
        return corrupt(QStringLiteral("a time out of range"));
    s.m_latestBasis = in.get<qint64>();
    if (in.ok() && !std::is_sorted(s.m_blockLatest.begin(), s.m_blockLatest.end()))
        return corrupt(QStringLiteral("the time blocks are out of order"));

    in.expect(tag("SHPS"), "SHPS");
    std::vector<ShapeTracker::Type> shapeTypes(in.count(25, types, "shape types"));
    for (ShapeTracker::Type& t : shapeTypes) {
        t.truncated = in.get<quint8>() != 0;
        t.fields.resize(in.count(9, ShapeTracker::MaxPathsPerType, "shape fields"));
        for (ShapeTracker::Field& f : t.fields) {
            f.path = std::string(in.text());
            f.types = in.get<quint8>();
            f.firstEvent = in.get<quint32>();
            if (in.ok() && f.firstEvent >= events && f.firstEvent != ShapeTracker::NoEvent)
                in.fail(QStringLiteral("a field's first event is not there"));
        }
        t.shapes.resize(in.count(16, ShapeTracker::MaxShapesPerType, "shapes"));
        for (ShapeTracker::Shape& shape : t.shapes) {
            shape.hash = in.get<quint64>();
            const std::size_t n = in.count(3, ShapeTracker::MaxPathsPerType, "a shape's fields");
            for (std::size_t k = 0; k < n && in.ok(); ++k) {
                shape.fields.push_back(in.get<quint16>());
                shape.types.push_back(in.get<quint8>());
                if (in.ok() && shape.fields.back() >= t.fields.size())
                    in.fail(QStringLiteral("a shape names a field its type does not have"));
            }
        }
        t.changes.resize(in.count(21, ShapeTracker::MaxChangesPerType, "shape changes"));
        for (ShapeTracker::Change& c : t.changes) {
            const quint8 kind = in.get<quint8>();
            c.field = in.get<quint16>();
            c.from = in.get<quint8>();
            c.to = in.get<quint8>();
            c.source = in.get<quint16>();
            c.event = in.get<quint32>();
            c.timeUs = in.get<qint64>();
            if (in.ok()
                && (kind > ShapeTracker::Change::TypeChanged || c.field >= t.fields.size() || c.source >= sources
                    || !isTime(c.timeUs) || (c.event >= events && c.event != ShapeTracker::NoEvent)))
                in.fail(QStringLiteral("a shape change is not one"));
            c.kind = ShapeTracker::Change::Kind(kind);
        }
        if (!in.ok())
            break;
    }

    in.expect(tag("NOTE"), "NOTE");
    Extra notes;
    notes.appendable = in.get<quint8>() != 0;
    const std::size_t annotations = in.count(12, 1 << 20, "bookmarks");
    for (std::size_t k = 0; k < annotations && in.ok(); ++k) {
        const qint64 timeUs = in.get<qint64>();
        const std::string_view json = in.text(MaxAnnotation);
        notes.annotations.emplace_back(timeUs, QByteArray(json.data(), qsizetype(json.size())));
    }
    notes.readOn.records = in.get<quint64>();
    const std::size_t declared = in.count(4, 65536, "origins");
    for (std::size_t k = 0; k < declared && in.ok(); ++k) {
        const std::string_view name = in.text();
        notes.readOn.origins.push_back(QString::fromUtf8(name.data(), qsizetype(name.size())));
    }
    if (in.ok() && m_readOnFrom != 0 && notes.readOn.records == 0)
        return refuse(QStringLiteral("stale: the capture changed since it was indexed"));

    in.expect(tag("SUMS"), "SUMS");
    m_ingested = in.get<quint64>();
    m_duplicates = in.get<quint64>();
    m_orphans = in.get<quint64>();
    m_liveChains = in.get<quint64>();
    m_firstTimeUs = in.get<qint64>();
    m_lastTimeUs = in.get<qint64>();
    if (!in.ok())
        return corrupt(in.why());
    if (in.position() != sectionsAt + part[0])
        return corrupt(QStringLiteral("bytes between its sections"));

    // the streamed sections: their counts now, their items checked (and their checksums taken) as the
    // records they go with are restored (step())
    const char* at = sectionsAt + part[0];
    In chainsIn(at, at + part[1]);
    chainsIn.expect(tag("CHNS"), "CHNS");
    const std::size_t chains = chainsIn.count(24, EventStore::NotFound - 1, "chains");
    if (!chainsIn.ok())
        return corrupt(chainsIn.why());
    m_chainsAt = chainsIn.position();
    m_chainsEnd = at + part[1];
    m_chainsRestored = 0;
    m_lastOpener = -1;
    at += part[1];
    In entriesIn(at, at + part[3]);
    entriesIn.expect(tag("RTRS"), "RTRS");
    m_entries = entriesIn.count(40, std::size_t(events), "retry entries");
    if (!entriesIn.ok())
        return corrupt(entriesIn.why());
    m_entriesAt = entriesIn.position();
    m_entriesEnd = at + part[3];
    m_entriesRestored = 0;
    m_lastEntryEvent = 0;
    at += part[3];
    In logIn(at, at + part[5]);
    logIn.expect(tag("SLOG"), "SLOG");
    const std::size_t shapeLog = logIn.count(1, events, "shape log");
    if (!logIn.ok())
        return corrupt(logIn.why());
    if ((shapeLog != 0 && shapeLog != events) || part[5] != PartOpening + shapeLog)
        return corrupt(QStringLiteral("the shape log does not cover the events"));
    // taken a slice at a time with the records (copied whole, 18 MB at 18 M events, it held the first
    // paint 50 ms)
    m_shapeLogAt = shapeLog > 0 ? reinterpret_cast<const quint8*>(logIn.position()) : nullptr;
    s.m_shapeLog.clear();
    s.m_shapeLog.reserve(m_shapeLogAt ? shapeLog : 0);
    at += part[5];
    In figuresIn(at, at + part[7]);
    figuresIn.expect(tag("FIGS"), "FIGS");
    if (figuresIn.ok() && figuresIn.get<quint64>() != chains)
        return corrupt(QStringLiteral("its figures are of other chains"));
    if (figuresIn.ok() && (part[7] - PartOpening) / ChainFigureBytes < chains)
        return corrupt(QStringLiteral("its figures are cut short"));
    if (!figuresIn.ok())
        return corrupt(figuresIn.why());
    m_figuresAt = at;
    m_figuresEnd = at + part[7];
    at += part[7];
    if (std::memcmp(at, "RECS", 4) != 0 || at + 4 != records)
        return corrupt(QStringLiteral("section RECS expected"));
    m_partHashes[0] = part[2];
    m_partHashes[1] = part[4];
    m_partHashes[2] = part[6];
    m_partHashes[3] = part[8];
    m_figuresHashed = 0;
    m_chainsCounted = 0;
    m_recordsDone = false;
    for (XXH3_state_t*& state : m_partState) {
        if (!state)
            state = XXH3_createState();
        XXH3_64bits_reset(state);
    }
    // a session under a memory cap holds no more than a read of the capture would (which drops the
    // oldest): its chains, and its records when a read keeps them on the heap (else they go to a record
    // file, outside the cap, as the index's mapped chunks are)
    const std::size_t recordBytes = s.m_config.recordDirectory.isEmpty() ? EventChunk::FixedBytes : 0;
    const std::size_t heap = std::size_t(events) * recordBytes + chains * sizeof(Chain);
    if (s.m_config.memoryCapBytes != 0 && heap > s.m_config.memoryCapBytes)
        return refuse(QStringLiteral("its %L1 events need more memory than the session's cap (%L2 MiB)")
                          .arg(events)
                          .arg(s.m_config.memoryCapBytes >> 20));

    // the chunks: each is checked when its first event is restored (the headers lie a megabyte apart: a
    // walk over them all faulted in a page each, 100 ms at 18 M events, before the first paint)
    m_chunkAt = index.data() + aligned(HeaderBytes + std::size_t(h.metaBytes));
    m_chunksEnd = index.data() + index.size();
    m_events = events;
    m_next = 0;
    m_recordsHash = h.recordsHash;
    m_hash = XXH3_createState();
    XXH3_64bits_reset(m_hash);
    m_capture = std::move(capture);
    m_chunk = s.m_store.rawStore().adopt(m_capture);
    m_chainCount = chains;
    m_nextOfChain.clear();
    m_nextOfChain.reserve(chains); // filled as the chains are restored: untouched, it costs no page
    m_firstOfIds = 0;
    Session::collectTransitions(*replay, replay->breakers);
    s.m_replay = std::move(replay);
    s.m_shapeTracker.restore(std::move(shapeTypes));
    if (extra)
        *extra = std::move(notes);
    return true;
}

SessionIndex::Restore::~Restore()
{
    if (m_hash)
        XXH3_freeState(m_hash);
    for (XXH3_state_t* state : m_partState) {
        if (state)
            XXH3_freeState(state);
    }
}

SessionIndex::Restore::Step SessionIndex::Restore::step(std::size_t maxEvents, QString* why)
{
    Session& s = *m_session;
    auto corrupt = [&](const QString& what) {
        s.reset();
        *why = QStringLiteral("corrupt: %1").arg(what);
        return Failed;
    };
    if (m_recordsDone)
        return stepFigures(maxEvents, why);
    const quint32 events = m_events;
    const quint32 from = m_next;
    const quint32 to = quint32(std::min<std::size_t>(events, std::size_t(from) + maxEvents));
    const std::size_t captureBytes = m_capture->size();
    const std::size_t types = s.m_types.size(), sources = s.m_sources.size(), origins = s.m_origins.size();
    // the chains whose opener is `event` at the latest, in slot order (chains were made in that order):
    // each checked as it comes, and its bytes taken into the section's checksum
    const auto restoreChainsOpenedBy = [&](quint32 event) {
        while (m_chainsRestored < m_chainCount) {
            Uuid correlation;
            quint32 opener, length;
            constexpr std::size_t Fixed = sizeof correlation + sizeof opener + sizeof length;
            if (std::size_t(m_chainsEnd - m_chainsAt) < Fixed)
                return false;
            std::memcpy(&opener, m_chainsAt + sizeof(Uuid), sizeof opener);
            if (opener > event)
                return true;
            std::memcpy(&correlation, m_chainsAt, sizeof correlation);
            std::memcpy(&length, m_chainsAt + sizeof(Uuid) + sizeof opener, sizeof length);
            if (qint64(opener) <= m_lastOpener || length > MaxText
                || std::size_t(m_chainsEnd - m_chainsAt) - Fixed < length)
                return false;
            const char* text = m_chainsAt + Fixed;
            s.m_chains.restore(correlation, opener, std::string(text, length));
            XXH3_64bits_update(m_partState[0], m_chainsAt, Fixed + length);
            m_chainsAt = text + length;
            m_lastOpener = opener;
            ++m_chainsRestored;
            m_nextOfChain.push_back(Unstarted);
        }
        return true;
    };
    // the reports about the events up to `to`, in order, each checked as it comes
    Session::Replay& replay = *s.m_replay;
    In entries(m_entriesAt, m_entriesEnd);
    while (m_entriesRestored < m_entries) {
        SavedEntry e = readEntry(entries);
        if (!entries.ok())
            return corrupt(entries.why());
        if (e.kind > RetryTracker::Failure || e.entry.event >= events || e.entry.event < m_lastEntryEvent
            || (e.entry.target != RetryTracker::Unknown && e.entry.target >= events) || e.entry.type >= types
            || e.entry.typeAtReport >= types)
            return corrupt(QStringLiteral("retry entry %1 is not one").arg(m_entriesRestored));
        if (e.entry.event >= to)
            break;
        XXH3_64bits_update(m_partState[1], m_entriesAt, std::size_t(entries.position() - m_entriesAt));
        m_entriesAt = entries.position();
        m_lastEntryEvent = e.entry.event;
        ++m_entriesRestored;
        e.entry.kind = RetryTracker::Kind(e.kind);
        e.entry.breaker = replay.retries.internBreaker(e.breaker);
        e.entry.handler = std::string(e.handler);
        e.entry.reason = std::string(e.reason);
        replay.retries.keep(std::move(e.entry));
    }
    // the records, checked one by one as they join the store, each with its link to the next event of its
    // chain; their chunk is taken whole when they start it, mapped where it can be
    quint32 unrevealed = 0;
    for (quint32 i = from; i < to; ++i) {
        const quint32 local = i & (EventStore::ChunkSize - 1);
        if (local == 0) {
            s.m_store.reveal(unrevealed);
            unrevealed = 0;
            QString chunkWhy;
            if (!adoptChunk(i, std::min(events - i, EventStore::ChunkSize), &chunkWhy))
                return corrupt(chunkWhy);
        }
        if (!restoreChainsOpenedBy(i))
            return corrupt(QStringLiteral("chain %1 is not one").arg(m_chainsRestored));
        const std::size_t chains = m_chainsRestored;
        const EventRecord r = m_current->read(local);
        const quint64 offset = r.rawOffset();
        const bool chained = r.chain != EventRecord::NoChain;
        const bool caused = r.has(EventRecord::HasCausation);
        if (r.type >= types || r.source >= sources || r.origin() >= origins || offset > captureBytes
            || !isTime(r.eventTimeUs) || !isTime(r.receiveTimeUs) || r.rawLength() > captureBytes - offset
            || r.has(EventRecord::NotAnEvent) || chained != r.has(EventRecord::HasCorrelation)
            || (chained && r.chain >= chains) || (!caused && r.parentDelta != 0)
            || (r.parentDelta < 0 && quint32(-qint64(r.parentDelta)) > i)
            || (r.parentDelta > 0 && quint64(i) + quint64(r.parentDelta) >= events))
            return corrupt(QStringLiteral("event %1 names what is not there").arg(i));
        const quint32 link = m_current->link(local);
        // a link leads to the next event of the same chain, which names this one as its previous
        if (link != EventStore::NotFound && (!chained || link <= i || link >= events))
            return corrupt(QStringLiteral("event %1's chain link leads nowhere").arg(i));
        if (chained) {
            // the chain's first event is its opener, and each next one is where the last one's link led
            quint32& expected = m_nextOfChain[r.chain];
            if (expected == Unstarted ? i != s.m_chains.at(r.chain).opener : expected != i)
                return corrupt(QStringLiteral("event %1 is not linked into its chain").arg(i));
            expected = link;
            s.m_chains.count(r.chain, i, s.chainTime(r)); // its size and times, for the explorer on the way
        }
        if (r.isFirstOfId())
            ++m_firstOfIds;
        ++unrevealed;
    }
    s.m_store.reveal(unrevealed);
    if (m_shapeLogAt) {
        s.m_shapeLog.insert(s.m_shapeLog.end(), m_shapeLogAt + from, m_shapeLogAt + to);
        XXH3_64bits_update(m_partState[2], m_shapeLogAt + from, to - from);
    }
    // the figures' checksum a slice at a time too, so that their pages are read as the records' are (at
    // 100 M events, 320 MB the last step would wait for)
    const std::size_t figures = std::size_t(m_figuresEnd - m_figuresAt) - PartOpening;
    const std::size_t hashTo = to == events ? figures : std::size_t(double(figures) * to / events);
    if (hashTo > m_figuresHashed) {
        XXH3_64bits_update(m_partState[3], m_figuresAt + PartOpening + m_figuresHashed, hashTo - m_figuresHashed);
        m_figuresHashed = hashTo;
    }
    m_next = to;
    // the reports up to here (the rest of the figures come whole at the end: a replay of every event
    // would take longer than all else the restore does)
    s.m_ingested = to;
    s.replayReports(to);
    if (to < events)
        return More;
    if (m_chunkAt != m_chunksEnd)
        return corrupt(QStringLiteral("bytes after its last chunk"));
    if (XXH3_64bits_digest(m_hash) != m_recordsHash)
        return corrupt(QStringLiteral("its records fail their checksum"));
    if (m_chainsRestored != m_chainCount || m_chainsAt != m_chainsEnd)
        return corrupt(QStringLiteral("chain %1 opens with an event that is not there").arg(m_chainsRestored));
    if (m_entriesRestored != m_entries || m_entriesAt != m_entriesEnd)
        return corrupt(QStringLiteral("retry entry %1 is about an event that is not there").arg(m_entriesRestored));
    if (XXH3_64bits_digest(m_partState[0]) != m_partHashes[0])
        return corrupt(QStringLiteral("its chains fail their checksum"));
    if (XXH3_64bits_digest(m_partState[1]) != m_partHashes[1])
        return corrupt(QStringLiteral("its retry entries fail their checksum"));
    if (XXH3_64bits_digest(m_partState[2]) != m_partHashes[2])
        return corrupt(QStringLiteral("its shape log fails its checksum"));
    for (const quint32 next : m_nextOfChain) {
        if (next != EventStore::NotFound && next != Unstarted)
            return corrupt(QStringLiteral("a chain links past its last event"));
    }
    if (XXH3_64bits_digest(m_partState[3]) != m_partHashes[3])
        return corrupt(QStringLiteral("its figures fail their checksum"));
    s.m_store.rawStore().noteUse(m_chunk, events - 1);
    s.m_store.adoptUnindexed(m_firstOfIds);
    m_recordsDone = true;
    return stepFigures(maxEvents, why);
}

SessionIndex::Restore::Step SessionIndex::Restore::stepFigures(std::size_t maxEvents, QString* why)
{
    Session& s = *m_session;
    // the chains' counts, a slice at a time (at 100 M events, 15.6 M chains took 100 ms in one turn)
    const std::size_t to = std::min(m_chainCount, m_chainsCounted + std::max<std::size_t>(maxEvents, 1) * 8);
    const char* at = m_figuresAt + PartOpening + m_chainsCounted * ChainFigureBytes;
    for (std::size_t c = m_chainsCounted; c < to; ++c, at += ChainFigureBytes) {
        Chain& chain = s.m_chains.at(quint32(c));
        std::memcpy(&chain.failures, at, 4);
        std::memcpy(&chain.retries, at + 4, 4);
        std::memcpy(&chain.deadLetters, at + 8, 4);
        std::memcpy(&chain.orphans, at + 12, 2);
        std::memcpy(&chain.ends, at + 14, 2);
    }
    m_chainsCounted = to;
    if (to < m_chainCount)
        return More;
    if (!restoreFigures(why))
        return Failed;
    m_garbage = s.leaveReplay();
    if (s.m_ingested != m_ingested || s.m_duplicates != m_duplicates || s.m_pendingCauses != m_orphans
        || s.m_chains.liveCount() != m_liveChains || s.m_firstTimeUs != m_firstTimeUs
        || s.m_lastTimeUs != m_lastTimeUs) {
        s.reset();
        *why = QStringLiteral("corrupt: the rebuilt session does not match the saved one");
        return Failed;
    }
    return Done;
}

bool SessionIndex::Restore::adoptChunk(quint32 first, quint32 events, QString* why)
{
    // where the chunk's parts lie, checked against the bytes there are (its records are checked as they
    // are restored)
    const quint32 number = first / EventStore::ChunkSize;
    const std::size_t left = std::size_t(m_chunksEnd - m_chunkAt);
    ChunkHeader header;
    if (left < ChunkHeaderBytes) {
        *why = QStringLiteral("chunk %1 is cut short").arg(number);
        return false;
    }
    std::memcpy(&header, m_chunkAt, sizeof header);
    if (header.tag != tag("CHNK") || header.events != events) {
        *why = QStringLiteral("chunk %1 is not one").arg(number);
        return false;
    }
    char* const base = const_cast<char*>(m_chunkAt);
    std::size_t offset = ChunkHeaderBytes;
    char* const records = base + offset;
    offset += aligned(std::size_t(events) * EventChunk::FixedBytes);
    quint8 modes[EventChunk::Columns];
    quint64 bases[EventChunk::Columns];
    char* arrays[EventChunk::Columns];
    for (int k = 0; k < EventChunk::Columns; ++k) {
        if (header.columns[k][0] >= PackedColumn<quint64, qint32>::Modes
            || (k == EventChunk::RawChunkColumn && header.columns[k][0] != 0)) {
            *why = QStringLiteral("chunk %1 holds a column of no known form").arg(number);
            return false;
        }
        modes[k] = quint8(header.columns[k][0]);
        bases[k] = header.columns[k][1];
        const std::size_t bytes = EventChunk::arrayBytes(k, modes[k]) * events;
        arrays[k] = bytes ? base + offset : nullptr;
        offset += aligned(bytes);
    }
    if (left < offset) {
        *why = QStringLiteral("chunk %1 is cut short").arg(number);
        return false;
    }
    m_chunkAt += offset;
    XXH3_64bits_update(m_hash, base, offset);
    bases[EventChunk::RawChunkColumn] = m_chunk; // the capture's block in this session's raw store
    auto mapped = std::make_unique<EventChunk>(records, events, modes, bases, arrays);
    if (m_backing && events == EventStore::ChunkSize) {
        // the index's private mapping: nothing copied, and what the session changes later is copied
        // page by page by the kernel
        m_current = mapped.get();
        m_session->m_store.adoptChunk(std::move(mapped), m_backing);
        return true;
    }
    // memory that is not the session's to write (an index in memory), or the last chunk (the store
    // appends after its events): a copy
    auto copy = std::make_unique<EventChunk>(EventStore::ChunkSize, LargeArrayPages::Small);
    for (quint32 i = 0; i < events; ++i) {
        copy->write(i, mapped->read(i));
        copy->setLink(i, mapped->link(i));
    }
    m_current = copy.get();
    m_session->m_store.adoptChunk(std::move(copy), nullptr);
    return true;
}

void SessionIndex::Restore::stop()
{
    Session& s = *m_session;
    if (!m_recordsDone) {
        if (m_next > 0)
            s.m_store.rawStore().noteUse(m_chunk, m_next - 1);
        s.m_store.adoptUnindexed(m_firstOfIds);
    }
    if (s.m_replay) {
        // every figure of the events restored so far, as a replay rebuilds them (the chains were counted as
        // they came, and the reports replayed: counted again from the first)
        s.rewindReplay();
        m_garbage = s.leaveReplay();
    }
}

bool SessionIndex::Restore::restoreFigures(QString* why)
{
    Session& s = *m_session;
    auto corrupt = [&](const QString& what) {
        s.reset();
        *why = QStringLiteral("corrupt: %1").arg(what);
        return false;
    };
    FigureReader in(m_figuresAt + PartOpening + m_chainCount * ChainFigureBytes, m_figuresEnd);
    const FigureLimits limits { &s.m_types, s.m_sources.size(), s.m_origins.size(), m_chainCount, m_events,
        s.m_config.rateSeconds };
    if (in.ok() && s.m_stages.readFigures(in, limits) && s.m_flow.readFigures(in, limits)
        && s.m_rates.readFigures(in, limits)) {
        in.tag("ORGR");
        const int seconds = s.m_config.rateSeconds;
        figureOptionals(
            in, s.m_originRates, limits.origins, [seconds] { return std::make_unique<RateSeries>(seconds); },
            [seconds](FigureReader& a, RateSeries& r) {
                a.check(r.readFigures(a, seconds), "origin rates: a series cannot be");
            });
    }
    if (in.ok() && s.m_gaps.readFigures(in, limits) && s.m_busTimes.readFigures(in, limits))
        s.m_shapeTracker.readCounts(in);
    in.check(in.atEnd(), "bytes after the figures");
    if (!in.ok())
        return corrupt(QStringLiteral("its figures: %1").arg(in.why()));
    s.m_lastOriginRate = nullptr;
    s.m_pendingCauses = m_orphans;
    s.m_duplicates = m_duplicates;
    s.m_ingested = m_ingested;
    s.m_firstTimeUs = m_firstTimeUs;
    s.m_lastTimeUs = m_lastTimeUs;
    // the replay has taken in every event: leaving it counts nothing more
    s.m_replay->shown = m_events;
    return true;
}

bool SessionIndex::read(QByteArrayView index, const CaptureIdentity& identity, quint64 settingsKey, bool needShapes,
    std::shared_ptr<const RawBlock> capture, Session& session, Extra* extra, QString* why)
{
    Restore restore;
    if (!restore.begin(index, identity, settingsKey, needShapes, std::move(capture), session, extra, why))
        return false;
    if (restore.readOnFrom() != 0) {
        session.reset();
        *why = QStringLiteral("stale: the capture changed since it was indexed");
        return false;
    }
    return restore.step(restore.events(), why) == Restore::Done;
}

QString SessionIndex::besidePath(const QString& capture) { return capture + QStringLiteral(".esidx"); }

QString SessionIndex::cachePath(const QString& capture)
{
    // one place for the window and the command line, whatever their application names
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/EventScope/index/")
        + cacheName(capture);
}

bool SessionIndex::Restore::open(const QString& capturePath, quint64 settingsKey, bool needShapes, Session& session,
    Extra* extra, QString* why, quint64 captureBytes)
{
    why->clear(); // none saved, or a small capture (never indexed): nothing to say
    CaptureIdentity identity;
    QString error;
    if (!CaptureIdentity::of(capturePath, &identity, &error, captureBytes) || identity.size < MinimumCaptureBytes)
        return false;
    m_file = std::make_shared<QFile>(besidePath(capturePath));
    if (!QFileInfo(m_file->fileName()).isFile())
        m_file->setFileName(cachePath(capturePath));
    if (!m_file->open(QIODevice::ReadOnly))
        return false;
    const qint64 size = m_file->size();
    const uchar* bytes = size > 0 ? m_file->map(0, size, QFileDevice::MapPrivateOption) : nullptr;
    if (!bytes) {
        *why = QStringLiteral("%1: cannot be mapped").arg(m_file->fileName());
        return false;
    }
    auto capture = std::make_shared<MappedCapture>();
    if (!capture->open(capturePath, identity.size) || capture->size() != identity.size) {
        *why = QStringLiteral("%1: cannot be mapped").arg(capturePath);
        return false;
    }
    // the mapping is private and writable: the store may keep the chunks in it (adoptChunk())
    m_backing = m_file;
    QString reason;
    if (!begin(QByteArrayView(bytes, size), identity, settingsKey, needShapes, std::move(capture), session, extra,
            &reason)) {
        *why = QStringLiteral("%1: %2").arg(m_file->fileName(), reason);
        return false;
    }
    return true;
}

bool SessionIndex::load(const QString& capturePath, quint64 settingsKey, bool needShapes, Session& session,
    Extra* extra, QString* why, ReadOnAt* readOn, quint64 captureBytes)
{
    Restore restore;
    if (!restore.open(capturePath, settingsKey, needShapes, session, extra, why, captureBytes))
        return false;
    if (restore.readOnFrom() != 0) {
        if (!readOn) {
            session.reset();
            *why = QStringLiteral("%1: stale: the capture changed since it was indexed").arg(restore.path());
            return false;
        }
        *readOn = { restore.readOnFrom(), restore.capture() };
    }
    QString reason;
    if (restore.step(restore.events(), &reason) != Restore::Done) {
        *why = QStringLiteral("%1: %2").arg(restore.path(), reason);
        return false;
    }
    return true;
}

bool SessionIndex::Save::prepare(
    const QString& capturePath, const Session& session, quint64 settingsKey, const Extra& extra, QString* error)
{
    if (const QString why = whyNot(session); !why.isEmpty()) {
        *error = why;
        return false;
    }
    if (!CaptureIdentity::of(capturePath, &m_identity, error))
        return false;
    const RawBlock* capture = session.m_store.rawStore().blockOf(session.m_store.at(0).rawChunk());
    if (m_identity.size != capture->size()) {
        // records appended since it was read (a bookmark, a recording that goes on): the index is of the
        // bytes read, which the capture begins with (the mapping shows the file's bytes), and is read on
        // from their end; its time is not the capture's
        if (m_identity.size < capture->size() || extra.readOn.records == 0 || capture->size() <= HashedBlock) {
            *error = QStringLiteral("%1 changed while it was read").arg(capturePath);
            return false;
        }
        m_identity.size = capture->size();
        m_identity.modifiedMs = 0;
        m_identity.tailHash = hashOf(capture->data() + capture->size() - HashedBlock, HashedBlock);
    }
    m_session = &session;
    m_capture = capturePath;
    m_key = settingsKey;
    m_extra = extra;
    return true;
}

void SessionIndex::Save::waitForSections() const { m_takenFuture.wait(); }

bool SessionIndex::Save::write(QString* where, QString* error)
{
    const QByteArray taken = sections(*m_session, m_extra);
    m_taken.set_value();
    for (const QString& path : { besidePath(m_capture), cachePath(m_capture) }) {
        QDir().mkpath(QFileInfo(path).absolutePath());
        QSaveFile file(path);
        if (file.open(QIODevice::WriteOnly) && writeTo(file, *m_session, m_identity, m_key, taken) && file.commit()) {
            *where = path;
            return true;
        }
        *error = QStringLiteral("%1: %2").arg(path, file.errorString());
    }
    return false;
}

bool SessionIndex::save(const QString& capturePath, const Session& session, quint64 settingsKey, const Extra& extra,
    QString* where, QString* error)
{
    Save save;
    return save.prepare(capturePath, session, settingsKey, extra, error) && save.write(where, error);
}

void SessionIndex::remove(const QString& capturePath)
{
    QFile::remove(besidePath(capturePath));
    QFile::remove(cachePath(capturePath));
}
