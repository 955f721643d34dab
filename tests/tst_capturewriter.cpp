// SPDX-License-Identifier: MIT
#include "captureformat.h"
#include "captureloader.h"
#include "capturereader.h"
#include "capturewriter.h"
#include "consumertracker.h"
#include "eventdecoder.h"
#include "session.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>
#include <zlib.h>

class TestCaptureWriter : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void roundTripKeepsFramesTimesAndOrigins()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("s.escap"));
        CaptureWriter w;
        QVERIFY(w.open(path, QUrl(QStringLiteral("wss://alice:s3cret@bus.example:8443/events?token=abc&topic=x")),
            1795946400000000LL));
        QVERIFY(w.writeOrigin(0, QUrl(QStringLiteral("wss://alice:s3cret@bus.example:8443/events?token=abc"))));
        QVERIFY(w.writeOrigin(1, QUrl(QStringLiteral("ws://second:9000/"))));
        QVERIFY(w.writeFrame(0, 1795946400100000LL, R"({"id":"a","type":"booking.created","seq":1})"));
        QVERIFY(w.writeFrame(1, 1795946400200000LL, R"([{"id":"b","type":"x"},{"id":"c","type":"y"}])"));
        QVERIFY(w.writeFrame(0, 1795946400300000LL, "not json", true));
        QVERIFY(w.writeAnnotation(1795946400300000LL, R"({"comment":"deploy started"})"));
        w.close();

        const QByteArray bytes = [&] {
            QFile f(path);
            f.open(QIODevice::ReadOnly);
            return f.readAll();
        }();
        // credentials never reach the file
        QVERIFY(!bytes.contains("s3cret"));
        QVERIFY(!bytes.contains("alice"));
        QVERIFY(!bytes.contains("abc"));

        EventDecoder decoder;
        CaptureReader reader(decoder);
        QVERIFY(reader.open(path));
        QCOMPARE(reader.format(), CaptureReader::Format::Capture);
        Session session;
        CaptureReader::Sink sink;
        sink.addOrigin = [&](const QString& n) { return session.addOrigin(n); };
        sink.deliver = [&](DecodedBatch& b) {
            session.ingest(b);
            return true;
        };
        QVERIFY(reader.read(sink));
        QCOMPARE(reader.source(), QStringLiteral("wss://bus.example:8443/events?token=REDACTED&topic=x"));
        QCOMPARE(reader.startedUs(), 1795946400000000LL);
        QCOMPARE(session.eventCount(), quint64(3));
        QCOMPARE(session.malformedCount(), quint64(1));
        QCOMPARE(session.store().at(0).receiveTimeUs, 1795946400100000LL);
        QCOMPARE(session.originName(session.store().at(0).origin()),
            QStringLiteral("wss://bus.example:8443/events?token=REDACTED"));
        QCOMPARE(session.originName(session.store().at(1).origin()), QStringLiteral("ws://second:9000/"));
        QCOMPARE(reader.annotations().size(), std::size_t(1));
        QCOMPARE(reader.annotations()[0].second, QByteArray(R"({"comment":"deploy started"})"));
        const MalformedRecord& m = session.firstMalformed()[0];
        QCOMPARE(m.position.unit, SourcePosition::Record);
        QCOMPARE(m.position.number, quint64(6)); // header, 2 origins, 2 frames before it
    }

    // a stream's consumers as the server said them, read back exactly; a hostile record costs itself only
    void consumersRecordsReadBack()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("c.escap"));
        CaptureWriter w;
        QVERIFY(w.open(path, QUrl(QStringLiteral("nats+ws://bus:4223/?stream=EVENTS")), 1795946400000000LL));
        QVERIFY(w.writeOrigin(0, QUrl(QStringLiteral("nats+ws://bus:4223/?stream=EVENTS")), QStringLiteral("nats")));
        ConsumerSample email;
        email.stream = "EVENTS";
        email.name = "email";
        email.pending = (quint64(1) << 60) + 1; // past 2^53: exact
        email.ackPending = 6;
        email.redelivered = 2;
        email.waiting = 1;
        email.deliveredSeq = 10;
        email.ackFloorSeq = 4;
        email.lagUs = 3500000;
        ConsumerSample idle = email;
        idle.name = "audit";
        idle.pending = idle.ackPending = 0;
        idle.lagUs = -1;
        QVERIFY(w.writeConsumers(0, 1795946401000000LL, { email, idle }));
        QVERIFY(w.writeFrame(0, 1795946401500000LL, R"({"id":"a","type":"booking.created"})"));
        w.close();
        // hostile bodies: not JSON, no list, and a list of junk (no name, negative counts, a huge name)
        QFile f(path);
        QVERIFY(f.open(QIODevice::Append));
        const QByteArray junk = QByteArray("{\"consumers\":[{},{\"name\":\"\"},7,")
            + "{\"name\":\"neg\",\"pending\":-5,\"lagUs\":-99},{\"name\":\"" + QByteArray(100000, 'x') + "\"}]}";
        const QList<QByteArray> bodies { "{not json", "{\"consumers\":7}", junk };
        for (const QByteArray& body : bodies) {
            QByteArray record(CaptureFormat::RecordHeaderBytes, '\0');
            qToLittleEndian<quint32>(quint32(body.size()), record.data());
            record[4] = char(CaptureFormat::Consumers);
            qToLittleEndian<qint64>(1795946402000000LL, record.data() + 8);
            record += body;
            const uLong crc = crc32(0L, reinterpret_cast<const Bytef*>(record.constData()), uInt(record.size()));
            QByteArray trailer(4, '\0');
            qToLittleEndian<quint32>(quint32(crc), trailer.data());
            f.write(record + trailer);
        }
        f.close();

        Session session;
        QString error;
        QVERIFY2(CaptureLoader::readInto(session, path, &error), qPrintable(error));
        QCOMPARE(session.eventCount(), quint64(1));
        QCOMPARE(session.malformedCount(), quint64(2)); // the two that are not a list of consumers
        const auto& consumers = session.consumers().consumers();
        QCOMPARE(consumers.size(), std::size_t(4));
        const ConsumerSample& e = consumers[0].last;
        QCOMPARE(e.name, std::string("email"));
        QCOMPARE(e.stream, std::string("EVENTS"));
        QCOMPARE(e.timeUs, 1795946401000000LL);
        QCOMPARE(e.pending, (quint64(1) << 60) + 1);
        QCOMPARE(e.ackPending, quint64(6));
        QCOMPARE(e.redelivered, quint64(2));
        QCOMPARE(e.waiting, quint64(1));
        QCOMPARE(e.deliveredSeq, quint64(10));
        QCOMPARE(e.ackFloorSeq, quint64(4));
        QCOMPARE(e.lagUs, qint64(3500000));
        QCOMPARE(session.originName(e.origin), QStringLiteral("nats+ws://bus:4223/?stream=EVENTS"));
        QCOMPARE(consumers[1].last.lagUs, qint64(-1));
        QCOMPARE(consumers[2].last.name, std::string("neg"));
        QCOMPARE(consumers[2].last.pending, quint64(0));
        QCOMPARE(consumers[2].last.lagUs, qint64(-1));
        QCOMPARE(consumers[3].last.name.size(), std::size_t(255));
    }

    void flushedWhileOpenSoAKilledWriterLosesLittle()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("live.escap"));
        CaptureWriter w;
        QVERIFY(w.open(path, QUrl(QStringLiteral("ws://bus/")), 0));
        QVERIFY(w.writeFrame(0, 1, R"({"id":"a","type":"t"})"));
        // under 64 KiB and under a second: still buffered; flush() (the owner's 1 s timer) writes it
        QVERIFY(w.flush());
        Session session;
        QString error;
        QVERIFY(CaptureLoader::readInto(session, path, &error));
        QCOMPARE(session.eventCount(), quint64(1));
        QCOMPARE(session.malformedCount(), quint64(0));
        // a full buffer is written without waiting
        QByteArray frame = "{\"id\":\"b\",\"type\":\"t\",\"payload\":\"" + QByteArray(70000, 'x') + "\"}";
        QVERIFY(w.writeFrame(0, 2, frame));
        QVERIFY(QFile(path).size() > 70000);
    }

    void unwritableFileIsAClearError()
    {
        CaptureWriter w;
        QVERIFY(!w.open(QStringLiteral("/nonexistent-dir/x.escap"), QUrl(), 0));
        QVERIFY(w.errorString().contains(QLatin1String("/nonexistent-dir/x.escap")));
    }
};

QTEST_GUILESS_MAIN(TestCaptureWriter)
#include "tst_capturewriter.moc"
