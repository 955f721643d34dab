// SPDX-License-Identifier: MIT
#include "busserver.h"
#include "decodedbatch.h"
#include "eventrecord.h"
#include "livetestutil.h"
#include "rawwebsocketserver.h"
#include "websocketsource.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <QWebSocket>
#include <QWebSocketServer>
#include <set>

namespace {
QByteArray busEvent(quint64 seq, const QByteArray& type = "booking.created")
{
    return R"({"id":"e)" + QByteArray::number(seq) + R"(","type":")" + type + R"(","seq":)" + QByteArray::number(seq)
        + '}';
}

/// Collects what a source delivers, on the test's thread.
struct Collector
{
    std::vector<quint64> seqs;
    std::vector<MalformedRecord> malformed;
    int batches = 0;
    ConnectionStatus status;
    std::vector<ConnectionStatus::State> states;

    int delayMs = 0; ///< a slow consumer: this long per batch

    explicit Collector(WebSocketSource& source)
    {
        QObject::connect(
            &source, &WebSocketSource::batchReady, &source, [this](const std::shared_ptr<DecodedBatch>& b) {
                ++batches;
                if (delayMs > 0)
                    QThread::msleep(ulong(delayMs));
                for (const DecodedEvent& e : b->events)
                    seqs.push_back(e.seq);
                malformed.insert(malformed.end(), b->malformed.begin(), b->malformed.end());
            });
        QObject::connect(&source, &WebSocketSource::statusChanged, &source, [this](const ConnectionStatus& s) {
            status = s;
            if (states.empty() || states.back() != s.state)
                states.push_back(s.state);
        });
    }
    bool exactlyOnce(quint64 from, quint64 to) const
    {
        std::set<quint64> unique(seqs.begin(), seqs.end());
        return unique.size() == seqs.size() && seqs.size() == to - from + 1 && *unique.begin() == from
            && *unique.rbegin() == to;
    }
};

} // namespace

class TestWebSocketSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // what a bus server takes from a client is bounded, and a hostile "since" cannot overflow
    void subscriptionsAreParsedWithinBounds_data()
    {
        QTest::addColumn<QByteArray>("message");
        QTest::addColumn<bool>("accepted");
        QTest::addColumn<int>("patterns");
        QTest::addColumn<qint64>("since");
        QTest::addRow("plain") << QByteArray(R"({"op":"subscribe","types":["a.*"],"since":41})") << true << 1 << 41LL;
        QTest::addRow("no since") << QByteArray(R"({"op":"subscribe"})") << true << 0 << -1LL;
        QTest::addRow("other op") << QByteArray(R"({"op":"unsubscribe"})") << false << 0 << -1LL;
        QTest::addRow("not JSON") << QByteArray("subscribe") << false << 0 << -1LL;
        QTest::addRow("huge since") << QByteArray(R"({"op":"subscribe","since":1e300})") << true << 0
                                    << 281474976710655LL;
        QTest::addRow("negative since") << QByteArray(R"({"op":"subscribe","since":-5})") << true << 0 << 0LL;
        QStringList many;
        for (int i = 0; i < 1000; ++i)
            many << QString::number(i);
        const auto subscribe = [](const QStringList& types) {
            return QJsonDocument(QJsonObject { { QStringLiteral("op"), QStringLiteral("subscribe") },
                                     { QStringLiteral("types"), QJsonArray::fromStringList(types) } })
                .toJson(QJsonDocument::Compact);
        };
        QTest::addRow("a thousand patterns") << subscribe(many) << true << BusServer::MaxPatterns << -1LL;
        QTest::addRow("an overlong pattern")
            << subscribe({ QString(5000, u'a'), QStringLiteral("b") }) << true << 1 << -1LL;
    }
    void subscriptionsAreParsedWithinBounds()
    {
        QFETCH(QByteArray, message);
        QFETCH(bool, accepted);
        QFETCH(int, patterns);
        QFETCH(qint64, since);
        BusServer::Subscription s;
        QCOMPARE(BusServer::parseSubscription(message, s), accepted);
        QCOMPARE(int(s.types.size()), patterns);
        QCOMPARE(s.since, since);
    }

    void subscribesAndReceivesInBatches()
    {
        BusServer bus({});
        QVERIFY(bus.listen());
        QSignalSpy subscribed(&bus, &BusServer::clientSubscribed);
        ConnectionSettings settings = fastSettings(bus.url());
        settings.types = QStringList { QStringLiteral("booking.*") };
        WebSocketSource source(settings, 3);
        Collector c(source);
        source.start();
        QTRY_COMPARE(subscribed.count(), 1);
        const QJsonObject msg = QJsonDocument::fromJson(subscribed.at(0).at(0).toByteArray()).object();
        QCOMPARE(msg.value(QLatin1String("op")).toString(), QStringLiteral("subscribe"));
        QCOMPARE(msg.value(QLatin1String("types")).toArray().at(0).toString(), QStringLiteral("booking.*"));
        QVERIFY(!msg.contains(QLatin1String("since"))); // nothing received yet
        for (quint64 i = 1; i <= 2000; ++i)
            bus.publish(busEvent(i, i % 2 ? "booking.created" : "user.logged_in"),
                i % 2 ? "booking.created" : "user.logged_in");
        QTRY_COMPARE(c.seqs.size(), std::size_t(1000)); // the server filtered by type
        QVERIFY(c.batches < 100); // batched hand-off, not a signal per event
        QCOMPARE(c.status.state, ConnectionStatus::Live);
        QCOMPARE(c.status.highestSeq, qint64(1999));
    }

    void resumesAfterTheBusRestartsWithNothingLostOrDuplicated()
    {
        BusServer bus({});
        QVERIFY(bus.listen());
        QSignalSpy subscribed(&bus, &BusServer::clientSubscribed);
        WebSocketSource source(fastSettings(bus.url()), 0);
        Collector c(source);
        source.start();
        QTRY_COMPARE(subscribed.count(), 1);
        for (quint64 i = 1; i <= 500; ++i)
            bus.publish(busEvent(i), "booking.created");
        QTRY_COMPARE(c.seqs.size(), std::size_t(500));
        // the bus goes away; events keep being produced into its store while the client is away
        bus.close();
        QTRY_COMPARE(c.status.state, ConnectionStatus::Reconnecting);
        for (quint64 i = 501; i <= 800; ++i)
            bus.publish(busEvent(i), "booking.created");
        QVERIFY(bus.listen());
        QTRY_COMPARE_WITH_TIMEOUT(subscribed.count(), 2, 10000);
        const QJsonObject resume = QJsonDocument::fromJson(subscribed.at(1).at(0).toByteArray()).object();
        QCOMPARE(resume.value(QLatin1String("since")).toInteger(), 500);
        for (quint64 i = 801; i <= 1000; ++i)
            bus.publish(busEvent(i), "booking.created");
        QTRY_COMPARE(c.seqs.size(), std::size_t(1000));
        QVERIFY(c.exactlyOnce(1, 1000));
        QCOMPARE(c.status.reconnects, quint64(1));
    }

    void bearerTokenAndHeadersAreSent()
    {
        RawWebSocketServer raw;
        ConnectionSettings s = fastSettings(raw.url());
        s.token = QStringLiteral("s3cret");
        s.headers = { { "X-Tenant", "acme" } };
        WebSocketSource source(s, 0);
        Collector c(source);
        source.start();
        QTRY_COMPARE(c.status.state, ConnectionStatus::Live);
        QVERIFY(raw.lastRequest.contains("Authorization: Bearer s3cret"));
        QVERIFY(raw.lastRequest.contains("X-Tenant: acme"));
        QVERIFY(raw.lastRequest.contains("Sec-WebSocket-Protocol: cloudevents.json"));
        QVERIFY(raw.lastRequest.startsWith("GET /events HTTP/1.1"));
        source.stop();

        RawWebSocketServer raw2;
        s.url = raw2.url();
        s.tokenInQuery = true;
        WebSocketSource source2(s, 0);
        Collector c2(source2);
        source2.start();
        QTRY_COMPARE(c2.status.state, ConnectionStatus::Live);
        QVERIFY(raw2.lastRequest.startsWith("GET /events?token=s3cret HTTP/1.1"));
        QVERIFY(!raw2.lastRequest.contains("Authorization"));
    }

    void refusedCredentialsStopRetrying_data()
    {
        QTest::addColumn<int>("handshake");
        QTest::addColumn<QString>("status");
        QTest::addRow("401") << int(RawWebSocketServer::Handshake::Status401) << QStringLiteral("HTTP 401");
        QTest::addRow("403") << int(RawWebSocketServer::Handshake::Status403) << QStringLiteral("HTTP 403");
    }
    void refusedCredentialsStopRetrying()
    {
        QFETCH(int, handshake);
        QFETCH(QString, status);
        RawWebSocketServer raw;
        raw.handshake = RawWebSocketServer::Handshake(handshake);
        WebSocketSource source(fastSettings(raw.url()), 0);
        Collector c(source);
        source.start();
        QTRY_COMPARE(c.status.state, ConnectionStatus::Failed);
        QVERIFY2(c.status.lastError.contains(status) && c.status.lastError.contains(QLatin1String("not retrying")),
            qPrintable(c.status.lastError));
        QTest::qWait(400);
        QCOMPARE(raw.connections, 1);
    }

    void failedHandshakesAreRetried_data()
    {
        QTest::addColumn<int>("handshake");
        QTest::addColumn<QString>("reason");
        QTest::addRow("404") << int(RawWebSocketServer::Handshake::Status404) << QStringLiteral("HTTP 404");
        QTest::addRow("bad accept key") << int(RawWebSocketServer::Handshake::BadAcceptKey) << QStringLiteral("ccept");
        QTest::addRow("never answers") << int(RawWebSocketServer::Handshake::Silent)
                                       << QStringLiteral("no handshake response within 0.3 s");
    }
    void failedHandshakesAreRetried()
    {
        QFETCH(int, handshake);
        QFETCH(QString, reason);
        RawWebSocketServer raw;
        raw.handshake = RawWebSocketServer::Handshake(handshake);
        ConnectionSettings s = fastSettings(raw.url());
        s.handshakeTimeoutMs = 300;
        WebSocketSource source(s, 0);
        Collector c(source);
        source.start();
        QTRY_VERIFY(raw.connections >= 3); // backing off and trying again
        QCOMPARE(c.status.everConnected, false);
        QVERIFY2(c.status.lastError.contains(reason), qPrintable(c.status.lastError));
        QVERIFY(c.status.state == ConnectionStatus::Reconnecting || c.status.state == ConnectionStatus::Connecting);
    }

    void halfOpenConnectionIsDetectedByPing()
    {
        RawWebSocketServer raw; // completes the handshake, then never answers a ping
        ConnectionSettings s = fastSettings(raw.url());
        s.pingIntervalMs = 100;
        s.deadAfterMs = 400;
        WebSocketSource source(s, 0);
        Collector c(source);
        source.start();
        QTRY_COMPARE(c.status.state, ConnectionStatus::Live);
        QTRY_VERIFY(c.status.lastError.contains(QLatin1String("no pong and no data")));
        QTRY_VERIFY(raw.connections >= 2);
    }

    void aServerThatFailsRightAfterTheUpgradeGetsABackoffNotAStorm()
    {
        // every connection is upgraded and then broken by a bad frame: the backoff must grow, since an
        // upgrade alone proves nothing (it was reset on every upgrade: attempt 1 forever, 33 in 12 s)
        RawWebSocketServer raw;
        raw.afterHandshake = [](QTcpSocket* s) { s->write(RawWebSocketServer::frame(3, "x")); };
        ConnectionSettings s = fastSettings(raw.url());
        s.initialBackoffMs = 40;
        s.maxBackoffMs = 5000;
        WebSocketSource source(s, 0);
        Collector c(source);
        int highestAttempt = 0;
        QObject::connect(&source, &WebSocketSource::statusChanged, &source,
            [&](const ConnectionStatus& st) { highestAttempt = std::max(highestAttempt, st.attempt); });
        source.start();
        QTest::qWait(2500);
        // 20-40, 40-80, 80-160, 160-320, 320-640, 640-1280 ms: at most 7 in 2.5 s (a storm makes dozens)
        QVERIFY2(raw.connections <= 8, qPrintable(QString::number(raw.connections)));
        QVERIFY2(highestAttempt >= 4, qPrintable(QString::number(highestAttempt)));
    }

    void aConnectionThatStayedHealthyStartsTheBackoffAgain()
    {
        // live with good data for longer than healthyAfterMs, then lost: the next retry is attempt 1
        RawWebSocketServer raw;
        raw.afterHandshake = [](QTcpSocket* sock) {
            auto* feed = new QTimer(sock);
            auto n = std::make_shared<int>(0);
            QObject::connect(feed, &QTimer::timeout, sock, [sock, n, feed]() {
                sock->write(RawWebSocketServer::text(busEvent(quint64(++*n))));
                if (*n == 12) { // 600 ms of good data, then the connection breaks
                    feed->stop();
                    sock->abort();
                }
            });
            feed->start(50);
        };
        ConnectionSettings s = fastSettings(raw.url());
        s.healthyAfterMs = 300;
        WebSocketSource source(s, 0);
        Collector c(source);
        std::vector<int> attempts; // the attempt of each loss
        ConnectionStatus::State previous = ConnectionStatus::Idle;
        QObject::connect(&source, &WebSocketSource::statusChanged, &source, [&](const ConnectionStatus& st) {
            if (st.state == ConnectionStatus::Reconnecting && previous != ConnectionStatus::Reconnecting)
                attempts.push_back(st.attempt);
            previous = st.state;
        });
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(attempts.size() >= 2, 5000);
        QCOMPARE(attempts[0], 1);
        QCOMPARE(attempts[1], 1); // each loss came after a healthy spell
    }

    void aDeadConnectionIsDeclaredOnTime()
    {
        // no pong and no data: declared dead at deadAfterMs, not up to a ping interval later
        RawWebSocketServer raw; // completes the handshake, then never answers a ping
        ConnectionSettings s = fastSettings(raw.url());
        s.pingIntervalMs = 300;
        s.deadAfterMs = 600;
        WebSocketSource source(s, 0);
        Collector c(source);
        source.start();
        QTRY_COMPARE(c.status.state, ConnectionStatus::Live);
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY_WITH_TIMEOUT(c.status.lastError.contains(QLatin1String("no pong and no data")), 5000);
        // the tick is a tenth of 600 ms: 600-660 ms after going live (the event loop adds a little)
        QVERIFY2(clock.elapsed() >= 550 && clock.elapsed() < 850, qPrintable(QString::number(clock.elapsed())));
    }

    void malformedFrameBetweenGoodOnes()
    {
        RawWebSocketServer raw;
        raw.afterHandshake = [](QTcpSocket* s) {
            s->write(RawWebSocketServer::text(busEvent(1)) + RawWebSocketServer::text("not json at all")
                + RawWebSocketServer::text("[" + busEvent(2) + "," + busEvent(3) + "]")
                + RawWebSocketServer::frame(2, busEvent(4))); // binary frames are decoded too
        };
        WebSocketSource source(fastSettings(raw.url()), 5);
        Collector c(source);
        source.start();
        QTRY_COMPARE(c.seqs.size(), std::size_t(4));
        QCOMPARE(c.malformed.size(), std::size_t(1));
        QCOMPARE(c.malformed[0].position.unit, SourcePosition::Frame);
        QCOMPARE(c.malformed[0].position.number, quint64(2));
        QCOMPARE(c.malformed[0].position.origin, quint16(5));
        QCOMPARE(c.status.malformed, quint64(1));
    }

    void hostileFramesCloseAndReconnect_data()
    {
        QTest::addColumn<QByteArray>("frames");
        QTest::addColumn<QString>("note");
        QTest::addRow("oversize") << RawWebSocketServer::text(QByteArray(2 << 20, 'x')) << QStringLiteral("1009");
        QByteArray fragments = RawWebSocketServer::frame(1, "{", false);
        for (int i = 0; i < 3000; ++i)
            fragments += RawWebSocketServer::frame(0, QByteArray(1000, ' '), false);
        QTest::addRow("endless fragments") << fragments << QStringLiteral("1009");
        QTest::addRow("invalid utf-8") << RawWebSocketServer::text("{\"id\":\"\xff\xfe\"}") << QStringLiteral("1007");
        QTest::addRow("reserved opcode") << RawWebSocketServer::frame(3, "x") << QStringLiteral("1002");
        QTest::addRow("bad close code") << RawWebSocketServer::frame(8, QByteArray("\x03\xe7", 2))
                                        << QStringLiteral("1002");
    }
    void hostileFramesCloseAndReconnect()
    {
        QFETCH(QByteArray, frames);
        QFETCH(QString, note);
        RawWebSocketServer raw;
        raw.afterHandshake = [frames](QTcpSocket* s) { s->write(RawWebSocketServer::text(busEvent(1)) + frames); };
        WebSocketSource source(fastSettings(raw.url()), 0);
        Collector c(source);
        source.start();
        QTRY_VERIFY(raw.connections >= 2); // the connection ended and the client came back
        QVERIFY(!c.seqs.empty()); // the good frame before the bad one counted
        QTRY_VERIFY2(c.status.lastError.contains(note), qPrintable(c.status.lastError));
        QVERIFY2(c.status.lastError.contains(QLatin1String("after frame")), qPrintable(c.status.lastError));
    }

    void floodBeyondCapacityDropsAndCountsExactly()
    {
        // the bus runs on its own thread and keeps sending; the consumer (this thread) is slow, like a
        // window that cannot keep up: the source's queue fills, events are dropped and counted, the
        // connection stays up
        QThread busThread;
        auto* bus = new BusServer({});
        bus->moveToThread(&busThread);
        connect(&busThread, &QThread::finished, bus, &QObject::deleteLater);
        busThread.start();
        QUrl url;
        QMetaObject::invokeMethod(
            bus,
            [&]() {
                bus->listen();
                url = bus->url();
            },
            Qt::BlockingQueuedConnection);
        ConnectionSettings s = fastSettings(url);
        s.queueCapacity = 2000;
        s.batchEvents = 500;
        WebSocketSource source(s, 0);
        Collector c(source);
        c.delayMs = 100;
        source.start();
        QTRY_COMPARE(c.status.state, ConnectionStatus::Live);
        const quint64 total = 30000;
        QMetaObject::invokeMethod(
            bus,
            [bus]() {
                for (quint64 i = 1; i <= total; ++i)
                    bus->publish(busEvent(i), "booking.created");
            },
            Qt::BlockingQueuedConnection);
        QTRY_COMPARE_WITH_TIMEOUT(quint64(c.seqs.size()) + c.status.dropped, total, 30000);
        QVERIFY(c.status.dropped > 0);
        QVERIFY(c.seqs.size() < total);
        QCOMPARE(c.status.state, ConnectionStatus::Live); // the connection survived
        busThread.quit();
        busThread.wait();
    }

    void tls()
    {
        QTemporaryDir dir;
        const QString cert = dir.filePath(QStringLiteral("cert.pem"));
        const QString key = dir.filePath(QStringLiteral("key.pem"));
        QProcess openssl;
        openssl.start(QStringLiteral("openssl"),
            { QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                QStringLiteral("-nodes"), QStringLiteral("-days"), QStringLiteral("2"), QStringLiteral("-subj"),
                QStringLiteral("/CN=127.0.0.1"), QStringLiteral("-addext"),
                QStringLiteral("subjectAltName=IP:127.0.0.1,DNS:localhost"), QStringLiteral("-keyout"), key,
                QStringLiteral("-out"), cert });
        if (!openssl.waitForFinished(30000) || openssl.exitCode() != 0)
            QSKIP("openssl cannot make a test certificate here");
        QFile cf(cert), kf(key);
        QVERIFY(cf.open(QIODevice::ReadOnly) && kf.open(QIODevice::ReadOnly));
        QWebSocketServer server(QStringLiteral("tls"), QWebSocketServer::SecureMode);
        QSslConfiguration conf = QSslConfiguration::defaultConfiguration();
        conf.setLocalCertificate(QSslCertificate(&cf));
        conf.setPrivateKey(QSslKey(&kf, QSsl::Rsa));
        conf.setPeerVerifyMode(QSslSocket::VerifyNone);
        server.setSslConfiguration(conf);
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));
        const QUrl url(QStringLiteral("wss://127.0.0.1:%1/").arg(server.serverPort()));
        connect(&server, &QWebSocketServer::newConnection, this, [&]() {
            while (QWebSocket* ws = server.nextPendingConnection()) {
                ws->setParent(&server); // deleted with the server
                ws->sendTextMessage(QString::fromUtf8(busEvent(1)));
            }
        });

        { // verification is on by default: a certificate from an unknown CA is refused, with the reason
            WebSocketSource source(fastSettings(url), 0);
            Collector c(source);
            source.start();
            QTRY_COMPARE(c.status.state, ConnectionStatus::Failed);
            QVERIFY2(c.status.lastError.contains(QLatin1String("TLS certificate verification failed")),
                qPrintable(c.status.lastError));
            QVERIFY(c.seqs.empty());
        }
        { // trusted through a CA file
            ConnectionSettings s = fastSettings(url);
            s.caFile = cert;
            WebSocketSource source(s, 0);
            Collector c(source);
            source.start();
            QTRY_COMPARE(c.seqs.size(), std::size_t(1));
        }
        { // accepted explicitly
            ConnectionSettings s = fastSettings(url);
            s.acceptInvalidCertificates = true;
            WebSocketSource source(s, 0);
            Collector c(source);
            source.start();
            QTRY_COMPARE(c.seqs.size(), std::size_t(1));
        }
    }

    void recordsFramesAsReceived()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("live.escap"));
        RawWebSocketServer raw;
        raw.afterHandshake
            = [](QTcpSocket* s) { s->write(RawWebSocketServer::text(busEvent(1)) + RawWebSocketServer::text("junk")); };
        ConnectionSettings s = fastSettings(raw.url());
        s.token = QStringLiteral("s3cret");
        s.tokenInQuery = true;
        WebSocketSource source(s, 0);
        Collector c(source);
        source.start();
        source.startRecording(path);
        QTRY_COMPARE(c.seqs.size(), std::size_t(1));
        source.stopRecording();
        source.stop();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray bytes = f.readAll();
        QVERIFY(bytes.contains(busEvent(1)));
        QVERIFY(bytes.contains("junk")); // kept exactly as received, bad frames too
        QVERIFY(!bytes.contains("s3cret"));
    }
};

QTEST_GUILESS_MAIN(TestWebSocketSource)
#include "tst_websocketsource.moc"
