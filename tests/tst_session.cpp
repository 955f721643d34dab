// SPDX-License-Identifier: MIT
#include "demodata.h"
#include "flowreport.h"
#include "session.h"
#include "sessionsummary.h"
#include "stagereport.h"
#include "testutil.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

namespace {
const QByteArray T0 = "2026-11-29T10:00:00Z";
QByteArray retry(const QByteArray& id, const QByteArray& target, const QByteArray& corr = {})
{
    return nativeEvent(id, "system.event.retry_scheduled", T0, corr, {},
        R"({"eventId":")" + target + R"(","attempt":1,"delayMs":200})");
}

/// A CloudEvent of type com.x.placed at TestT0 + ms.
QByteArray cloudEvent(const QByteArray& id, const QByteArray& source, qint64 ms)
{
    return "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",\"source\":\"" + source
        + "\",\"type\":\"com.x.placed\",\"time\":\"" + isoAt(ms) + "\"}";
}

/// Every figure a view can show of a session, one per line, so that two sessions can be compared.
QStringList fingerprint(const Session& s)
{
    QStringList out;
    const auto series = [&out](const QString& name, const RateSeries* r) {
        if (!r) {
            out << name + QStringLiteral(": none");
            return;
        }
        QString line = QStringLiteral("%1: total %2 peak %3 seen %4 from %5 to %6 old %7:")
                           .arg(name)
                           .arg(r->total())
                           .arg(r->peak())
                           .arg(r->lastSeenUs())
                           .arg(r->firstSecond())
                           .arg(r->headSecond())
                           .arg(r->tooOld());
        if (r->total() > 0) { // an empty series has no head second
            for (qint64 second = std::max(r->firstSecond(), r->headSecond() - r->capacity() + 1);
                 second <= r->headSecond(); ++second)
                line += QLatin1Char(' ') + QString::number(r->countAt(second));
        }
        out << line;
    };
    QJsonObject summary = SessionSummary::toJson(s);
    // how the events were decoded describes everything read, not a figure a replay rebuilds
    summary.remove(QStringLiteral("profiles"));
    out << QString::fromUtf8(QJsonDocument(summary).toJson(QJsonDocument::Compact));
    out << QString::fromUtf8(QJsonDocument(FlowReport::toJson(s)).toJson(QJsonDocument::Compact));
    for (std::size_t root = 0; root < s.stages().roots().size(); ++root)
        if (s.stages().roots()[root].chains)
            out << QString::fromUtf8(QJsonDocument(StageReport::toJson(s, int(root))).toJson(QJsonDocument::Compact));
    out << QStringLiteral("events %1 retained %2 duplicates %3 orphans %4 malformed %5 first %6 last %7 shown %8-%9")
               .arg(s.eventCount())
               .arg(s.retainedCount())
               .arg(s.duplicateCount())
               .arg(s.orphanCount())
               .arg(s.malformedCount())
               .arg(s.firstEventTimeUs())
               .arg(s.lastEventTimeUs())
               .arg(s.store().first())
               .arg(s.store().end());
    for (const MalformedRecord& m : s.firstMalformed())
        out << QStringLiteral("first malformed %1: %2").arg(m.position.number).arg(m.reason);
    for (const MalformedRecord& m : s.recentMalformed())
        out << QStringLiteral("recent malformed %1: %2").arg(m.position.number).arg(m.reason);
    for (quint32 e = s.store().first(); e != s.store().end(); ++e) {
        const EventRecord& r = s.store().at(e);
        const quint32 parent = e + quint32(r.parentDelta);
        out << QStringLiteral("event %1 chain %2 parent %3 flags %4")
                   .arg(e)
                   .arg(r.chain)
                   .arg(r.parentDelta != 0 && s.store().contains(parent) ? qint64(parent) : -1)
                   .arg(r.flags());
    }
    const ChainTracker& chains = s.chains();
    out << QStringLiteral("chains %1 created %2").arg(chains.liveCount()).arg(chains.createdCount());
    for (quint32 c = 0; c < chains.size(); ++c) {
        if (!chains.alive(c))
            continue;
        const Chain& k = chains.at(c);
        QString line
            = QStringLiteral("chain %1 %2: size %3 %4..%5 first %6 last %7 f %8 r %9 d %10 o %11 e %12 orphans %13:")
                  .arg(c)
                  .arg(chains.idText(c))
                  .arg(k.size)
                  .arg(k.startUs)
                  .arg(k.endUs)
                  .arg(k.first)
                  .arg(k.last)
                  .arg(k.failures)
                  .arg(k.retries)
                  .arg(k.deadLetters)
                  .arg(k.orphans)
                  .arg(k.ends)
                  .arg(chains.orphans(c, s.store()));
        for (const ChainNode& n : chains.tree(c, s.store()))
            line += QStringLiteral(" %1/%2").arg(n.event).arg(n.depth);
        out << line;
    }
    const RetryTracker& retries = s.retries();
    for (const RetryTracker::Entry& e : retries.entries())
        out << QStringLiteral("report %1 of %2 about %3 type %4").arg(e.kind).arg(e.event).arg(e.target).arg(e.type);
    for (int kind = 0; kind < 3; ++kind) {
        QString line = QStringLiteral("reports %1: %2 by type").arg(kind).arg(retries.count(RetryTracker::Kind(kind)));
        for (std::size_t t = 0; t < s.types().size(); ++t) {
            if (const quint64 n = retries.countForType(RetryTracker::Kind(kind), quint16(t)))
                line += QStringLiteral(" %1=%2").arg(s.types().string(quint16(t))).arg(n);
        }
        out << line;
        series(QStringLiteral("problems %1").arg(kind), &s.problemRate(RetryTracker::Kind(kind)));
    }
    for (std::size_t b = 0; b < s.breakers().size(); ++b) {
        const Breaker& k = s.breakers().at(b);
        QString line
            = QStringLiteral("breaker %1: %2 transitions").arg(QString::fromStdString(k.name)).arg(k.transitionCount);
        for (const BreakerTransition& t : k.history)
            line += QStringLiteral(" %1@%2:%3>%4").arg(t.event).arg(t.timeUs).arg(t.from).arg(t.to);
        out << line;
    }
    series(QStringLiteral("all"), &s.rates().all());
    for (std::size_t t = 0; t < s.types().size(); ++t) {
        if (s.rates().type(quint16(t)))
            series(QStringLiteral("type %1").arg(s.types().string(quint16(t))), s.rates().type(quint16(t)));
    }
    for (std::size_t d = 0; d < s.rates().domains().size(); ++d)
        series(QStringLiteral("domain %1").arg(s.rates().domains().string(quint16(d))), s.rates().domain(quint16(d)));
    for (quint16 o = 0; o < 4; ++o) {
        series(QStringLiteral("origin %1").arg(o), s.originRate(o));
        QString line
            = QStringLiteral("gaps %1: %2 highest %3 missing").arg(o).arg(s.gaps().gaps(o)).arg(s.gaps().highest(o));
        for (const auto& [from, to] : s.gaps().missing(o))
            line += QStringLiteral(" %1-%2").arg(from).arg(to);
        out << line;
    }
    return out;
}

/// Lines decoded in batches as a source hands them over: origin, and the lines of each.
struct Batches
{
    std::vector<std::pair<quint16, QByteArrayList>> parts;

