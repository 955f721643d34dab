// SPDX-License-Identifier: MIT
// A capture's saved index: what it restores equals what reading the capture made, on our own generator's
// captures and on the other systems' fixtures; stale, truncated, corrupted and hostile indexes are
// refused, saying why.
#include "captureloader.h"
#include "capturewriter.h"
#include "compression.h"
#include "decodedbatch.h"
#include "demodata.h"
#include "eventdecoder.h"
#include "session.h"
#include "sessionindex.h"
#include "sessionsummary.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>

namespace {
Session::Config captureConfig()
{
    Session::Config c;
    c.clock = Session::Clock::Recorded;
    c.memoryCapBytes = 0;
    return c;
}

/// The demo bus's incident (failures, retries, dead letters, breaker transitions) for `seconds` at
/// 2,000 events/s, about 375 bytes an event, with a malformed line after every 5,000 lines.
QByteArray incidentCapture(int seconds)
{
    QByteArrayList lines = demoLines(seconds, 2000, earlyIncident());
    for (int i = 5000; i < lines.size(); i += 5001)
        lines.insert(i, "{\"id\": \"half an event");
    return lines.join('\n') + '\n';
}

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

QByteArray summaryOf(const Session& s) { return QJsonDocument(SessionSummary::toJson(s)).toJson(); }

/// A rate series, second by second over the last hour before its head, and minute by minute.
QByteArray seriesOf(const RateSeries* r)
{
    if (!r)
        return "none";
    QByteArray out = QByteArray::number(r->total()) + ' ' + QByteArray::number(r->peak()) + ' '
        + QByteArray::number(r->headSecond()) + ' ' + QByteArray::number(r->firstSecond()) + ' '
        + QByteArray::number(r->tooOld()) + ' ' + QByteArray::number(r->lastSeenUs()) + ' '
        + QByteArray::number(r->firstMinuteKept()) + ':';
    if (r->total() == 0)
        return out; // its head and first second are the extremes of qint64
    for (qint64 sec = r->headSecond() - 3600; sec <= r->headSecond(); ++sec)
        if (const quint32 n = r->countAt(sec))
            out += ' ' + QByteArray::number(sec) + '=' + QByteArray::number(n);
    for (qint64 m = r->firstMinuteKept(); m <= r->headSecond() / 60; ++m)
        out += " m" + QByteArray::number(r->countInMinute(m));
    return out;
}

QByteArray histogramOf(const LatencyHistogram& h)
{
    QByteArray out
        = QByteArray::number(h.count()) + ' ' + QByteArray::number(h.minUs()) + ' ' + QByteArray::number(h.maxUs());
    for (const double q : { 0.1, 0.5, 0.9, 0.99 })
        out += ' ' + QByteArray::number(h.quantileUs(q));
    return out;
}

/// The figures a restore takes whole from the index rather than from a replay: rates (by type, domain,
/// origin, problem kind, quiet spells), chains' counts and stages, the flow, gaps, times on the bus.
QByteArray figuresOf(const Session& s)
{
    QByteArray out = "all " + seriesOf(&s.rates().all()) + '\n';
    for (std::size_t t = 0; t < s.types().size(); ++t) {
        out += "rate " + QByteArray::number(qulonglong(t)) + ' ' + seriesOf(s.rates().type(StringPool::Id(t)))
            + " domain "
            + QByteArray::fromStdString(std::string(s.rates().domains().view(s.rates().domainOf(StringPool::Id(t)))))
            + '\n';
        out += "node " + QByteArray::number(s.flow().nodes().size() > t ? s.flow().nodes()[t].events : 0) + ' '
            + QByteArray::number(s.flow().nodes().size() > t ? s.flow().nodes()[t].failed : 0) + '\n';
    }
    for (std::size_t d = 0; d < s.rates().domains().size(); ++d)
        out += "domain " + seriesOf(s.rates().domain(StringPool::Id(d))) + '\n';
    for (const RateTracker::Quiet& q : s.rates().quiets())
        out += "quiet " + QByteArray::number(q.type) + ' ' + QByteArray::number(q.fromUs) + ' '
            + QByteArray::number(q.toUs) + '\n';
    for (quint16 o = 0; o < s.origins().size(); ++o) {
        out += "origin " + seriesOf(s.originRate(o)) + " gaps " + QByteArray::number(s.gaps().gaps(o));
        for (const auto& [first, last] : s.gaps().missing(o))
            out += ' ' + QByteArray::number(first) + '-' + QByteArray::number(last);
        out += '\n';
    }
    for (const RetryTracker::Kind k : { RetryTracker::Retry, RetryTracker::DeadLetter, RetryTracker::Failure })
        out += "problems " + seriesOf(&s.problemRate(k)) + '\n';
    for (std::size_t src = 0; src < s.sources().size(); ++src)
        out += "bus " + QByteArray::number(s.busTimes().events(quint16(src))) + ' '
            + QByteArray::number(s.busTimes().samples(quint16(src))) + ' '
            + QByteArray::number(s.busTimes().quantileUs(quint16(src), 0.5)) + '\n';
    for (quint32 c = 0; c < s.chains().size(); ++c) {
        const Chain& chain = s.chains().at(c);
        if (chain.size == 0)
            continue; // not opened yet (a replay), or not restored yet
        const auto [root, stage] = s.stages().chainStage(c, chain.opener);
        out += "chain " + QByteArray::number(chain.size) + ' ' + QByteArray::number(chain.startUs) + ' '
            + QByteArray::number(chain.endUs) + ' ' + QByteArray::number(chain.failures) + ' '
            + QByteArray::number(chain.retries) + ' ' + QByteArray::number(chain.deadLetters) + ' '
            + QByteArray::number(chain.orphans) + ' ' + QByteArray::number(chain.ends) + " stage "
            + QByteArray::number(root) + '/' + QByteArray::number(stage) + '\n';
    }
    for (const StageTracker::Stage& st : s.stages().stages())
        out += "stage " + QByteArray::number(st.root) + ' ' + QByteArray::number(st.type) + ' '
            + QByteArray::number(st.reached) + ' ' + QByteArray::number(st.endedHere) + ' ' + histogramOf(st.fromRoot)
            + ' ' + histogramOf(st.fromPrevious) + '\n';
    out += "stages dropped " + QByteArray::number(s.stages().dropped()) + " common "
        + QByteArray::number(s.stages().commonRoot()) + '\n';
    for (const FlowTracker::Edge& e : s.flow().edges())
        out += "edge " + QByteArray::number(e.from) + ' ' + QByteArray::number(e.to) + ' ' + QByteArray::number(e.count)
            + ' ' + QByteArray::number(e.failed) + ' ' + QByteArray::number(e.early) + ' ' + histogramOf(e.hop) + '\n';
    out += "links " + QByteArray::number(s.flow().linkCount()) + ' ' + QByteArray::number(s.flow().droppedLinks())
        + '\n';
    for (quint32 i = 0; i < s.store().size(); ++i)
        if (s.flow().hasFailed(i))
            out += "failed " + QByteArray::number(i) + '\n';
    return out;
}

/// Everything a view reads of a session beyond its summary, as text, to compare two sessions by.
QByteArray detailsOf(const Session& s)
{
    QByteArray out;
    const quint32 n = s.store().size();
    for (quint32 i = 0; i < n; i += std::max<quint32>(1, n / 2000)) {
        const EventRecord r = s.store().at(i);
        out += QByteArray::number(i) + ' ' + r.id.toString().toLatin1() + ' ' + QByteArray::number(r.eventTimeUs) + ' '
            + QByteArray::number(r.receiveTimeUs) + ' ' + QByteArray::number(r.seq()) + ' '
            + QByteArray::number(r.flags()) + ' ' + QByteArray::number(r.parentDelta) + ' '
            + QByteArray(s.types().view(r.type).data(), qsizetype(s.types().view(r.type).size())) + ' '
            + QByteArray::number(s.store().link(i)) + ' ' + QByteArray::fromStdString(std::string(s.raw(i))) + '\n';
        if (r.chain != EventRecord::NoChain) {
            out += "  chain " + s.chains().idText(r.chain).toLatin1();
            for (quint32 e : s.chains().members(r.chain, s.store()))
                out += ' ' + QByteArray::number(e);
            out += '\n';
        }
        out += "  found " + QByteArray::number(s.store().findId(r.id)) + '\n';
    }
    for (std::size_t b = 0; b < s.breakers().size(); ++b) {
        out += "breaker " + s.breakerLabel(b).toUtf8();
        for (const BreakerTransition& t : s.breakers().at(b).history)
            out += ' ' + QByteArray::number(t.event) + ':' + QByteArray::number(t.to) + ':'
                + QByteArray::fromStdString(t.reason);
        out += '\n';
    }
    for (const RetryTracker::Entry& e : s.retries().entries())
        out += "entry " + QByteArray::number(e.kind) + ' ' + QByteArray::number(e.event) + ' '
            + QByteArray::number(e.target) + ' ' + QByteArray::number(e.type) + ' '
            + QByteArray::fromStdString(e.reason) + '\n';
    for (const MalformedRecord& m : s.firstMalformed())
        out += "malformed " + m.describe(s.originName(m.position.origin)).toUtf8() + '\n';
    for (const MalformedRecord& m : s.recentMalformed())
        out += "recent " + m.describe(s.originName(m.position.origin)).toUtf8() + '\n';
    for (const MalformedRecord& m : s.firstClockSkewed())
        out += "skewed " + m.describe(s.originName(m.position.origin)).toUtf8() + '\n';
    out += figuresOf(s);
    const auto& shapes = s.shapes().types();
    for (std::size_t t = 0; t < shapes.size(); ++t) {
        out += "shapes " + QByteArray::number(qulonglong(t)) + ' ' + QByteArray::number(shapes[t].events) + '/'
            + QByteArray::number(shapes[t].unlearned);
        for (const auto& shape : shapes[t].shapes)
            out += ' ' + QByteArray::number(shape.events);
        for (const auto& f : shapes[t].fields)
            out += ' ' + QByteArray::fromStdString(f.path) + '/' + QByteArray::number(f.types);
        out += " changes " + QByteArray::number(qulonglong(shapes[t].changes.size())) + '\n';
    }
    return out;
}

/// The block a whole read's events point into (the mapped capture), without owning it.
std::shared_ptr<const RawBlock> blockOf(const Session& s)
{
    return std::shared_ptr<const RawBlock>(s.store().rawStore().blockOf(s.store().at(0).rawChunk()), [](auto*) {});
}

/// What an index made in memory is tied to: the size of the capture its events' bytes are in.
CaptureIdentity identityOf(const Session& s)
{
    CaptureIdentity id;
    id.size = blockOf(s)->size();
    return id;
}

/// The chunks of an index (docs/capture-format.md): where chunk `k` starts.
std::size_t chunkAt(const QByteArray& index, quint32 k)
{
    const auto aligned = [](std::size_t n) { return (n + 63) / 64 * 64; };
    quint64 metaBytes;
    std::memcpy(&metaBytes, index.constData() + 64, sizeof metaBytes);
    std::size_t at = aligned(SessionIndex::HeaderBytes + std::size_t(metaBytes));
    for (quint32 c = 0; c < k; ++c) {
        quint32 events;
        std::memcpy(&events, index.constData() + at + 4, sizeof events);
        std::size_t bytes = 128 + aligned(std::size_t(events) * EventChunk::FixedBytes);
        for (int column = 0; column < EventChunk::Columns; ++column) {
            quint64 mode;
            std::memcpy(&mode, index.constData() + at + 8 + column * 16, sizeof mode);
            bytes += aligned(EventChunk::arrayBytes(column, quint8(mode)) * events);
        }
        at += bytes;
    }
    return at;
}

/// Where event `i`'s record starts in an index (EventChunk's 44 bytes: id 0, raw length and flags 16,
/// chain 20, link 24, cause 28, event time 32, raw offset 36, type 40, source 42).
std::size_t recordAt(const QByteArray& index, quint32 i)
{
    return chunkAt(index, i / EventStore::ChunkSize) + 128
        + std::size_t(i % EventStore::ChunkSize) * EventChunk::FixedBytes;
}

/// Where the items of a section read as the records come start in an index: 0 the chains (CHNS), 1 the
/// retry entries (RTRS), 2 the shape log (SLOG), 3 the figures (FIGS), after its tag and count. PART, which opens the
/// sections, gives the bytes before them and each one's bytes.
std::size_t streamedAt(const QByteArray& index, int section)
{
    quint64 part[9];
    std::memcpy(part, index.constData() + SessionIndex::HeaderBytes + 4, sizeof part);
    std::size_t at = SessionIndex::HeaderBytes + std::size_t(part[0]);
    for (int k = 0; k < section; ++k)
        at += std::size_t(part[1 + 2 * k]);
    return at + 12;
}

/// Where a tracker's figures (`tag`: STGS, FLOW, RATE, ORGR, GAPS, BUST, SHPC) lie in the FIGS section:
/// at its tag.
std::size_t figuresAt(const QByteArray& index, const char* tag)
{
    return std::size_t(index.indexOf(tag, qsizetype(streamedAt(index, 3))));
}

/// Where the mode of column `column` of chunk `k` lies in an index (its first value follows it).
std::size_t columnAt(const QByteArray& index, quint32 k, int column)
{
    return chunkAt(index, k) + 8 + std::size_t(column) * 16;
}
} // namespace

