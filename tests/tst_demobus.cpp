// SPDX-License-Identifier: MIT
#include "decodedbatch.h"
#include "demobus.h"
#include "eventrecord.h"
#include "livetestutil.h"
#include "session.h"
#include "websocketsource.h"

#include <QSignalSpy>
#include <QTest>
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
