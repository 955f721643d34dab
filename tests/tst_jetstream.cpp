// SPDX-License-Identifier: MIT
// JetStream history and following, against real nats-server processes with JetStream, fed and managed
// by the official NATS C client (cnats, over plain TCP), read by EventScope over the WebSocket listener.
// The pure parts (ack subjects, API replies, from=/to=) are tested on the documented forms.
#include "brokerprocess.h"
#include "brokerprotocol.h"
#include "busurl.h"
#include "captureloader.h"
#include "capturesession.h"
#include "decodedbatch.h"
#include "demobus.h"
#include "eventprofile.h"
#include "eventrecord.h"
#include "jetstream.h"
#include "jetstreamadmin.h"
#include "jsontext.h"
#include "livetestutil.h"
#include "session.h"
#include "sessionfeed.h"
#include "sessionsummary.h"
#include "timestamp.h"
#include "websocketsource.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QSet>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

namespace {

const QByteArray JetStreamConfig = "jetstream {\n    store_dir: \"@DIR@/js\"\n}\n";

/// What a source delivered: each event's stream sequence, id and receive time, in order.
struct Reader
{
    std::vector<quint64> seqs;
    std::vector<bool> hasSeq;
    std::vector<QByteArray> ids;
    std::vector<qint64> timesUs;
    std::vector<std::shared_ptr<DecodedBatch>> batches;
    ConnectionStatus status;
    WebSocketSource source;

    explicit Reader(const QUrl& url)
        : source(fastSettings(url), 0)
    {
        QObject::connect(
            &source, &WebSocketSource::batchReady, &source, [this](const std::shared_ptr<DecodedBatch>& b) {
                for (const DecodedEvent& e : b->events) {
                    seqs.push_back(e.seq);
                    hasSeq.push_back(e.flags & EventRecord::HasSeq);
                    std::string id;
                    JsonText::field(b->raw(e), "id", &id);
                    ids.emplace_back(id.data(), qsizetype(id.size()));
                    timesUs.push_back(e.receiveTimeUs);
                }
                batches.push_back(b);
            });
        QObject::connect(
            &source, &WebSocketSource::statusChanged, &source, [this](const ConnectionStatus& s) { status = s; });
        source.start();
    }
    bool finished() const { return status.state == ConnectionStatus::Finished; }
    /// Every sequence from `from` to `to` exactly once, in order.
    bool exactly(quint64 from, quint64 to) const
    {
        if (seqs.size() != to - from + 1)
            return false;
        for (std::size_t i = 0; i < seqs.size(); ++i)
            if (seqs[i] != from + i)
                return false;
        return true;
    }
};

/// Three nats-servers with JetStream on loopback, routed to each other as one cluster.
class Cluster
{
public:
    struct Node
    {
        quint16 client = 0, ws = 0, route = 0;
        std::unique_ptr<QProcess> process;
        QString config;
    };
    Node nodes[3];

    Cluster()
    {
        m_program = QStandardPaths::findExecutable(QStringLiteral("nats-server"));
        if (m_program.isEmpty())
            m_program = QStandardPaths::findExecutable(QStringLiteral("nats-server"), { QStringLiteral("/usr/sbin") });
    }
    ~Cluster() { stopAll(); }
    QString program() const { return m_program; }
    /// Starts the three nodes on free ports; a port taken meanwhile by another test (the suite runs two
    /// at a time) makes a node exit, and the cluster is started again on other ports.
    bool start(QString* why)
    {
        for (int attempt = 0; attempt < 3; ++attempt) {
            configure();
            for (Node& n : nodes) {
                n.process = std::make_unique<QProcess>();
                n.process->setProcessChannelMode(QProcess::MergedChannels);
                n.process->start(m_program, { QStringLiteral("-c"), n.config });
                if (!n.process->waitForStarted(5000)) {
                    *why = n.process->errorString();
                    return false;
                }
            }
            for (int i = 0; i < 400; ++i) {
                if (std::all_of(std::begin(nodes), std::end(nodes),
                        [](const Node& n) { return BrokerProcess::accepts(n.client) && BrokerProcess::accepts(n.ws); }))
                    return true;
                if (std::any_of(std::begin(nodes), std::end(nodes),
                        [](const Node& n) { return n.process->state() != QProcess::Running; }))
                    break;
                QTest::qWait(25);
            }
            *why = QStringLiteral("the cluster's ports did not open: ");
            for (Node& n : nodes)
                *why += QString::fromUtf8(n.process->readAll().right(300));
            stopAll();
        }
        return false;
    }
    /// The node goes at once, as a machine that fails.
    void kill(int i)
    {
        nodes[i].process->kill();
        nodes[i].process->waitForFinished(3000);
        nodes[i].process.reset();
    }

private:
    void stopAll()
    {
        for (Node& n : nodes)
            if (n.process) {
                n.process->kill();
                n.process->waitForFinished(3000);
                n.process.reset();
            }
    }
    /// Nine distinct free ports, and each node's configuration naming the others as routes.
    void configure()
    {
        QSet<quint16> taken;
        const auto port = [&taken]() {
            quint16 p = 0;
            do
                p = freeLoopbackPort();
            while (taken.contains(p));
            taken.insert(p);
            return p;
        };
        for (Node& n : nodes) {
            n.client = port();
            n.ws = port();
            n.route = port();
        }
        ++m_generation;
        for (int i = 0; i < 3; ++i) {
            QByteArray routes;
            for (int j = 0; j < 3; ++j)
                if (j != i)
                    routes += (routes.isEmpty() ? "" : ", ") + QByteArray("nats-route://127.0.0.1:")
                        + QByteArray::number(nodes[j].route);
            const QByteArray store
                = m_dir.path().toUtf8() + "/g" + QByteArray::number(m_generation) + "n" + QByteArray::number(i);
            const QByteArray conf = "server_name: n" + QByteArray::number(i) + "\nlisten: 127.0.0.1:"
                + QByteArray::number(nodes[i].client) + "\nwebsocket {\n    listen: \"127.0.0.1:"
                + QByteArray::number(nodes[i].ws) + "\"\n    no_tls: true\n}\njetstream {\n    store_dir: \"" + store
                + "\"\n}\ncluster {\n    name: eventscope\n"
                + "    listen: 127.0.0.1:" + QByteArray::number(nodes[i].route) + "\n    routes: [" + routes + "]\n}\n";
            nodes[i].config = m_dir.filePath(QStringLiteral("n%1.conf").arg(i));
            QFile f(nodes[i].config);
            if (f.open(QIODevice::WriteOnly | QIODevice::Truncate))
                f.write(conf);
        }
    }

