// SPDX-License-Identifier: MIT
#include "brokerwire.h"
#include "natsprotocol.h"
#include "timestamp.h"

#include <QDateTime>
#include <QTest>

namespace {
const QByteArray info
    = "INFO {\"server_id\":\"x\",\"version\":\"2.9.10\",\"headers\":true,\"max_payload\":1048576}\r\n";
} // namespace

class TestNatsProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectsAuthenticatesAndSubscribes()
    {
        NatsProtocol::Options o;
        o.subject = QStringLiteral("booking.>");
        o.user = QStringLiteral("ops");
        o.password = QStringLiteral("pw");
        NatsProtocol p(o);
        BrokerWire w;
        p.opened(w.c);
        QVERIFY(w.sent.isEmpty()); // the server speaks first
        p.received(info.constData(), std::size_t(info.size()), w.c);
        QVERIFY2(w.sent.startsWith("CONNECT {"), w.sent.constData());
        QVERIFY(w.sent.contains("\"user\":\"ops\"") && w.sent.contains("\"pass\":\"pw\"")
            && w.sent.contains("\"headers\":true"));
        QVERIFY(w.sent.contains("\r\nSUB booking.> 1\r\nPING\r\n"));
        QCOMPARE(w.ready, 0);
        p.received("PONG\r\n", 6, w.c);
        QCOMPARE(w.ready, 1); // the PONG to our PING: CONNECT and SUB were accepted
        w.sent.clear();
        p.received("PING\r\n", 6, w.c);
        QCOMPARE(w.sent, QByteArray("PONG\r\n"));
    }

    // every operation, cut at every byte: the same messages come out
    void parsesAStreamSplitAnywhere()
    {
        const QByteArray hdr = "NATS/1.0\r\nCorrelation-Id: c1\r\n\r\n";
        const QByteArray stream = info + "+OK\r\nMSG booking.created 1 5\r\nhello\r\nPING\r\n"
            + "msg booking.x 1 reply.to 0\r\n\r\n" + "HMSG booking.h 1 " + QByteArray::number(hdr.size()) + ' '
            + QByteArray::number(hdr.size() + 4) + "\r\n" + hdr + "body\r\n" + "MSG a.b 1 7\r\n{\"a\":1}\r\n";
        for (int cut1 = 0; cut1 < stream.size(); ++cut1) {
            for (int cut2 : { cut1, std::min<int>(int(stream.size()), cut1 + 7) }) {
                NatsProtocol p({});
                BrokerWire w;
                p.opened(w.c);
                p.received(stream.constData(), std::size_t(cut1), w.c);
                p.received(stream.constData() + cut1, std::size_t(cut2 - cut1), w.c);
                p.received(stream.constData() + cut2, std::size_t(stream.size() - cut2), w.c);
                QVERIFY2(w.failure.isEmpty(), qPrintable(w.failure));
                QCOMPARE(w.subjects, (QList<QByteArray> { "booking.created", "booking.x", "booking.h", "a.b" }));
                QCOMPARE(w.bodies, (QList<QByteArray> { "hello", "", "body", "{\"a\":1}" }));
                QCOMPARE(w.headers[2], hdr);
                QCOMPARE(NatsProtocol::header(w.headers[2], "correlation-id").toByteArray(), QByteArray("c1"));
                QCOMPARE(w.sent.count("PONG\r\n"), 1);
            }
        }
    }

    void refusesBadInput_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("fatal");
        QTest::addRow("authorization") << QByteArray("-ERR 'Authorization Violation'\r\n")
                                       << QStringLiteral("Authorization Violation") << true;
        QTest::addRow("permissions") << QByteArray("-ERR 'Permissions Violation for Subscription to \"x\"'\r\n")
                                     << QStringLiteral("Permissions Violation") << true;
        QTest::addRow("unknown op") << QByteArray("HELLO there\r\n") << QStringLiteral("unknown operation") << false;
        QTest::addRow("size not a number") << QByteArray("MSG a 1 x\r\n") << QStringLiteral("not a number") << false;
        QTest::addRow("negative size") << QByteArray("MSG a 1 -5\r\n") << QStringLiteral("not a number") << false;
        QTest::addRow("too few args") << QByteArray("MSG a\r\n") << QStringLiteral("wrong number") << false;
        QTest::addRow("too many args") << QByteArray("MSG a 1 r 2 3\r\n") << QStringLiteral("wrong number") << false;
        QTest::addRow("headers beyond total")
            << QByteArray("HMSG a 1 10 5\r\n") << QStringLiteral("headers larger") << false;
        QTest::addRow("huge size") << QByteArray("MSG a 1 99999999999\r\n") << QStringLiteral("exceeds") << false;
        QTest::addRow("no CRLF after payload") << QByteArray("MSG a 1 2\r\nabXY") << QStringLiteral("CRLF") << false;
        QTest::addRow("endless control line") << QByteArray(5000, 'M') << QStringLiteral("control line") << false;
    }
    void refusesBadInput()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, reason);
        QFETCH(bool, fatal);
        NatsProtocol p({});
        BrokerWire w;
        p.opened(w.c);
        p.received(input.constData(), std::size_t(input.size()), w.c);
        QVERIFY2(w.failure.contains(reason), qPrintable(w.failure));
        QCOMPARE(w.fatal, fatal);
        QVERIFY(w.subjects.isEmpty());
    }

    void aServerErrorExplainsTheClose()
    {
        NatsProtocol p({});
        BrokerWire w;
        p.opened(w.c);
        p.received("-ERR 'Slow Consumer'\r\n", 22, w.c);
        QVERIFY(w.failure.isEmpty()); // the server closes; the close is explained by it
        QCOMPARE(p.lastError(), QStringLiteral("the NATS server said: Slow Consumer"));
        p.opened(w.c);
        QVERIFY(p.lastError().isEmpty()); // a new connection starts afresh
    }

    // a cluster between leaders: the consumer is asked for again on the same connection, a few times
    void aJetStreamConsumerIsAskedAgainWhileTheClusterElects()
    {
        NatsProtocol::Options o;
        o.stream = "EVENTS";
        o.inbox = "_INBOX.t";
        NatsProtocol p(o);
        BrokerWire w;
        int handshakeDone = 0;
        w.c.handshakeDone = [&handshakeDone]() { ++handshakeDone; };
        p.opened(w.c);
        p.received(info.constData(), std::size_t(info.size()), w.c);
        p.received("PONG\r\n", 6, w.c);
        QCOMPARE(handshakeDone, 1); // from here the protocol times the consumer itself
        QVERIFY2(w.sent.contains("PUB $JS.API.CONSUMER.CREATE.EVENTS _INBOX.t.r.1 "), w.sent.constData());
        const auto unavailable = [](int generation) -> QByteArray {
            const QByteArray body
                = R"({"error":{"code":503,"err_code":10008,"description":"JetStream system temporarily unavailable"}})";
            return "MSG _INBOX.t.r." + QByteArray::number(generation) + " 2 " + QByteArray::number(body.size()) + "\r\n"
                + body + "\r\n";
        };
        for (int generation = 1; generation <= 3; ++generation) {
            w.sent.clear();
            const QByteArray reply = unavailable(generation);
            p.received(reply.constData(), std::size_t(reply.size()), w.c);
            QVERIFY2(w.failure.isEmpty(), qPrintable(w.failure)); // the connection stays
            p.tick(w.c);
            QVERIFY(!w.sent.contains("CONSUMER.CREATE")); // not at once: after 0.5 s, 1 s, 2 s
            const QByteArray next = "_INBOX.t.r." + QByteArray::number(generation + 1) + ' ';
            QTRY_VERIFY_WITH_TIMEOUT((p.tick(w.c), w.sent.contains(next)), 3000);
        }
        // the fourth refusal: another server is tried (not fatal)
        const QByteArray reply = unavailable(4);
        p.received(reply.constData(), std::size_t(reply.size()), w.c);
        QVERIFY2(w.failure.contains(QLatin1String("temporarily unavailable")), qPrintable(w.failure));
        QVERIFY(!w.fatal);
        QCOMPARE(w.ready, 0);
    }

    // a read to a time the stream holds nothing after ends once the consumer has delivered everything
    void aReadToAPastTimeEndsOnceCaughtUp()
    {
        const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
        const auto reader = [](qint64 endUs) {
            NatsProtocol::Options o;
            o.stream = "EVENTS";
            o.inbox = "_INBOX.t";
            o.end.kind = JetStream::End::Time;
            o.end.timeUs = endUs;
            return o;
        };
        const auto msg = [](const QByteArray& subject, const QByteArray& reply, const QByteArray& body) -> QByteArray {
            return "MSG " + subject + (subject.startsWith("_INBOX.t.d.") ? " 101 " : " 2 ") + reply
                + (reply.isEmpty() ? "" : " ") + QByteArray::number(body.size()) + "\r\n" + body + "\r\n";
        };
        const auto deliver = [&msg, nowUs](quint64 seq, quint64 pending) -> QByteArray {
            const QByteArray ns = QByteArray::number((nowUs - 60000000) * 1000);
            return msg("_INBOX.t.d.1",
                "$JS.ACK.EVENTS.c1.1." + QByteArray::number(seq) + '.' + QByteArray::number(seq) + '.' + ns + '.'
                    + QByteArray::number(pending),
                "{}");
        };
        const auto feed = [](NatsProtocol& p, BrokerWire& w, const QByteArray& bytes) {
            p.received(bytes.constData(), std::size_t(bytes.size()), w.c);
        };

        // ten seconds ago: two messages to deliver, then nothing more can fall inside the range
        NatsProtocol past(reader(nowUs - 10000000));
        BrokerWire w;
        QString finished;
        w.c.finished = [&finished](const QString& what) { finished = what; };
        past.opened(w.c);
        feed(past, w, QByteArray(info + "PONG\r\n"));
        feed(past, w, msg("_INBOX.t.r.1", {}, R"({"name":"c1","num_pending":2})"));
        past.tick(w.c);
        QVERIFY(finished.isEmpty());
        feed(past, w, deliver(1, 1));
        past.tick(w.c);
        QVERIFY(finished.isEmpty()); // one still to come
        feed(past, w, deliver(2, 0));
        // the stream's consumers were asked for as soon as the read began; it ends once they answered
        QVERIFY(w.sent.contains("PUB $JS.API.CONSUMER.LIST.EVENTS _INBOX.t.r.list "));
        past.tick(w.c);
        QVERIFY(finished.isEmpty());
        feed(past, w, msg("_INBOX.t.r.list", {}, R"({"consumers":[]})"));
        past.tick(w.c);
        QVERIFY2(finished.contains(QLatin1String("end of the range")), qPrintable(finished));
        QCOMPARE(w.subjects.size(), 2);
        QVERIFY2(w.failure.isEmpty(), qPrintable(w.failure));

        // a minute from now: caught up (by the create reply, then an idle heartbeat) is not the end
        NatsProtocol future(reader(nowUs + 60000000));
        BrokerWire f;
        finished.clear();
        f.c.finished = [&finished](const QString& what) { finished = what; };
        future.opened(f.c);
        feed(future, f, QByteArray(info + "PONG\r\n"));
        feed(future, f, msg("_INBOX.t.r.1", {}, R"({"name":"c1","num_pending":0})"));
        future.tick(f.c);
        const QByteArray heartbeat = "NATS/1.0 100 Idle Heartbeat\r\n\r\n";
        feed(future, f,
            QByteArray("HMSG _INBOX.t.d.1 101 " + QByteArray::number(heartbeat.size()) + ' '
                + QByteArray::number(heartbeat.size()) + "\r\n" + heartbeat + "\r\n"));
        future.tick(f.c);
        QVERIFY2(finished.isEmpty(), qPrintable(finished));
        QCOMPARE(f.ready, 1);

        // a second ago, on the server's clock as its create reply tells it: over at once when caught
        // up; with a server ten minutes behind, not yet (a message stored now would still be inside)
        for (const qint64 behindUs : { qint64(0), qint64(600000000) }) {
            NatsProtocol recent(reader(nowUs - 1000000));
            BrokerWire r;
            finished.clear();
            r.c.finished = [&finished](const QString& what) { finished = what; };
            recent.opened(r.c);
            feed(recent, r, QByteArray(info + "PONG\r\n"));
            const QByteArray created
                = Timestamp::toIso8601(QDateTime::currentMSecsSinceEpoch() * 1000 - behindUs).toLatin1();
            feed(recent, r, msg("_INBOX.t.r.1", {}, R"({"name":"c1","num_pending":0,"created":")" + created + R"("})"));
            feed(recent, r, msg("_INBOX.t.r.list", {}, R"({"consumers":[]})"));
            recent.tick(r.c);
            QCOMPARE(finished.isEmpty(), behindUs > 0);
        }
    }

    void publishesWithAndWithoutHeaders()
    {
        QCOMPARE(NatsProtocol::publish("a.b", "xyz"), QByteArray("PUB a.b 3\r\nxyz\r\n"));
        const QByteArray h = "NATS/1.0\r\nA: 1\r\n\r\n";
        QCOMPARE(NatsProtocol::publish("a.b", "xyz", h),
            "HPUB a.b " + QByteArray::number(h.size()) + ' ' + QByteArray::number(h.size() + 3) + "\r\n" + h
                + "xyz\r\n");
    }
};

QTEST_GUILESS_MAIN(TestNatsProtocol)
#include "tst_natsprotocol.moc"
