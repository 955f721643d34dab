// SPDX-License-Identifier: MIT
// Every file format the reader opens, plain and compressed, and every way a file can be damaged,
// truncated, oversized or a compression bomb. Long because it is a table of formats and damages.
#include "captureformat.h"
#include "captureloader.h"
#include "capturereader.h"
#include "capturewriter.h"
#include "compression.h"
#include "eventdecoder.h"
#include "session.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>
#include <atomic>
#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <future>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

namespace {
QByteArray ndjson(int n)
{
    QByteArray out;
    for (int i = 0; i < n; ++i)
        out += R"({"id":"e)" + QByteArray::number(i)
            + R"(","type":"booking.created","timestamp":"2026-11-29T10:00:00Z","seq":)" + QByteArray::number(i + 1)
            + "}\n";
    return out;
}

QByteArray capture(int frames, QList<qint64>* recordEnds = nullptr, const QString& path = {})
{
    QTemporaryDir dir;
    const QString file = path.isEmpty() ? dir.filePath(QStringLiteral("c.escap")) : path;
    CaptureWriter w;
    w.open(file, QUrl(QStringLiteral("ws://bus/")), 1);
    w.flush();
    if (recordEnds)
        recordEnds->append(QFile(file).size());
    for (int i = 0; i < frames; ++i) {
        w.writeFrame(0, 1000 + i, R"({"id":"e)" + QByteArray::number(i) + R"(","type":"t"})");
        w.flush();
        if (recordEnds)
            recordEnds->append(QFile(file).size());
    }
    w.close();
    QFile f(file);
    f.open(QIODevice::ReadOnly);
    return f.readAll();
}

struct Result;
Result readPath(const QString& path, DecoderConfig config);

struct Result
{
    bool opened = false;
    QString error;
    quint64 events = 0;
    quint64 malformed = 0;
    QString lastReason;
    QStringList reasons; ///< each malformed record, described
    CaptureReader::Format format = CaptureReader::Format::Unknown;
};

void writeFile(const QString& path, const QByteArray& bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QCOMPARE(f.write(bytes), bytes.size());
}

/// Reads `path` into `session` with `options`; returns the reader's spoolError().
QString readWith(CaptureReader::Options options, const QString& path, Session& session)
{
    EventDecoder decoder;
    CaptureReader reader(decoder, options);
    if (!reader.open(path))
        return reader.errorString();
    CaptureReader::Sink sink;
    sink.addOrigin = [&](const QString& n) { return session.addOrigin(n); };
    sink.deliver = [&](DecodedBatch& b) {
        session.ingest(b);
        return true;
    };
    reader.read(sink);
    return reader.spoolError();
}

/// How readBytes() hands the bytes over.
enum class Through { File, Pipe };

Result readBytes(const QByteArray& bytes, const QString& name = QStringLiteral("f"), DecoderConfig config = {},
    Through through = Through::File)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(name);
    std::thread writer;
    if (through == Through::Pipe) {
        // a FIFO, written as a pipe is (`... | eventscope-cli summary /dev/stdin`) while it is read
        if (::mkfifo(QFile::encodeName(path).constData(), 0600) != 0) {
            Result failed;
            failed.error = QStringLiteral("mkfifo failed");
            return failed;
        }
        ::signal(SIGPIPE, SIG_IGN); // a reader that stops early closes its end: the writer's write fails
        writer = std::thread([path, bytes] {
            const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY);
            for (qsizetype done = 0; fd >= 0 && done < bytes.size();) {
                const ssize_t n = ::write(fd, bytes.constData() + done, std::size_t(bytes.size() - done));
                if (n <= 0)
                    break;
                done += n;
            }
            if (fd >= 0)
                ::close(fd);
        });
    } else {
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(bytes);
    }
    const Result r = readPath(path, config);
    if (writer.joinable())
        writer.join();
    return r;
}

Result readPath(const QString& path, DecoderConfig config)
{
    EventDecoder decoder(config);
    CaptureReader reader(decoder);
    Result r;
    r.opened = reader.open(path);
    r.error = reader.errorString();
    if (!r.opened)
        return r;
    Session s;
    CaptureReader::Sink sink;
    sink.addOrigin = [&](const QString& n) { return s.addOrigin(n); };
    sink.deliver = [&](DecodedBatch& b) {
        s.ingest(b);
        return true;
    };
    reader.read(sink);
    r.format = reader.format();
    r.events = s.eventCount();
    r.malformed = s.malformedCount();
    if (!s.recentMalformed().empty())
        r.lastReason = s.recentMalformed().back().reason;
    for (const MalformedRecord& m : s.recentMalformed())
        r.reasons << m.describe(QStringLiteral("doc"));
    return r;
}
/// `prefix`, then `fill` bytes of 'a', then `suffix`, compressed as a stream (the inflated whole is never
/// held): a compression "bomb".
QByteArray bomb(bool gz, const QByteArray& prefix, qint64 fill, const QByteArray& suffix)
{
    const QByteArray chunk(1 << 20, 'a');
    QByteArray out;
    QByteArray buf(1 << 16, Qt::Uninitialized);
    if (gz) {
        z_stream zs {};
        deflateInit2(&zs, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY);
        auto feed = [&](const QByteArray& in, int flush) {
            zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.constData()));
            zs.avail_in = uInt(in.size());
            do {
                zs.next_out = reinterpret_cast<Bytef*>(buf.data());
                zs.avail_out = uInt(buf.size());
                deflate(&zs, flush);
                out.append(buf.constData(), buf.size() - qsizetype(zs.avail_out));
            } while (zs.avail_out == 0);
        };
        feed(prefix, Z_NO_FLUSH);
        for (qint64 left = fill; left > 0; left -= chunk.size())
            feed(chunk.left(qsizetype(std::min<qint64>(left, chunk.size()))), Z_NO_FLUSH);
        feed(suffix, Z_FINISH);
        deflateEnd(&zs);
        return out;
    }
    ZSTD_CCtx* cctx = ZSTD_createCCtx();
    auto feed = [&](const QByteArray& in, ZSTD_EndDirective mode) {
        ZSTD_inBuffer input { in.constData(), std::size_t(in.size()), 0 };
        std::size_t left;
        do {
            ZSTD_outBuffer output { buf.data(), std::size_t(buf.size()), 0 };
            left = ZSTD_compressStream2(cctx, &output, &input, mode);
            out.append(buf.constData(), qsizetype(output.pos));
        } while (mode == ZSTD_e_end ? left != 0 : input.pos < input.size);
    };
    feed(prefix, ZSTD_e_continue);
    for (qint64 left = fill; left > 0; left -= chunk.size())
        feed(chunk.left(qsizetype(std::min<qint64>(left, chunk.size()))), ZSTD_e_continue);
    feed(suffix, ZSTD_e_end);
    ZSTD_freeCCtx(cctx);
    return out;
}

