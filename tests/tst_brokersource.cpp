// SPDX-License-Identifier: MIT
// WebSocketSource against real brokers: nats-server's WebSocket listener and mosquitto's, started by
// the test, fed by independent publishers (NATS over plain TCP written here; mosquitto_pub).
#include "brokerprocess.h"
#include "brokerpublisher.h"
#include "captureloader.h"
#include "capturereader.h"
#include "decodedbatch.h"
#include "eventdecoder.h"
#include "eventrecord.h"
#include "livetestutil.h"
#include "session.h"
#include "websocketsource.h"

#include <QProcess>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <map>

namespace {
QByteArray envelope(int n, const QByteArray& type = "booking.created", const QByteArray& extra = {})
{
    return R"({"id":"e)" + QByteArray::number(n) + R"(","type":")" + type + R"(","seq":)" + QByteArray::number(n)
        + extra + '}';
}

/// Publishes to nats-server over its plain TCP port, as any NATS client would.
class NatsTcpPublisher
{
public:
    explicit NatsTcpPublisher(quint16 port, const QByteArray& connectJson = "{\"verbose\":false,\"headers\":true}")
    {
        m_socket.connectToHost(QHostAddress::LocalHost, port);
        if (m_socket.waitForConnected(2000))
            m_socket.write("CONNECT " + connectJson + "\r\n");
    }
    void publish(const QByteArray& subject, const QByteArray& body, const QByteArray& headers = {})
    {
        if (headers.isEmpty()) {
            m_socket.write("PUB " + subject + ' ' + QByteArray::number(body.size()) + "\r\n" + body + "\r\n");
        } else {
            const QByteArray block = "NATS/1.0\r\n" + headers + "\r\n";
            m_socket.write("HPUB " + subject + ' ' + QByteArray::number(block.size()) + ' '
                + QByteArray::number(block.size() + body.size()) + "\r\n" + block + body + "\r\n");
        }
    }
    /// Waits until the server has processed everything sent so far (its PONG to our PING).
    bool flush()
    {
        m_socket.write("PING\r\n");
        QByteArray seen;
        for (int i = 0; i < 100 && !seen.contains("PONG"); ++i) {
            m_socket.waitForBytesWritten(100);
            if (m_socket.waitForReadyRead(100))
                seen += m_socket.readAll();
        }
        return seen.contains("PONG");
    }

private:
    QTcpSocket m_socket;
};

/// What a source delivered, by type, with its malformed records and its last status.
struct Received
{
    std::map<QByteArray, int> types;
    std::vector<DecodedEvent> events;
    std::vector<QByteArray> raws;
    std::vector<QByteArray> correlations;
    std::vector<MalformedRecord> malformed;
    ConnectionStatus status;
    std::size_t count = 0;
    int delayMs = 0;

    WebSocketSource source;

    /// Connects at once; what arrives is collected here.
    explicit Received(ConnectionSettings settings, quint16 origin = 0)
        : source(std::move(settings), origin)
    {
        QObject::connect(
            &source, &WebSocketSource::batchReady, &source, [this](const std::shared_ptr<DecodedBatch>& b) {
                if (delayMs > 0)
                    QThread::msleep(ulong(delayMs));
                for (const DecodedEvent& e : b->events) {
                    const auto t = b->view(e.type);
                    ++types[QByteArray(t.data(), qsizetype(t.size()))];
                    const auto raw = b->raw(e);
                    if (raws.size() < 100) {
                        raws.emplace_back(raw.data(), qsizetype(raw.size()));
                        correlations.push_back(
                            e.flags & EventRecord::HasCorrelation ? (e.correlationHashed()
                                    ? QByteArray(b->view(e.correlationText).data(), qsizetype(e.correlationText.length))
                                    : e.correlation.toString().toUtf8())
                                                                  : QByteArray());
                        events.push_back(e);
                    }
                }
                count += b->events.size();
                malformed.insert(malformed.end(), b->malformed.begin(), b->malformed.end());
            });
        QObject::connect(
            &source, &WebSocketSource::statusChanged, &source, [this](const ConnectionStatus& s) { status = s; });
        source.start();
    }
};

QUrl natsUrl(const BrokerProcess& b, const QString& rest = {})
{
    return QUrl(QStringLiteral("nats+ws://127.0.0.1:%1").arg(b.wsPort()) + rest, QUrl::TolerantMode);
}

QUrl mqttUrl(const BrokerProcess& b, const QString& rest = {})
{
    return QUrl(QStringLiteral("mqtt+ws://127.0.0.1:%1").arg(b.wsPort()) + rest, QUrl::TolerantMode);
}

bool mosquittoPub(const BrokerProcess& b, const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral("mosquitto_pub"),
        QStringList {
            QStringLiteral("-h"), QStringLiteral("127.0.0.1"), QStringLiteral("-p"), QString::number(b.clientPort()) }
            + args);
    return p.waitForFinished(5000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}
} // namespace

class TestBrokerSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void natsDeliversEnvelopesHeadersAndWrappedBodies()
    {
        BrokerProcess nats(BrokerProcess::Nats);
        START_BROKER(nats);
        Received r(fastSettings(natsUrl(nats, QStringLiteral("?subject=booking.>"))), 2);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);

        NatsTcpPublisher pub(nats.clientPort());
        for (int i = 1; i <= 3000; ++i)
            pub.publish(i % 3 ? "booking.created" : "booking.confirmed",
                envelope(i, i % 3 ? "booking.created" : "booking.confirmed"));
        // a plain JSON body with its correlation in a header, a traceparent, a non-JSON body, another subject
        pub.publish("booking.noted", R"({"bookingId":"BK-10042"})",
            "Correlation-Id: c0000000-0000-4000-8000-000000000042\r\nNats-Msg-Id: note-1\r\n");
        pub.publish(
            "booking.traced", R"({"n":1})", "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n");
        pub.publish("booking.garbage", "not json at all");
        pub.publish("staff.assigned", envelope(9999, "staff.assigned")); // not subscribed
        QVERIFY(pub.flush());

        QTRY_COMPARE(r.count, std::size_t(3002));
        QCOMPARE(r.types["booking.created"], 2000);
        QCOMPARE(r.types["booking.confirmed"], 1000);
        QCOMPARE(r.types["booking.noted"], 1);
        QCOMPARE(r.types["booking.traced"], 1);
        QCOMPARE(r.types.count("staff.assigned"), std::size_t(0));
        QTRY_COMPARE(r.malformed.size(), std::size_t(1));
        QVERIFY2(r.malformed[0].reason.contains(QLatin1String("not valid JSON"))
                && r.malformed[0].reason.contains(QLatin1String("booking.garbage")),
            qPrintable(r.malformed[0].reason));
        QCOMPARE(r.malformed[0].position.unit, SourcePosition::Message);
        QCOMPARE(r.malformed[0].position.origin, quint16(2));
        QCOMPARE(r.status.highestSeq, qint64(3000));
    }

    void natsWrappedBodiesKeepSubjectAndCorrelation()
    {
        BrokerProcess nats(BrokerProcess::Nats);
        START_BROKER(nats);
        Received r(fastSettings(natsUrl(nats)), 0);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
        NatsTcpPublisher pub(nats.clientPort());
        pub.publish("booking.noted", R"({"bookingId":"BK-10042"})",
            "Correlation-Id: c0000000-0000-4000-8000-000000000042\r\nNats-Msg-Id: note-1\r\n");
        pub.publish(
            "booking.traced", R"(42)", "traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01\r\n");
        pub.publish("booking.created", envelope(7), "X-Correlation-Id: BK-7\r\n");
        QVERIFY(pub.flush());
        QTRY_COMPARE(r.count, std::size_t(3));
        QCOMPARE(r.raws[0],
            QByteArray(R"({"id":"note-1","type":"booking.noted","subject":"booking.noted",)"
                       R"("payload":{"bookingId":"BK-10042"}})"));
        QCOMPARE(r.correlations[0], QByteArray("c0000000-0000-4000-8000-000000000042"));
        QVERIFY2(r.raws[1].contains(R"("type":"booking.traced")") && r.raws[1].endsWith(R"("payload":42})"),
            r.raws[1].constData());
        QVERIFY(!(r.events[1].flags & EventRecord::IdHashed)); // a generated UUID
        QCOMPARE(r.correlations[1], QByteArray("4bf92f35-77b3-4da6-a3ce-929d0e0e4736"));
        // an envelope stays as it was published; its correlation id came in a header
        QCOMPARE(r.raws[2], envelope(7));
        QCOMPARE(r.correlations[2], QByteArray("BK-7"));
    }

    void natsTokenRefusedStopsRetryingAndRightTokenConnects()
    {
        BrokerProcess nats(BrokerProcess::Nats, "authorization { token: \"s3cret-token\" }");
        START_BROKER(nats);
        {
            ConnectionSettings s = fastSettings(natsUrl(nats));
            s.token = QStringLiteral("wrong-token");
            Received r(s, 0);
            QTRY_COMPARE(r.status.state, ConnectionStatus::Failed);
            QVERIFY2(
                r.status.lastError.contains(QLatin1String("Authorization Violation")), qPrintable(r.status.lastError));
            QVERIFY(!r.status.lastError.contains(QLatin1String("wrong-token")));
            QCOMPARE(r.status.reconnects, quint64(0));
        }
        ConnectionSettings s = fastSettings(natsUrl(nats, QStringLiteral("?token=s3cret-token")));
        Received r(s, 0);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
        NatsTcpPublisher pub(nats.clientPort(), R"({"verbose":false,"auth_token":"s3cret-token"})");
        pub.publish("booking.created", envelope(1));
        QVERIFY(pub.flush());
        QTRY_COMPARE(r.count, std::size_t(1));
    }

    void natsUserAndPasswordFromTheUrl()
    {
        BrokerProcess nats(BrokerProcess::Nats, "authorization { user: ops, password: \"p@ss w0rd\" }");
        START_BROKER(nats);
        ConnectionSettings s = fastSettings(
            QUrl(QStringLiteral("nats+ws://ops:p%40ss%20w0rd@127.0.0.1:%1/?subject=booking.*").arg(nats.wsPort())));
        Received r(s, 0);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
        NatsTcpPublisher pub(nats.clientPort(), R"({"verbose":false,"user":"ops","pass":"p@ss w0rd"})");
        pub.publish("booking.created", envelope(1));
        pub.publish("booking.created.extra", envelope(2)); // '*' is one token
        QVERIFY(pub.flush());
        QTRY_COMPARE(r.count, std::size_t(1));
    }

    void natsReconnectsAfterTheServerRestarts()
    {
        BrokerProcess nats(BrokerProcess::Nats);
        START_BROKER(nats);
        Received r(fastSettings(natsUrl(nats)), 0);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
        {
            NatsTcpPublisher pub(nats.clientPort());
            for (int i = 1; i <= 100; ++i)
                pub.publish("booking.created", envelope(i));
            QVERIFY(pub.flush());
        }
        QTRY_COMPARE(r.count, std::size_t(100));
        nats.stop();
        QTRY_VERIFY(r.status.state == ConnectionStatus::Reconnecting);
        START_BROKER(nats);
        QTRY_COMPARE_WITH_TIMEOUT(r.status.state, ConnectionStatus::Live, 10000);
        QCOMPARE(r.status.reconnects, quint64(1));
        NatsTcpPublisher pub(nats.clientPort());
        for (int i = 151; i <= 200; ++i) // what was published while nobody listened is gone: a gap
            pub.publish("booking.created", envelope(i));
        QVERIFY(pub.flush());
        QTRY_COMPARE(r.count, std::size_t(150));
        QCOMPARE(r.status.highestSeq, qint64(200));
    }

    // a peer that accepts the connection and then says nothing (a wedged proxy, a broker stuck in its
    // start-up) must not stall the demo bus for good: the publisher gives up on it and connects again
    void publisherRetriesABrokerThatNeverAnswers()
    {
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
        std::vector<std::unique_ptr<QTcpSocket>> accepted;
        QObject::connect(&silent, &QTcpServer::newConnection, &silent, [&]() {
            while (QTcpSocket* s = silent.nextPendingConnection())
                accepted.emplace_back(s); // held open, never answered
        });
        BrokerPublisher publisher(QUrl(QStringLiteral("nats+ws://127.0.0.1:%1").arg(silent.serverPort())));
        publisher.handshakeTimeoutMs = 300;
        QVERIFY(publisher.start(nullptr));
        for (int i = 1; i <= 10; ++i)
            publisher.publish("booking.created", envelope(i));
        QTRY_VERIFY_WITH_TIMEOUT(accepted.size() >= 2, 5000);
        QVERIFY2(publisher.lastError().contains(QLatin1String("no answer from the broker within 0.3 s")),
            qPrintable(publisher.lastError()));
        QVERIFY(!publisher.isReady());
        QCOMPARE(publisher.published(), quint64(0)); // held for the broker, not counted as sent
        QCOMPARE(publisher.dropped(), quint64(0));
    }

    void aSlowConsumerDropsAndCountsExactly()
    {
        BrokerProcess nats(BrokerProcess::Nats);
        START_BROKER(nats);
        ConnectionSettings s = fastSettings(natsUrl(nats));
        s.queueCapacity = 2000;
        s.batchEvents = 500;
        Received r(s, 0);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
        r.delayMs = 300; // the screen is slow: each batch costs it 300 ms
        NatsTcpPublisher pub(nats.clientPort());
        const int total = 20000;
        for (int i = 1; i <= total; ++i)
            pub.publish("booking.created", envelope(i));
        QVERIFY(pub.flush());
        // every event is either delivered or counted as dropped; the connection stays up
        QTRY_COMPARE_WITH_TIMEOUT(r.count + r.status.dropped, std::size_t(total), 30000);
        QVERIFY(r.status.dropped > 0);
        QCOMPARE(r.status.events, quint64(total));
        QCOMPARE(r.status.state, ConnectionStatus::Live);
        QCOMPARE(r.status.reconnects, quint64(0));
    }

    void mqttDeliversQos0And1AndMapsTopicsToTypes()
    {
        BrokerProcess mq(BrokerProcess::Mosquitto, "allow_anonymous true");
        START_BROKER(mq);
        Received r(fastSettings(mqttUrl(mq, QStringLiteral("?topic=booking/%23"))), 1);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
        QVERIFY(mosquittoPub(mq,
            { QStringLiteral("-t"), QStringLiteral("booking/created"), QStringLiteral("-q"), QStringLiteral("1"),
                QStringLiteral("-m"), QString::fromUtf8(envelope(1)) }));
        QVERIFY(mosquittoPub(mq,
            { QStringLiteral("-t"), QStringLiteral("booking/created"), QStringLiteral("-q"), QStringLiteral("0"),
                QStringLiteral("-m"), QString::fromUtf8(envelope(2)) }));
        QVERIFY(mosquittoPub(mq,
            { QStringLiteral("-t"), QStringLiteral("booking/eu/noted"), QStringLiteral("-q"), QStringLiteral("1"),
                QStringLiteral("-m"), QStringLiteral(R"({"bookingId":"BK-1"})") }));
        QVERIFY(mosquittoPub(mq,
            { QStringLiteral("-t"), QStringLiteral("booking/bad"), QStringLiteral("-m"), QStringLiteral("\x01\x02") }));
        QVERIFY(mosquittoPub(mq,
            { QStringLiteral("-t"), QStringLiteral("staff/x"), QStringLiteral("-m"), QString::fromUtf8(envelope(3)) }));
        QTRY_COMPARE(r.count, std::size_t(3));
        QTRY_COMPARE(r.malformed.size(), std::size_t(1));
        QCOMPARE(r.types["booking.created"], 2);
        QCOMPARE(r.types["booking.eu.noted"], 1); // slashes become dots
        QVERIFY2(r.raws[2].contains(R"("subject":"booking/eu/noted")"), r.raws[2].constData());
        QVERIFY(r.malformed[0].reason.contains(QLatin1String("booking/bad")));

        // QoS 1 at volume through our own publisher: nothing lost on a healthy broker
        BrokerPublisher publisher(mqttUrl(mq));
        QVERIFY(publisher.start(nullptr));
        QTRY_VERIFY(publisher.isReady());
        for (int i = 10; i < 5010; ++i)
            publisher.publish("booking.created", envelope(i));
        publisher.flush();
        QTRY_COMPARE_WITH_TIMEOUT(r.count, std::size_t(5003), 10000);
    }

    void mqttBadPasswordStopsRetrying_data()
    {
        QTest::addColumn<QString>("userInfo");
        QTest::addColumn<bool>("accepted");
        QTest::addRow("right password") << QStringLiteral("ops:right-pass@") << true;
        QTest::addRow("wrong password") << QStringLiteral("ops:wrong-pass@") << false;
        QTest::addRow("no credentials") << QString() << false;
    }
    void mqttBadPasswordStopsRetrying()
    {
        QFETCH(QString, userInfo);
        QFETCH(bool, accepted);
        BrokerProcess mq(BrokerProcess::Mosquitto, "allow_anonymous false\npassword_file @DIR@/passwd");
        QProcess passwd;
        passwd.start(QStringLiteral("mosquitto_passwd"),
            { QStringLiteral("-b"), QStringLiteral("-c"), mq.directory() + QStringLiteral("/passwd"),
                QStringLiteral("ops"), QStringLiteral("right-pass") });
        if (!passwd.waitForStarted(3000))
            QSKIP("mosquitto_passwd is not installed (scripts/setup.sh installs mosquitto)");
        QVERIFY(passwd.waitForFinished(5000));
        START_BROKER(mq);
        const QUrl url(QStringLiteral("mqtt+ws://") + userInfo + QStringLiteral("127.0.0.1:%1").arg(mq.wsPort()));
        Received r(fastSettings(url), 0);
        if (accepted) {
            QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
            return;
        }
        QTRY_VERIFY2(r.status.state == ConnectionStatus::Failed, qPrintable(r.status.describe()));
        QVERIFY2(r.status.lastError.contains(QLatin1String("not authorized"))
                || r.status.lastError.contains(QLatin1String("bad user name or password")),
            qPrintable(r.status.lastError));
        QVERIFY(!r.status.lastError.contains(QLatin1String("wrong-pass")));
    }

    void mqttReconnectsAfterTheBrokerRestarts()
    {
        BrokerProcess mq(BrokerProcess::Mosquitto, "allow_anonymous true");
        START_BROKER(mq);
        Received r(fastSettings(mqttUrl(mq)), 0);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
        mq.stop();
        QTRY_VERIFY(r.status.state == ConnectionStatus::Reconnecting);
        START_BROKER(mq);
        QTRY_COMPARE_WITH_TIMEOUT(r.status.state, ConnectionStatus::Live, 10000);
        QCOMPARE(r.status.reconnects, quint64(1));
        QVERIFY(mosquittoPub(mq,
            { QStringLiteral("-t"), QStringLiteral("auth/user/logged_in"), QStringLiteral("-m"),
                QString::fromUtf8(envelope(1, "user.logged_in")) }));
        QTRY_COMPARE(r.count, std::size_t(1));
    }

    void recordedBrokerMessagesReadBackTheSame()
    {
        BrokerProcess nats(BrokerProcess::Nats);
        START_BROKER(nats);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("nats.escap"));
        ConnectionSettings s = fastSettings(natsUrl(nats));
        s.token = QStringLiteral("never-in-the-file");
        Received r(s, 0);
        QTRY_COMPARE(r.status.state, ConnectionStatus::Live);
        r.source.startRecording(path);
        QTest::qWait(50);
        NatsTcpPublisher pub(nats.clientPort());
        for (int i = 1; i <= 500; ++i)
            pub.publish("booking.created", envelope(i));
        pub.publish("booking.noted", R"({"bookingId":"BK-1"})", "Correlation-Id: BK-1\r\n");
        pub.publish("booking.garbage", "nope");
        QVERIFY(pub.flush());
        QTRY_COMPARE(r.count, std::size_t(501));
        r.source.stop();

        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("never-in-the-file"));
        Session session;
        QString error;
        QVERIFY2(CaptureLoader::readInto(session, path, &error), qPrintable(error));
        QCOMPARE(session.eventCount(), quint64(501));
        QCOMPARE(session.malformedCount(), quint64(1));
        QCOMPARE(session.chains().liveCount(), std::size_t(1)); // the header's correlation id survived
        QCOMPARE(session.gaps().totalGaps(), quint64(0));
    }
};

QTEST_GUILESS_MAIN(TestBrokerSource)
#include "tst_brokersource.moc"