    /// A live session that took in the first `count` events, the batch that held the last of them cut
    /// after it (its malformed records not yet counted, as they are when a batch is done).
    void feedFirst(Session& s, quint32 count) const
    {
        qint64 receive = TestT0;
        for (const auto& [origin, lines] : parts) {
            auto batch = decodeLines(lines, receive, origin);
            receive += 1000000;
            if (batch->events.size() > count) {
                batch->events.resize(count);
                batch->malformed.clear();
            }
            count -= quint32(batch->events.size());
            s.ingest(*batch);
        }
    }
};
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

    void reportBeforeItsEventMarksTheEventsChainWhenItComes()
    {
        // a dead letter without a correlation of its own, about an event not seen yet: once the event
        // comes, its chain holds a dead letter
        Session s;
        s.ingest(*decodeLines(
            { nativeEvent("d", "system.event.dead_lettered", T0, {}, {}, R"({"eventId":"n","attempts":5})") }));
        s.ingest(*decodeLines({ nativeEvent("n", "notification.created", T0, "K") }));
        QCOMPARE(s.retries().entries()[0].target, 1u);
        QCOMPARE(s.chains().at(0).deadLetters, 1u);
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
        for (const char* key :
            { "events", "malformed", "duplicates", "types", "chains", "orphans", "breakers", "retries", "deadLettered",
                "gaps", "firstTimestamp", "lastTimestamp", "typeHealth", "sources", "profiles" })
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

    void clockSkewedEventsAreCountedAndReplayed()
    {
        // a file's reader lists the events whose clocks it did not trust beside the batch
        Session s(eventTimeConfig());
        auto first = decodeLines({ nativeEvent("a", "t", isoAt(0)), nativeEvent("b", "t", isoAt(1)) }, TestT0);
        MalformedRecord m;
        m.position = { 0, SourcePosition::Line, 2, 40 };
        m.reason = QStringLiteral("no timestamp: counted at its neighbours' time");
        first->skewed.push_back(m);
        s.ingest(*first);
        s.ingest(*decodeLines({ nativeEvent("c", "t", isoAt(2)), nativeEvent("d", "t", isoAt(3)) }, TestT0));
        QCOMPARE(s.clockSkewedCount(), 1ull);
        QCOMPARE(s.firstClockSkewed().size(), std::size_t(1));
        QCOMPARE(SessionSummary::toJson(s).value(QLatin1String("clockSkewed")).toInt(), 1);
        QVERIFY(s.canReplay());
        s.replayTo(1); // before the first batch was whole: as live, none yet
        QCOMPARE(s.clockSkewedCount(), 0ull);
        QVERIFY(s.firstClockSkewed().empty());
        s.replayTo(4);
        QCOMPARE(s.clockSkewedCount(), 1ull);
        s.reset();
        QCOMPARE(s.clockSkewedCount(), 0ull);
    }

    void replayShowsEveryFigureAsItWasLive_data()
    {
        QTest::addColumn<bool>("demo");
        QTest::newRow("causes, reports and breakers out of order") << false;
        QTest::newRow("an incident of demo traffic") << true;
    }

    /// A replay rebuilds every figure from the stored events alone: at any count of events, in any
    /// order of seeks, it equals a live session that had just taken in those events.
    void replayShowsEveryFigureAsItWasLive()
    {
        QFETCH(bool, demo);
        Batches batches;
        if (demo) {
            const QByteArrayList lines = demoLines(20, 300, earlyIncident());
            for (int i = 0; i < lines.size(); i += 700)
                batches.parts.emplace_back(quint16(i / 700 % 2), lines.mid(i, 700));
        } else {
            const QByteArray breaker = "system.circuit_breaker.state_changed";
            batches.parts.emplace_back(quint16(0),
                QByteArrayList { nativeEvent("e1", "booking.created", T0, "K1", {}, {}, 1), retry("r1", "n1"),
                    nativeEvent("c2", "booking.validated", isoAt(5), "K1", "p-late", {}, 2), "{",
                    nativeEvent(
                        "b1", breaker, isoAt(10), {}, {}, R"({"breaker":"email","from":"closed","to":"open"})") });
            batches.parts.emplace_back(quint16(0),
                QByteArrayList { nativeEvent("p-late", "booking.requested", isoAt(1), "K1"),
                    nativeEvent("n1", "notification.created", isoAt(1200), "K2", {}, {}, 5),
                    nativeEvent("e1", "booking.created", isoAt(1300), "K1", {}, {}, 6),
                    nativeEvent("d1", "system.event.dead_lettered", isoAt(1400), "K2", {},
                        R"({"eventId":"n1","eventType":"notification.created","attempts":5})"),
                    nativeEvent("f1", "system.handler.failed", isoAt(1500), "K3", {},
                        R"({"handler":"mail","eventId":"never"})"),
                    "not json",
                    nativeEvent(
                        "b2", breaker, isoAt(2100), {}, {}, R"({"breaker":"email","from":"open","to":"half_open"})") });
            batches.parts.emplace_back(quint16(1),
                QByteArrayList { nativeEvent("x1", "booking.completed", isoAt(2500), "K1", "e1", {}, 3),
                    nativeEvent("s1", "staff.assigned", isoAt(-5000), "K6", "s1", {}, 9),
                    nativeEvent("r2", "system.event.retry_scheduled", isoAt(3000), "K4", {},
                        R"({"eventId":"late2","attempt":2,"delayMs":400})"),
                    nativeEvent("late2", "location.updated", isoAt(3100), "K5", {}, {}, 10),
                    nativeEvent(
                        "b3", breaker, isoAt(4000), {}, {}, R"({"breaker":"sms","from":"closed","to":"open"})") });
        }
        Session whole(eventTimeConfig());
        batches.feedFirst(whole, std::numeric_limits<quint32>::max());
        const quint32 all = whole.storedCount();
        QVERIFY(whole.canReplay());
        const QStringList wholeFigures = fingerprint(whole);

        std::vector<quint32> counts;
        if (demo)
            counts = { all / 2, 1, 0, all, 4097, all / 3, all - 1, 4095, 4096, 137, all / 2 };
        else
            for (quint32 n = all + 1; n-- > 0;) // backwards, then every step forward
                counts.push_back(n);
        if (!demo)
            for (quint32 n = 1; n <= all; ++n)
                counts.push_back(n);
        for (const quint32 n : counts) {
            whole.replayTo(n);
            Session live(eventTimeConfig());
            batches.feedFirst(live, n);
            const QStringList expected = fingerprint(live), got = fingerprint(whole);
            for (qsizetype line = 0; line < std::max(expected.size(), got.size()); ++line) {
                QVERIFY2(line < got.size() && line < expected.size() && got[line] == expected[line],
                    qPrintable(QStringLiteral("after %1 of %2 events:\n   got: %3\nexpected: %4")
                                   .arg(n)
                                   .arg(all)
                                   .arg(got.value(line), expected.value(line))));
            }
        }
        // taking in more events returns to the whole session first, then goes on as ever
        whole.replayTo(3);
        QCOMPARE(whole.store().size(), 3u);
        whole.ingest(*decodeLines({ nativeEvent("z9", "booking.created", isoAt(9000), "K1") }, TestT0, 2));
        Session live(eventTimeConfig());
        batches.feedFirst(live, std::numeric_limits<quint32>::max());
        live.ingest(*decodeLines({ nativeEvent("z9", "booking.created", isoAt(9000), "K1") }, TestT0, 2));
        QCOMPARE(fingerprint(whole), fingerprint(live));
        QVERIFY(fingerprint(live) != wholeFigures);
    }

    void expectedEventsSizeTheIndexesOnceAndMoreStillFit()
    {
        // a file of known size: the id index is sized at once, so it holds no next table ahead while
        // the file is read; more events than expected still go in, and duplicates are still found
        const auto many = [](int from, int count) {
            QByteArrayList lines;
            for (int i = from; i < from + count; ++i)
                lines << nativeEvent(
                    "e" + QByteArray::number(i), "booking.created", T0, "K" + QByteArray::number(i / 4));
            return lines;
        };
        Session s;
        s.ingest(*decodeLines(many(0, 1000)));
        s.expectEvents(60000);
        // a window's index moves the ids it holds a few per insert: they are found on the way
        s.ingest(*decodeLines(many(999, 2)));
        QCOMPARE(s.duplicateCount(), quint64(1));
        QCOMPARE(s.store().findId(Uuid::fromText("e998", nullptr)), 998u);
        const auto indexAndRecords = [&s] { return s.store().heapBytes() - s.store().rawStore().heapBytes(); };
        s.ingest(*decodeLines(many(1001, 999)));
        const std::size_t sized = indexAndRecords(); // the table moved from is gone by now
        for (int i = 2000; i < 60000; i += 5000)
            s.ingest(*decodeLines(many(i, std::min(5000, 60000 - i))));
        // the second chunk of records, nothing else (a doubled id index would add 2 MiB more)
        const std::size_t added = indexAndRecords() - sized;
        QVERIFY2(added >= EventStore::ChunkSize * EventChunk::FixedBytes
                && added <= EventStore::ChunkSize * EventChunk::MaxBytes,
            QByteArray::number(quint64(added)).constData());
        for (int i = 60000; i < 150000; i += 5000)
            s.ingest(*decodeLines(many(i, 5000)));
        s.ingest(*decodeLines(many(12345, 1)));
        QCOMPARE(s.eventCount(), quint64(150002));
        QCOMPARE(s.duplicateCount(), quint64(2));
        QCOMPARE(s.store().findId(Uuid::fromText("e149999", nullptr)), 150000u); // after the duplicate of e999
        QCOMPARE(s.chains().liveCount(), std::size_t(37500));
    }

    void compactedSessionFindsByScanningAndTakesInAgain()
    {
        // an opened capture frees its indexes: lookups by id still answer, and new events still find
        // their duplicates, causes and chains
        Session s;
        s.ingest(*decodeLines({ nativeEvent("a", "booking.created", T0, "K"),
            nativeEvent("b", "booking.validated", T0, "K", "a"), nativeEvent("a", "booking.created", T0, "K") }));
        const std::size_t before = s.heapBytes();
        s.compact().reset();
        QVERIFY(s.heapBytes() < before);
        QCOMPARE(s.store().findId(Uuid::fromText("a", nullptr)), 0u); // the first, not its duplicate
        QCOMPARE(s.store().findId(Uuid::fromText("b", nullptr)), 1u);
        QCOMPARE(s.store().findId(Uuid::fromText("zz", nullptr)), EventStore::NotFound);
        QCOMPARE(s.chains().find("K"), 0u);
        QCOMPARE(s.chains().find("L"), ChainTracker::None);
        s.ingest(*decodeLines({ nativeEvent("b", "booking.validated", T0, "K"),
            nativeEvent("c", "booking.completed", T0, "K", "b"), nativeEvent("d", "staff.assigned", T0, "L") }));
        QCOMPARE(s.duplicateCount(), 2u);
        QCOMPARE(s.store().at(4).parentDelta, -3);
        QCOMPARE(s.chains().at(0).size, 5u);
        QCOMPARE(s.chains().find("L"), 1u);
        QCOMPARE(s.chains().liveCount(), std::size_t(2));
    }

    void replayPlayheadCountsTheEventsUpToIt()
    {
        // in arrival order up to the first event after the playhead, as a live session had them then
        Session s(eventTimeConfig());
        QByteArrayList lines;
        for (int i = 0; i < 10000; ++i)
            lines << nativeEvent("e" + QByteArray::number(i), "booking.created", isoAt(i == 5000 ? 20000 : i));
        s.ingest(*decodeLines(lines));
        QCOMPARE(s.countUntil(TestT0 - 1), 0u);
        QCOMPARE(s.countUntil(TestT0), 1u);
        QCOMPARE(s.countUntil(TestT0 + 4000 * 1000), 4001u);
        QCOMPARE(s.countUntil(TestT0 + 6000 * 1000), 5000u); // the late one at 20 s stops it
        QCOMPARE(s.countUntil(TestT0 + 20000 * 1000), 10000u);
        s.replayTo(4001);
        QCOMPARE(s.lastEventTimeUs(), TestT0 + 4000 * 1000);
    }

    void otherSystemsEventsAreStoredAsDecoded_data()
    {
        QTest::addColumn<QString>("file");
        // written from each system's documented output (tests/data/profiles/README.md); none carries a
        // sequence the session takes (EventStoreDB's numbers count per stream: docs/protocol.md)
        QTest::addRow("EventStoreDB export") << "eventstoredb-export.ndjson";
        QTest::addRow("MassTransit") << "masstransit.ndjson";
        QTest::addRow("Axon") << "axon.ndjson";
    }
    void otherSystemsEventsAreStoredAsDecoded()
    {
        // the store packs ids, clocks and sequence numbers (EventChunk): each must read back as decoded,
        // repeated within one chunk (the repeats are duplicates, stored all the same)
        QFETCH(QString, file);
        QFile f(QStringLiteral(EVENTSCOPE_TEST_DATA "/profiles/") + file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QByteArrayList once;
        for (const QByteArray& line : f.readAll().split('\n'))
            if (!line.trimmed().isEmpty())
                once << line;
        QVERIFY(!once.isEmpty());
        QByteArrayList lines;
        for (int copy = 0; copy < 50; ++copy) // the numbers' pattern again and again within one chunk
            lines += once;
        const auto batch = decodeLines(lines);
        QCOMPARE(batch->malformed.size(), std::size_t(0));
        Session s(eventTimeConfig());
        s.ingest(*batch);
        QCOMPARE(std::size_t(s.store().size()), batch->events.size());
        for (quint32 i = 0; i < s.store().size(); ++i) {
            const DecodedEvent& e = batch->events[i];
            const EventRecord r = s.store().at(s.store().first() + i);
            QCOMPARE(r.id, e.id);
            QCOMPARE(r.seq(), e.seq);
            QCOMPARE(r.eventTimeUs, e.eventTimeUs);
        }
    }

    void theDefaultMemoryCapFollowsTheMachine()
    {
        // a quarter of what the process may use, never under 1 GiB: an hour of a busy bus fits whole
        const std::size_t usable = usableMemoryBytes();
        QVERIFY(usable > 0);
        QCOMPARE(Session::Config().memoryCapBytes, std::max(usable / 4, std::size_t(1) << 30));
        // --memory-cap: every session made afterwards; 0 is no cap
        setDefaultMemoryCap(std::size_t(300) << 20);
        QCOMPARE(Session::Config().memoryCapBytes, std::size_t(300) << 20);
        Session capped;
        QCOMPARE(capped.config().memoryCapBytes, std::size_t(300) << 20);
        setDefaultMemoryCap(0);
        QCOMPARE(Session::Config().memoryCapBytes, std::size_t(0));
        setDefaultMemoryCap(std::max(usable / 4, std::size_t(1) << 30));
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
        // what is stored is consistent: every retained id is indexed (but those of the oldest chunk
        // already retired, on their way out in slices), every live chain walks to its size
        const EventStore& store = s.store();
        for (quint32 i = store.first() + store.retired(); i != store.end(); ++i) {
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

    void anIndexSizedForTheWholeFileLeavesTheCapToTheEvents()
    {
        // a window opening a file bigger than its cap: the id index is sized for the whole file, and
        // would double only past it. The room for that doubling was held back under the cap as if it
        // were near, which left no room for events: an hour's capture (18 M events) kept 43,136.
        Session::Config config;
        config.clock = Session::Clock::Recorded;
        config.memoryCapBytes = std::size_t(48) << 20;
        Session s(config);
        const int total = 600000;
        QByteArrayList lines;
        for (int i = 0; i < 4096; ++i)
            lines << nativeEvent(
                "w" + QByteArray::number(i), "booking.created", isoAt(i), "k" + QByteArray::number(i / 4));
        s.ingest(*decodeLines(lines));
        s.expectEvents(std::size_t(total)); // 2^20 slots of 8 bytes: 8 MiB, and 16 MiB to double
        for (int from = 4096; from < total; from += 8192) {
            lines.clear();
            for (int i = from; i < from + 8192; ++i)
                lines << nativeEvent(
                    "w" + QByteArray::number(i), "booking.created", isoAt(i), "k" + QByteArray::number(i / 4));
            s.ingest(*decodeLines(lines));
            QVERIFY(s.heapBytes() <= config.memoryCapBytes);
        }
        QVERIFY(s.evictedCount() > 0);
        // about 78,000 events (their ~200 bytes of JSON each in the heap here, the id index, the
        // chains); holding back the index's and the chains' doublings left room for about 45,000
        QVERIFY2(s.store().storedCount() > 60000, qPrintable(QString::number(s.store().storedCount())));
    }

    void reportsPastTheirCapAreCountedButEndReplayFromMemory()
    {
        // retries, failures and dead letters are kept (for the views, a replay, the index) up to
        // Config::maxReports, past it counted only: a session that lost some cannot replay from memory
        // nor be indexed. A capture sets it high enough for every report of 100 M events (2 M).
        const QByteArrayList lines = demoLines(20, 300, earlyIncident());
        Session::Config config;
        config.clock = Session::Clock::Recorded;
        Session whole(config);
        config.maxReports = 10;
        Session capped(config);
        for (Session* s : { &whole, &capped })
            s->ingest(*decodeLines(lines));
        QVERIFY(whole.retries().entries().size() > 10);
        QCOMPARE(whole.retries().dropped(), quint64(0));
        QVERIFY(whole.canReplay());
        QCOMPARE(capped.retries().entries().size(), std::size_t(10));
        QCOMPARE(capped.retries().dropped(), quint64(whole.retries().entries().size() - 10));
        QVERIFY(!capped.canReplay());
        for (RetryTracker::Kind k : { RetryTracker::Retry, RetryTracker::DeadLetter, RetryTracker::Failure })
            QCOMPARE(capped.retries().count(k), whole.retries().count(k));
    }

    void exactBeyondCapCountsAsIfEverythingWereHeld()
    {
        // what the cap drops is still counted exactly when the same id, chain, cause or report comes
        // back long after: the summary equals one of a session that held every event
        const int fillers = 300000;
        QByteArrayList early, late, cloudEarly, cloudLate;
        const auto report = [](const QByteArray& id, const char* type, const QByteArray& about, qint64 ms,
                                const char* handler = nullptr) {
            QByteArray payload = "{\"eventId\":\"" + about + "\",\"attempt\":1,\"delayMs\":200";
            if (handler)
                payload += ",\"handler\":\"" + QByteArray(handler) + "\",\"error\":\"timeout\"";
            return nativeEvent(id, type, isoAt(ms), {}, {}, payload + '}');
        };
        const auto transition = [](const QByteArray& id, qint64 ms, const char* from, const char* to) {
            return nativeEvent(id, "system.circuit_breaker.state_changed", isoAt(ms), {}, {},
                QByteArray("{\"breaker\":\"email-gateway\",\"from\":\"") + from + "\",\"to\":\"" + to + "\"}");
        };
        early << nativeEvent("dup", "booking.created", isoAt(0), "c-dup")
              << nativeEvent("effect", "booking.confirmed", isoAt(1), "c-effect", "cause-late")
              << report("report-early", "system.event.retry_scheduled", "target-late", 2)
              << nativeEvent("target", "payment.taken", isoAt(3), "c-pay")
              << report("fail-early", "system.handler.failed", "target", 4, "payment-handler")
              << nativeEvent("resumed", "booking.created", isoAt(5), "c-resume")
              << transition("open-1", 6, "closed", "open");
        for (int n = 0; n < 5; ++n) {
            const QByteArray id = "notify-" + QByteArray::number(n);
            early << nativeEvent(id, "notification.created", isoAt(7 + 2 * n), "c-" + id)
                  << report("fail-" + id, "system.handler.failed", id, 8 + 2 * n, "email-handler");
        }
        early << transition("close-1", 20, "open", "closed");
        cloudEarly << cloudEvent("B234", "/a", 21) << cloudEvent("B234", "/b", 22) << cloudEvent("C1", "/a", 23);
        const qint64 end = 100 + fillers;
        late << nativeEvent("dup", "booking.created", isoAt(end), "c-dup") // a duplicate of a dropped event
             << nativeEvent("cause-late", "booking.created", isoAt(end + 1), "c-effect") // an orphan's cause
             << nativeEvent("target-late", "booking.created", isoAt(end + 2)) // a dropped report's event
             << report("dead-late", "system.event.dead_lettered", "target", end + 3) // about a dropped event
             << report("fail-late", "system.handler.failed", "target", end + 4, "payment-handler") // again
             << nativeEvent("resumed-2", "booking.confirmed", isoAt(end + 5), "c-resume") // a dropped chain
             << nativeEvent("late-effect", "booking.confirmed", isoAt(end + 6), "c-late", "f-5") // a dropped cause
             << transition("open-2", end + 7, "closed", "open")
             << report("fail-in-2", "system.handler.failed", "dup", end + 8, "email-handler")
             << nativeEvent("last", "user.logged_in", isoAt(end + 100), "U");
        cloudLate << cloudEvent("B234", "/b", end + 9) // a duplicate
                  << cloudEvent("B234", "/c", end + 10) // another source's own
                  << cloudEvent("C1", "/a", end + 11); // a duplicate

        const auto run = [&](std::size_t cap, bool exact, std::size_t bound = 0) {
            Session::Config config;
            config.clock = Session::Clock::Recorded;
            config.memoryCapBytes = cap;
            config.exactBeyondCap = exact;
            config.exactBeyondCapBytes = bound;
            config.smoothGrowth = false; // as `eventscope-cli summary` reads a file
            auto s = std::make_unique<Session>(config);
            s->ingest(*decodeLines(early));
            s->expectEvents(fillers + 100);
            s->ingest(*decodeLines(cloudEarly, 0, 1));
            QByteArrayList lines;
            for (int i = 0; i < fillers; ++i) {
                // chains of four, each event caused by the one before
                const QByteArray id = "f-" + QByteArray::number(i);
                lines << nativeEvent(id, i % 3 ? "booking.created" : "staff.assigned", isoAt(50 + i),
                    "chain-" + QByteArray::number(i / 4), i % 4 ? "f-" + QByteArray::number(i - 1) : QByteArray());
                if (lines.size() == 5000) {
                    s->ingest(*decodeLines(lines));
                    lines.clear();
                }
            }
            s->ingest(*decodeLines(late));
            s->ingest(*decodeLines(cloudLate, 0, 1));
            return s;
        };
        const auto whole = run(0, false);
        const auto exact = run(8u << 20, true);
        const auto inexact = run(8u << 20, false);
        QVERIFY(exact->evictedCount() > quint64(fillers / 2));
        QCOMPARE(whole->evictedCount(), quint64(0));

        const QJsonObject expected = SessionSummary::toJson(*whole);
        QCOMPARE(expected.value(QLatin1String("duplicates")).toInteger(), 3); // dup, B234 from /b, C1 from /a
        QCOMPARE(expected.value(QLatin1String("orphans")).toInteger(), 0);
        QCOMPARE(QJsonDocument(SessionSummary::toJson(*exact)).toJson(), QJsonDocument(expected).toJson());
        QCOMPARE(SessionSummary::toText(*exact), SessionSummary::toText(*whole));
        const quint16 payment = quint16(whole->types().find("payment.taken"));
        QCOMPARE(exact->retries().failedEventsForType(payment), quint64(1));
        QCOMPARE(exact->retries().eventsForType(RetryTracker::DeadLetter, payment), quint64(1));
        // without it, the same cap miscounts what came back
        QVERIFY(inexact->duplicateCount() < whole->duplicateCount());
        QVERIFY(inexact->chains().createdCount() > whole->chains().createdCount());
        QCOMPARE(inexact->retries().eventsForType(RetryTracker::DeadLetter, payment), quint64(0));
        // the cap holds the stored events as it does without it; what the dropped events keep is outside
        QCOMPARE(exact->retainedCount(), inexact->retainedCount());
        QVERIFY(exact->heapBytes() <= inexact->heapBytes() + (1u << 20));
        QVERIFY(exact->evictedHeapBytes() > 0);
        QVERIFY2(exact->evictedHeapBytes() < exact->evictedCount() * 64,
            qPrintable(QStringLiteral("%1 bytes kept for %2 dropped events")
                           .arg(exact->evictedHeapBytes())
                           .arg(exact->evictedCount())));
        QVERIFY(!exact->estimated());
        QVERIFY(!expected.contains(QLatin1String("estimates")));

        // past a bound on what is kept, the newest ids past the cap are looked in: here they reach back
        // to the first event, and the figures are the same, but for the dead letter about a payment
        // known only as having come, whose event is no longer counted
        const std::size_t bound = exact->evictedHeapBytes() / 10 * 9;
        const auto estimated = run(8u << 20, true, bound);
        QVERIFY(estimated->estimated());
        QVERIFY(estimated->estimatedFrom() < quint64(fillers));
        QVERIFY(estimated->evictedHeapBytes() <= bound);
        QJsonObject got = SessionSummary::toJson(*estimated);
        const QJsonObject estimates = got.take(QLatin1String("estimates")).toObject();
        QCOMPARE(estimates.value(QLatin1String("fromEvent")).toInteger(), qint64(estimated->estimatedFrom()));
        // the set's fingerprints, 32 bits, rarely match another id's: well under one in 10^8 lookups
        QVERIFY(estimated->recentIds()->falsePositiveRate() < 1e-8);
        QCOMPARE(estimates.value(QLatin1String("falsePositiveRate")),
            QJsonValue(estimated->recentIds()->falsePositiveRate()));
        QVERIFY(SessionSummary::toText(*estimated).contains(QLatin1String("Estimated:     from event")));
        for (const char* key : { "events", "duplicates", "chains", "orphans", "retries", "deadLettered",
                 "handlerFailures", "types", "breakers" })
            QCOMPARE(got.value(QLatin1String(key)), expected.value(QLatin1String(key)));
        QCOMPARE(estimated->retries().failedEventsForType(payment), quint64(1));
        QCOMPARE(estimated->retries().eventsForType(RetryTracker::DeadLetter, payment), quint64(0));
    }

    void estimatesPastTheBoundKeepNothingPerEvent()
    {
        // the kept part stops growing at its bound: four times the events past the cap, the same bytes;
        // an id repeated within the newest it holds is a duplicate, one repeated long after is missed,
        // never one made up
        const auto repeats = [](int i, int back) { return i % 1000 == 500 && i > back; };
        const auto run = [&](int events, int back) {
            Session::Config config;
            config.clock = Session::Clock::Recorded;
            config.memoryCapBytes = 1u << 20;
            config.exactBeyondCap = true;
            config.exactBeyondCapBytes = 1u << 20;
            config.smoothGrowth = false;
            auto s = std::make_unique<Session>(config);
            QByteArrayList lines;
            for (int i = 0; i < events; ++i) {
                // every 1,000th event repeats the id of the event `back` before, and goes on its chain
                const int n = repeats(i, back) ? i - back : i;
                const QByteArray id = "e-" + QByteArray::number(n);
                lines << nativeEvent(id, "booking.created", isoAt(i), "c-" + QByteArray::number(n / 3),
                    n % 3 ? "e-" + QByteArray::number(n - 1) : QByteArray());
                if (lines.size() == 5000) {
                    s->ingest(*decodeLines(lines));
                    lines.clear();
                }
            }
            return s;
        };
        const int nearBack = 40001, farBack = 300001; // (a repeat's first is no repeat itself)
        const auto small = run(200000, nearBack);
        const auto big = run(800000, nearBack);
        const auto far = run(800000, farBack);
        QVERIFY(small->estimated());
        QVERIFY(small->retainedCount() < quint64(nearBack)); // the repeats' first ones are long dropped
        QVERIFY(big->evictedCount() > 3 * small->evictedCount());
        QCOMPARE(big->evictedHeapBytes(), small->evictedHeapBytes());
        QVERIFY(big->evictedHeapBytes() <= std::size_t(1u << 20));
        QVERIFY(big->recentIds()->reach() > std::size_t(nearBack));
        QVERIFY(2 * big->recentIds()->reach() < std::size_t(farBack));
        // what a session holding everything counts: the repeats, and the effects of the ids they took
        quint64 duplicates = 0, orphans = 0;
        for (int i = 0; i < 800000; ++i) {
            duplicates += repeats(i, nearBack);
            orphans += i % 3 != 0 && repeats(i - 1, nearBack);
        }
        QCOMPARE(big->duplicateCount(), duplicates);
        QCOMPARE(big->orphanCount(), orphans);
        QCOMPARE(big->chains().createdCount(), quint64((800000 + 2) / 3));
        QCOMPARE(far->duplicateCount(), quint64(0));
        // the far repeats' chains are not among the newest: counted as new ones
        QVERIFY(far->chains().createdCount() > big->chains().createdCount());
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