class TestSessionIndex : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    QString m_capture;
    DecoderConfig m_decoder;
    quint64 m_key = 0;

    /// Begins restoring `index`, made of `read`, into `into`, as the window restores its capture.
    bool beginRestore(
        SessionIndex::Restore& restore, const Session& read, const QByteArray& index, Session& into, QString* why)
    {
        return restore.begin(index, identityOf(read), m_key, true, blockOf(read), into, nullptr, why);
    }

    std::unique_ptr<Session> readWhole(const QString& path, const DecoderConfig& decoder, const QString& records = {})
    {
        Session::Config config = captureConfig();
        config.recordDirectory = records;
        auto s = std::make_unique<Session>(config);
        QString error;
        if (!CaptureLoader::readInto(*s, path, &error, decoder))
            qWarning() << error;
        return s;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        m_capture = m_dir.filePath(QStringLiteral("incident.ndjson"));
        QVERIFY(writeFile(m_capture, incidentCapture(20)));
        QVERIFY(QFileInfo(m_capture).size() >= qint64(SessionIndex::MinimumCaptureBytes));
        m_decoder.learnShapes = true;
        m_key = SessionIndex::settingsKey(captureConfig(), m_decoder);
    }

    void init() { SessionIndex::remove(m_capture); }

    void aSavedIndexRestoresWhatAWholeReadMade()
    {
        const auto read = readWhole(m_capture, m_decoder);
        QVERIFY(read->eventCount() >= 40000);
        QVERIFY(read->breakers().size() > 0);
        QVERIFY(read->retries().entries().size() > 100);
        QCOMPARE(read->malformedCount(), quint64(8));
        QVERIFY2(SessionIndex::whyNot(*read).isEmpty(), qPrintable(SessionIndex::whyNot(*read)));
        QString where, error;
        SessionIndex::Extra extra;
        extra.annotations.emplace_back(42, QByteArray("{\"kind\":\"bookmark\"}"));
        QVERIFY2(SessionIndex::save(m_capture, *read, m_key, extra, &where, &error), qPrintable(error));
        QCOMPARE(where, SessionIndex::besidePath(m_capture));
        // a fraction of the capture: the records as the store keeps them (44 bytes an event) and the reports
        QVERIFY(QFileInfo(where).size() < QFileInfo(m_capture).size() / 6);

        Session restored(captureConfig());
        SessionIndex::Extra back;
        QString why;
        QVERIFY2(SessionIndex::load(m_capture, m_key, true, restored, &back, &why), qPrintable(why));
        QCOMPARE(summaryOf(restored), summaryOf(*read));
        QCOMPARE(detailsOf(restored), detailsOf(*read));
        QCOMPARE(back.annotations.size(), std::size_t(1));
        QCOMPARE(back.annotations[0].second, extra.annotations[0].second);
        // a replay of the restored session goes as one of the read session does
        restored.replayTo(20000);
        read->replayTo(20000);
        QCOMPARE(summaryOf(restored), summaryOf(*read));
        restored.replayTo(restored.storedCount());
        read->replayTo(read->storedCount());
        QCOMPARE(summaryOf(restored), summaryOf(*read));
        // ids are found without the index a read builds (it is built again when events come)
        QCOMPARE(restored.store().findId(restored.store().at(39000).id), quint32(39000));
        // its whole chunks are the index's mapped pages, not the heap's: only the last one, which the
        // store may append to, is a copy
        QVERIFY(read->storedCount() > EventStore::ChunkSize);
        const std::size_t restoredHeap = restored.store().heapBytes() - restored.store().rawStore().heapBytes();
        const std::size_t readHeap = read->store().heapBytes() - read->store().rawStore().heapBytes();
        QVERIFY2(restoredHeap + EventStore::ChunkSize * EventChunk::FixedBytes <= readHeap,
            qPrintable(QStringLiteral("%1 restored, %2 read").arg(restoredHeap).arg(readHeap)));
    }

    void recordsInARecordFileReadAndSaveAsOnTheHeap()
    {
        // an hour of a bus keeps its full chunks' records in a record file (the page cache), not the
        // heap: every figure, the index saved from it and a replay are those of a session that holds
        // them on the heap
        const QTemporaryDir records(QDir::currentPath() + QStringLiteral("/records-XXXXXX")); // not tmpfs
        const auto onDisk = readWhole(m_capture, m_decoder, records.path());
        const auto onHeap = readWhole(m_capture, m_decoder);
        const quint64 full = onHeap->storedCount() / EventStore::ChunkSize;
        QVERIFY(full >= 1);
        QVERIFY2(onDisk->store().recordFileError().isEmpty(), qPrintable(onDisk->store().recordFileError()));
        QCOMPARE(onDisk->store().recordFileBytes(), full * EventStore::ChunkSize * EventChunk::FixedBytes);
        // each full chunk's records are off the heap; its columns' arrays are where they were
        for (quint32 k = 0; k < full; ++k) {
            const quint32 first = k * EventStore::ChunkSize;
            QCOMPARE(onDisk->store().chunkHolding(first).heapBytes() + EventStore::ChunkSize * EventChunk::FixedBytes,
                onHeap->store().chunkHolding(first).heapBytes());
        }
        QCOMPARE(summaryOf(*onDisk), summaryOf(*onHeap));
        QCOMPARE(detailsOf(*onDisk), detailsOf(*onHeap));
        QString where, error, why;
        QVERIFY2(SessionIndex::save(m_capture, *onDisk, m_key, {}, &where, &error), qPrintable(error));
        Session restored(captureConfig());
        QVERIFY2(SessionIndex::load(m_capture, m_key, true, restored, nullptr, &why), qPrintable(why));
        QCOMPARE(summaryOf(restored), summaryOf(*onHeap));
        QCOMPARE(detailsOf(restored), detailsOf(*onHeap));
        onDisk->replayTo(20000);
        onHeap->replayTo(20000);
        QCOMPARE(summaryOf(*onDisk), summaryOf(*onHeap));
        onDisk->replayTo(onDisk->storedCount());
        onHeap->replayTo(onHeap->storedCount());
        QCOMPARE(detailsOf(*onDisk), detailsOf(*onHeap));
    }

    void otherSystemsEnvelopesPastAChunkReadFromTheRecordFileAsFromTheHeap()
    {
        // data we did not write, past the first chunk of 32,768 records: EventStoreDB, MassTransit and
        // Axon events, each of its own file and all of them interleaved, said again and again (every
        // repeat a duplicate in the same chains, so duplicate flags and chain links land in records
        // already in the record file) read the same from the record file as from the heap, and the
        // index saved from it restores them
        const QString dir = QStringLiteral(EVENTSCOPE_TEST_DATA "/profiles/");
        QList<QByteArrayList> fixtures;
        for (const char* name : { "eventstoredb-export.ndjson", "masstransit.ndjson", "axon.ndjson" }) {
            QFile f(dir + QLatin1String(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            QByteArrayList lines = f.readAll().trimmed().split('\n');
            QVERIFY(!lines.isEmpty());
            fixtures << lines;
        }
        QList<QByteArrayList> files = fixtures;
        files << QByteArrayList();
        for (const QByteArrayList& f : fixtures)
            files.back() << f;
        // every event's record (a few chains of 13,000-40,000 events: detailsOf() lists each sampled
        // event's whole chain)
        const auto recordsOf = [](const Session& s) {
            QByteArray out;
            for (quint32 i = s.store().first(); i != s.store().end(); ++i) {
                const EventRecord r = s.store().at(i);
                out += r.id.toString().toLatin1() + ' ' + QByteArray::number(r.eventTimeUs) + ' '
                    + QByteArray::number(r.flags()) + ' ' + QByteArray::number(r.parentDelta) + ' '
                    + QByteArray::number(r.chain) + ' ' + QByteArray::number(s.store().link(i)) + '\n';
            }
            return out;
        };
        const QTemporaryDir records(QDir::currentPath() + QStringLiteral("/records-XXXXXX")); // not tmpfs
        for (const QByteArrayList& lines : files) {
            QByteArray text;
            int events = 0;
            while (events < 40000) {
                for (const QByteArray& line : lines)
                    text += line + '\n';
                events += int(lines.size());
            }
            const QString path = m_dir.filePath(QStringLiteral("foreign-%1.ndjson").arg(files.indexOf(lines)));
            QVERIFY(writeFile(path, text));
            const auto onDisk = readWhole(path, m_decoder, records.path());
            const auto onHeap = readWhole(path, m_decoder);
            QCOMPARE(onHeap->eventCount(), quint64(events));
            QVERIFY2(onDisk->store().recordFileBytes() >= EventStore::ChunkSize * EventChunk::FixedBytes,
                qPrintable(onDisk->store().recordFileError()));
            QVERIFY(onDisk->duplicateCount() > 30000);
            QCOMPARE(summaryOf(*onDisk), summaryOf(*onHeap));
            QCOMPARE(recordsOf(*onDisk), recordsOf(*onHeap));
            const QByteArray index = SessionIndex::make(*onDisk, identityOf(*onDisk), m_key, {});
            Session restored(captureConfig());
            QString why;
            QVERIFY2(
                SessionIndex::read(index, identityOf(*onDisk), m_key, true, blockOf(*onDisk), restored, nullptr, &why),
                qPrintable(path + QStringLiteral(": ") + why));
            QCOMPARE(summaryOf(restored), summaryOf(*onHeap));
            QCOMPARE(recordsOf(restored), recordsOf(*onHeap));
        }
    }

    void aMappedIndexChangesInMemoryOnly()
    {
        // events after a restore change records in the mapped chunks (the link from a chain's last event,
        // a cause found): the mapping is private, so the index file stays as it was, and valid
        const auto read = readWhole(m_capture, m_decoder);
        QString where, error, why;
        QVERIFY2(SessionIndex::save(m_capture, *read, m_key, {}, &where, &error), qPrintable(error));
        QFile file(where);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray saved = file.readAll();
        file.close();
        Session restored(captureConfig());
        QVERIFY2(SessionIndex::load(m_capture, m_key, true, restored, nullptr, &why), qPrintable(why));
        const EventStore& store = restored.store();
        // a chain whose last event lies in the first chunk (mapped)
        quint32 chain = 0;
        while (!restored.chains().alive(chain) || restored.chains().at(chain).last >= EventStore::ChunkSize / 2)
            ++chain;
        const quint32 last = restored.chains().at(chain).last;
        QCOMPARE(store.link(last), EventStore::NotFound);
        const quint32 next = store.end();
        feed(restored,
            { nativeEvent("6c1f3a52-0b8e-4b7a-9d55-1a2b3c4d5e6f", "booking.reviewed", isoAt(3600000),
                restored.chains().idText(chain).toUtf8(), store.at(last).id.toString().toUtf8()) });
        QCOMPARE(store.end(), next + 1);
        QCOMPARE(store.link(last), next); // written into the mapped chunk
        QCOMPARE(restored.chains().at(chain).last, next);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll(), saved);
        Session again(captureConfig());
        QVERIFY2(SessionIndex::load(m_capture, m_key, true, again, nullptr, &why), qPrintable(why));
        QCOMPARE(summaryOf(again), summaryOf(*read));
    }

    void aRestoreInSlicesShowsWhatItHasAndEndsAsTheWholeOne()
    {
        const auto read = readWhole(m_capture, m_decoder);
        const QByteArray index = SessionIndex::make(*read, identityOf(*read), m_key, {});
        Session restored(captureConfig());
        SessionIndex::Restore restore;
        QString why;
        QVERIFY2(beginRestore(restore, *read, index, restored, &why), qPrintable(why));
        QCOMPARE(restore.events(), quint32(read->eventCount()));
        QVERIFY(read->retries().entries().size() > 100); // reports all along the capture
        SessionIndex::Restore::Step step = SessionIndex::Restore::More;
        int slices = 0;
        while (step == SessionIndex::Restore::More) {
            step = restore.step(3000, &why);
            ++slices;
            if (step == SessionIndex::Restore::More) {
                // what a view sees on the way: the events restored so far, counted, with their reports
                // (retries, failures, dead letters), which are restored with the events they are about
                QCOMPARE(restored.store().size(), restore.restored());
                QCOMPARE(restored.eventCount(), quint64(restore.restored()));
                const auto& all = read->retries().entries();
                const auto reported = std::count_if(
                    all.begin(), all.end(), [&](const RetryTracker::Entry& e) { return e.event < restore.restored(); });
                QCOMPARE(qsizetype(restored.retries().entries().size()), qsizetype(reported));
            }
        }
        QCOMPARE(step, SessionIndex::Restore::Done);
        QCOMPARE(slices, int((read->eventCount() + 2999) / 3000));
        QCOMPARE(summaryOf(restored), summaryOf(*read));
        QCOMPARE(detailsOf(restored), detailsOf(*read));
    }

    void theChainsCountsComeASliceAtATimeAfterTheLastRecord()
    {
        // at 100 M events, 15.6 M chains' counts in one turn held the window 100 ms: eight chains for each
        // event a step may take, after the last record, then the trackers' figures
        const auto read = readWhole(m_capture, m_decoder);
        const QByteArray index = SessionIndex::make(*read, identityOf(*read), m_key, {});
        Session restored(captureConfig());
        SessionIndex::Restore restore;
        QString why;
        QVERIFY2(beginRestore(restore, *read, index, restored, &why), qPrintable(why));
        const std::size_t chains = read->chains().size();
        QVERIFY(chains > 3 * 128);
        std::size_t after = 0;
        SessionIndex::Restore::Step step;
        while ((step = restore.step(16, &why)) == SessionIndex::Restore::More) {
            if (restore.restored() == restore.events()) {
                ++after;
                QCOMPARE(restored.eventCount(), read->eventCount()); // every event is in, and shown
            }
        }
        QCOMPARE(step, SessionIndex::Restore::Done);
        QCOMPARE(after, (chains + 127) / 128 - 1);
        QCOMPARE(summaryOf(restored), summaryOf(*read));
        QCOMPARE(detailsOf(restored), detailsOf(*read));

        // cancelled among the chains' counts: every event is in, and so is every figure
        Session cancelled(captureConfig());
        SessionIndex::Restore again;
        QVERIFY2(beginRestore(again, *read, index, cancelled, &why), qPrintable(why));
        while (again.restored() < again.events())
            QCOMPARE(again.step(16, &why), SessionIndex::Restore::More);
        QCOMPARE(again.step(16, &why), SessionIndex::Restore::More);
        again.stop();
        QCOMPARE(summaryOf(cancelled), summaryOf(*read));
        QCOMPARE(detailsOf(cancelled), detailsOf(*read));
    }

    void aRestoreCancelledHalfwayHoldsEveryFigureOfWhatItRestored()
    {
        // as a read cancelled there: every figure of the events restored, none of the rest
        const auto read = readWhole(m_capture, m_decoder);
        const QByteArray index = SessionIndex::make(*read, identityOf(*read), m_key, {});
        Session restored(captureConfig());
        SessionIndex::Restore restore;
        QString why;
        QVERIFY2(beginRestore(restore, *read, index, restored, &why), qPrintable(why));
        while (restore.restored() < restore.events() / 2)
            QCOMPARE(restore.step(3000, &why), SessionIndex::Restore::More);
        restore.stop();
        const quint32 half = restore.restored();
        QCOMPARE(restored.storedCount(), half);
        QCOMPARE(restored.eventCount(), quint64(half));
        read->replayTo(half);
        QCOMPARE(detailsOf(restored), detailsOf(*read));
        QVERIFY(restored.flow().linkCount() > 0 && restored.stages().commonRoot() >= 0);
    }

    void otherSystemsCapturesRestoreAsTheyRead()
    {
        // data we did not write: every fixture of other systems' envelopes and clocks that a read maps
        int indexed = 0;
        QDirIterator it(QStringLiteral(EVENTSCOPE_TEST_DATA), { QStringLiteral("*.json"), QStringLiteral("*.ndjson") },
            QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            if (path.contains(QStringLiteral("asyncapi")))
                continue; // schemas, not captures
            const auto read = readWhole(path, m_decoder);
            if (!SessionIndex::whyNot(*read).isEmpty())
                continue;
            const QByteArray index = SessionIndex::make(*read, identityOf(*read), m_key, {});
            Session restored(captureConfig());
            QString why;
            QVERIFY2(SessionIndex::read(index, identityOf(*read), m_key, true, blockOf(*read), restored, nullptr, &why),
                qPrintable(path + QStringLiteral(": ") + why));
            QVERIFY2(summaryOf(restored) == summaryOf(*read), qPrintable(path));
            QVERIFY2(detailsOf(restored) == detailsOf(*read), qPrintable(path));
            ++indexed;
        }
        QVERIFY2(indexed >= 10, qPrintable(QString::number(indexed)));
    }

    void aStaleIndexIsIgnored()
    {
        const auto read = readWhole(m_capture, m_decoder);
        QString where, error, why;
        QVERIFY(SessionIndex::save(m_capture, *read, m_key, {}, &where, &error));
        // the same bytes, written again later: the time tells
        QFile f(m_capture);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.setFileTime(QDateTime::currentDateTime().addSecs(60), QFileDevice::FileModificationTime));
        f.close();
        Session restored(captureConfig());
        QVERIFY(!SessionIndex::load(m_capture, m_key, true, restored, nullptr, &why));
        QVERIFY2(why.contains(QStringLiteral("stale: the capture changed")), qPrintable(why));
        QCOMPARE(restored.eventCount(), quint64(0));
        // more events appended
        QVERIFY(SessionIndex::save(m_capture, *read, m_key, {}, &where, &error));
        QVERIFY(f.open(QIODevice::Append));
        f.write(incidentCapture(1));
        f.close();
        Session again(captureConfig());
        QVERIFY(!SessionIndex::load(m_capture, m_key, true, again, nullptr, &why));
        QVERIFY2(why.contains(QStringLiteral("stale")), qPrintable(why));
        // an NDJSON file's index says nowhere to read on from: a caller that could is refused too
        Session other(captureConfig());
        SessionIndex::ReadOnAt readOn;
        QVERIFY(!SessionIndex::load(m_capture, m_key, true, other, nullptr, &why, &readOn));
        QVERIFY2(why.contains(QStringLiteral("stale")), qPrintable(why));
        QCOMPARE(readOn.offset, quint64(0));
        QVERIFY(writeFile(m_capture, incidentCapture(20)));
    }

    void aCaptureThatGrewIsRestoredAndReadOn()
    {
        // an EventScope capture recorded on after its index was saved (a recording that went on, a
        // bookmark added): the index restores what it holds, the rest is read on from its end, and the
        // session equals a read of the whole (chains, causes and duplicates across the join included)
        const QString path = m_dir.filePath(QStringLiteral("grew.escap"));
        const QByteArrayList lines = demoLines(24, 2000, earlyIncident());
        const qsizetype cut = lines.size() * 3 / 4;
        const qint64 t0 = 1764410400000000;
        {
            CaptureWriter out;
            QVERIFY(out.open(path, QUrl(QStringLiteral("ws://bus/events")), t0));
            QVERIFY(out.writeOrigin(1, QUrl(QStringLiteral("ws://bus/events"))));
            for (qsizetype i = 0; i < cut; ++i)
                QVERIFY(out.writeFrame(1, t0 + i * 500, lines[i]));
            QVERIFY(out.writeAnnotation(t0 + 7, "{\"kind\":\"bookmark\",\"text\":\"before\"}"));
            out.close();
        }
        QVERIFY(QFileInfo(path).size() >= qint64(SessionIndex::MinimumCaptureBytes));
        SessionIndex::remove(path);
        SessionIndex::Extra found;
        {
            Session first(captureConfig());
            QString error, where;
            QVERIFY2(
                CaptureLoader::readInto(first, path, &error, m_decoder, nullptr, nullptr, &found), qPrintable(error));
            QCOMPARE(found.annotations.size(), std::size_t(1));
            QVERIFY(found.readOn.records > quint64(cut));
            QCOMPARE(found.readOn.origins.size(), std::size_t(2));
            QCOMPARE(found.readOn.origins[1], QStringLiteral("ws://bus/events"));
            QVERIFY2(SessionIndex::save(path, first, m_key, found, &where, &error), qPrintable(error));
        }
        const qint64 indexedBytes = QFileInfo(path).size();
        {
            // on, with a second connection declared after the index's end, and the first's events
            // repeated (duplicates of events the index holds)
            CaptureWriter out;
            QVERIFY(out.openForAppend(path));
            QVERIFY(out.writeOrigin(2, QUrl(QStringLiteral("nats://broker:4222"))));
            for (qsizetype i = cut; i < lines.size(); ++i)
                QVERIFY(out.writeFrame(i % 3 ? 1 : 2, t0 + i * 500, lines[i]));
            for (qsizetype i = cut - 20; i < cut; ++i)
                QVERIFY(out.writeFrame(1, t0 + lines.size() * 500, lines[i]));
            QVERIFY(out.writeAnnotation(t0 + 9, "{\"kind\":\"bookmark\",\"text\":\"after\"}"));
            out.close();
        }
        const auto whole = readWhole(path, m_decoder);
        QCOMPARE(whole->eventCount(), quint64(lines.size() + 20));
        QVERIFY(whole->duplicateCount() >= 20);

        Session restored(captureConfig());
        SessionIndex::Extra extra;
        SessionIndex::ReadOnAt readOn;
        QString why, error;
        QVERIFY2(SessionIndex::load(path, m_key, true, restored, &extra, &why, &readOn), qPrintable(why));
        QCOMPARE(readOn.offset, quint64(indexedBytes));
        QCOMPARE(restored.eventCount(), quint64(cut));
        SessionIndex::Extra more;
        QVERIFY2(CaptureLoader::readInto(restored, path, &error, m_decoder, &extra.readOn, &readOn, &more),
            qPrintable(error));
        QCOMPARE(summaryOf(restored), summaryOf(*whole));
        QCOMPARE(detailsOf(restored), detailsOf(*whole));
        QCOMPARE(more.annotations.size(), std::size_t(1));
        QCOMPARE(more.readOn.origins.size(), std::size_t(3));
        // every event's bytes in the one mapping: indexed whole again, and restored whole from that
        QVERIFY2(SessionIndex::whyNot(restored).isEmpty(), qPrintable(SessionIndex::whyNot(restored)));
        extra.readOn = more.readOn;
        QString where;
        QVERIFY2(SessionIndex::save(path, restored, m_key, extra, &where, &error), qPrintable(error));
        Session again(captureConfig());
        SessionIndex::ReadOnAt none;
        QVERIFY2(SessionIndex::load(path, m_key, true, again, nullptr, &why, &none), qPrintable(why));
        QCOMPARE(none.offset, quint64(0));
        QCOMPARE(summaryOf(again), summaryOf(*whole));

        // a capture that grew but changed where its index ends is not the one indexed
        const qint64 end = QFileInfo(path).size();
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.seek(end - 100));
            const char flipped = char(f.peek(1).at(0) ^ 0x01);
            QVERIFY(f.write(&flipped, 1) == 1);
            QVERIFY(f.seek(end) && f.write("\n", 1) == 1);
        }
        Session changed(captureConfig());
        SessionIndex::ReadOnAt at;
        QVERIFY(!SessionIndex::load(path, m_key, true, changed, nullptr, &why, &at));
        QVERIFY2(why.contains(QStringLiteral("stale")), qPrintable(why));
    }

    void anIndexOfOtherSettingsIsIgnored()
    {
        const auto read = readWhole(m_capture, m_decoder);
        QString where, error, why;
        QVERIFY(SessionIndex::save(m_capture, *read, m_key, {}, &where, &error));
        DecoderConfig forced = m_decoder;
        forced.profile = EventProfile::CloudEvents;
        Session restored(captureConfig());
        QVERIFY(!SessionIndex::load(
            m_capture, SessionIndex::settingsKey(captureConfig(), forced), true, restored, nullptr, &why));
        QVERIFY2(why.contains(QStringLiteral("other settings")), qPrintable(why));
        // shapes: an index without them does not serve a window, which shows them
        DecoderConfig plain;
        const auto noShapes = readWhole(m_capture, plain);
        QVERIFY(SessionIndex::save(m_capture, *noShapes, m_key, {}, &where, &error));
        Session window(captureConfig());
        QVERIFY(!SessionIndex::load(m_capture, m_key, true, window, nullptr, &why));
        QVERIFY2(why.contains(QStringLiteral("without payload shapes")), qPrintable(why));
        Session summary(captureConfig());
        QVERIFY2(SessionIndex::load(m_capture, m_key, false, summary, nullptr, &why), qPrintable(why));
        QCOMPARE(summaryOf(summary), summaryOf(*noShapes));
    }

    void aSessionUnderACapTakesNoIndexBeyondIt()
    {
        // a window's session drops its oldest events past its memory cap: an index of more is read instead
        const auto read = readWhole(m_capture, m_decoder);
        const QByteArray index = SessionIndex::make(*read, identityOf(*read), m_key, {});
        Session::Config capped = captureConfig();
        capped.memoryCapBytes = std::size_t(1) << 20;
        Session restored(capped);
        QString why;
        QVERIFY(!SessionIndex::read(index, identityOf(*read), m_key, true, blockOf(*read), restored, nullptr, &why));
        QVERIFY2(why.contains(QStringLiteral("more memory than the session's cap (1 MiB)")), qPrintable(why));
        // one whose records go to a record file (a window's, `summary`'s) holds them outside its cap, as a
        // read does: the index serves it under a cap that holds its chains
        QVERIFY(read->chains().size() * sizeof(Chain) < std::size_t(1) << 20);
        Session::Config filed = capped;
        filed.recordDirectory = m_dir.path();
        const quint64 key = SessionIndex::settingsKey(filed, m_decoder);
        QCOMPARE(key, m_key); // where the records go changes nothing a read makes
        Session held(filed);
        QVERIFY2(SessionIndex::read(index, identityOf(*read), m_key, true, blockOf(*read), held, nullptr, &why),
            qPrintable(why));
        QCOMPARE(held.eventCount(), read->eventCount());
    }

    void truncatedAndCorruptedIndexesAreIgnored()
    {
        const auto read = readWhole(m_capture, m_decoder);
        const QByteArray index = SessionIndex::make(*read, identityOf(*read), m_key, {});
        auto refused = [&](const QByteArray& bytes, const char* expected) {
            Session restored(captureConfig());
            QString why;
            if (SessionIndex::read(bytes, identityOf(*read), m_key, true, blockOf(*read), restored, nullptr, &why))
                return QStringLiteral("accepted");
            if (restored.eventCount() != 0 || restored.store().storedCount() != 0)
                return QStringLiteral("refused, but left events behind");
            return why.contains(QLatin1String(expected)) ? QString() : why;
        };
        QCOMPARE(refused(index.left(index.size() / 2), "do not add up"), QString());
        QCOMPARE(refused(index.left(50), "not an index"), QString());
        QCOMPARE(refused(index.left(index.size() - 4), "do not add up"), QString());
        QByteArray flipped = index;
        flipped[qsizetype(recordAt(index, 777) + 32)] ^= 0x10; // a record's time
        QCOMPARE(refused(flipped, "records fail their checksum"), QString());
        flipped = index;
        flipped[qsizetype(SessionIndex::HeaderBytes + 40)] ^= 0x01; // where the streamed sections lie
        QCOMPARE(refused(flipped, "fails its checksum"), QString());
        flipped = index;
        flipped[qsizetype(SessionIndex::HeaderBytes + 76)] ^= 0x01; // a name (PART, STRS's tag and count, a length)
        QCOMPARE(refused(flipped, "fails its checksum"), QString());
        // the sections checked as the records come (chains, reports, shapes): each against its own checksum
        const qsizetype chainsAt = qsizetype(streamedAt(index, 0)) - 12,
                        entriesAt = qsizetype(streamedAt(index, 1)) - 12, logAt = qsizetype(streamedAt(index, 2)) - 12;
        QVERIFY(entriesAt - chainsAt > 12 + 24 && logAt - entriesAt > 12 + 40 && index.size() - logAt > 12 + 1000);
        flipped = index;
        flipped[chainsAt + 12 + 3] ^= 0x01; // the first chain's id
        QCOMPARE(refused(flipped, "chains fail their checksum"), QString());
        flipped = index;
        quint32 breakerLength = 0;
        std::memcpy(&breakerLength, index.constData() + entriesAt + 12 + 1, sizeof breakerLength);
        flipped[entriesAt + 12 + 1 + 4 + qsizetype(breakerLength) + 12 + 7] ^= 0x01; // the first report's attempt
        QCOMPARE(refused(flipped, "retry entries fail their checksum"), QString());
        flipped = index;
        flipped[logAt + 12 + 999] ^= 0x01; // an event's shape
        QCOMPARE(refused(flipped, "shape log fails its checksum"), QString());
        flipped = index;
        flipped[qsizetype(figuresAt(index, "FLOW")) + 12 + 3] ^= 0x01; // a type's events in the flow
        QCOMPARE(refused(flipped, "figures fail their checksum"), QString());
        flipped = index;
        flipped[12] ^= 0x01; // the header
        QCOMPARE(refused(flipped, "header fails its checksum"), QString());
        flipped = index;
        flipped[8] = 9; // a version from the future
        QCOMPARE(refused(flipped, "version 9"), QString());
        // an index of another capture
        CaptureIdentity other;
        other.size = 1;
        Session restored(captureConfig());
        QString why;
        QVERIFY(!SessionIndex::read(index, other, m_key, true, blockOf(*read), restored, nullptr, &why));
        QVERIFY2(why.contains(QStringLiteral("stale")), qPrintable(why));
    }

    void aHostileIndexIsRefusedNotTrusted()
    {
        // checksums that match, values that do not: each names what is not there, and is refused
        const auto read = readWhole(m_capture, m_decoder);
        const QByteArray index = SessionIndex::make(*read, identityOf(*read), m_key, {});
        auto refusedAfter = [&](std::size_t at, auto value) {
            QByteArray bytes = index;
            std::memcpy(bytes.data() + at, &value, sizeof value);
            SessionIndex::seal(bytes);
            Session restored(captureConfig());
            QString why;
            if (SessionIndex::read(bytes, identityOf(*read), m_key, true, blockOf(*read), restored, nullptr, &why))
                return QStringLiteral("accepted");
            return why.startsWith(QLatin1String("corrupt: ")) ? QString() : why;
        };
        auto hostile = [&](quint32 event, std::size_t field, auto value) {
            return refusedAfter(recordAt(index, event) + field, value);
        };
        QVERIFY(read->storedCount() > EventStore::ChunkSize); // a whole chunk and a partial one
        QCOMPARE(hostile(100, 40, quint16(0xFFFF)), QString()); // a type never named
        QCOMPARE(hostile(100, 42, quint16(0x7000)), QString()); // a source never named
        QCOMPARE(hostile(100, 16, quint32(0x00FFFFFF)), QString()); // a length past the capture, flags none
        QCOMPARE(hostile(100, 28, qint32(-101)), QString()); // a cause before the first event
        const quint32 events = read->storedCount();
        QCOMPARE(hostile(events - 10, 28, qint32(100)), QString()); // a cause after the last
        quint32 chained = 0;
        while (read->store().chainAt(chained) == EventRecord::NoChain)
            ++chained;
        QCOMPARE(hostile(chained, 20, quint32(0x7FFFFFFF)), QString()); // a chain never opened
        QCOMPARE(hostile(chained, 20, EventRecord::NoChain), QString()); // correlated, in no chain
        // the columns: bytes past the capture's end; times no decoder gives, whose differences overflow
        // (found by fuzz_sessionindex); a form no column has; the capture's block that is not the one
        QCOMPARE(refusedAfter(columnAt(index, 1, 2) + 8, quint64(1) << 40), QString());
        QCOMPARE(refusedAfter(columnAt(index, 0, 0) + 8, std::numeric_limits<qint64>::min() + 1000), QString());
        QCOMPARE(refusedAfter(columnAt(index, 1, 1) + 8, std::numeric_limits<qint64>::max()), QString());
        QCOMPARE(refusedAfter(columnAt(index, 1, 4), quint64(7)), QString());
        QCOMPARE(refusedAfter(columnAt(index, 0, EventChunk::RawChunkColumn), quint64(1)), QString());
        // a chain opened by an event past the last; a report about one
        QCOMPARE(refusedAfter(streamedAt(index, 0) + 16, events + 5), QString());
        quint32 breakerLength = 0;
        std::memcpy(&breakerLength, index.constData() + streamedAt(index, 1) + 1, sizeof breakerLength);
        QCOMPARE(refusedAfter(streamedAt(index, 1) + 1 + 4 + breakerLength, events + 5), QString());
        // figures that name what is not there, or cannot add up: each tracker's own checks
        const auto figures = [&](const char* tag, std::size_t offset, auto value) {
            const QString why = refusedAfter(figuresAt(index, tag) + offset, value);
            return why.isEmpty() ? why : QLatin1String(tag) + QLatin1String(": ") + why;
        };
        QVERIFY(!read->stages().stages().empty() && !read->flow().edges().empty() && !read->gaps().origins().empty());
        QCOMPARE(figures("STGS", 12, quint16(0x7FFF)), QString()); // a stage's root type never named
        const StageTracker::Stage& second = read->stages().stages()[1];
        QCOMPARE(figures("STGS", 12, quint32(second.root | quint32(second.type) << 16)), QString()); // a stage twice
        QCOMPARE(figures("STGS", 32, quint64(12345)), QString()); // a histogram whose buckets do not add up
        QCOMPARE(figures("FLOW", 4, quint64(1) << 40), QString()); // more nodes than bytes
        QCOMPARE(figures("FLOW", 4, quint64(0xFFFF)), QString()); // more nodes than types
        QCOMPARE(
            refusedAfter(figuresAt(index, "FLOW") - 4, qint32(1) << 20), QString()); // a chain's stage past the stages
        QCOMPARE(figures("RATE", 4, std::numeric_limits<qint64>::max()), QString()); // a head second past any time
        QCOMPARE(figures("RATE", 12, std::numeric_limits<qint64>::min()), QString()); // a first second before it
        QCOMPARE(figures("GAPS", 14, quint64(1) << 50), QString()); // sequences covered that the intervals do not
        QCOMPARE(figures("GAPS", 12, quint16(0x7FFF)), QString()); // an origin never named
        std::size_t typeAt = 12; // the first type with events: its count
        for (const ShapeTracker::Type& t : read->shapes().types()) {
            if (t.events > 0)
                break;
            typeAt += 16 + 8 * t.shapes.size();
        }
        QCOMPARE(figures("SHPC", typeAt, quint64(0)), QString()); // a type's shapes counting more than its events
        QCOMPARE(refusedAfter(figuresAt(index, "SHPC") + 4, quint64(1)), QString()); // counts for other types
        // a chunk that says it holds other events than its place does
        QCOMPARE(refusedAfter(chunkAt(index, 1) + 4, quint32(5)), QString());
        // a link that loops back, or leaves its chain: every chain must be walked end to end
        QByteArray bytes = index;
        const quint32 back = chained;
        std::memcpy(bytes.data() + recordAt(index, chained) + 24, &back, sizeof back);
        SessionIndex::seal(bytes);
        Session restored(captureConfig());
        QString why;
        QVERIFY(!SessionIndex::read(bytes, identityOf(*read), m_key, true, blockOf(*read), restored, nullptr, &why));
        QVERIFY2(why.contains(QStringLiteral("link")), qPrintable(why));
    }

    void aCompressedCaptureIsNotIndexed()
    {
        // its events' bytes are decompressed into a spool file: an index has nothing to point into
        const QString path = m_dir.filePath(QStringLiteral("incident.ndjson.zst"));
        QVERIFY(writeFile(path, zstd(incidentCapture(20))));
        const auto read = readWhole(path, m_decoder);
        QVERIFY(read->eventCount() >= 40000);
        QVERIFY2(SessionIndex::whyNot(*read).contains(QStringLiteral("not in a mapped capture")),
            qPrintable(SessionIndex::whyNot(*read)));
        QString where, error;
        QVERIFY(!SessionIndex::save(path, *read, m_key, {}, &where, &error));
        QVERIFY(!QFile::exists(SessionIndex::besidePath(path)));
        // nor a session of two captures: its events point into two mappings
        const auto two = readWhole(m_capture, m_decoder);
        QVERIFY(SessionIndex::whyNot(*two).isEmpty());
        QVERIFY(
            CaptureLoader::readInto(*two, QStringLiteral(EVENTSCOPE_TEST_DATA "/native.ndjson"), &error, m_decoder));
        QVERIFY2(SessionIndex::whyNot(*two).contains(QStringLiteral("not in the capture")),
            qPrintable(SessionIndex::whyNot(*two)));
    }

    void smallCapturesAreNotIndexed()
    {
        const QString small = QStringLiteral(EVENTSCOPE_TEST_DATA "/native.ndjson");
        Session s(captureConfig());
        QString why = QStringLiteral("untouched");
        QVERIFY(!SessionIndex::load(small, m_key, true, s, nullptr, &why));
        QVERIFY2(why.isEmpty(), qPrintable(why)); // nothing to say: read it
        QVERIFY(!QFile::exists(SessionIndex::besidePath(small)));
    }

    void aFolderThatTakesNoIndexSendsItToTheCache()
    {
        // where the index would go beside the capture, nothing can be written (a folder of that name,
        // which stops root as a read-only folder would stop anyone else)
        QTemporaryDir dir;
        const QString capture = dir.filePath(QStringLiteral("elsewhere.ndjson"));
        QVERIFY(QFile::copy(m_capture, capture));
        QVERIFY(QDir().mkpath(SessionIndex::besidePath(capture)));
        const auto read = readWhole(capture, m_decoder);
        QString where, error, why;
        QVERIFY2(SessionIndex::save(capture, *read, m_key, {}, &where, &error), qPrintable(error));
        QCOMPARE(where, SessionIndex::cachePath(capture));
        QVERIFY(where.startsWith(QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation)));
        Session restored(captureConfig());
        QVERIFY2(SessionIndex::load(capture, m_key, true, restored, nullptr, &why), qPrintable(why));
        QCOMPARE(summaryOf(restored), summaryOf(*read));
        SessionIndex::remove(capture);
        QVERIFY(!QFile::exists(where));
    }
};

QTEST_GUILESS_MAIN(TestSessionIndex)
#include "tst_sessionindex.moc"
