// SPDX-License-Identifier: MIT
#include "session.h"
#include "sessionsummary.h"
#include "testutil.h"

#include <QJsonArray>
#include <QTest>

namespace {
const QByteArray T0 = "2026-11-29T10:00:00Z";
QByteArray retry(const QByteArray& id, const QByteArray& target, const QByteArray& corr = {})
{
    return nativeEvent(id, "system.event.retry_scheduled", T0, corr, {},
        R"({"eventId":")" + target + R"(","attempt":1,"delayMs":200})");
}
} // namespace

class TestSession : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void duplicatesCountedAndKept()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("a", "t.x"), nativeEvent("b", "t.x"), nativeEvent("a", "t.y") }));
        QCOMPARE(s.eventCount(), quint64(3)); // duplicates are events too
        QCOMPARE(s.duplicateCount(), quint64(1));
        QVERIFY(s.store().at(2).has(EventRecord::Duplicate));
        QCOMPARE(s.store().findId(Uuid::hash("a")), 0u); // the first one stays the one its id names
    }

    void ratesAndGapsArePerOrigin()
    {
        Session s;
        const quint16 nats = s.addOrigin(QStringLiteral("nats+ws://a:1"));
        const quint16 mqtt = s.addOrigin(QStringLiteral("mqtt+ws://b:2"));
        const qint64 t = 1795946400LL * 1000000;
        s.ingest(*decodeLines({ nativeEvent("a", "t.x", {}, {}, {}, {}, 1), nativeEvent("b", "t.x", {}, {}, {}, {}, 2),
                                  nativeEvent("c", "t.x", {}, {}, {}, {}, 4) },
            t, nats));
        s.ingest(*decodeLines({ nativeEvent("d", "t.x", {}, {}, {}, {}, 1) }, t, mqtt));
        QVERIFY(s.originRate(nats) && s.originRate(mqtt));
        QCOMPARE(s.originRate(nats)->total(), quint64(3));
        QCOMPARE(s.originRate(mqtt)->total(), quint64(1));
        QCOMPARE(s.rates().all().total(), quint64(4));
        QCOMPARE(s.gaps().gaps(nats), quint64(1)); // seq 3 never came from this origin
        QCOMPARE(s.gaps().gaps(mqtt), quint64(0)); // the same seqs from another origin are no duplicates
        QVERIFY(!s.originRate(quint16(mqtt + 1)));
    }

    void rawBytesKept()
    {
        Session s;
        const QByteArray json = nativeEvent("a", "t.x", T0, {}, {}, R"({"k":"v"})");
        s.ingest(*decodeLines({ json }));
        QCOMPARE(QByteArray(s.raw(0).data(), qsizetype(s.raw(0).size())), json);
    }

    void retryLinkedToItsEventEvenWhenItArrivesFirst()
    {
        Session s;
        // the report arrives before the event it is about, and carries no type of its own
        s.ingest(*decodeLines({ retry("r", "n", "K") }));
        QCOMPARE(s.retries().entries()[0].target, RetryTracker::Unknown);
        QCOMPARE(s.retries().countForType(RetryTracker::Retry, 0), quint64(1));
        s.ingest(*decodeLines({ nativeEvent("n", "notification.created", T0, "K") }));
        const RetryTracker::Entry& e = s.retries().entries()[0];
        QCOMPARE(e.target, 1u);
        const int type = s.types().find("notification.created");
        QCOMPARE(s.retries().countForType(RetryTracker::Retry, quint16(type)), quint64(1));
        QCOMPARE(s.retries().countForType(RetryTracker::Retry, 0), quint64(0));
        QCOMPARE(s.chains().at(0).retries, 1u);
    }

    void reportWithoutCorrelationMarksTheTargetsChain()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("n", "notification.created", T0, "K"),
            nativeEvent("d", "system.event.dead_lettered", T0, {}, {}, R"({"eventId":"n","attempts":5})") }));
        QCOMPARE(s.chains().at(0).deadLetters, 1u);
        QCOMPARE(s.retries().count(RetryTracker::DeadLetter), quint64(1));
        QCOMPARE(s.retries().entries()[0].attempt, 5);
    }

    void breakerFromEvents()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("s1", "system.circuit_breaker.state_changed", "2026-11-29T10:00:00Z", {},
                                    {}, R"({"breaker":"email-gateway","from":"closed","to":"open"})"),
            nativeEvent("s2", "system.circuit_breaker.state_changed", "2026-11-29T10:00:00.002Z", {}, {},
                R"({"breaker":"email-gateway","from":"open","to":"half_open"})") }));
        QCOMPARE(s.breakers().size(), std::size_t(1));
        QCOMPARE(s.breakers().at(0).state(), BreakerTransition::HalfOpen);
        QCOMPARE(s.breakers().at(0).history.front().event, 0u);
    }

    void malformedKeptBoundedAndCounted()
    {
        Session::Config config;
        config.maxMalformedKept = 5;
        Session s(config);
        QByteArrayList lines;
        for (int i = 0; i < 300; ++i)
            lines << QByteArray("garbage");
        s.ingest(*decodeLines(lines));
        QCOMPARE(s.malformedCount(), quint64(300));
        QCOMPARE(s.firstMalformed().size(), std::size_t(100));
        QCOMPARE(s.recentMalformed().size(), std::size_t(5));
        QCOMPARE(s.recentMalformed().back().position.number, quint64(300));
    }

    void typePoolOverflowIsCounted()
    {
        Session::Config config;
        config.maxTypes = 10;
        Session s(config);
        QByteArrayList lines;
        for (int i = 0; i < 50; ++i)
            lines << nativeEvent("e" + QByteArray::number(i), "type." + QByteArray::number(i));
        s.ingest(*decodeLines(lines));
        QCOMPARE(s.eventCount(), quint64(50));
        QCOMPARE(s.types().size(), std::size_t(10));
        QCOMPARE(s.types().overflowed(), quint64(42));
        QCOMPARE(s.rates().type(s.types().overflowId())->total(), quint64(42));
    }

    void summaryJsonHasTheDocumentedKeys()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("a", "booking.created", T0, "K", {}, {}, 1),
            nativeEvent("b", "booking.validated", "2026-11-29T10:00:01Z", "K", "missing", {}, 3), QByteArray("{") }));
        const QJsonObject o = SessionSummary::toJson(s);
        for (const char* key : { "events", "malformed", "duplicates", "types", "chains", "orphans", "breakers",
                 "retries", "deadLettered", "gaps", "firstTimestamp", "lastTimestamp" })
            QVERIFY2(o.contains(QLatin1String(key)), key);
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 2);
        QCOMPARE(o.value(QLatin1String("malformed")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("orphans")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("gaps")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("chains")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("firstTimestamp")).toString(), QStringLiteral("2026-11-29T10:00:00.000Z"));
        QCOMPARE(o.value(QLatin1String("lastTimestamp")).toString(), QStringLiteral("2026-11-29T10:00:01.000Z"));
        QCOMPARE(o.value(QLatin1String("malformedRecords")).toArray().size(), 1);
    }

    void memoryCapDropsTheOldestAndStaysBounded_data()
    {
        QTest::addColumn<bool>("sliced");
        QTest::addRow("whole batches") << false;
        QTest::addRow("in slices, as the window does") << true;
    }
    void memoryCapDropsTheOldestAndStaysBounded()
    {
        QFETCH(bool, sliced);
        Session::Config config;
        config.memoryCapBytes
            = 40u << 20; // above the structural floor: two record chunks, the id index and chain table at their peak
                         // size // above the floor of two record chunks and their index
        Session s(config);
        const int total = 300000;
        QByteArrayList lines;
        auto flush = [&]() {
            const auto batch = decodeLines(lines, 1795946400LL * 1000000);
            if (sliced) {
                // eviction between batches, 4,096 events at a time, ingest 1,000 at a time
                while (s.overCap())
                    s.evictSome(4096);
                Session::IngestCursor cursor;
                while (!s.ingestSome(*batch, cursor, 1000)) { }
                while (s.overCap())
                    s.evictSome(4096);
            } else {
                s.ingest(*batch);
            }
            lines.clear();
            QVERIFY2(s.heapBytes() <= config.memoryCapBytes,
                qPrintable(QStringLiteral("%1 heap, %2 stored, %3 chain slots, store %4")
                               .arg(s.heapBytes())
                               .arg(s.retainedCount())
                               .arg(s.chains().size())
                               .arg(s.store().heapBytes())));
        };
        for (int i = 0; i < total; ++i) {
            const QByteArray id = "id-" + QByteArray::number(i);
            // chains of four caused one by another; every 50th event's cause never arrives (an orphan);
            // every 100th event is a retry report about the event before it
            const QByteArray cause = i % 50 == 49 ? "missing-" + QByteArray::number(i)
                : i % 4                           ? "id-" + QByteArray::number(i - 1)
                                                  : QByteArray();
            if (i % 1000 == 999)
                lines << nativeEvent(id, "system.circuit_breaker.state_changed", {}, "c-" + QByteArray::number(i / 4),
                    cause,
                    i % 2000 == 999 ? R"({"breaker":"b","from":"closed","to":"open"})"
                                    : R"({"breaker":"b","from":"open","to":"closed"})");
            else if (i % 100 == 99)
                lines << nativeEvent(id, "system.event.retry_scheduled", {}, "c-" + QByteArray::number(i / 4), cause,
                    R"({"eventId":"id-)" + QByteArray::number(i - 1) + R"(","attempt":1,"delayMs":200})");
            else
                lines << nativeEvent(id, "booking.created", {}, "c-" + QByteArray::number(i / 4), cause);
            if (lines.size() == 5000)
                flush();
        }
        flush();
        QCOMPARE(s.eventCount(), quint64(total));
        QVERIFY(s.evictedCount() > 0);
        QCOMPARE(s.retainedCount() + s.evictedCount(), quint64(total));
        // counts and histories keep everything
        QCOMPARE(s.rates().all().total(), quint64(total));
        QCOMPARE(s.breakers().size(), std::size_t(1));
        QCOMPARE(s.breakers().at(0).transitionCount, quint64(total / 1000));
        QCOMPARE(s.chains().createdCount(), quint64(total / 4));
        // what is stored is consistent: every retained id is indexed, every live chain walks to its size
        const EventStore& store = s.store();
        for (quint32 i = store.first(); i != store.end(); ++i) {
            if (!store.at(i).has(EventRecord::Duplicate))
                QCOMPARE(store.findId(store.at(i).id), i);
        }
        std::size_t live = 0;
        for (quint32 c = 0; c < s.chains().size(); ++c) {
            if (!s.chains().alive(c))
                continue;
            ++live;
            const auto members = s.chains().members(c, store);
            QCOMPARE(members.size(), std::size_t(s.chains().at(c).size));
            for (quint32 e : members)
                QVERIFY(store.contains(e));
            QCOMPARE(s.chains().tree(c, store).size(), members.size());
        }
        QCOMPARE(live, s.chains().liveCount());
        QVERIFY(live < std::size_t(total / 4));
        for (const RetryTracker::Entry& e : s.retries().entries())
            QVERIFY(store.contains(e.event));
        // dropped ids are gone from the index: seen again, an old id is not a duplicate
        QCOMPARE(store.findId(Uuid::hash("id-0")), EventStore::NotFound);
        const quint64 duplicates = s.duplicateCount();
        s.ingest(*decodeLines({ nativeEvent("id-0", "booking.created"), nativeEvent("id-299998", "booking.created") }));
        QCOMPARE(s.duplicateCount(), duplicates + 1);
        // orphans only count stored events (every 50th stored event has a cause that never came)
        QVERIFY(s.orphanCount() <= s.retainedCount() / 50 + 1);
        QVERIFY(s.orphanCount() > 0);
    }

    void manyEventsStayConsistent()
    {
        // enough events to grow every index several times
        Session s;
        QByteArrayList lines;
        for (int i = 0; i < 20000; ++i)
            lines << nativeEvent("id-" + QByteArray::number(i), "t", {}, "c-" + QByteArray::number(i / 4),
                i % 4 ? "id-" + QByteArray::number(i - 1) : QByteArray());
        s.ingest(*decodeLines(lines));
        QCOMPARE(s.eventCount(), quint64(20000));
        QCOMPARE(s.chains().size(), std::size_t(5000));
        QCOMPARE(s.orphanCount(), quint64(0));
        for (quint32 i : { 0u, 1u, 9999u, 19999u })
            QCOMPARE(s.store().findId(s.store().at(i).id), i);
        QCOMPARE(s.store().at(19999).parentDelta, -1);
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