/// The growth of this process's peak resident memory while `run` runs, in bytes; -1 when the kernel
/// cannot reset the peak (/proc/self/clear_refs).
template<typename F>
qint64 peakGrowth(F run)
{
    auto peak = []() -> qint64 {
        QFile status(QStringLiteral("/proc/self/status"));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray& line : status.readAll().split('\n'))
            if (line.startsWith("VmHWM:"))
                return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
        return -1;
    };
    auto rss = []() -> qint64 {
        QFile status(QStringLiteral("/proc/self/status"));
        if (!status.open(QIODevice::ReadOnly))
            return -1;
        for (const QByteArray& line : status.readAll().split('\n'))
            if (line.startsWith("VmRSS:"))
                return line.mid(6).trimmed().split(' ').value(0).toLongLong() * 1024;
        return -1;
    };
    QFile clear(QStringLiteral("/proc/self/clear_refs"));
    if (!clear.open(QIODevice::WriteOnly) || clear.write("5") != 1)
        return -1;
    clear.close();
    const qint64 before = rss();
    run();
    const qint64 after = peak();
    return before < 0 || after < 0 ? -1 : after - before;
}
} // namespace

class TestCaptureReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void formats_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("format");
        QTest::addColumn<quint64>("events");
        QTest::addColumn<quint64>("malformed");
        const QByteArray nd = ndjson(100);
        const QByteArray pretty
            = "[\n  {\n    \"id\": \"a\",\n    \"type\": \"t\"\n  },\n  {\"id\": \"b\", \"type\": \"t\"}\n]\n";
        const QByteArray cap = capture(50);
        const int NdJson = int(CaptureReader::Format::NdJson);
        const int Doc = int(CaptureReader::Format::JsonDocument);
        const int Cap = int(CaptureReader::Format::Capture);
        QTest::addRow("ndjson") << nd << NdJson << quint64(100) << quint64(0);
        QTest::addRow("ndjson crlf") << QByteArray(nd).replace("\n", "\r\n") << NdJson << quint64(100) << quint64(0);
        QTest::addRow("ndjson bom") << "\xEF\xBB\xBF" + nd << NdJson << quint64(100) << quint64(0);
        QTest::addRow("ndjson no final newline") << nd.chopped(1) << NdJson << quint64(100) << quint64(0);
        QTest::addRow("ndjson bad first line") << "oops\n" + nd << NdJson << quint64(100) << quint64(1);
        // damaged lines that start like JSON never turn NDJSON into a "document": every good line is read
        QTest::addRow("ndjson, two damaged lines first")
            << "{\"id\": \"a\", \"ty\n[{\"broken\n" + nd << NdJson << quint64(100) << quint64(2);
        QByteArray tenDamaged;
        for (int i = 0; i < 10; ++i)
            tenDamaged += "{\"id\":\"cut-" + QByteArray::number(i) + "\",\n";
        QTest::addRow("ndjson, ten damaged lines first") << tenDamaged + nd << NdJson << quint64(100) << quint64(10);
        QTest::addRow("json document, an event a line")
            << QByteArray("[\n{\"id\":\"a\",\"type\":\"t\"},\n{\"id\":\"b\",\"type\":\"t\"},\n"
                          "{\"id\":\"c\",\"type\":\"t\"}\n]\n")
            << Doc << quint64(3) << quint64(0);
        QTest::addRow("batch lines") << QByteArray("[{\"id\":\"a\",\"type\":\"t\"},{\"id\":\"b\",\"type\":\"t\"}]\n"
                                                   "[{\"id\":\"c\",\"type\":\"t\"}]\n")
                                     << NdJson << quint64(3) << quint64(0);
        QTest::addRow("json document") << pretty << Doc << quint64(2) << quint64(0);
        QTest::addRow("capture") << cap << Cap << quint64(50) << quint64(0);
        QTest::addRow("empty") << QByteArray() << NdJson << quint64(0) << quint64(0);
        QTest::addRow("blank") << QByteArray("\n\n  \n") << NdJson << quint64(0) << quint64(0);
        QTest::addRow("ndjson.gz") << gzip(nd) << NdJson << quint64(100) << quint64(0);
        QTest::addRow("ndjson.zst") << zstd(nd) << NdJson << quint64(100) << quint64(0);
        QTest::addRow("document.gz") << gzip(pretty) << Doc << quint64(2) << quint64(0);
        QTest::addRow("capture.zst") << zstd(cap) << Cap << quint64(50) << quint64(0);
        QTest::addRow("capture.gz") << gzip(cap) << Cap << quint64(50) << quint64(0);
        QTest::addRow("concatenated gzip") << gzip(ndjson(10)) + gzip(ndjson(5)) << NdJson << quint64(15) << quint64(0);
        QTest::addRow("concatenated zstd") << zstd(ndjson(10)) + zstd(ndjson(5)) << NdJson << quint64(15) << quint64(0);
        // a large compressed file crosses many decompression buffers, lines split between them
        QTest::addRow("big ndjson.zst") << zstd(ndjson(40000)) << NdJson << quint64(40000) << quint64(0);
    }
    void formats()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, format);
        QFETCH(quint64, events);
        QFETCH(quint64, malformed);
        // the name says nothing: formats are recognised by content
        const Result r = readBytes(bytes, QStringLiteral("capture.bin"));
        QVERIFY2(r.opened, qPrintable(r.error));
        QCOMPARE(int(r.format), format);
        QCOMPARE(r.events, events);
        QCOMPARE(r.malformed, malformed);
    }

    /// A pipe is read once, as it comes: plain bytes streamed (recognised from the first ones read
    /// ahead, handed over again), compressed ones spooled first; every format as from a file.
    void formatsThroughAPipe_data() { formats_data(); }
    void formatsThroughAPipe()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, format);
        QFETCH(quint64, events);
        QFETCH(quint64, malformed);
        const Result r = readBytes(bytes, QStringLiteral("fifo"), {}, Through::Pipe);
        QVERIFY2(r.opened, qPrintable(r.error));
        QCOMPARE(int(r.format), format);
        QCOMPARE(r.events, events);
        QCOMPARE(r.malformed, malformed);
    }

    /// A pipe is read as it comes, never held whole: its first events are taken before its writer has
    /// written the rest (a pipe of any size, in bounded memory; a live `tail -f` too).
    void aPipeIsReadAsItComes()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("fifo"));
        QVERIFY(::mkfifo(QFile::encodeName(path).constData(), 0600) == 0);
        ::signal(SIGPIPE, SIG_IGN);
        const QByteArray first = ndjson(5000);
        const QByteArray rest = ndjson(5000);
        std::promise<void> taken;
        std::future<void> firstTaken = taken.get_future();
        std::atomic<bool> restWritten { false };
        std::thread writer([&] {
            const int fd = ::open(QFile::encodeName(path).constData(), O_WRONLY);
            const auto writeAll = [fd](const QByteArray& bytes) {
                for (qsizetype done = 0; fd >= 0 && done < bytes.size();) {
                    const ssize_t n = ::write(fd, bytes.constData() + done, std::size_t(bytes.size() - done));
                    if (n <= 0)
                        return;
                    done += n;
                }
            };
            writeAll(first);
            firstTaken.wait_for(std::chrono::seconds(5)); // read whole before it goes on, it waits in vain
            writeAll(rest);
            restWritten = true;
            if (fd >= 0)
                ::close(fd);
        });
        EventDecoder decoder;
        CaptureReader reader(decoder);
        Session session;
        bool firstBeforeRest = false;
        {
            QVERIFY2(reader.open(path), qPrintable(reader.errorString()));
            CaptureReader::Sink sink;
            sink.addOrigin = [&](const QString& n) { return session.addOrigin(n); };
            sink.deliver = [&](DecodedBatch& b) {
                if (session.eventCount() == 0) {
                    firstBeforeRest = !restWritten;
                    taken.set_value();
                }
                session.ingest(b);
                return true;
            };
            reader.read(sink);
        }
        writer.join();
        QVERIFY(firstBeforeRest);
        QCOMPARE(session.eventCount(), quint64(10000));
        QCOMPARE(session.malformedCount(), quint64(0));
    }

    void aPipeOfNoCaptureSaysWhatItStartsWith()
    {
        const QByteArray png("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
        const Result r = readBytes(png, QStringLiteral("fifo"), {}, Through::Pipe);
        QVERIFY(!r.opened);
        QVERIFY2(
            r.error.contains(QLatin1String("fifo: not a capture (starts with bytes 89 50 4E 47")), qPrintable(r.error));
    }

    void aJsonArrayOfAnySizeIsReadElementByElement_data()
    {
        QTest::addColumn<bool>("compressed");
        QTest::addRow("mapped") << false;
        QTest::addRow("zstd, streamed") << true;
    }
    void aJsonArrayOfAnySizeIsReadElementByElement()
    {
        // pretty-printed, larger than the 64 MiB a frame or line may have: it was 0 events
        QFETCH(bool, compressed);
        QByteArray doc;
        doc.reserve(80 << 20);
        doc += "[\n";
        int n = 0;
        const QByteArray padding(300, 'x');
        while (doc.size() < (66 << 20)) {
            if (n > 0)
                doc += ",\n";
            doc += "  {\n    \"id\": \"e-" + QByteArray::number(n)
                + "\",\n    \"type\": \"big.doc\",\n"
                  "    \"payload\": { \"note\": \""
                + padding + " [not] {a} \\\"bracket\\\" ,\" }\n  }";
            ++n;
        }
        doc += "\n]\n";
        const Result r = readBytes(compressed ? zstd(doc) : doc);
        QVERIFY2(r.opened, qPrintable(r.error));
        QCOMPARE(int(r.format), int(CaptureReader::Format::JsonDocument));
        QCOMPARE(r.events, quint64(n));
        QCOMPARE(r.malformed, 0ull);
    }

    void aBrokenElementOfADocumentSaysWhichLine()
    {
        const QByteArray doc
            = "[\n  {\"id\": \"a\", \"type\": \"t\"},\n  {\"id\": \"b\"},\n  42,\n"
              "  {\n    \"id\": \"c\",\n    \"type\": \"t\"\n  },\n  {\"id\": \"d\", \"type\": \"t\"}\n";
        const Result r = readBytes(doc);
        QCOMPARE(int(r.format), int(CaptureReader::Format::JsonDocument));
        QCOMPARE(r.events, 3ull); // a, c and d
        QCOMPARE(r.malformed, 3ull);
        QVERIFY2(r.reasons.value(0).startsWith(QLatin1String("doc line 3 ")), qPrintable(r.reasons.join(u'\n')));
        QVERIFY2(r.reasons.value(1).startsWith(QLatin1String("doc line 4 ")), qPrintable(r.reasons.join(u'\n')));
        QVERIFY2(r.reasons.value(1).contains(QLatin1String("not a JSON object")), qPrintable(r.reasons.join(u'\n')));
        QVERIFY2(r.reasons.value(2).contains(QLatin1String("ends inside the JSON document's array")),
            qPrintable(r.reasons.join(u'\n')));
    }

    void aStrayClosingBraceInADocumentIsPassed()
    {
        // found by fuzzing: a '}' where an element should start made a zero-length element, read for ever
        const Result r
            = readBytes("[\n  {\"id\": \"a\", \"type\": \"t\"},\n  }, {\"id\": \"b\", \"type\": \"t\"}\n]\n");
        QCOMPARE(r.events, 2ull);
        QCOMPARE(r.malformed, 1ull);
    }

    void aRecordingRunsOnItsReceiveTimes()
    {
        // a recording knows when each event arrived: that is the session's clock, and each producer's
        // own timestamp gives its time on the bus (negative when its clock runs ahead)
        constexpr qint64 T0 = 1795946400LL * 1000000; // 2026-11-29T10:00:00Z
        const auto iso = [](qint64 us) {
            return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
        };
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("c.escap"));
        CaptureWriter w;
        QVERIFY(w.open(file, QUrl(QStringLiteral("ws://bus/")), T0));
        for (int i = 0; i < 40; ++i) {
            const qint64 received = T0 + qint64(i) * 500000;
            const bool ahead = i % 2;
            // one producer 250 ms behind; the other's clock 2 s ahead; the last 30 minutes ahead
            const qint64 produced = i == 39 ? received + qint64(30) * 60 * 1000000
                : ahead                     ? received + 2000000
                                            : received - 250000;
            w.writeFrame(0, received,
                R"({"id":"e)" + QByteArray::number(i) + R"(","type":"booking.created","correlationId":"c)"
                    + QByteArray::number(i % 4) + R"(","source":")" + (ahead ? "clock-ahead" : "booking-service")
                    + R"(","timestamp":")" + iso(produced) + R"("})");
        }
        w.close();

        EventDecoder decoder;
        CaptureReader reader(decoder);
        QVERIFY(reader.open(file));
        Session::Config config;
        config.clock = Session::Clock::Recorded;
        Session s(config);
        CaptureReader::Sink sink;
        sink.addOrigin = [&](const QString& n) { return s.addOrigin(n); };
        sink.deliver = [&](DecodedBatch& b) {
            s.ingest(b);
            return true;
        };
        reader.read(sink);
        QCOMPARE(s.eventCount(), quint64(40));
        QVERIFY(s.receiveTimeKnown(s.store().originAt(s.store().first())));
        // the axes and rates span the receive times, not the producers' (nor the one 30 minutes off)
        QCOMPARE(s.firstEventTimeUs(), T0);
        QCOMPARE(s.lastEventTimeUs(), T0 + 39 * 500000);
        QCOMPARE(s.rates().all().total(), quint64(40));
        QCOMPARE(s.clockSkewedCount(), quint64(1));
        // its chain does not stretch to the skewed clock
        for (std::size_t c = 0; c < s.chains().size(); ++c)
            QVERIFY(s.chains().at(quint32(c)).durationUs() < qint64(20) * 1000000);
        // time on the bus per source
        const int behind = s.sources().find("booking-service");
        const int ahead = s.sources().find("clock-ahead");
        QVERIFY(behind > 0 && ahead > 0);
        QCOMPARE(s.busTimes().events(quint16(behind)), quint64(20));
        QCOMPARE(s.busTimes().samples(quint16(ahead)), quint64(20));
        const qint64 median = s.busTimes().quantileUs(quint16(behind), 0.5);
        QVERIFY2(std::abs(median - 250000) <= 250000 / 16, qPrintable(QString::number(median)));
        const qint64 aheadMedian = s.busTimes().quantileUs(quint16(ahead), 0.5);
        QVERIFY2(std::abs(aheadMedian + 2000000) <= 2000000 / 16, qPrintable(QString::number(aheadMedian)));
        // the far end is the one event 30 minutes ahead; the slow tail (p99) stays where it was
        QVERIFY(s.busTimes().quantileUs(quint16(ahead), 0.0) < qint64(-29) * 60 * 1000000);
        QVERIFY(std::abs(s.busTimes().quantileUs(quint16(ahead), 0.99) + 2000000) <= 2000000 / 16);

        // a file of producer times has no receive times: no time on the bus is made up
        const QString plain = dir.filePath(QStringLiteral("p.ndjson"));
        QFile f(plain);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(ndjson(10));
        f.close();
        CaptureReader fileReader(decoder);
        QVERIFY(fileReader.open(plain));
        Session fromFile(config);
        sink.addOrigin = [&](const QString& n) { return fromFile.addOrigin(n); };
        sink.deliver = [&](DecodedBatch& b) {
            fromFile.ingest(b);
            return true;
        };
        fileReader.read(sink);
        QCOMPARE(fromFile.eventCount(), quint64(10));
        QVERIFY(!fromFile.receiveTimeKnown(fromFile.store().originAt(fromFile.store().first())));
        QCOMPARE(fromFile.busTimes().samples(1), quint64(0));
    }

    void tornCaptureSalvagesEveryCompleteRecord()
    {
        QList<qint64> ends;
        const QByteArray whole = capture(5, &ends);
        // cut the file at every byte: every record that ends before the cut is read, then one notice
        for (qint64 cut = ends.first(); cut <= whole.size(); ++cut) {
            const Result r = readBytes(whole.left(cut));
            QVERIFY(r.opened);
            int complete = 0;
            for (int i = 1; i < ends.size(); ++i)
                complete += ends[i] <= cut;
            QCOMPARE(r.events, quint64(complete));
            const bool torn = !ends.contains(cut);
            QCOMPARE(r.malformed, quint64(torn ? 1 : 0));
            if (torn)
                QVERIFY2(r.lastReason.contains(QLatin1String("the file ends inside")), qPrintable(r.lastReason));
        }
    }

    // broker messages: subject and headers kept, bodies decoded as on the wire; bad lengths are skipped
    void brokerMessagesReadBack_data()
    {
        QTest::addColumn<int>("subjectLength"); // -1: as written
        QTest::addColumn<quint64>("events");
        QTest::addColumn<QString>("reason");
        QTest::addRow("as written") << -1 << quint64(3) << QString();
        QTest::addRow("subject longer than the record")
            << 60000 << quint64(2) << QStringLiteral("inconsistent lengths");
    }
    void brokerMessagesReadBack()
    {
        QFETCH(int, subjectLength);
        QFETCH(quint64, events);
        QFETCH(QString, reason);
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("m.escap"));
        CaptureWriter w;
        QVERIFY(w.open(file, QUrl(QStringLiteral("mqtt+ws://ops:pw@broker:9001?topic=%23")), 1));
        QVERIFY(
            w.writeOrigin(0, QUrl(QStringLiteral("mqtt+ws://ops:pw@broker:9001?topic=%23")), QStringLiteral("mqtt")));
        QVERIFY(w.writeMessage(0, 1000, "booking/created", {}, R"({"id":"e1","type":"booking.created"})", true));
        w.flush();
        const qint64 second = QFile(file).size();
        QVERIFY(w.writeMessage(0, 2000, "booking/eu/noted", {}, R"({"bookingId":"BK-1"})", true));
        QVERIFY(w.writeMessage(0, 3000, "a.b", "NATS/1.0\r\nCorrelation-Id: K\r\n\r\n", R"(7)", false));
        w.close();
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArray bytes = f.readAll();
        QVERIFY(!bytes.contains("pw"));
        if (subjectLength >= 0) {
            // a record whose subject length runs past its body, with a valid checksum
            const qint64 body = second + 16;
            bytes[body] = char(subjectLength & 0xFF);
            bytes[body + 1] = char(subjectLength >> 8);
            const quint32 length = qFromLittleEndian<quint32>(bytes.constData() + second);
            uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(bytes.constData() + second), 16 + length);
            qToLittleEndian<quint32>(quint32(crc), bytes.data() + second + 16 + length);
        }
        const Result r = readBytes(bytes);
        QCOMPARE(r.events, events);
        QCOMPARE(r.malformed, quint64(reason.isEmpty() ? 0 : 1));
        if (!reason.isEmpty())
            QVERIFY2(r.lastReason.contains(reason), qPrintable(r.lastReason));
    }

    // a capture from someone else names a bus and holds frames: reading it opens no connection and
    // writes no file, whatever its records say
    void anUntrustedCaptureOnlyGetsRead()
    {
        QTcpServer bait;
        QVERIFY(bait.listen(QHostAddress::LocalHost, 0));
        const QString baitUrl = QStringLiteral("ws://127.0.0.1:%1/events").arg(bait.serverPort());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("theirs.escap"));
        {
            CaptureWriter w;
            QVERIFY(w.open(file, QUrl(baitUrl), 1));
            QVERIFY(w.writeOrigin(0, QUrl(baitUrl)));
            const QByteArray frame = "{\"id\":\"e1\",\"type\":\"t\",\"payload\":{\"url\":\"" + baitUrl.toUtf8()
                + "\",\"file\":\"/tmp/eventscope-pwned\"}}";
            const QByteArray note = "{\"comment\":\"open " + baitUrl.toUtf8() + "\"}";
            QVERIFY(w.writeFrame(0, 10, frame));
            QVERIFY(w.writeMessage(0, 20, "a.b", "NATS/1.0\r\nNats-Msg-Id: x\r\n\r\n", "{}", false));
            QVERIFY(w.writeAnnotation(30, note));
            w.close();
        }
        const QStringList before = QDir(dir.path()).entryList(QDir::Files);
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const Result r = readBytes(f.readAll());
        QCOMPARE(r.events, quint64(2));
        QTest::qWait(100); // a connection attempt, had there been one, would have arrived by now
        QVERIFY(!bait.hasPendingConnections());
        QCOMPARE(QDir(dir.path()).entryList(QDir::Files), before);
        QVERIFY(!QFile::exists(QStringLiteral("/tmp/eventscope-pwned")));
    }

    // a HAR from the browser's developer tools: the events each WebSocket received, one origin each
    void harFilesGiveTheirWebSocketMessages()
    {
        const QByteArray event1 = R"({"id":"h1","type":"booking.created","timestamp":"2026-11-29T10:00:00Z"})";
        const QByteArray binary = QByteArray(R"({"id":"h4","type":"booking.validated"})").toBase64();
        const QByteArray har = "{\n  \"log\": {\n    \"version\": \"1.2\",\n    \"entries\": [\n"
                               "      { \"request\": { \"url\": \"https://app.example.com/index.html\" } },\n"
                               "      { \"request\": { \"url\": \"wss://bus.example.com/events?token=s3cret\" },\n"
                               "        \"_webSocketMessages\": [\n"
                               "          { \"type\": \"send\", \"time\": 1795946399.5, \"opcode\": 1, \"data\": "
                               "\"{\\\"op\\\":\\\"subscribe\\\"}\" },\n"
                               "          { \"type\": \"receive\", \"time\": 1795946400.25, \"opcode\": 1, \"data\": "
            + QJsonDocument(QJsonArray { QString::fromUtf8(event1) }).toJson(QJsonDocument::Compact).mid(1).chopped(1)
            + " },\n"
              "          { \"type\": \"receive\", \"time\": 1795946400.5, \"opcode\": 1, \"data\": "
              "\"[{\\\"id\\\":\\\"h2\\\",\\\"type\\\":\\\"x.y\\\"},{\\\"id\\\":\\\"h3\\\",\\\"type\\\":\\\"x.y\\\"}]\" "
              "},\n"
              "          { \"type\": \"receive\", \"time\": 1795946401, \"opcode\": 2, \"data\": \""
            + binary
            + "\" },\n"
              "          { \"type\": \"receive\", \"time\": 1795946402, \"opcode\": 1, \"data\": \"not json\" }\n"
              "        ] },\n"
              "      { \"request\": { \"url\": \"ws://other.example.com/bus\" },\n"
              "        \"_webSocketMessages\": [ { \"type\": \"receive\", \"time\": 1795946403, \"opcode\": 1, "
              "\"data\": \"{\\\"id\\\":\\\"h5\\\",\\\"type\\\":\\\"x.y\\\"}\" } ] }\n"
              "    ]\n  }\n}\n";
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("session.har"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(har);
        f.close();
        EventDecoder decoder;
        CaptureReader reader(decoder);
        QVERIFY2(reader.open(path), qPrintable(reader.errorString()));
        Session s;
        CaptureReader::Sink sink;
        QStringList origins;
        sink.addOrigin = [&](const QString& n) {
            origins << n;
            return s.addOrigin(n);
        };
        sink.deliver = [&](DecodedBatch& b) {
            s.ingest(b);
            return true;
        };
        QVERIFY(reader.read(sink));
        QCOMPARE(reader.format(), CaptureReader::Format::Har);
        QCOMPARE(s.eventCount(), quint64(5)); // the page's own "send" is no event of the bus
        QCOMPARE(s.malformedCount(), quint64(1));
        QVERIFY(s.recentMalformed().back().reason.contains(QLatin1String("not valid JSON")));
        QCOMPARE(s.recentMalformed().back().position.unit, SourcePosition::Message);
        QCOMPARE(origins.size(), 3); // the file, and each of its WebSockets
        QVERIFY(!origins.join(u' ').contains(QLatin1String("s3cret")));
        QVERIFY(origins.contains(QStringLiteral("wss://bus.example.com/events?token=REDACTED")));
        QVERIFY(origins.contains(QStringLiteral("ws://other.example.com/bus")));
        // receive times come from the HAR; the binary message was decoded from base64
        QCOMPARE(s.store().at(s.store().first()).receiveTimeUs, 1795946400250000LL);
        QCOMPARE(s.types().find("booking.validated") >= 0, true);
    }

    void aHarWithAnUnreadableMessageSaysWhere()
    {
        const Result r = readBytes(
            R"({"log":{"entries":[{"request":{"url":"ws://h/"},"_webSocketMessages":[{"type":"receive","time":1}]}]}})",
            QStringLiteral("bad.har"));
        QCOMPARE(r.events, quint64(0));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.lastReason.contains(QLatin1String("HAR file: entry 1")), qPrintable(r.lastReason));
    }

    void corruptRecordStopsWithWhere()
    {
        QList<qint64> ends;
        QByteArray bytes = capture(5, &ends);
        bytes[ends[2] + 20] = bytes[ends[2] + 20] ^ 0x40; // a flipped bit inside the third frame
        const Result r = readBytes(bytes);
        QCOMPARE(r.events, quint64(2));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.lastReason.contains(QLatin1String("record 4 fails its checksum")), qPrintable(r.lastReason));
    }

    void aZstdChecksumErrorKeepsEveryDecodedByte()
    {
        // the frame's checksum is wrong, its data intact: zstd checks the checksum before it hands over
        // the last block, which was lost (up to 128 KiB of good events)
        const QByteArray plain = ndjson(3000);
        QByteArray packed(qsizetype(ZSTD_compressBound(std::size_t(plain.size()))), '\0');
        ZSTD_CCtx* cctx = ZSTD_createCCtx();
        ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
        packed.resize(qsizetype(ZSTD_compress2(
            cctx, packed.data(), std::size_t(packed.size()), plain.constData(), std::size_t(plain.size()))));
        ZSTD_freeCCtx(cctx);
        QVERIFY(plain.size() > 3 * 128 * 1024 / 2);
        packed[packed.size() - 1] = char(packed.at(packed.size() - 1) ^ 0x5a);
        const Result r = readBytes(packed, QStringLiteral("f.ndjson.zst"));
        QCOMPARE(r.events, quint64(3000));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.lastReason.contains(QLatin1String("checksum")) && r.lastReason.contains(QLatin1String("kept")),
            qPrintable(r.lastReason));
    }

    void aCaptureWithoutItsHeaderSaysSo()
    {
        // only the signature: not silently "0 events"
        Result r = readBytes(QByteArray(CaptureFormat::Magic, sizeof(CaptureFormat::Magic)), QStringLiteral("c.escap"));
        QCOMPARE(r.events, quint64(0));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.lastReason.contains(QLatin1String("no header record")), qPrintable(r.lastReason));
        // its first record lost: the frames after it are not taken as a capture's
        QList<qint64> ends;
        const QByteArray whole = capture(3, &ends);
        QByteArray headless = whole.left(8) + whole.mid(ends[0]);
        r = readBytes(headless, QStringLiteral("c.escap"));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.reasons.value(0).contains(QLatin1String("record 1 (byte 8)"))
                && r.reasons.value(0).contains(QLatin1String("is not the capture's header record")),
            qPrintable(r.reasons.join(u'|')));
    }

    void aNewerVersionIsBlamedOnTheHeaderRecord()
    {
        // the header is record 1, right after the 8-byte magic
        QByteArray bytes = capture(2);
        const qsizetype body = 8 + CaptureFormat::RecordHeaderBytes;
        const quint32 length = qFromLittleEndian<quint32>(bytes.constData() + 8);
        const qsizetype version = bytes.indexOf("\"version\":1", body);
        QVERIFY(version > 0 && version < body + qsizetype(length));
        bytes[version + 10] = '2';
        uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(bytes.constData() + 8), CaptureFormat::RecordHeaderBytes);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(bytes.constData() + body), length);
        qToLittleEndian<quint32>(quint32(crc), bytes.data() + body + length);
        const Result r = readBytes(bytes);
        QCOMPARE(r.events, quint64(0));
        QVERIFY2(r.reasons.value(0).contains(QLatin1String("record 1 (byte 8)"))
                && r.reasons.value(0).contains(QLatin1String("version 2 is newer")),
            qPrintable(r.reasons.join(u'|')));
    }

    void hugeDeclaredLengthIsRefusedBeforeAllocating()
    {
        QList<qint64> ends;
        QByteArray bytes = capture(2, &ends);
        const uchar huge[4] = { 0xff, 0xff, 0xff, 0x7f };
        bytes.replace(ends[1], 4, reinterpret_cast<const char*>(huge), 4);
        for (const QByteArray& input : { bytes, zstd(bytes) }) {
            const Result r = readBytes(input);
            QCOMPARE(r.events, quint64(1));
            QVERIFY2(r.lastReason.contains(QLatin1String("more than the 64 MiB limit")), qPrintable(r.lastReason));
        }
    }

    void truncatedCompressedFileKeepsWhatCameBefore()
    {
        const QByteArray gz = gzip(ndjson(2000));
        const Result r = readBytes(gz.left(gz.size() / 2));
        QVERIFY(r.events > 100 && r.events < 2000);
        QVERIFY2(r.lastReason.contains(QLatin1String("truncated")), qPrintable(r.lastReason));
        const QByteArray zs = zstd(ndjson(20000));
        const Result z = readBytes(zs.left(zs.size() / 2));
        QVERIFY2(z.events > 5000 && z.events < 20000, qPrintable(QString::number(z.events)));
        QCOMPARE(z.malformed, quint64(1));
        QVERIFY2(z.reasons.value(0).contains(QStringLiteral("line %1 ").arg(z.events + 1))
                && z.lastReason.contains(QLatin1String("truncated")),
            qPrintable(z.reasons.join(u'|')));
    }

    void aCompressionBombIsOneOversizeRecord_data()
    {
        QTest::addColumn<bool>("gz");
        QTest::addColumn<bool>("array");
        QTest::addRow("ndjson.zst") << false << false;
        QTest::addRow("ndjson.gz") << true << false;
        QTest::addRow("array.zst") << false << true;
        QTest::addRow("array.gz") << true << true;
    }
    void aCompressionBombIsOneOversizeRecord()
    {
        // 200 MiB of one line (or one array element) in a file of a few hundred KB: with a 1 MiB
        // limit it is one skipped record, and the lines after it are read and numbered right. Before,
        // each buffer's worth of the line was another "line".
        QFETCH(bool, gz);
        QFETCH(bool, array);
        DecoderConfig config;
        config.maxFrameBytes = 1 << 20;
        const QByteArray before = ndjson(3);
        QByteArray after = ndjson(2);
        QByteArray head = before;
        if (array) {
            head = "[\n" + QByteArray(before).replace("}\n", "},\n");
            after = QByteArray(after).replace("}\n", "},\n");
            after.chop(2);
            after += "\n]\n";
        }
        const QByteArray packed = bomb(gz, head + "{\"id\":\"big\",\"type\":\"", qint64(200) << 20,
            QByteArray(array ? "\"},\n" : "\"}\n") + after);
        QVERIFY(packed.size() < 1 << 20);
        Result r;
        const qint64 growth = peakGrowth([&] { r = readBytes(packed, QStringLiteral("b"), config); });
        QCOMPARE(r.events, quint64(5));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.reasons.value(0).contains(QLatin1String(array ? "line 5 " : "line 4 "))
                && r.reasons.value(0).contains(QLatin1String("limit: skipped")),
            qPrintable(r.reasons.join(u'|')));
        if (growth >= 0) // the line is never held whole: a few buffers of the 1 MiB limit
            QVERIFY2(growth < qint64(48) << 20, qPrintable(QString::number(growth)));
    }

    void aDocumentBombIsStoppedBeforeItIsInflated_data()
    {
        QTest::addColumn<bool>("gz");
        QTest::addColumn<QByteArray>("head");
        QTest::addColumn<QString>("reason");
        const QString document = QStringLiteral("document 1 (byte 0): the JSON document is larger than the "
                                                "1048576-byte limit");
        const QString line = QStringLiteral("line 1 (byte 0): line longer than the 1048576-byte limit");
        const QByteArray pretty = "{\n  \"events\": [\n    {\"id\":\"a\",\"type\":\"";
        const QByteArray oneLine = "{\"events\":[{\"id\":\"a\",\"type\":\"";
        QTest::addRow("zstd, pretty") << false << pretty << document;
        QTest::addRow("gzip, pretty") << true << pretty << document;
        QTest::addRow("zstd, one line") << false << oneLine << line;
        QTest::addRow("gzip, one line") << true << oneLine << line;
    }
    void aDocumentBombIsStoppedBeforeItIsInflated()
    {
        // a whole document (not an array) is parsed in one piece: past the limit it is refused before
        // more of it is inflated, not after 512 MiB of it sit in memory
        QFETCH(bool, gz);
        QFETCH(QByteArray, head);
        QFETCH(QString, reason);
        DecoderConfig config;
        config.maxFrameBytes = 1 << 20;
        const QByteArray packed = bomb(gz, head, qint64(512) << 20, "\"}]}\n");
        Result r;
        const qint64 growth = peakGrowth([&] { r = readBytes(packed, QStringLiteral("d"), config); });
        QCOMPARE(r.events, quint64(0));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.reasons.value(0).contains(reason), qPrintable(r.reasons.join(u'|')));
        if (growth < 0)
            QSKIP("/proc/self/clear_refs cannot reset the peak memory here: its bound is not checked");
        QVERIFY2(growth < qint64(48) << 20, qPrintable(QString::number(growth)));
    }

    void damagedCompressedDataKeepsWhatDecodedBefore_data()
    {
        QTest::addColumn<bool>("gz");
        QTest::addRow("zstd") << false;
        QTest::addRow("gzip") << true;
    }
    void damagedCompressedDataKeepsWhatDecodedBefore()
    {
        // one byte deleted two thirds into the stream: every line decoded before the damage is read,
        // the one it cuts is not blamed on its writer, and the error names the decompressor's reason
        // and where in the compressed file
        QFETCH(bool, gz);
        const QByteArray plain = ndjson(6000);
        QByteArray packed = gz ? gzip(plain) : zstd(plain);
        packed.remove(packed.size() * 2 / 3, 1);
        const Result r = readBytes(packed, QStringLiteral("f.ndjson"));
        // zstd keeps whole blocks of 128 KiB: at least the two before the damaged one
        QVERIFY2(r.events >= 2000 && r.events < 6000, qPrintable(QString::number(r.events)));
        const QString label = gz ? QStringLiteral("corrupt gzip data near compressed byte ")
                                 : QStringLiteral("corrupt zstd data near compressed byte ");
        QVERIFY2(r.lastReason.contains(label), qPrintable(r.reasons.join(u'|')));
        if (!gz) { // zstd hands over whole blocks only: nothing before the error is garbage
            QCOMPARE(r.malformed, quint64(1));
            QVERIFY2(r.reasons.value(0).contains(QStringLiteral("line %1 ").arg(r.events + 1)),
                qPrintable(r.reasons.join(u'|')));
        }
    }

    void aFileDamagedInItsFirstBlockCannotBeOpened()
    {
        // nothing decodes: said when the file is opened, not taken for an empty file
        const QByteArray packed = zstd(ndjson(100));
        const Result r = readBytes(packed.left(packed.size() / 2), QStringLiteral("f.ndjson.zst"));
        QVERIFY(!r.opened);
        QVERIFY2(r.error.contains(QLatin1String("f.ndjson.zst: the zstd stream ends inside a frame (truncated")),
            qPrintable(r.error));
    }

    void aGzipChecksumErrorKeepsEveryLine()
    {
        QByteArray packed = gzip(ndjson(3000));
        packed[packed.size() - 6] = char(packed.at(packed.size() - 6) ^ 0x5a); // the CRC-32 in the trailer
        const Result r = readBytes(packed, QStringLiteral("f.ndjson.gz"));
        QCOMPARE(r.events, quint64(3000));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.lastReason.contains(QLatin1String("incorrect data check")), qPrintable(r.lastReason));
    }

    void aDamagedCompressedCaptureNamesTheDamage()
    {
        // not "the file ends inside record N": the record was cut by the zstd error
        QByteArray packed = zstd(capture(12000));
        packed.remove(packed.size() * 3 / 4, 1);
        const Result r = readBytes(packed, QStringLiteral("c.escap.zst"));
        QVERIFY2(r.events > 4000 && r.events < 12000, qPrintable(QString::number(r.events)));
        QCOMPARE(r.malformed, quint64(1));
        QVERIFY2(r.lastReason.contains(QLatin1String("corrupt zstd data near compressed byte"))
                && !r.lastReason.contains(QLatin1String("ends inside")),
            qPrintable(r.lastReason));
        QVERIFY2(r.reasons.value(0).contains(QStringLiteral("record %1 ").arg(r.events + 2)),
            qPrintable(r.reasons.join(u'|')));
    }

    void notACapture_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addRow("png") << QByteArray("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16);
        QTest::addRow("text") << QByteArray("hello world\n");
        QTest::addRow("gzip of text") << gzip("hello world\n");
        QTest::addRow("elf") << QByteArray("\x7f"
                                           "ELF\x02\x01\x01",
            7);
    }
    void notACapture()
    {
        QFETCH(QByteArray, bytes);
        const Result r = readBytes(bytes, QStringLiteral("thing.dat"));
        QVERIFY(!r.opened);
        QVERIFY2(r.error.contains(QLatin1String("thing.dat")) && r.error.contains(QLatin1String("not a capture")),
            qPrintable(r.error));
    }

    void missingFileAndDirectory()
    {
        EventDecoder decoder;
        CaptureReader reader(decoder);
        QVERIFY(!reader.open(QStringLiteral("/no/such/file.ndjson")));
        QVERIFY(reader.errorString().contains(QLatin1String("no such file")));
        QVERIFY(!reader.open(QStringLiteral("/tmp")));
        QVERIFY(reader.errorString().contains(QLatin1String("directory")));
    }

    void overlongLineInACompressedFileIsSkipped()
    {
        const QByteArray line = "{\"id\":\"big\",\"type\":\"t\",\"payload\":\"" + QByteArray(3 << 20, 'x') + "\"}\n";
        const Result r = readBytes(zstd(ndjson(3) + line + ndjson(2)));
        QCOMPARE(r.events, quint64(5));
        QCOMPARE(r.malformed, quint64(1));
    }

    void compressedPayloadsGoToTheSpoolNotTheHeap_data()
    {
        QTest::addColumn<bool>("useGzip");
        QTest::addColumn<bool>("asArray");
        QTest::addRow("zstd NDJSON") << false << false;
        QTest::addRow("gzip NDJSON") << true << false;
        QTest::addRow("zstd JSON array") << false << true;
    }
    void compressedPayloadsGoToTheSpoolNotTheHeap()
    {
        // a compressed capture's events keep their bytes in an unnamed file on disk, as a plain
        // capture's stay in the mapped file: without it, 1 GiB of zstd JSON took 1.2 GiB of heap
        QFETCH(bool, useGzip);
        QFETCH(bool, asArray);
        constexpr int Events = 20000;
        QByteArray plain = ndjson(Events);
        if (asArray) {
            plain.replace("}\n{", "},\n  {");
            plain = "[\n  " + plain.trimmed() + "\n]\n";
        }
        QTemporaryDir dir;
        const QString plainPath = dir.filePath(QStringLiteral("plain.json"));
        const QString packedPath = dir.filePath(QStringLiteral("packed.json"));
        const QString spoolDir = dir.filePath(QStringLiteral("spool"));
        writeFile(plainPath, plain);
        writeFile(packedPath, useGzip ? gzip(plain) : zstd(plain));

        Session mapped;
        QVERIFY(CaptureLoader::readInto(mapped, plainPath, nullptr));
        QCOMPARE(mapped.eventCount(), quint64(Events));

        CaptureReader::Options options;
        options.spoolDirectory = spoolDir;
        options.spoolSegmentBytes = 256 << 10; // smaller than what one buffer decodes: several segments
        Session spooled;
        const QString error = readWith(options, packedPath, spooled);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(spooled.eventCount(), quint64(Events));
        QCOMPARE(spooled.malformedCount(), 0ull);
        QCOMPARE(spooled.store().rawStore().heapBytes(), std::size_t(0)); // no payload in the heap
        QVERIFY(spooled.store().rawStore().liveChunks() > 1);
        for (quint32 i = 0; i < Events; ++i)
            QVERIFY2(spooled.raw(i) == mapped.raw(i), qPrintable(QString::number(i)));
        // the file has no name: nothing is left in the directory, whatever becomes of the process
        QVERIFY(QDir(spoolDir).entryList(QDir::Files | QDir::Hidden | QDir::System).isEmpty());
    }

    void aSpoolThatCannotBeMadeKeepsTheBytesInMemory()
    {
        QTemporaryDir dir;
        const QString notADirectory = dir.filePath(QStringLiteral("file"));
        writeFile(notADirectory, "x");
        const QString packedPath = dir.filePath(QStringLiteral("packed.ndjson"));
        writeFile(packedPath, zstd(ndjson(3000)));
        CaptureReader::Options options;
        options.spoolDirectory = notADirectory + QStringLiteral("/spool");
        Session s;
        const QString error = readWith(options, packedPath, s);
        QVERIFY2(error.contains(notADirectory), qPrintable(error));
        QCOMPARE(s.eventCount(), quint64(3000)); // every event still read, its bytes in the heap
        QVERIFY(s.store().rawStore().heapBytes() > 0);
        QVERIFY(s.raw(2999).find("\"seq\":3000") != std::string_view::npos);
    }

    void openingAFileMapsNoneOfItsPagesIn()
    {
        // the window opens a file on its own thread before it paints: mapping every page in there
        // made an hour's capture (6.8 GB) wait 4 s for its first paint
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("big.ndjson"));
        writeFile(path, ndjson(1000));
        {
            QFile f(path);
            QVERIFY(f.open(QIODevice::ReadWrite));
            QVERIFY(f.resize(qint64(512) << 20)); // a hole: no disk, but 512 MiB of pages to map
        }
        const auto rssFileKiB = [] {
            QFile status(QStringLiteral("/proc/self/status"));
            if (!status.open(QIODevice::ReadOnly))
                return qint64(-1);
            for (const QByteArray& line : status.readAll().split('\n'))
                if (line.startsWith("RssFile:"))
                    return line.mid(8).trimmed().split(' ').value(0).toLongLong();
            return qint64(-1);
        };
        const qint64 before = rssFileKiB();
        QVERIFY(before >= 0);
        EventDecoder decoder;
        CaptureReader reader(decoder);
        QVERIFY2(reader.open(path), qPrintable(reader.errorString()));
        const qint64 grown = rssFileKiB() - before;
        QVERIFY2(grown < 64 * 1024, qPrintable(QStringLiteral("%1 KiB mapped in by open()").arg(grown)));
    }

    void mappedFilePayloadsStayInTheFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("m.ndjson"));
        QFile f(path);
        f.open(QIODevice::WriteOnly);
        f.write(ndjson(5000));
        f.close();
        Session s;
        QVERIFY(CaptureLoader::readInto(s, path, nullptr));
        QCOMPARE(s.eventCount(), quint64(5000));
        QCOMPARE(s.store().rawStore().heapBytes(), std::size_t(0)); // no payload copied into the heap
        QVERIFY(s.raw(4999).find("\"seq\":5000") != std::string_view::npos);
    }
};

QTEST_GUILESS_MAIN(TestCaptureReader)
#include "tst_capturereader.moc"
