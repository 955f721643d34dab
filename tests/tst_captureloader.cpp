// SPDX-License-Identifier: MIT
#include "captureloader.h"
#include "capturereader.h"
#include "compression.h"
#include "demogenerator.h"
#include "eventdecoder.h"
#include "session.h"
#include "sessionsummary.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

namespace {
Session::Config wholeFile()
{
    Session::Config c;
    c.clock = Session::Clock::Recorded;
    c.memoryCapBytes = 0;
    c.smoothGrowth = false;
    return c;
}

/// The demo bus's mix (failures, retries, dead letters, breakers), with a malformed line every 5,000
/// events: long enough for many of the loader's batches, so recycled batches are filled again.
QByteArray demoLines(int events)
{
    DemoGenerator::Options o;
    o.seed = 11;
    o.scenario = DemoGenerator::Scenario::Incident;
    o.incidentStartSeconds = 1;
    o.incidentSeconds = 2;
    DemoGenerator gen(o);
    QByteArray out;
    qint64 t = 1'790'000'000'000'000;
    while (gen.count() < std::uint64_t(events)) {
        gen.next(t, out);
        out += '\n';
        t += 200;
        if (gen.count() % 5000 == 0)
            out += "{\"id\": \"half an event\n";
    }
    return out;
}

/// Holds the calling thread (and the threads it starts) to one core while it lives, as `taskset -c 0`
/// does to a process: CaptureLoader then decodes and ingests on the one thread.
class OneCore
{
public:
    explicit OneCore(bool active)
    {
#ifdef Q_OS_LINUX
        if (!active || sched_getaffinity(0, sizeof(m_saved), &m_saved) != 0)
            return;
        cpu_set_t one;
        CPU_ZERO(&one);
        for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
            if (CPU_ISSET(cpu, &m_saved)) {
                CPU_SET(cpu, &one);
                break;
            }
        }
        m_pinned = sched_setaffinity(0, sizeof(one), &one) == 0;
#else
        Q_UNUSED(active);
#endif
    }
    ~OneCore()
    {
#ifdef Q_OS_LINUX
        if (m_pinned)
            sched_setaffinity(0, sizeof(m_saved), &m_saved);
#endif
    }
    bool pinned() const { return m_pinned; }

private:
#ifdef Q_OS_LINUX
    cpu_set_t m_saved;
#endif
    bool m_pinned = false;
};

bool writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QByteArray numbered(const QByteArray& prefix, int from, int to, int skip)
{
    QByteArray out;
    for (int i = from; i <= to; ++i) {
        if (i == skip)
            continue;
        out += "{\"id\":\"" + prefix + QByteArray::number(i)
            + "\",\"type\":\"booking.created\",\"timestamp\":\"2026-12-02T10:00:00Z\",\"seq\":" + QByteArray::number(i)
            + "}\n";
    }
    return out;
}
/// The reference: the file read by a CaptureReader alone, straight into `session` on this thread
/// (no loader thread, queue, feed or recycled batches).
bool readAlone(Session& session, const QString& path, QString* error)
{
    EventDecoder decoder;
    CaptureReader reader(decoder);
    if (!reader.open(path)) {
        *error = reader.errorString();
        return false;
    }
    CaptureReader::Sink sink;
    sink.addOrigin = [&session](const QString& name) { return session.addOrigin(name); };
    sink.deliver = [&session](DecodedBatch& batch) {
        session.ingest(batch);
        return true;
    };
    return reader.read(sink);
}
} // namespace

class TestCaptureLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readsExactlyWhatTheReaderReads_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<int>("compression"); // 0 none, 1 gzip, 2 zstd
        QTest::addColumn<bool>("oneCore"); // decoded and ingested on one thread
        for (bool oneCore : { false, true }) {
            const char* how = oneCore ? ", one core" : ", two threads";
            QTest::addRow("plain NDJSON, mapped%s", how) << QStringLiteral("events.ndjson") << 0 << oneCore;
            QTest::addRow("gzip, streamed%s", how) << QStringLiteral("events.ndjson.gz") << 1 << oneCore;
            QTest::addRow("zstd, streamed%s", how) << QStringLiteral("events.ndjson.zst") << 2 << oneCore;
        }
    }
    void readsExactlyWhatTheReaderReads()
    {
        QFETCH(QString, name);
        QFETCH(int, compression);
        QFETCH(bool, oneCore);
        QTemporaryDir dir;
        const QByteArray lines = demoLines(40'000);
        const QByteArray bytes = compression == 1 ? gzip(lines) : compression == 2 ? zstd(lines) : lines;
        const QString path = dir.filePath(name);
        QVERIFY(writeFile(path, bytes));

        Session sequential(wholeFile());
        QString error;
        QVERIFY2(readAlone(sequential, path, &error), qPrintable(error));
        Session pipelined(wholeFile());
        {
            const OneCore pin(oneCore);
#ifdef Q_OS_LINUX
            if (oneCore)
                QVERIFY(pin.pinned());
#endif
            if (pin.pinned())
                QCOMPARE(CaptureLoader::availableCores(), 1);
            QVERIFY2(CaptureLoader::readInto(pipelined, path, &error), qPrintable(error));
        }

        QVERIFY(pipelined.eventCount() >= 40'000);
        QCOMPARE(pipelined.malformedCount(), quint64(8));
        // every figure the summary prints, malformed records with their lines included
        QCOMPARE(QJsonDocument(SessionSummary::toJson(pipelined)).toJson(),
            QJsonDocument(SessionSummary::toJson(sequential)).toJson());
        // and each event's bytes, read back from a batch that may have been recycled since
        QCOMPARE(pipelined.store().size(), sequential.store().size());
        for (quint32 i = 0; i < pipelined.store().size(); i += 997) {
            const quint32 a = pipelined.store().first() + i, b = sequential.store().first() + i;
            QCOMPARE(pipelined.store().raw(pipelined.store().at(a)), sequential.store().raw(sequential.store().at(b)));
        }
    }

    void aHarWithAMessagePerEventReadsTheSame()
    {
        // a browser's recording: each event in a WebSocket message of its own, its bytes in the batch's
        // frames (thousands of them per batch)
        QJsonArray messages;
        double time = 1795946400;
        for (const QByteArray& line : demoLines(6000).split('\n')) {
            if (line.startsWith("{\"id\": \"half"))
                continue;
            time += 0.001;
            messages.append(
                QJsonObject { { QStringLiteral("type"), QStringLiteral("receive") }, { QStringLiteral("time"), time },
                    { QStringLiteral("opcode"), 1 }, { QStringLiteral("data"), QString::fromUtf8(line) } });
        }
        const QJsonObject entry { { QStringLiteral("request"),
                                      QJsonObject {
                                          { QStringLiteral("url"), QStringLiteral("ws://bus.example.com/events") } } },
            { QStringLiteral("_webSocketMessages"), messages } };
        const QJsonObject har { { QStringLiteral("log"),
            QJsonObject { { QStringLiteral("entries"), QJsonArray { entry } } } } };
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.har"));
        QVERIFY(writeFile(path, QJsonDocument(har).toJson(QJsonDocument::Compact)));

        Session sequential(wholeFile()), pipelined(wholeFile());
        QString error;
        QVERIFY2(readAlone(sequential, path, &error), qPrintable(error));
        QVERIFY2(CaptureLoader::readInto(pipelined, path, &error), qPrintable(error));
        QVERIFY(pipelined.eventCount() >= 6000);
        QCOMPARE(QJsonDocument(SessionSummary::toJson(pipelined)).toJson(),
            QJsonDocument(SessionSummary::toJson(sequential)).toJson());
        for (quint32 i = 0; i < pipelined.store().size(); i += 97)
            QCOMPARE(pipelined.store().raw(pipelined.store().at(pipelined.store().first() + i)),
                sequential.store().raw(sequential.store().at(sequential.store().first() + i)));
    }

    void severalFilesKeepTheirOwnOrigins()
    {
        // the same seqs in both files, one missing in the second: were both read as one origin, the
        // first file's seq would fill the second's hole and no gap would show
        QTemporaryDir dir;
        const QString a = dir.filePath(QStringLiteral("a.ndjson")), b = dir.filePath(QStringLiteral("b.ndjson"));
        QVERIFY(writeFile(a, numbered("a-", 1, 100, 0)));
        QVERIFY(writeFile(b, numbered("b-", 1, 100, 50)));
        Session s(wholeFile());
        QString error;
        QVERIFY2(CaptureLoader::readInto(s, a, &error), qPrintable(error));
        QVERIFY2(CaptureLoader::readInto(s, b, &error), qPrintable(error));
        QCOMPARE(s.eventCount(), quint64(199));
        QCOMPARE(s.gaps().totalGaps(), quint64(1));
        const EventRecord& last = s.store().at(s.store().end() - 1);
        QVERIFY(s.originName(last.origin()).endsWith(QLatin1String("b.ndjson")));
        const EventRecord& first = s.store().at(s.store().first());
        QVERIFY(s.originName(first.origin()).endsWith(QLatin1String("a.ndjson")));
    }

    void theIndexesAreSizedForTheEventsInHandNotForAFilesSizeAlone_data()
    {
        QTest::addColumn<bool>("oneCore");
        QTest::newRow("two threads") << false;
        QTest::newRow("one core") << true;
    }
    void theIndexesAreSizedForTheEventsInHandNotForAFilesSizeAlone()
    {
        QFETCH(bool, oneCore);
        // 5,000 events, then 128 MiB of nothing (a hole, one over-long line): the file's size over the
        // first events' would promise 380,000 events; the indexes must not be made for them
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("padded.ndjson"));
        QVERIFY(writeFile(path, demoLines(5000)));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(f.size() + (qint64(128) << 20)));
        }
        Session s(wholeFile());
        QString error;
        {
            const OneCore pin(oneCore);
            QVERIFY2(CaptureLoader::readInto(s, path, &error), qPrintable(error));
        }
        QCOMPARE(s.eventCount(), quint64(5000));
        QCOMPARE(s.malformedCount(), quint64(2)); // demoLines()' broken line, and the hole: too long for an event
        QVERIFY2(s.heapBytes() < (std::size_t(4) << 20), qPrintable(QString::number(s.heapBytes())));
    }

    void aCompressedFileIsSizedAsItsPlainTwinIs_data()
    {
        QTest::addColumn<bool>("oneCore");
        QTest::newRow("two threads") << false;
        QTest::newRow("one core") << true;
    }
    void aCompressedFileIsSizedAsItsPlainTwinIs()
    {
        // 270,000 events: sized from the file, the id index holds them in 2^19 slots (at most 5/8
        // full: 327,680); grown by doubling (at half full: 262,144) it would take 2^20. A compressed
        // file's count is guessed from the events per compressed byte read so far, and its payloads are
        // spooled to disk: its session costs what the plain file's does. (The plain file's count is
        // guessed from the bytes of the first events taken, which here are smaller than the rest: with
        // 300,000 events a first take of several batches, on a busy machine, guessed past 327,680.)
        QFETCH(bool, oneCore);
        QTemporaryDir dir;
        const QByteArray lines = demoLines(270000);
        const QString plainPath = dir.filePath(QStringLiteral("plain.ndjson"));
        const QString packedPath = dir.filePath(QStringLiteral("packed.ndjson.zst"));
        QVERIFY(writeFile(plainPath, lines));
        QVERIFY(writeFile(packedPath, zstd(lines)));
        Session plain(wholeFile());
        Session packed(wholeFile());
        QString error;
        {
            const OneCore pin(oneCore);
            QVERIFY2(CaptureLoader::readInto(plain, plainPath, &error), qPrintable(error));
            QVERIFY2(CaptureLoader::readInto(packed, packedPath, &error), qPrintable(error));
        }
        QCOMPARE(packed.eventCount(), plain.eventCount());
        QCOMPARE(packed.store().rawStore().heapBytes(), std::size_t(0));
        const double gap = std::abs(double(packed.heapBytes()) - double(plain.heapBytes()));
        QVERIFY2(gap < double(1 << 20),
            qPrintable(QStringLiteral("plain %1 B, compressed %2 B").arg(plain.heapBytes()).arg(packed.heapBytes())));
    }

    void aReadFileKeepsAtMost64BytesAnEventBesideItsPayload()
    {
        // the memory target, payload + 64 B an event: the payloads stay in the mapped file, and
        // what the session keeps once the file is read (records, chains, reports) must fit in 64 B an
        // event. Four whole chunks of records, so that the figure is the one a million events give.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("four-chunks.ndjson"));
        QVERIFY(writeFile(path, demoLines(4 * int(EventStore::ChunkSize))));
        Session s(wholeFile());
        QString error;
        QVERIFY2(CaptureLoader::readInto(s, path, &error), qPrintable(error));
        QCOMPARE(s.eventCount(), quint64(4 * EventStore::ChunkSize));
        const double reading = double(s.heapBytes()) / double(s.eventCount());
        s.compact().reset(); // the lookup indexes, needed only while events come
        const double kept = double(s.heapBytes()) / double(s.eventCount());
        QVERIFY2(kept <= 64.0, qPrintable(QStringLiteral("%1 B/event kept").arg(kept)));
        QVERIFY2(reading - kept >= 16.0, qPrintable(QStringLiteral("%1 B/event while reading").arg(reading)));
        QCOMPARE(s.store().findId(s.store().idAt(77777)), 77777u); // still found, by a scan
    }

    void aFileThatIsNotACaptureIsRefusedByName()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("picture.png"));
        QVERIFY(writeFile(path, QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)));
        Session s(wholeFile());
        QString error;
        QVERIFY(!CaptureLoader::readInto(s, path, &error));
        QVERIFY2(error.contains(QLatin1String("picture.png")) && error.contains(QLatin1String("not a capture")),
            qPrintable(error));
        QVERIFY(!CaptureLoader::readInto(s, dir.filePath(QStringLiteral("missing.ndjson")), &error));
        QVERIFY2(error.contains(QLatin1String("no such file")), qPrintable(error));
        QCOMPARE(s.eventCount(), quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestCaptureLoader)
#include "tst_captureloader.moc"
