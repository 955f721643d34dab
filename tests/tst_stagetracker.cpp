// SPDX-License-Identifier: MIT
#include "session.h"
#include "stagereport.h"
#include "stagetracker.h"
#include "testutil.h"

#include <QJsonArray>
#include <QTest>

namespace {
QJsonObject stageNamed(const QJsonObject& report, const QString& type)
{
    for (const QJsonValue& v : report.value(QLatin1String("stages")).toArray())
        if (v.toObject().value(QLatin1String("type")).toString() == type)
            return v.toObject();
    return {};
}

/// Three bookings: one confirmed, one stalled after validation, one rejected; and one login.
QByteArrayList threeBookings()
{
    return {
        nativeEvent("a1", "booking.created", isoAt(0), "A"),
        nativeEvent("a2", "booking.validated", isoAt(100), "A", "a1"),
        nativeEvent("a3", "booking.confirmed", isoAt(300), "A", "a2"),
        nativeEvent("b1", "booking.created", isoAt(1000), "B"),
        nativeEvent("b2", "booking.validated", isoAt(1200), "B", "b1"),
        nativeEvent("c1", "booking.created", isoAt(2000), "C"),
        nativeEvent("c2", "booking.rejected", isoAt(2050), "C", "c1"),
        nativeEvent("l1", "user.logged_in", isoAt(2100), "L"),
    };
}
} // namespace

class TestStageTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stagesInOrderOfTimeFromTheRoot()
    {
        Session s;
        s.ingest(*decodeLines(threeBookings()));
        const QJsonObject r = StageReport::toJson(s);
        QCOMPARE(r.value(QLatin1String("root")).toString(), QStringLiteral("booking.created"));
        QCOMPARE(r.value(QLatin1String("chains")).toInt(), 3);
        const QJsonArray stages = r.value(QLatin1String("stages")).toArray();
        QStringList order;
        for (const QJsonValue& v : stages)
            order << v.toObject().value(QLatin1String("type")).toString();
        QCOMPARE(order,
            (QStringList { QStringLiteral("booking.created"), QStringLiteral("booking.rejected"),
                QStringLiteral("booking.validated"), QStringLiteral("booking.confirmed") }));

        const QJsonObject validated = stageNamed(r, QStringLiteral("booking.validated"));
        QCOMPARE(validated.value(QLatin1String("reached")).toInt(), 2);
        QCOMPARE(validated.value(QLatin1String("reachedPercent")).toDouble(), 66.667);
        QCOMPARE(validated.value(QLatin1String("p50FromRootMs")).toDouble(), 100.0); // nearest rank of 100, 200
        // the top of the histogram bucket: within 1/128 of the exact 200 ms
        QVERIFY(qAbs(validated.value(QLatin1String("p99FromRootMs")).toDouble() - 200.0) <= 200.0 / 128);
        QCOMPARE(validated.value(QLatin1String("endedHere")).toInt(), 1); // B stalled there
        const QJsonObject confirmed = stageNamed(r, QStringLiteral("booking.confirmed"));
        QCOMPARE(confirmed.value(QLatin1String("p50FromRootMs")).toDouble(), 300.0);
        QCOMPARE(confirmed.value(QLatin1String("p50FromPreviousMs")).toDouble(), 200.0);
        QCOMPARE(confirmed.value(QLatin1String("endedHere")).toInt(), 1);
        QCOMPARE(stageNamed(r, QStringLiteral("booking.rejected")).value(QLatin1String("endedHere")).toInt(), 1);
        QCOMPARE(stageNamed(r, QStringLiteral("booking.created")).value(QLatin1String("endedHere")).toInt(), 0);

        // another root, by name
        const int login = StageReport::findRoot(s, QStringLiteral("user.logged_in"));
        QVERIFY(login >= 0);
        QCOMPARE(StageReport::toJson(s, login).value(QLatin1String("chains")).toInt(), 1);
        QCOMPARE(StageReport::findRoot(s, QStringLiteral("booking.validated")), -1); // starts no chain
        QVERIFY(StageReport::toText(s).contains(QLatin1String("3 chains start with booking.created")));
    }

    void aChainMovesOnAsItsStagesCome()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("a1", "booking.created", isoAt(0), "A") }));
        QCOMPARE(stageNamed(StageReport::toJson(s), QStringLiteral("booking.created"))
                     .value(QLatin1String("endedHere"))
                     .toInt(),
            1);
        s.ingest(*decodeLines({ nativeEvent("a2", "booking.validated", isoAt(100), "A", "a1") }));
        // a repeat of a stage, and a late event of an earlier time: neither moves it
        s.ingest(*decodeLines({ nativeEvent("a3", "booking.validated", isoAt(150), "A", "a1"),
            nativeEvent("a4", "booking.audited", isoAt(50), "A", "a1") }));
        const QJsonObject r = StageReport::toJson(s);
        QCOMPARE(stageNamed(r, QStringLiteral("booking.created")).value(QLatin1String("endedHere")).toInt(), 0);
        QCOMPARE(stageNamed(r, QStringLiteral("booking.validated")).value(QLatin1String("endedHere")).toInt(), 1);
        QCOMPARE(stageNamed(r, QStringLiteral("booking.validated")).value(QLatin1String("reached")).toInt(), 1);
        QCOMPARE(stageNamed(r, QStringLiteral("booking.audited")).value(QLatin1String("endedHere")).toInt(), 0);
        QCOMPARE(
            stageNamed(r, QStringLiteral("booking.audited")).value(QLatin1String("p50FromRootMs")).toDouble(), 50.0);
    }

    void aCompactedSessionTakesEventsAgainWithTheSameStages()
    {
        // compact() frees each chain's state (an opened capture); events that come after it find their
        // chain's stages made again from the stored events, as if it had never been freed
        const QByteArrayList lines = threeBookings();
        Session whole, compacted;
        whole.ingest(*decodeLines(lines.mid(0, 4)));
        compacted.ingest(*decodeLines(lines.mid(0, 4)));
        compacted.compact().reset();
        const quint32 a = compacted.chains().find(std::string_view("A"));
        QCOMPARE(compacted.stages().chainStage(a, compacted.chains().at(a).opener).second,
            compacted.types().find("booking.confirmed"));
        whole.ingest(*decodeLines(lines.mid(4)));
        compacted.ingest(*decodeLines(lines.mid(4)));
        QCOMPARE(StageReport::toJson(compacted), StageReport::toJson(whole));
        QVERIFY(!compacted.stages().compacted());
    }

    void aReusedChainSlotStartsAgain()
    {
        StageTracker t;
        t.add(0, 10, 1, 0);
        t.add(0, 10, 2, 1000);
        QCOMPARE(t.chainStage(0, 10), std::make_pair(1, 2));
        t.add(0, 99, 3, 5000); // the slot now holds another chain, opened by event 99
        QCOMPARE(t.chainStage(0, 10), std::make_pair(-1, -1));
        QCOMPARE(t.chainStage(0, 99), std::make_pair(3, 3));
        QCOMPARE(t.roots()[1].chains, quint64(1));
        QCOMPARE(t.roots()[3].chains, quint64(1));
    }

    void stagesPerChainAreBounded()
    {
        StageTracker t;
        t.add(0, 1, 0, 0);
        for (quint16 type = 1; type < 200; ++type)
            t.add(0, 1, type, type);
        QCOMPARE(t.roots()[0].stages.size(), StageTracker::MaxStagesPerChain);
        QCOMPARE(t.dropped(), quint64(200 - StageTracker::MaxStagesPerChain));
    }

    void aRootWithMoreThan64StagesCountsEachOnce()
    {
        // chain c (of 100, all rooted at type 0) reaches type c + 1: the root's stage c + 1
        StageTracker t;
        for (quint32 c = 0; c < 100; ++c) {
            t.add(c, c, 0, 0);
            t.add(c, c, quint16(c + 1), 10);
        }
        const auto reached = [&](quint16 type) {
            for (const StageTracker::Stage& s : t.stages())
                if (s.root == 0 && s.type == type)
                    return s.reached;
            return quint64(0);
        };
        QCOMPARE(t.roots()[0].stages.size(), std::size_t(101));
        QCOMPARE(reached(0), quint64(100));
        QCOMPARE(reached(100), quint64(1));
        t.add(99, 99, 100, 20); // the 101st stage, reached already
        t.add(99, 99, 5, 30);
        QCOMPARE(reached(100), quint64(1));
        QCOMPARE(reached(5), quint64(2));
        QCOMPARE(t.chainStage(99, 99), std::make_pair(0, 5));

        // the slot taken by a new chain of the same root starts with nothing reached
        t.add(99, 1000, 0, 100);
        t.add(99, 1000, 100, 110);
        QCOMPARE(reached(100), quint64(2));
        QCOMPARE(t.chainStage(99, 1000), std::make_pair(0, 100));
        QCOMPARE(t.dropped(), quint64(0));
    }

    void typesPerChainAreBoundedPastTheRootsFirst64Stages()
    {
        StageTracker t;
        t.add(0, 0, 0, 0);
        for (quint16 type = 1; type < 64; ++type) // the root's first 64 stages
            t.add(0, 0, type, type);
        t.add(1, 1, 0, 0);
        for (quint16 type = 100; type < 171; ++type) // 71 more: 63 fit beside the root
            t.add(1, 1, type, type);
        QCOMPARE(t.roots()[0].stages.size(), std::size_t(64 + 63));
        QCOMPARE(t.dropped(), quint64(71 - 63));
    }

    void noChainsNoStages()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("x", "user.logged_in", isoAt(0)) }));
        QVERIFY(StageReport::toJson(s).value(QLatin1String("root")).isNull());
        QVERIFY(StageReport::toText(s).startsWith(QLatin1String("No chain")));
    }
};

QTEST_GUILESS_MAIN(TestStageTracker)
#include "tst_stagetracker.moc"
