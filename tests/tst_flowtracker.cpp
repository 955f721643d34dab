// SPDX-License-Identifier: MIT
#include "flowgraph.h"
#include "flowreport.h"
#include "flowtracker.h"
#include "latencyhistogram.h"
#include "session.h"
#include "testutil.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <QTest>
#include <algorithm>
#include <cmath>

namespace {
QByteArray failed(const QByteArray& id, const QByteArray& target, qint64 ms)
{
    return nativeEvent(id, "system.handler.failed", isoAt(ms), {}, {},
        R"({"handler":"mail-handler","eventId":")" + target + R"(","error":"timeout"})");
}

QByteArray deadLettered(const QByteArray& id, const QByteArray& target, qint64 ms)
{
    return nativeEvent(id, "system.event.dead_lettered", isoAt(ms), {}, {}, R"({"eventId":")" + target + R"("})");
}

QByteArray fromSource(
    const QByteArray& id, const QByteArray& type, const QByteArray& source, const QByteArray& cause, qint64 ms)
{
    QByteArray j = nativeEvent(id, type, isoAt(ms), {}, cause);
    j.chop(1);
    return j + ",\"source\":\"" + source + "\"}";
}

const FlowTracker::Edge* edgeOf(const Session& s, const char* from, const char* to)
{
    for (const FlowTracker::Edge& e : s.flow().edges())
        if (s.types().view(e.from) == from && s.types().view(e.to) == to)
            return &e;
    return nullptr;
}

const FlowTracker::Node& nodeOf(const Session& s, const char* type) { return s.flow().nodes()[s.types().find(type)]; }

/// The exact nearest-rank quantile of `values`.
qint64 nearestRank(std::vector<qint64> values, double q)
{
    std::sort(values.begin(), values.end());
    const std::size_t rank = std::max<std::size_t>(1, std::size_t(std::ceil(q * double(values.size()))));
    return values[rank - 1];
}
} // namespace

class TestFlowTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void quantilesAreWithinOnePercentOfTheExactNearestRank()
    {
        // hop times from microseconds to minutes, as a busy bus has them
        QRandomGenerator rng(7);
        LatencyHistogram h;
        std::vector<qint64> values;
        for (int i = 0; i < 20000; ++i) {
            const qint64 v = qint64(std::exp(rng.generateDouble() * std::log(300e6)));
            values.push_back(v);
            h.add(v);
        }
        QCOMPARE(h.count(), quint64(values.size()));
        for (const double q : { 0.0, 0.01, 0.5, 0.9, 0.95, 0.99, 0.999, 1.0 }) {
            const qint64 exact = nearestRank(values, q);
            const qint64 read = h.quantileUs(q);
            QVERIFY2(std::abs(read - exact) <= std::max<qint64>(exact / 100, 1000),
                qPrintable(QStringLiteral("q %1: %2 for %3").arg(q).arg(read).arg(exact)));
        }
        QCOMPARE(h.maxUs(), *std::max_element(values.begin(), values.end()));
        QCOMPARE(h.minUs(), *std::min_element(values.begin(), values.end()));
    }

    void smallDurationsAreExactAndNegativeOnesCountAsZero()
    {
        LatencyHistogram h;
        for (const qint64 v : { 5, 100, 127, -40 })
            h.add(v);
        QCOMPARE(h.quantileUs(0.25), qint64(0));
        QCOMPARE(h.quantileUs(0.5), qint64(5));
        QCOMPARE(h.quantileUs(0.75), qint64(100));
        QCOMPARE(h.quantileUs(1.0), qint64(127));
        QCOMPARE(LatencyHistogram().quantileUs(0.5), qint64(0));
    }

    void mergingCountsEveryValueOfBoth()
    {
        LatencyHistogram a, b, both;
        for (int i = 1; i <= 1000; ++i) {
            (i % 3 ? a : b).add(i * 997);
            both.add(i * 997);
        }
        a.merge(b);
        QCOMPARE(a.count(), both.count());
        for (const double q : { 0.1, 0.5, 0.99 })
            QCOMPARE(a.quantileUs(q), both.quantileUs(q));
        // a histogram's memory follows the powers of two its values reach, not their number
        QVERIFY(both.heapBytes() < 15 * 1024);
    }

    void edgesCountLinksWithTheirExactHopTimes()
    {
        // two bookings: created -> validated 100 ms and 300 ms, validated -> confirmed 50 ms and 250 ms
        Session s;
        s.ingest(*decodeLines({
            nativeEvent("a1", "booking.created", isoAt(0), "K1", {}, {}, -1),
            nativeEvent("b1", "booking.validated", isoAt(100), "K1", "a1"),
            nativeEvent("c1", "booking.confirmed", isoAt(150), "K1", "b1"),
            nativeEvent("a2", "booking.created", isoAt(1000), "K2"),
            nativeEvent("b2", "booking.validated", isoAt(1300), "K2", "a2"),
            nativeEvent("c2", "booking.confirmed", isoAt(1550), "K2", "b2"),
            nativeEvent("lone", "user.logged_in", isoAt(1600)),
        }));
        QCOMPARE(s.flow().edges().size(), std::size_t(2));
        const FlowTracker::Edge* validated = edgeOf(s, "booking.created", "booking.validated");
        QVERIFY(validated);
        QCOMPARE(validated->count, quint64(2));
        QCOMPARE(validated->hop.quantileUs(0.5), qint64(100000));
        QCOMPARE(validated->hop.maxUs(), qint64(300000));
        const FlowTracker::Edge* confirmed = edgeOf(s, "booking.validated", "booking.confirmed");
        QVERIFY(confirmed);
        QCOMPARE(confirmed->hop.quantileUs(0.5), qint64(50000));
        QCOMPARE(confirmed->hop.quantileUs(0.99), qint64(250000));
        QCOMPARE(nodeOf(s, "user.logged_in").events, quint64(1));

        const QJsonObject json = FlowReport::toJson(s);
        const QJsonObject first = json[QStringLiteral("edges")].toArray().at(0).toObject();
        QCOMPARE(first[QStringLiteral("from")].toString(), QStringLiteral("booking.created"));
        QCOMPARE(first[QStringLiteral("p50Ms")].toDouble(), 100.0);
        QCOMPARE(first[QStringLiteral("maxMs")].toDouble(), 300.0);
        QCOMPARE(json[QStringLiteral("nodes")].toArray().size(), 4);
    }

    void aCauseThatComesLateCountsItsLinkThen()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("b", "booking.validated", isoAt(400), "K", "a") }));
        QVERIFY(s.flow().edges().empty());
        s.ingest(*decodeLines({ nativeEvent("a", "booking.created", isoAt(0), "K") }));
        const FlowTracker::Edge* e = edgeOf(s, "booking.created", "booking.validated");
        QVERIFY(e);
        QCOMPARE(e->count, quint64(1));
        QCOMPARE(e->hop.quantileUs(0.5), qint64(400000));
        QCOMPARE(e->early, quint64(0));
    }

    void anEffectBeforeItsCauseOnTheClockCountsAsEarly()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("a", "booking.created", isoAt(500), "K"),
            nativeEvent("b", "booking.validated", isoAt(200), "K", "a") }));
        const FlowTracker::Edge* e = edgeOf(s, "booking.created", "booking.validated");
        QVERIFY(e);
        QCOMPARE(e->early, quint64(1));
        QCOMPARE(e->hop.quantileUs(0.5), qint64(0));
    }

    void failedEffectsCountOnceWhateverTheOrder_data()
    {
        QTest::addColumn<QByteArrayList>("lines");
        const QByteArray cause = nativeEvent("n", "notification.requested", isoAt(0), "K");
        const QByteArray effect = nativeEvent("e", "notification.created", isoAt(100), "K", "n");
        QTest::addRow("report after the link") << QByteArrayList { cause, effect, failed("f", "e", 200) };
        QTest::addRow("report before its event") << QByteArrayList { failed("f", "e", 200), cause, effect };
        QTest::addRow("report before the late cause") << QByteArrayList { effect, failed("f", "e", 200), cause };
        QTest::addRow("report between effect and cause, then a dead letter")
            << QByteArrayList { effect, failed("f", "e", 200), cause, deadLettered("d", "e", 300) };
        QTest::addRow("two failures and a dead letter") << QByteArrayList { cause, effect, failed("f1", "e", 200),
            failed("f2", "e", 300), deadLettered("d", "e", 400) };
    }

    void failedEffectsCountOnceWhateverTheOrder()
    {
        QFETCH(QByteArrayList, lines);
        // one batch, and one event per batch: the same figures
        for (const bool oneByOne : { false, true }) {
            Session s;
            if (oneByOne)
                for (const QByteArray& line : lines)
                    s.ingest(*decodeLines({ line }));
            else
                s.ingest(*decodeLines(lines));
            const FlowTracker::Edge* e = edgeOf(s, "notification.requested", "notification.created");
            QVERIFY(e);
            QCOMPARE(e->count, quint64(1));
            QCOMPARE(e->failed, quint64(1));
            QCOMPARE(nodeOf(s, "notification.created").failed, quint64(1));
            QCOMPARE(nodeOf(s, "notification.requested").failed, quint64(0));
        }
    }

    void retriesAloneAreNotFailures()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("n", "notification.requested", isoAt(0), "K"),
            nativeEvent("e", "notification.created", isoAt(100), "K", "n"),
            nativeEvent("r", "system.event.retry_scheduled", isoAt(200), {}, {},
                R"({"eventId":"e","attempt":1,"delayMs":200})") }));
        QCOMPARE(edgeOf(s, "notification.requested", "notification.created")->failed, quint64(0));
        QCOMPARE(nodeOf(s, "notification.created").failed, quint64(0));
    }

    void typePairsAreBoundedAndWhatIsLeftOutIsCounted()
    {
        // 130 cause types each leading to 130 effect types: 16,900 pairs, more than are kept
        Session::Config config;
        config.maxTypes = 1000;
        Session s(config);
        QByteArrayList lines;
        for (int c = 0; c < 130; ++c)
            lines << nativeEvent("c" + QByteArray::number(c), "cause." + QByteArray::number(c), isoAt(c));
        for (int c = 0; c < 130; ++c)
            for (int e = 0; e < 130; ++e)
                lines << nativeEvent("e" + QByteArray::number(c) + '.' + QByteArray::number(e),
                    "effect." + QByteArray::number(e), isoAt(200 + e), {}, "c" + QByteArray::number(c));
        s.ingest(*decodeLines(lines));
        QCOMPARE(s.flow().edges().size(), FlowTracker::MaxEdges);
        QCOMPARE(s.flow().droppedLinks(), quint64(130 * 130 - FlowTracker::MaxEdges));
        QVERIFY(s.flow().heapBytes() < 64u * 1024 * 1024);
        QVERIFY(FlowReport::toText(s).contains(QStringLiteral("were not counted")));
    }

    void theGraphIsLaidOutByCausationDepth()
    {
        Session s;
        s.ingest(*decodeLines({
            nativeEvent("a", "booking.created", isoAt(0), "K", {}, {}),
            nativeEvent("b", "booking.validated", isoAt(10), "K", "a"),
            nativeEvent("c", "booking.confirmed", isoAt(20), "K", "b"),
            nativeEvent("d", "booking.cancelled", isoAt(30), "K", "a"), // a shortcut: still after validated's
            nativeEvent("x", "loop.ping", isoAt(40), "L"), nativeEvent("y", "loop.pong", isoAt(50), "L", "x"),
            nativeEvent("z", "loop.ping", isoAt(60), "L", "y"), // a cycle: ping -> pong -> ping
        }));
        const FlowGraph g = FlowGraph::build(s, {}, TestT0 + 60000);
        QCOMPARE(g.nodes.size(), std::size_t(6));
        const auto layerOf = [&](const QString& label) {
            for (const FlowGraph::Node& n : g.nodes)
                if (n.label == label)
                    return n.layer;
            return -1;
        };
        QCOMPARE(layerOf(QStringLiteral("booking.created")), 0);
        QCOMPARE(layerOf(QStringLiteral("booking.validated")), 1);
        QCOMPARE(layerOf(QStringLiteral("booking.confirmed")), 2);
        QCOMPARE(layerOf(QStringLiteral("booking.cancelled")), 1);
        // the busiest of a cycle comes first
        QCOMPARE(layerOf(QStringLiteral("loop.ping")), 0);
        QCOMPARE(layerOf(QStringLiteral("loop.pong")), 1);
        QCOMPARE(g.layers, 3);
    }

    void edgeRatesAreOverTheLastMinuteWhenAViewKeepsHistory()
    {
        Session s;
        QByteArrayList first;
        for (int i = 0; i < 30; ++i) // 30 links in the first 30 s
            first << nativeEvent("a" + QByteArray::number(i), "x.cause", isoAt(i * 1000))
                  << nativeEvent("b" + QByteArray::number(i), "x.effect", isoAt(i * 1000 + 10), {},
                         "a" + QByteArray::number(i));
        s.ingest(*decodeLines(first));
        // no history: over the whole session (30 links in 29.01 s)
        const FlowGraph whole = FlowGraph::build(s, {}, TestT0 + 30'000'000);
        QVERIFY(qAbs(whole.edges.at(0).ratePerSecond - 30 / 29.01) < 0.01);
        FlowGraph::History history;
        FlowGraph::build(s, {}, TestT0 + 30'000'000, &history);
        QByteArrayList more;
        for (int i = 0; i < 20; ++i) // then 20 more in the next 10 s
            more << nativeEvent("c" + QByteArray::number(i), "x.cause", isoAt(30000 + i * 500))
                 << nativeEvent("d" + QByteArray::number(i), "x.effect", isoAt(30000 + i * 500 + 10), {},
                        "c" + QByteArray::number(i));
        s.ingest(*decodeLines(more));
        const FlowGraph recent = FlowGraph::build(s, {}, TestT0 + 40'000'000, &history);
        QCOMPARE(recent.edges.at(0).count, quint64(50));
        QCOMPARE(recent.edges.at(0).ratePerSecond, 2.0); // 20 links in the 10 s since the last build
        // a replay seeking back: the history starts again
        FlowGraph::build(s, {}, TestT0 + 5'000'000, &history);
        QCOMPARE(history.snapshots.size(), std::size_t(1));
    }

    void groupingByServiceAndHidingRareEdges()
    {
        Session s;
        QByteArrayList lines;
        for (int i = 0; i < 10; ++i) {
            const QByteArray n = QByteArray::number(i);
            lines << fromSource("a" + n, "booking.created", "booking-service", {}, i * 100)
                  << fromSource("b" + n, "booking.confirmed", "booking-service", "a" + n, i * 100 + 10)
                  << fromSource("c" + n, "notification.created", "notification-service", "b" + n, i * 100 + 30);
        }
        lines << fromSource("r", "audit.logged", "audit", "a0", 5);
        s.ingest(*decodeLines(lines));
        FlowGraph::Options byService;
        byService.byService = true;
        const FlowGraph services = FlowGraph::build(s, byService, TestT0);
        QCOMPARE(services.nodes.size(), std::size_t(3));
        // booking-service -> booking-service (created -> confirmed) and -> notification-service, -> audit
        QCOMPARE(services.edges.size(), std::size_t(3));
        for (const FlowGraph::Edge& e : services.edges) {
            if (services.nodes[std::size_t(e.to)].label == QLatin1String("notification-service")) {
                QCOMPARE(e.count, quint64(10));
                QCOMPARE(e.hop.quantileUs(0.5), qint64(20000));
            }
        }
        FlowGraph::Options busy;
        busy.minCount = 2;
        const FlowGraph types = FlowGraph::build(s, busy, TestT0);
        QCOMPARE(types.edges.size(), std::size_t(2));
        QCOMPARE(types.hiddenEdges, quint64(1));
        QCOMPARE(types.hiddenLinks, quint64(1));
    }
};

QTEST_GUILESS_MAIN(TestFlowTracker)
#include "tst_flowtracker.moc"
