// SPDX-License-Identifier: MIT
#include "captureloader.h"
#include "capturereader.h"
#include "capturewriter.h"
#include "eventdecoder.h"
#include "session.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

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