    QTemporaryDir m_dir;
    QString m_program;
    int m_generation = 0;
};

QUrl streamUrl(const BrokerProcess& b, const QString& query)
{
    return QUrl(QStringLiteral("nats+ws://127.0.0.1:%1/?").arg(b.wsPort()) + query, QUrl::TolerantMode);
}

} // namespace

class TestJetStream : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void ackSubjectsOfBothForms()
    {
        JetStream::Delivery d;
        // the form nats-server 2.9 sends, and the one with a domain and account hash (2.10 on)
        QVERIFY(JetStream::parseAckSubject("$JS.ACK.EVENTS.dur1.1.1204000.17.1733407200123456789.42", &d));
        QCOMPARE(d.streamSequence, quint64(1204000));
        QCOMPARE(d.consumerSequence, quint64(17));
        QCOMPARE(d.timeUs, qint64(1733407200123456));
        QCOMPARE(d.pending, quint64(42));
        QVERIFY(JetStream::parseAckSubject("$JS.ACK.hub.ACCHASH.EVENTS.dur1.2.5.3.1733407200000000000.0.rnd", &d));
        QCOMPARE(d.delivered, quint64(2));
        QCOMPARE(d.streamSequence, quint64(5));
        QVERIFY(JetStream::parseAckSubject("$JS.ACK._.ACCHASH.EVENTS.dur1.1.6.4.1733407200000000000.0", &d));
        for (const char* bad : { "", "$JS.ACK", "$JS.ACK.S.C.1.x.1.1.0", "$JS.ACK.S.C.1.0.1.1.0",
                 "$JS.NAK.S.C.1.1.1.1.0", "$JS.ACK.S.C.1.1.1.1", "$JS.ACK.S.C.1.1.1.1.0.0", "$JS.ACK..C.1.1.1.1.0",
                 "$JS.ACK.S.C.1.1.1.99999999999999999999.0", "$JS.ACK.S.C.1.1.1.-5.0" })
            QVERIFY2(!JetStream::parseAckSubject(bad, &d), bad);
    }

    void startsAndEndsAsTyped()
    {
        JetStream::Start s;
        QVERIFY(JetStream::parseStart(QStringLiteral("first"), &s, nullptr));
        QCOMPARE(s.kind, JetStream::Start::First);
        QVERIFY(JetStream::parseStart(QStringLiteral("1204000"), &s, nullptr));
        QCOMPARE(s.kind, JetStream::Start::Sequence);
        QCOMPARE(s.sequence, quint64(1204000));
        QVERIFY(JetStream::parseStart(QStringLiteral("2026-12-05T14:00:00Z"), &s, nullptr));
        QCOMPARE(s.kind, JetStream::Start::Time);
        QCOMPARE(Timestamp::toIso8601(s.timeUs), QStringLiteral("2026-12-05T14:00:00.000Z"));
        QVERIFY(JetStream::parseStart(QStringLiteral("1h30m"), &s, nullptr));
        QCOMPARE(s.kind, JetStream::Start::Ago);
        QCOMPARE(s.timeUs, qint64(5400) * 1000000);
        QString error;
        for (const char* bad :
            { "0", "-5", "1x", "h", "yesterday", "99999999999d", "701753042d", "2026-13-05T14:00:00Z" }) {
            QVERIFY2(!JetStream::parseStart(QString::fromLatin1(bad), &s, &error), bad);
            QVERIFY(!error.isEmpty());
        }
        JetStream::End e;
        QVERIFY(JetStream::parseEnd(QStringLiteral("20"), &e, nullptr));
        QCOMPARE(e.kind, JetStream::End::Sequence);
        QVERIFY(!JetStream::parseEnd(QStringLiteral("1h"), &e, &error));

        // in a URL: a stream's name checked, from= and to= only with it
        BrokerEndpoint ep;
        QVERIFY(BrokerEndpoint::parse(
            QUrl(QStringLiteral("nats+ws://h:1/?stream=EVENTS&from=15m&to=2026-12-05T14:20:00Z")), ep, &error));
        QCOMPARE(ep.stream, QByteArray("EVENTS"));
        QCOMPARE(ep.start.kind, JetStream::Start::Ago);
        QCOMPARE(ep.end.kind, JetStream::End::Time);
        QVERIFY(!BrokerEndpoint::parse(QUrl(QStringLiteral("nats+ws://h:1/?from=first")), ep, &error));
        QVERIFY2(error.contains(QLatin1String("stream=")), qPrintable(error));
        QVERIFY(!BrokerEndpoint::parse(QUrl(QStringLiteral("nats+ws://h:1/?stream=a.b")), ep, &error));
        QVERIFY(!BrokerEndpoint::parse(QUrl(QStringLiteral("nats+ws://h:1/?stream=S&from=50&to=10")), ep, &error));
        QVERIFY(!BrokerEndpoint::parse(QUrl(QStringLiteral("nats+ws://h:1/?stream=S&from=new&to=10")), ep, &error));

        // one URL for a cluster, as NATS clients take it
        const QUrl cluster = BusUrl::fromText(
            QStringLiteral("nats+ws://ops:pw@a.example:4223,b.example:4224,[::1]:4225/ws?stream=EVENTS&from=first"));
        QVERIFY(cluster.isValid());
        QCOMPARE(cluster.host(), QStringLiteral("a.example"));
        QCOMPARE(cluster.userName(), QStringLiteral("ops"));
        QVERIFY(BrokerEndpoint::parse(cluster, ep, &error));
        QCOMPARE(ep.servers.size(), 3);
        QCOMPARE(ep.servers[1].toString(), QStringLiteral("ws://b.example:4224/ws"));
        QCOMPARE(ep.servers[2].port(), 4225);
        QCOMPARE(ep.servers[2].host(), QStringLiteral("::1"));
        QCOMPARE(ep.password, QStringLiteral("pw"));
        QVERIFY(!ep.servers[1].toString().contains(QLatin1String("pw"))); // credentials only in CONNECT
        QCOMPARE(BusUrl::fromText(QStringLiteral("ws://a:1/events")), QUrl(QStringLiteral("ws://a:1/events")));
        // an origin that read a stream, as a capture names it (redacted): its gaps are the stream's losses
        QCOMPARE(BusUrl::streamOf(QStringLiteral("nats+wss://bus:443/?stream=ORDERS&from=1h&token=REDACTED")),
            QStringLiteral("ORDERS"));
        QCOMPARE(BusUrl::streamOf(QStringLiteral("nats+ws://bus:4223/?subject=bus.%3E")), QString());
        QCOMPARE(BusUrl::streamOf(QStringLiteral("ws://bus:8080/?stream=X")), QString()); // not NATS
        QCOMPARE(BusUrl::streamOf(QStringLiteral("capture.escap")), QString());
        for (const char* bad : { "nats+ws://a:1/?servers=b", "nats+ws://a:1/?servers=b:0", "nats+ws://a:1/?servers=b:x",
                 "nats+ws://a:1/?servers=b c:5" }) {
            QVERIFY2(!BrokerEndpoint::parse(QUrl(QString::fromLatin1(bad)), ep, &error), bad);
            QVERIFY(error.contains(QLatin1String("servers=")));
        }
    }

    void apiRepliesAndStatusLines()
    {
        const JetStream::Reply notFound = JetStream::parseReply(
            R"({"type":"io.nats.jetstream.api.v1.consumer_create_response","error":{"code":404,"err_code":10059,"description":"stream not found"}})");
        QVERIFY(!notFound.ok);
        QCOMPARE(notFound.code, 404);
        QCOMPARE(notFound.errorCode, 10059);
        QCOMPARE(notFound.description, QStringLiteral("stream not found"));
        const JetStream::Reply created = JetStream::parseReply(
            R"({"type":"io.nats.jetstream.api.v1.consumer_create_response","stream_name":"EVENTS","name":"Xk2f","config":{}})");
        QVERIFY(created.ok);
        QCOMPARE(created.consumerName, QStringLiteral("Xk2f"));
        // a stream sequence past 2^53 stays exact
        QCOMPARE(JetStream::parseReply(R"({"state":{"first_seq":9007199254740993,"last_seq":9007199254740995}})")
                     .lastSequence,
            quint64(9007199254740995));
        QVERIFY(!JetStream::parseReply("not json").ok);
        QVERIFY(!JetStream::parseReply("[1]").ok);
        QByteArrayView what;
        QCOMPARE(JetStream::headerStatus("NATS/1.0 100 Idle Heartbeat\r\nNats-Last-Consumer: 5\r\n\r\n", &what), 100);
        QCOMPARE(what, QByteArrayView("Idle Heartbeat"));
        QCOMPARE(JetStream::headerStatus("NATS/1.0 503\r\n\r\n"), 503);
        QCOMPARE(JetStream::headerStatus("NATS/1.0\r\nA: b\r\n\r\n"), 0);
        QCOMPARE(JetStream::headerStatus("HTTP/1.1 200 OK\r\n"), 0);
    }

    void historyFromTheFirstAndABoundedRange()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        const qint64 before = QDateTime::currentMSecsSinceEpoch() * 1000;
        QVERIFY2(admin.publish(1, 1000), qPrintable(admin.error()));
        const qint64 after = QDateTime::currentMSecsSinceEpoch() * 1000;

        // the whole history to sequence 1000: every message once, in order, and then finished
        Reader all(streamUrl(server, QStringLiteral("stream=EVENTS&from=first&to=1000")));
        QTRY_VERIFY_WITH_TIMEOUT(all.finished(), 20000);
        QVERIFY2(all.exactly(1, 1000), qPrintable(QString::number(all.seqs.size())));
        QCOMPARE(all.ids.front(), QByteArray("e1"));
        QCOMPARE(all.ids.back(), QByteArray("e1000"));
        // each event at the time the stream stored it
        for (const qint64 t : all.timesUs)
            QVERIFY(t >= before - 1000 && t <= after + 1000);
        QVERIFY2(all.status.describe().contains(QLatin1String("finished")), qPrintable(all.status.describe()));

        // a range in the middle
        Reader range(streamUrl(server, QStringLiteral("stream=EVENTS&from=200&to=299")));
        QTRY_VERIFY_WITH_TIMEOUT(range.finished(), 20000);
        QVERIFY(range.exactly(200, 299));
        QCOMPARE(range.ids.front(), QByteArray("e200"));
    }

    void historyByTimeAndByDuration()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY(admin.publish(1, 50));
        QTest::qWait(1500);
        const qint64 split = QDateTime::currentMSecsSinceEpoch() * 1000;
        QTest::qWait(1500);
        QVERIFY(admin.publish(51, 80));

        // from a time: only what the stream stored from then on, followed live
        Reader since(streamUrl(server, QStringLiteral("stream=EVENTS&from=") + Timestamp::toIso8601(split)));
        QTRY_COMPARE_WITH_TIMEOUT(since.seqs.size(), std::size_t(30), 20000);
        QVERIFY(since.exactly(51, 80));
        QCOMPARE(since.status.state, ConnectionStatus::Live);
        QVERIFY(admin.publish(81, 85));
        QTRY_COMPARE_WITH_TIMEOUT(since.seqs.size(), std::size_t(35), 20000);
        QVERIFY(since.exactly(51, 85));

        // to a time: what was stored before it, then finished
        Reader until(streamUrl(server, QStringLiteral("stream=EVENTS&to=") + Timestamp::toIso8601(split)));
        QTRY_VERIFY_WITH_TIMEOUT(until.finished(), 20000);
        QVERIFY(until.exactly(1, 50));

        // the last second: nothing published 1.5 s and more before
        QTest::qWait(1500);
        QVERIFY(admin.publish(86, 90));
        Reader recent(streamUrl(server, QStringLiteral("stream=EVENTS&from=1s")));
        QTRY_COMPARE_WITH_TIMEOUT(recent.seqs.size(), std::size_t(5), 20000);
        QVERIFY(recent.exactly(86, 90));
    }

    void followsLiveAndResumesAfterTheServerRestarts()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        {
            JetStreamAdmin admin(server.clientPort());
            QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
            QVERIFY(admin.publish(1, 500));
        }
        Reader reader(streamUrl(server, QStringLiteral("stream=EVENTS")));
        QTRY_COMPARE_WITH_TIMEOUT(reader.seqs.size(), std::size_t(500), 20000);
        // the connection cut: the server goes (its stream stays on disk) and comes back
        server.stop();
        QTRY_VERIFY_WITH_TIMEOUT(reader.status.state == ConnectionStatus::Reconnecting, 10000);
        QString why;
        QVERIFY2(server.start(&why), qPrintable(why));
        JetStreamAdmin again(server.clientPort());
        QVERIFY2(again.ok(), qPrintable(again.error()));
        QVERIFY2(again.publish(501, 1000), qPrintable(again.error()));
        // on from 501: nothing lost, nothing twice
        QTRY_COMPARE_WITH_TIMEOUT(reader.seqs.size(), std::size_t(1000), 30000);
        QVERIFY(reader.exactly(1, 1000));
        QCOMPARE(reader.status.state, ConnectionStatus::Live);
        QVERIFY(reader.status.reconnects >= 1);
    }

    void aHundredThousandMessagesInOrder()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY2(admin.publish(1, 100000), qPrintable(admin.error()));
        QElapsedTimer clock;
        clock.start();
        Reader reader(streamUrl(server, QStringLiteral("stream=EVENTS&to=100000")));
        QTRY_VERIFY_WITH_TIMEOUT(reader.finished(), 60000);
        qInfo("100,000 messages read in %lld ms", static_cast<long long>(clock.elapsed()));
        QVERIFY2(reader.exactly(1, 100000), qPrintable(QString::number(reader.seqs.size())));
    }

    void messagesTheStreamLostAreAGapWithTheirRange()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY(admin.publish(1, 100));
        for (quint64 seq = 40; seq < 60; ++seq)
            QVERIFY2(admin.deleteMessage("EVENTS", seq), qPrintable(admin.error()));
        const QUrl url = streamUrl(server, QStringLiteral("stream=EVENTS&to=100"));
        Reader reader(url);
        QTRY_VERIFY_WITH_TIMEOUT(reader.finished(), 20000);
        QCOMPARE(reader.seqs.size(), std::size_t(80));
        // taken into a session: one gap, of the twenty messages the stream no longer holds
        Session s;
        const quint16 origin = s.addOrigin(url.toString());
        for (const auto& b : reader.batches) {
            for (DecodedEvent& e : b->events)
                e.origin = origin;
            s.ingest(*b);
        }
        QCOMPARE(s.gaps().gaps(origin), quint64(20));
        const auto missing = s.gaps().missing(origin);
        QCOMPARE(missing.size(), std::size_t(1));
        QCOMPARE(missing[0], (std::pair<quint64, quint64>(40, 59)));
        // and said as the stream's loss, with its range
        const QString text = SessionSummary::toText(s);
        QVERIFY2(text.contains(QLatin1String("20 messages stream EVENTS no longer holds (its limits, a purge or a "
                                             "delete): seq 40-59")),
            qPrintable(text));
        const QJsonArray losses = SessionSummary::toJson(s).value(QLatin1String("streamLosses")).toArray();
        QCOMPARE(losses.size(), 1);
        QCOMPARE(losses[0].toObject().value(QLatin1String("missing")).toInteger(), 20);
        QCOMPARE(losses[0].toObject().value(QLatin1String("ranges")).toArray()[0].toArray()[1].toInteger(), 59);
    }

    void aFilteredReadHasNoStreamOrder()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY(admin.publish(1, 10, "bus.booking.created"));
        QVERIFY(admin.publish(11, 20, "bus.staff.assigned"));
        QVERIFY(admin.publish(21, 30, "bus.booking.created"));
        Reader reader(streamUrl(server, QStringLiteral("stream=EVENTS&subject=bus.booking.>&to=30")));
        QTRY_VERIFY_WITH_TIMEOUT(reader.finished(), 20000);
        QCOMPARE(reader.ids.size(), std::size_t(20));
        QCOMPARE(reader.ids[10], QByteArray("e21"));
        // the stream's sequences skip the other subjects: not a gap, so not the events' sequence
        QVERIFY(std::none_of(reader.hasSeq.begin(), reader.hasSeq.end(), [](bool b) { return b; }));
    }

    void theNodeReadFromDiesAndAnotherFinishesTheRead()
    {
        Cluster cluster;
        if (cluster.program().isEmpty())
            QSKIP("nats-server is not installed here (scripts/setup.sh installs it)");
        QString why;
        QVERIFY2(cluster.start(&why), qPrintable(why));
        // a stream replicated on all three, once the cluster has elected its JetStream leader
        auto admin = std::make_unique<JetStreamAdmin>(cluster.nodes[1].client);
        QVERIFY2(admin->ok(), qPrintable(admin->error()));
        bool added = false;
        for (int i = 0; i < 100 && !added; ++i) {
            added = admin->addStream("EVENTS", "bus.>", 3);
            if (!added)
                QTest::qWait(200);
        }
        QVERIFY2(added, qPrintable(admin->error()));
        QVERIFY2(admin->publish(1, 500), qPrintable(admin->error()));

        // one URL naming the three servers: read from the first
        const QString url = QStringLiteral("nats+ws://127.0.0.1:%1,127.0.0.1:%2,127.0.0.1:%3/?stream=EVENTS")
                                .arg(cluster.nodes[0].ws)
                                .arg(cluster.nodes[1].ws)
                                .arg(cluster.nodes[2].ws);
        Reader reader(BusUrl::fromText(url));
        // and one URL naming the first alone: the others are those the cluster announces
        Reader announced(QUrl(QStringLiteral("nats+ws://127.0.0.1:%1/?stream=EVENTS").arg(cluster.nodes[0].ws)));
        QTRY_COMPARE_WITH_TIMEOUT(reader.seqs.size(), std::size_t(500), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(announced.seqs.size(), std::size_t(500), 20000);
        QCOMPARE(reader.status.server, QStringLiteral("127.0.0.1:%1").arg(cluster.nodes[0].ws));

        // that node dies; the stream goes on on the two others, and so does the read
        cluster.kill(0);
        QElapsedTimer sinceKill;
        sinceKill.start();
        bool published = false;
        for (int i = 0; i < 100 && !published; ++i) { // the stream elects a new leader first
            admin = std::make_unique<JetStreamAdmin>(cluster.nodes[1].client);
            published = admin->ok() && admin->streamReady("EVENTS") && admin->publish(501, 1000);
            if (!published)
                QTest::qWait(300);
        }
        QVERIFY2(published, qPrintable(admin->error()));
        QTRY_COMPARE_WITH_TIMEOUT(reader.seqs.size(), std::size_t(1000), 30000);
        QVERIFY(reader.exactly(1, 1000));
        qInfo("the read went on on another node %lld ms after its node died", qint64(sinceKill.elapsed()));
        QCOMPARE(reader.status.state, ConnectionStatus::Live);
        QVERIFY2(reader.status.server != QStringLiteral("127.0.0.1:%1").arg(cluster.nodes[0].ws),
            qPrintable(reader.status.server));
        QTRY_COMPARE_WITH_TIMEOUT(announced.seqs.size(), std::size_t(1000), 30000);
        QVERIFY(announced.exactly(1, 1000));
    }

    void consumersAsTheirServerCountsThem()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY(admin.publish(1, 100));
        // the email service takes 10 and acknowledges 4: 6 wait, 90 not yet delivered
        const qint64 published = QDateTime::currentMSecsSinceEpoch() * 1000;
        QVERIFY2(admin.serve("email", 10, 4, 1000), qPrintable(admin.error()));

        Reader reader(streamUrl(server, QStringLiteral("stream=EVENTS")));
        Session s;
        QObject::connect(&reader.source, &WebSocketSource::batchReady, &reader.source,
            [&s](const std::shared_ptr<DecodedBatch>& b) { s.ingest(*b); });
        QTRY_VERIFY_WITH_TIMEOUT(s.consumers().find(0, "EVENTS", "email") >= 0, 10000);
        const auto email = [&]() -> const ConsumerSample& {
            return s.consumers().consumers()[std::size_t(s.consumers().find(0, "EVENTS", "email"))].last;
        };
        QCOMPARE(email().pending, quint64(90));
        QCOMPARE(email().ackPending, quint64(6));
        QCOMPARE(email().ackFloorSeq, quint64(4));
        QCOMPARE(email().deliveredSeq, quint64(10));
        // its lag: how long message 5 has waited, once the stream has said when it stored it
        QTRY_VERIFY_WITH_TIMEOUT(email().lagUs > 0, 5000);
        QVERIFY(email().lagUs <= QDateTime::currentMSecsSinceEpoch() * 1000 - published + 1000000);
        // the ack wait passes: the 6 come again, as redeliveries
        QTest::qWait(1200);
        QVERIFY2(admin.serve("email", 6, 0, 1000), qPrintable(admin.error()));
        QTRY_COMPARE_WITH_TIMEOUT(email().redelivered, quint64(6), 5000);
        // a history of it, a point a second; the reader's own consumer is not listed
        QVERIFY(s.consumers().consumers()[std::size_t(s.consumers().find(0, "EVENTS", "email"))].history.size() >= 2);
        QCOMPARE(s.consumers().consumers().size(), std::size_t(1));
    }

    void theDistributedDemoHasAServiceFallingBehind()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        // the demo into a stream, its services as durable consumers; the incident from 1 s in
        DemoBus::Options o;
        o.brokerUrl = QUrl(QStringLiteral("nats+ws://127.0.0.1:%1").arg(server.wsPort()));
        o.jetStream = "EVENTS";
        o.eventsPerSecond = 1000;
        o.generator.scenario = DemoGenerator::Scenario::Incident;
        o.generator.incidentStartSeconds = 1;
        o.generator.incidentSeconds = 60;
        DemoBus bus(o);
        QString error;
        QVERIFY2(bus.start(&error), qPrintable(error));
        JetStreamAdmin admin(server.clientPort());
        QTRY_VERIFY_WITH_TIMEOUT(admin.streamReady("EVENTS"), 10000); // the demo has made it
        Reader reader(streamUrl(server, QStringLiteral("stream=EVENTS&from=new")));
        Session s;
        QObject::connect(&reader.source, &WebSocketSource::batchReady, &reader.source,
            [&s](const std::shared_ptr<DecodedBatch>& b) { s.ingest(*b); });
        const auto consumer = [&](const char* name) -> const ConsumerSample* {
            const int i = s.consumers().find(0, "EVENTS", name);
            return i < 0 ? nullptr : &s.consumers().consumers()[std::size_t(i)].last;
        };
        // the email handler falls behind: its lag and pending grow without end; the booking projector
        // keeps up (on a busy machine it may trail by a second or two, never more and more)
        const auto oneLookSays = [&]() {
            const ConsumerSample* email = consumer("notification-email");
            const ConsumerSample* projector = consumer("booking-projector");
            return email && projector && email->lagUs > 3000000 && email->pending > 50 && projector->lagUs >= 0
                && projector->lagUs < email->lagUs / 2;
        };
        QTRY_VERIFY_WITH_TIMEOUT(oneLookSays(), 30000);
        QVERIFY(s.eventCount() > 1000); // the stream carries the demo's events, read live
        QCOMPARE(s.consumers().consumers().size(), std::size_t(4));
    }

    // what the server said of its consumers goes into the capture; reading it again shows them, and a
    // replay shows them as they were at its playhead
    void consumersAreRecordedAndAReplayShowsThemAsTheyWere()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY(admin.publish(1, 50));
        QVERIFY2(admin.serve("email", 10, 10, 60000), qPrintable(admin.error())); // acknowledged to 10
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("consumers.escap"));
        {
            Reader reader(streamUrl(server, QStringLiteral("stream=EVENTS&from=first")));
            reader.source.startRecording(path);
            const auto said = [&reader](quint64 ackFloor) {
                for (const auto& b : reader.batches)
                    for (const ConsumerSample& c : b->consumers)
                        if (c.name == "email" && c.ackFloorSeq == ackFloor)
                            return true;
                return false;
            };
            QTRY_VERIFY_WITH_TIMEOUT(reader.seqs.size() == 50 && said(10), 10000);
            QVERIFY(admin.publish(51, 100));
            QTRY_COMPARE_WITH_TIMEOUT(reader.seqs.size(), std::size_t(100), 10000);
            QVERIFY2(admin.serve("email", 30, 30, 60000), qPrintable(admin.error())); // then to 40
            QTRY_VERIFY_WITH_TIMEOUT(said(40), 10000);
            reader.source.stopRecording();
            reader.source.stop();
        }
        Session session;
        QString error;
        QVERIFY2(CaptureLoader::readInto(session, path, &error), qPrintable(error));
        QCOMPARE(session.eventCount(), quint64(100));
        QCOMPARE(session.malformedCount(), quint64(0));
        QCOMPARE(session.consumers().consumers().size(), std::size_t(1));
        const ConsumerTracker::Consumer& email = session.consumers().consumers().front();
        QCOMPARE(email.last.name, std::string("email"));
        QCOMPARE(email.last.stream, std::string("EVENTS"));
        QCOMPARE(email.last.ackFloorSeq, quint64(40));
        QCOMPARE(email.last.pending, quint64(60));
        QVERIFY(email.history.size() >= 2);
        // at event 75, stored after the samples that said 10 and before the serve that made it 40
        QVERIFY(session.canReplay());
        session.replayTo(75);
        QCOMPARE(email.last.ackFloorSeq, quint64(10));
        // at event 10, stored before the reader asked: nothing said yet
        session.replayTo(10);
        QCOMPARE(email.last.timeUs, qint64(0));
        QVERIFY(email.history.empty());
        session.replayTo(100);
        QCOMPARE(email.last.ackFloorSeq, quint64(40));
        // and `summary --json` says them
        const QJsonObject summary
            = SessionSummary::toJson(session).value(QLatin1String("consumers")).toArray()[0].toObject();
        QCOMPARE(summary.value(QLatin1String("name")).toString(), QStringLiteral("email"));
        QCOMPARE(summary.value(QLatin1String("ackFloorSeq")).toInteger(), 40);
        QCOMPARE(summary.value(QLatin1String("pending")).toInteger(), 60);
        QVERIFY(summary.value(QLatin1String("worstLagMs")).toInteger()
            >= summary.value(QLatin1String("lagMs")).toInteger());
    }

    // what a server keeps, to pick a stream and a range of it: `eventscope-cli streams`
    void theServersStreamsAreListed()
    {
        const auto us = [](const QString& text) {
            qint64 v = 0;
            Timestamp::parseIso8601(text.toStdString(), v);
            return v;
        };
        // the API's reply as the NATS API reference shows it: an empty stream's times are year 1
        std::vector<StreamInfo> parsed;
        quint64 total = 0;
        QString error;
        QVERIFY2(JetStream::parseStreamList(
                     "{\"type\":\"io.nats.jetstream.api.v1.stream_list_response\",\"total\":2,\"offset\":0,"
                     "\"limit\":256,\"streams\":[{\"config\":{\"name\":\"ORDERS\",\"subjects\":[\"orders.*\"]},"
                     "\"state\":{\"messages\":3,\"bytes\":306,\"first_seq\":9007199254740993,\"first_ts\":"
                     "\"2026-12-05T14:00:00.123456789Z\",\"last_seq\":9007199254740995,\"last_ts\":\"2026-12-05T14:20:"
                     "00Z\",\"consumer_count\":2}},{\"config\":{\"name\":\"EMPTY\"},\"state\":{\"messages\":0,"
                     "\"first_ts\":\"0001-01-01T00:00:00Z\",\"last_ts\":\"0001-01-01T00:00:00Z\"}},{\"config\":{"
                     "\"name\":\"bad name\"}}]}",
                     &parsed, &total, &error),
            qPrintable(error));
        QCOMPARE(total, quint64(2));
        QCOMPARE(parsed.size(), std::size_t(2)); // a name JetStream would refuse is left out
        QCOMPARE(parsed[0].name, QStringLiteral("ORDERS"));
        QCOMPARE(parsed[0].subjects, QStringList { QStringLiteral("orders.*") });
        QCOMPARE(parsed[0].lastSeq, quint64(9007199254740995));
        QCOMPARE(parsed[0].consumers, quint64(2));
        QCOMPARE(parsed[0].firstTimeUs, us(QStringLiteral("2026-12-05T14:00:00.123456Z")));
        QCOMPARE(parsed[1].firstTimeUs, qint64(0));
        QVERIFY(!JetStream::parseStreamList(
            "{\"error\":{\"code\":503,\"description\":\"JetStream not enabled\"}}", &parsed, &total, &error));
        QCOMPARE(error, QStringLiteral("JetStream not enabled"));

        // a real server with two streams, one of them empty
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY2(admin.addStream("AUDIT", "audit.>"), qPrintable(admin.error()));
        const qint64 before = QDateTime::currentMSecsSinceEpoch() * 1000;
        QVERIFY(admin.publish(1, 100));
        QProcess cli;
        cli.start(QStringLiteral(EVENTSCOPE_CLI),
            { QStringLiteral("streams"), QStringLiteral("nats+ws://127.0.0.1:%1").arg(server.wsPort()),
                QStringLiteral("--json") });
        QVERIFY(cli.waitForFinished(20000));
        QVERIFY2(cli.exitCode() == 0, cli.readAllStandardError().constData());
        const QJsonArray list = QJsonDocument::fromJson(cli.readAllStandardOutput()).array();
        QCOMPARE(list.size(), 2);
        QJsonObject events, audit;
        for (const QJsonValue& v : list)
            (v[QLatin1String("name")].toString() == QLatin1String("EVENTS") ? events : audit) = v.toObject();
        QCOMPARE(events.value(QLatin1String("messages")).toInteger(), 100);
        QCOMPARE(events.value(QLatin1String("firstSeq")).toInteger(), 1);
        QCOMPARE(events.value(QLatin1String("lastSeq")).toInteger(), 100);
        QVERIFY(us(events.value(QLatin1String("firstTimestamp")).toString()) >= before - 1000);
        QCOMPARE(audit.value(QLatin1String("name")).toString(), QStringLiteral("AUDIT"));
        QCOMPARE(audit.value(QLatin1String("messages")).toInteger(), 0);
        QVERIFY(audit.value(QLatin1String("firstTimestamp")).isNull());

        // a server without JetStream says so, and so does one that is not there
        BrokerProcess plain(BrokerProcess::Nats);
        START_BROKER(plain);
        for (const QString& url :
            { QStringLiteral("nats+ws://127.0.0.1:%1").arg(plain.wsPort()), QStringLiteral("nats+ws://127.0.0.1:1") }) {
            cli.start(QStringLiteral(EVENTSCOPE_CLI), { QStringLiteral("streams"), url });
            QVERIFY(cli.waitForFinished(20000));
            QCOMPARE(cli.exitCode(), 3);
            const QByteArray said = cli.readAllStandardError();
            QVERIFY2(
                said.contains("has no JetStream") || said.contains("cannot reach the NATS server"), said.constData());
        }
    }

    void recordAHistoryRangeIntoACapture()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        const qint64 before = QDateTime::currentMSecsSinceEpoch() * 1000;
        QVERIFY(admin.publish(1, 300));
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("range.escap"));
        QProcess record;
        record.start(QStringLiteral(EVENTSCOPE_CLI),
            { QStringLiteral("record"), streamUrl(server, QStringLiteral("stream=EVENTS&from=101&to=250")).toString(),
                QStringLiteral("-o"), path });
        // the range read, the recording ends by itself, with success
        QVERIFY(record.waitForFinished(30000));
        QVERIFY2(record.exitCode() == 0, record.readAllStandardError().constData());
        Session session;
        QString error;
        QVERIFY2(CaptureLoader::readInto(session, path, &error), qPrintable(error));
        QCOMPARE(session.eventCount(), quint64(150));
        // with their stream sequences (kept in the record as Nats-Sequence), so gaps are found again
        const std::vector<quint16> origins = session.gaps().origins();
        QCOMPARE(origins.size(), std::size_t(1));
        QCOMPARE(session.gaps().highest(origins[0]), qint64(250));
        QCOMPARE(session.gaps().gaps(origins[0]), quint64(0));
        // read again later, the events keep the times the stream stored them
        QVERIFY(session.firstEventTimeUs() >= before - 1000);
        QVERIFY(session.lastEventTimeUs() <= before + 30'000'000);
    }

    // "the last hour up to now" opens as a capture does: shown as it comes, then replay, notes, save
    void aHistoryRangeOpensAsACapture()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY(admin.publish(1, 300));
        // the end a second from now: nothing follows it, so the read ends once it has caught up
        const QString to = Timestamp::toIso8601(QDateTime::currentMSecsSinceEpoch() * 1000 + 1000000);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("history.escap"));
        const QUrl url = streamUrl(server, QStringLiteral("stream=EVENTS&from=1h&to=") + to);
        QVERIFY(CaptureSession::isHistoryRead(url));
        QVERIFY(!CaptureSession::isHistoryRead(streamUrl(server, QStringLiteral("stream=EVENTS&from=1h"))));
        CaptureSession history;
        QString error;
        QVERIFY2(history.openHistory(fastSettings(url), path, &error), qPrintable(error));
        QSignalSpy loaded(&history, &CaptureSession::loaded);
        QSignalSpy progress(&history, &CaptureSession::progress);
        QSignalSpy finished(&history, &CaptureSession::finishedText);
        QElapsedTimer clock;
        clock.start();
        history.start();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 20000);
        qInfo("the range read and ended %lld ms after it was opened", static_cast<long long>(clock.elapsed()));
        QCOMPARE(history.session().eventCount(), quint64(300));
        QVERIFY(history.firstPaintMs() >= 0);
        QVERIFY(!progress.isEmpty() && progress.constLast().at(1).toLongLong() > 0);
        QVERIFY2(finished.constLast().at(0).toString().startsWith(QLatin1String("stream EVENTS: 300 events")),
            qPrintable(finished.constLast().at(0).toString()));
        QVERIFY(history.readError().isEmpty());
        QVERIFY(!history.wasCancelled());
        // replay: the range is the stream's times; a seek shows the events stored up to it
        QVERIFY(history.isRangeKnown() && history.replaysInMemory());
        const qint64 middle = history.startUs() + (history.endUs() - history.startUs()) / 2;
        history.seek(middle);
        const quint32 shown = history.session().store().size();
        QVERIFY2(shown > 0 && shown < 300, qPrintable(QString::number(shown)));
        QCOMPARE(quint64(shown), quint64(history.session().countUntil(middle)));
        history.seek(history.endUs());
        QCOMPARE(history.session().store().size(), quint32(300));
        // the recording is a capture of the read: the same events, with their sequences
        Session again;
        QVERIFY2(CaptureLoader::readInto(again, path, &error), qPrintable(error));
        QCOMPARE(again.eventCount(), quint64(300));
        QCOMPARE(again.firstEventTimeUs(), history.startUs());
        QCOMPARE(again.lastEventTimeUs(), history.endUs());
        // a bookmark goes into it, and saving moves it (with the bookmark) where the user says
        QVERIFY2(
            history.addNote(QStringLiteral("bookmark"), QStringLiteral("spike"), middle, &error), qPrintable(error));
        const QString saved = dir.filePath(QStringLiteral("kept.escap"));
        QVERIFY2(history.saveAs(saved, &error), qPrintable(error));
        QVERIFY(!QFile::exists(path) && QFile::exists(saved));
        QCOMPARE(history.path(), saved);
        CaptureSession reopened;
        QVERIFY2(reopened.open(saved, {}, &error), qPrintable(error));
        QSignalSpy reloaded(&reopened, &CaptureSession::loaded);
        reopened.start();
        QTRY_COMPARE_WITH_TIMEOUT(reloaded.size(), 1, 10000);
        QCOMPARE(reopened.session().eventCount(), quint64(300));
        QCOMPARE(reopened.notes().notes().size(), std::size_t(1));
        QCOMPARE(reopened.notes().notes().front().text, QStringLiteral("spike"));
    }

    // other systems' envelopes in a stream (written from their documentation: tests/data/profiles) read
    // into a history capture exactly as the same records read from a file
    void aHistoryOfForeignEnvelopesReadsAsTheirFileDoes()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QList<QByteArray> records;
        for (const char* name : { "eventstoredb-export.ndjson", "masstransit.ndjson", "axon.ndjson" }) {
            QFile f(QStringLiteral(EVENTSCOPE_TEST_DATA "/profiles/") + QLatin1String(name));
            QVERIFY(f.open(QIODevice::ReadOnly));
            for (const QByteArray& line : f.readAll().split('\n'))
                if (!line.trimmed().isEmpty())
                    records << line;
        }
        QVERIFY(admin.publishBodies(records, "bus.foreign"));
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("foreign.ndjson"));
        {
            QFile out(file);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(records.join('\n') + '\n');
        }
        Session fromFile;
        QString error;
        QVERIFY2(CaptureLoader::readInto(fromFile, file, &error), qPrintable(error));

        // the range's end in whole milliseconds, rounded up: a message stored earlier in this millisecond
        // is in it (rounded down, a fast machine stored them all after the end and the range was empty)
        const QString to = Timestamp::toIso8601((QDateTime::currentMSecsSinceEpoch() + 1) * 1000);
        CaptureSession history;
        QVERIFY2(
            history.openHistory(fastSettings(streamUrl(server, QStringLiteral("stream=EVENTS&from=first&to=") + to)),
                dir.filePath(QStringLiteral("foreign.escap")), &error),
            qPrintable(error));
        QSignalSpy loaded(&history, &CaptureSession::loaded);
        history.start();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 20000);
        const Session& read = history.session();
        QVERIFY(fromFile.eventCount() > 0);
        QCOMPARE(read.eventCount(), fromFile.eventCount());
        QCOMPARE(read.malformedCount(), fromFile.malformedCount());
        QCOMPARE(read.chains().liveCount(), fromFile.chains().liveCount());
        // each record decoded as its own system's envelope, as from the file
        QVERIFY(read.profileCounts()[std::size_t(EventProfile::EventStoreDb)] > 0);
        QVERIFY(read.profileCounts()[std::size_t(EventProfile::MassTransit)] > 0);
        QVERIFY(read.profileCounts()[std::size_t(EventProfile::Axon)] > 0);
        QCOMPARE(read.profileCounts(), fromFile.profileCounts());
    }

    // a range read in a blink still says who consumes the stream: its consumers are asked for at once
    void aShortHistoryReadSaysWhoConsumesTheStream()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY(admin.publish(1, 50));
        QVERIFY2(admin.serve("email", 10, 10, 60000), qPrintable(admin.error())); // acknowledged to 10
        // the range's end in whole milliseconds, rounded up: a message stored earlier in this millisecond
        // is in it (rounded down, a fast machine stored them all after the end and the range was empty)
        const QString to = Timestamp::toIso8601((QDateTime::currentMSecsSinceEpoch() + 1) * 1000);
        QTemporaryDir dir;
        CaptureSession history;
        QString error;
        QVERIFY2(
            history.openHistory(fastSettings(streamUrl(server, QStringLiteral("stream=EVENTS&from=first&to=") + to)),
                dir.filePath(QStringLiteral("short.escap")), &error),
            qPrintable(error));
        QSignalSpy loaded(&history, &CaptureSession::loaded);
        history.start();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 20000);
        QCOMPARE(history.session().eventCount(), quint64(50));
        const auto& consumers = history.session().consumers().consumers();
        QCOMPARE(consumers.size(), std::size_t(1));
        QCOMPARE(consumers.front().last.name, std::string("email"));
        QCOMPARE(consumers.front().last.ackFloorSeq, quint64(10));
        QCOMPARE(consumers.front().last.pending, quint64(40));
    }

    // a read cut short by the user shows what came and says so
    void aHistoryReadCanBeCancelled()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        JetStreamAdmin admin(server.clientPort());
        QVERIFY2(admin.ok() && admin.addStream("EVENTS", "bus.>"), qPrintable(admin.error()));
        QVERIFY(admin.publish(1, 50));
        // an end ten minutes ahead: the read waits for more after the 50
        const QString to = Timestamp::toIso8601(QDateTime::currentMSecsSinceEpoch() * 1000 + 600000000);
        QTemporaryDir dir;
        CaptureSession history;
        QString error;
        QVERIFY2(
            history.openHistory(fastSettings(streamUrl(server, QStringLiteral("stream=EVENTS&from=first&to=") + to)),
                dir.filePath(QStringLiteral("cut.escap")), &error),
            qPrintable(error));
        QSignalSpy loaded(&history, &CaptureSession::loaded);
        QSignalSpy finished(&history, &CaptureSession::finishedText);
        history.start();
        QTRY_COMPARE_WITH_TIMEOUT(history.session().eventCount() + history.feed().pendingEvents(), quint64(50), 20000);
        QTest::qWait(2500); // past the grace of an end in time: still reading, the end is ahead
        QCOMPARE(loaded.size(), 0);
        history.cancel();
        QTRY_COMPARE_WITH_TIMEOUT(loaded.size(), 1, 5000);
        QCOMPARE(history.session().eventCount(), quint64(50));
        QVERIFY(history.wasCancelled() && history.isRangeKnown());
        QVERIFY2(finished.constLast().at(0).toString().contains(QLatin1String("cancelled")),
            qPrintable(finished.constLast().at(0).toString()));
        // not a history read: said, nothing opened
        CaptureSession notOne;
        QVERIFY(!notOne.openHistory(fastSettings(streamUrl(server, QStringLiteral("stream=EVENTS&from=first"))),
            dir.filePath(QStringLiteral("no.escap")), &error));
        QVERIFY2(error.contains(QLatin1String("to=")), qPrintable(error));
    }

    void anUnknownStreamNoJetStreamOrNoPermissionIsSaidOnce()
    {
        BrokerProcess server(BrokerProcess::Nats, JetStreamConfig);
        START_BROKER(server);
        Reader unknown(streamUrl(server, QStringLiteral("stream=NOPE")));
        QTRY_COMPARE_WITH_TIMEOUT(unknown.status.state, ConnectionStatus::Failed, 10000);
        QVERIFY2(unknown.status.lastError.contains(QLatin1String("JetStream stream \"NOPE\" not found")),
            qPrintable(unknown.status.lastError));
        QVERIFY(unknown.status.lastError.contains(QLatin1String("not retrying")));

        // a user the server does not let use the JetStream API
        BrokerProcess guarded(BrokerProcess::Nats,
            JetStreamConfig
                + "authorization {\n    users: [\n        { user: reader, password: pw, permissions: { publish: "
                  "{ deny: [\"$JS.API.>\"] } } }\n    ]\n}\n");
        START_BROKER(guarded);
        Reader refused(QUrl(QStringLiteral("nats+ws://reader:pw@127.0.0.1:%1/?stream=EVENTS").arg(guarded.wsPort())));
        QTRY_COMPARE_WITH_TIMEOUT(refused.status.state, ConnectionStatus::Failed, 10000);
        QVERIFY2(refused.status.lastError.contains(QLatin1String("Permissions Violation"))
                && refused.status.lastError.contains(QLatin1String("not retrying")),
            qPrintable(refused.status.lastError));

        BrokerProcess plain(BrokerProcess::Nats);
        START_BROKER(plain);
        Reader none(streamUrl(plain, QStringLiteral("stream=EVENTS")));
        QTRY_COMPARE_WITH_TIMEOUT(none.status.state, ConnectionStatus::Failed, 10000);
        QVERIFY2(none.status.lastError.contains(QLatin1String("no JetStream")), qPrintable(none.status.lastError));
    }
};

QTEST_GUILESS_MAIN(TestJetStream)
#include "tst_jetstream.moc"
