// SPDX-License-Identifier: MIT
#include "busserver.h"
#include "decodedbatch.h"
#include "demobus.h"
#include "eventrecord.h"
#include "livetestutil.h"
#include "session.h"
#include "websocketsource.h"

#include <QSignalSpy>
#include <QTcpSocket>
#include <QTest>
#include <QTimer>
#include <QWebSocket>
#include <map>

namespace { } // namespace

class TestDemoBus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void servesTheGeneratorOverARealWebSocket()
    {
        DemoBus::Options o;
        o.eventsPerSecond = 5000;
        o.generator.seed = 7;
        DemoBus bus(o);
        QVERIFY(bus.start());
        QVERIFY(bus.url().toString().startsWith(QLatin1String("ws://127.0.0.1:")));
        Session session;
        WebSocketSource source(fastSettings(bus.url()), session.addOrigin(QStringLiteral("demo")));
        connect(&source, &WebSocketSource::batchReady, this,
            [&session](const std::shared_ptr<DecodedBatch>& b) { session.ingest(*b); });
        source.start();
        QTRY_VERIFY_WITH_TIMEOUT(session.eventCount() >= 5000, 15000);
        QCOMPARE(session.malformedCount(), quint64(0));
        QCOMPARE(session.duplicateCount(), quint64(0));
        QCOMPARE(session.gaps().totalGaps(), quint64(0));
        QVERIFY(session.chains().size() > 100);
        QVERIFY(session.rates().type(quint16(session.types().find("booking.created")))->total() > 0);
    }

    void resumeAfterDropsLosesNothing()
    {
        DemoBus::Options o;
        o.eventsPerSecond = 3000;
        DemoBus bus(o);
        QVERIFY(bus.start());
        Session session;
        WebSocketSource source(fastSettings(bus.url()), 0);
        connect(&source, &WebSocketSource::batchReady, this,
            [&session](const std::shared_ptr<DecodedBatch>& b) { session.ingest(*b); });
        source.start();
        QTRY_VERIFY(session.eventCount() >= 1000);
        for (int i = 0; i < 3; ++i) {
            bus.server().dropClients();
            QTest::qWait(150);
        }
        const quint64 target = session.eventCount() + 3000;
        QTRY_VERIFY_WITH_TIMEOUT(session.eventCount() >= target, 15000);
        QCOMPARE(session.duplicateCount(), quint64(0));
        QCOMPARE(session.gaps().totalGaps(), quint64(0)); // the bus kept history and the client resumed
        QVERIFY(source.status().reconnects >= 3);
    }

    void severalClientsDroppedAtOnceAreAllLetGo()
    {
        // Dropping (or closing) the bus aborts every client, and each abort may erase its client from
        // the bus's list at once: the walk over that list must not trip over the ones erased (a crash
        // with two or more clients before 76e9943). Clients and bus share this thread, so the drop
        // runs on the bus's own thread, as it does in the app.
        DemoBus::Options o;
        o.eventsPerSecond = 500;
        auto bus = std::make_unique<DemoBus>(o);
        QVERIFY(bus->start());
        constexpr int Clients = 3;
        std::vector<std::unique_ptr<QWebSocket>> clients;
        int disconnects = 0;
        auto connectAll = [&]() {
            for (auto& client : clients)
                client->open(bus->url());
        };
        for (int i = 0; i < Clients; ++i) {
            clients.push_back(std::make_unique<QWebSocket>());
            connect(clients.back().get(), &QWebSocket::disconnected, this, [&disconnects]() { ++disconnects; });
        }
        connectAll();
        QTRY_COMPARE_WITH_TIMEOUT(bus->server().clientCount(), Clients, 10000);

        bus->server().dropClients();
        QCOMPARE(bus->server().clientCount(), 0);
        QTRY_COMPARE_WITH_TIMEOUT(disconnects, Clients, 10000);

        // they come back and are served again
        connectAll();
        QTRY_COMPARE_WITH_TIMEOUT(bus->server().clientCount(), Clients, 10000);
        int framed = 0;
        for (auto& client : clients) {
            connect(client.get(), &QWebSocket::textMessageReceived, this, [&framed]() { ++framed; });
            connect(client.get(), &QWebSocket::binaryMessageReceived, this, [&framed]() { ++framed; });
        }
        QTRY_VERIFY_WITH_TIMEOUT(framed >= Clients, 10000);

        // and the bus goes away with all of them connected: each sees it go
        bus.reset();
        QTRY_COMPARE_WITH_TIMEOUT(disconnects, 2 * Clients, 10000);
    }

    void clientsAreCappedAndOneThatDoesNotReadIsClosed()
    {
        BusServer::Options o;
        o.maxClients = 2;
        o.maxClientBacklogBytes = 64 << 10;
        o.slowClientCloseMs = 300;
        BusServer server(o);
        QVERIFY(server.listen());
        // a third connection is turned away, saying why
        QWebSocket a, b, c;
        a.open(server.url());
        b.open(server.url());
        QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 2, 10000);
        QWebSocketProtocol::CloseCode code = QWebSocketProtocol::CloseCodeNormal;
        QString reason;
        connect(&c, &QWebSocket::disconnected, this, [&]() {
            code = c.closeCode();
            reason = c.closeReason();
        });
        c.open(server.url());
        QTRY_VERIFY_WITH_TIMEOUT(!reason.isEmpty(), 10000);
        QCOMPARE(code, QWebSocketProtocol::CloseCodePolicyViolated);
        QVERIFY2(reason.contains(QLatin1String("too many clients")), qPrintable(reason));
        QCOMPARE(server.clientsRefused(), quint64(1));
        a.close();
        b.close();
        QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 0, 10000);

        // a client that completes the upgrade and never reads: its backlog fills, and it is let go
        QTcpSocket stuck;
        stuck.connectToHost(QHostAddress::LocalHost, server.url().port());
        QVERIFY(stuck.waitForConnected(5000));
        stuck.setReadBufferSize(1); // Qt reads no more than this: the kernel buffers fill, then the server's
        stuck.write("GET /events HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 1, 10000);
        const QByteArray event = "{\"id\":\"e\",\"type\":\"t\",\"payload\":\"" + QByteArray(900, 'x') + "\"}";
        QTimer publisher;
        connect(&publisher, &QTimer::timeout, this, [&]() {
            for (int i = 0; i < 2000; ++i)
                server.publish(event, "t");
        });
        publisher.start(10);
        QTRY_COMPARE_WITH_TIMEOUT(server.slowClientsClosed(), quint64(1), 20000);
        QTRY_COMPARE_WITH_TIMEOUT(server.clientCount(), 0, 10000);
        publisher.stop();
    }

    void sameSeedSameTraffic()
    {
        // seq -> type of what a client saw; the client may join a few events after the bus started
        auto traffic = [](quint64 seed) {
            DemoBus::Options o;
            o.eventsPerSecond = 4000;
            o.generator.seed = seed;
            DemoBus bus(o);
            bus.start();
            Session session;
            WebSocketSource source(fastSettings(bus.url()), 0);
            QObject::connect(&source, &WebSocketSource::batchReady, &bus,
                [&session](const std::shared_ptr<DecodedBatch>& b) { session.ingest(*b); });
            source.start();
            const bool enough = QTest::qWaitFor([&]() { return session.eventCount() >= 1000; }, 10000);
            std::map<quint64, QString> bySeq;
            for (quint32 i = 0; enough && i < session.store().size(); ++i)
                bySeq[session.store().at(i).seq()] = session.types().string(session.store().at(i).type);
            return bySeq;
        };
        auto sameWhereBothSaw = [](const std::map<quint64, QString>& a, const std::map<quint64, QString>& b) {
            int compared = 0;
            for (const auto& [seq, type] : a) {
                const auto it = b.find(seq);
                if (it == b.end())
                    continue;
                if (it->second != type)
                    return -1;
                ++compared;
            }
            return compared;
        };
        const auto a = traffic(11);
        QVERIFY(a.size() >= 1000);
        QVERIFY(sameWhereBothSaw(a, traffic(11)) >= 500);
        QCOMPARE(sameWhereBothSaw(a, traffic(12)), -1);
    }
};

QTEST_GUILESS_MAIN(TestDemoBus)
#include "tst_demobus.moc"
