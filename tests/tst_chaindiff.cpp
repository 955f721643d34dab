// SPDX-License-Identifier: MIT
#include "chaindiff.h"
#include "chaintracker.h"
#include "session.h"
#include "testutil.h"

#include <QJsonArray>
#include <QTest>

namespace {
QByteArray report(const QByteArray& id, const QByteArray& type, qint64 ms, const QByteArray& chain,
    const QByteArray& cause, const QByteArray& payload)
{
    return nativeEvent(id, type, isoAt(ms), chain, cause, payload);
}

/// Booking A: confirmed 200 ms after validation, its notification failed, retried once, failed again
/// and was dead-lettered. Booking B: confirmed 700 ms after validation, its notification delivered.
QByteArrayList failedAndFinished()
{
    return {
        nativeEvent("a1", "booking.created", isoAt(0), "A"),
        nativeEvent("a2", "booking.validated", isoAt(100), "A", "a1"),
        nativeEvent("a3", "booking.confirmed", isoAt(300), "A", "a2"),
        nativeEvent("an", "notification.created", isoAt(350), "A", "a3"),
        report("af1", "system.handler.failed", 400, "A", "an",
            "{\"handler\":\"email-handler\",\"eventId\":\"an\",\"error\":\"timeout\"}"),
        report("ar1", "system.event.retry_scheduled", 400, "A", "af1",
            "{\"eventId\":\"an\",\"attempt\":1,\"delayMs\":200}"),
        report("af2", "system.handler.failed", 600, "A", "an",
            "{\"handler\":\"email-handler\",\"eventId\":\"an\",\"error\":\"timeout\"}"),
        report("ad", "system.event.dead_lettered", 600, "A", "af2", "{\"eventId\":\"an\",\"attempts\":2}"),
        nativeEvent("b1", "booking.created", isoAt(1000), "B"),
        nativeEvent("b2", "booking.validated", isoAt(1100), "B", "b1"),
        nativeEvent("b3", "booking.confirmed", isoAt(1800), "B", "b2"),
        nativeEvent("bn", "notification.created", isoAt(1850), "B", "b3"),
        nativeEvent("bd", "notification.delivered", isoAt(1900), "B", "bn"),
    };
}

quint32 chainOf(const Session& s, const char* id)
{
    const quint32 c = s.chains().find(std::string_view(id));
    if (c == ChainTracker::None)
        qFatal("no chain %s", id);
    return c;
}

QString typeOf(const Session& s, const ChainDiff::Step* step)
{
    return step ? s.types().string(step->type) : QString();
}

/// Every step of both chains is on exactly one row, on its own side.
bool eachStepOnce(const ChainDiff& d)
{
    std::vector<int> a(d.stepsA().size()), b(d.stepsB().size());
    for (const ChainDiff::Row& r : d.rows()) {
        if (r.a >= 0)
            ++a[std::size_t(r.a)];
        if (r.b >= 0)
            ++b[std::size_t(r.b)];
    }
    return std::all_of(a.begin(), a.end(), [](int n) { return n == 1; })
        && std::all_of(b.begin(), b.end(), [](int n) { return n == 1; });
}
} // namespace

class TestChainDiff : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void stepsAlignByTypeAndCause()
    {
        Session s;
        s.ingest(*decodeLines(failedAndFinished()));
        const ChainDiff d = ChainDiff::compare(s, chainOf(s, "A"), chainOf(s, "B"));
        QVERIFY(d.exact());
        QVERIFY(eachStepOnce(d));
        const auto& rows = d.rows();
        QCOMPARE(rows.size(), std::size_t(9)); // 4 aligned, 4 reports only in A, the delivery only in B
        QStringList a, b;
        for (const ChainDiff::Row& r : rows) {
            a << typeOf(s, d.stepA(r));
            b << typeOf(s, d.stepB(r));
        }
        QCOMPARE(a,
            (QStringList { QStringLiteral("booking.created"), QStringLiteral("booking.validated"),
                QStringLiteral("booking.confirmed"), QStringLiteral("notification.created"),
                QStringLiteral("system.handler.failed"), QStringLiteral("system.event.retry_scheduled"),
                QStringLiteral("system.handler.failed"), QStringLiteral("system.event.dead_lettered"), QString() }));
        QCOMPARE(b.mid(0, 4), a.mid(0, 4));
        QCOMPARE(b.mid(4, 4), QStringList(4, QString()));
        QCOMPARE(b.at(8), QStringLiteral("notification.delivered"));
        QCOMPARE(rows[8].depth, 4); // under notification.created, as in its chain

        // nothing differs on the first two steps: the same hop of 100 ms
        QCOMPARE(rows[0].marks, quint16(0));
        QCOMPARE(rows[1].marks, quint16(0));
        // confirmation: 200 ms in A, 700 ms in B
        QCOMPARE(rows[2].marks, quint16(ChainDiff::Slower));
        QCOMPARE(d.hopDeltaUs(rows[2]), qint64(500000));
        QCOMPARE(d.describe(rows[2]), QStringLiteral("slower in B by 500 ms (200 ms -> 700 ms)"));
        // the notification: its retry, failures and dead letter are A's alone
        QCOMPARE(
            rows[3].marks, quint16(ChainDiff::FewerRetries | ChainDiff::FailedOnlyA | ChainDiff::DeadLetteredOnlyA));
        QCOMPARE(d.describe(rows[3]), QStringLiteral("1 fewer retry in B; failed only in A; dead-lettered only in A"));
        QCOMPARE(d.describe(rows[5]), QStringLiteral("only in A: a retry"));
        QCOMPARE(d.describe(rows[7]), QStringLiteral("only in A: a dead letter"));
        QCOMPARE(d.describe(rows[8]), QStringLiteral("only in B"));

        const ChainDiff::Counts c = d.counts();
        QCOMPARE(c.aligned, 4);
        QCOMPARE(c.onlyA, 4);
        QCOMPARE(c.onlyB, 1);
        QCOMPARE(c.slower, 1);
        QCOMPARE(c.faster, 0);

        // the other way round, B's confirmation is faster and its retries more
        const ChainDiff back = ChainDiff::compare(s, chainOf(s, "B"), chainOf(s, "A"));
        QCOMPARE(back.rows()[2].marks, quint16(ChainDiff::Faster));
        QCOMPARE(back.describe(back.rows()[3]),
            QStringLiteral("1 more retry in B; failed only in B; dead-lettered only in B"));
    }

    void theThresholdDecidesWhatIsSlower()
    {
        Session s;
        s.ingest(*decodeLines(failedAndFinished()));
        ChainDiff::Options o;
        o.thresholdUs = 500000; // exactly the difference: not more than it
        QCOMPARE(ChainDiff::compare(s, chainOf(s, "A"), chainOf(s, "B"), o).counts().slower, 0);
        o.thresholdUs = 499999;
        QCOMPARE(ChainDiff::compare(s, chainOf(s, "A"), chainOf(s, "B"), o).counts().slower, 1);
    }

    void aChainDiffersInNothingFromItself()
    {
        Session s;
        s.ingest(*decodeLines(failedAndFinished()));
        const ChainDiff d = ChainDiff::compare(s, chainOf(s, "A"), chainOf(s, "A"));
        QCOMPARE(d.rows().size(), d.stepsA().size());
        for (const ChainDiff::Row& r : d.rows())
            QCOMPARE(r.marks, quint16(0));
    }

    void anExtraStepInTheMiddleIsTheOnlyDifference()
    {
        // B has a manual review among the booking's effects: the one step on one side only
        Session s;
        s.ingest(*decodeLines({
            nativeEvent("a1", "booking.created", isoAt(0), "A"),
            nativeEvent("a2", "booking.validated", isoAt(10), "A", "a1"),
            nativeEvent("a3", "staff.assigned", isoAt(20), "A", "a1"),
            nativeEvent("a4", "booking.confirmed", isoAt(30), "A", "a1"),
            nativeEvent("b1", "booking.created", isoAt(100), "B"),
            nativeEvent("b2", "booking.validated", isoAt(110), "B", "b1"),
            nativeEvent("b3", "booking.reviewed", isoAt(115), "B", "b1"),
            nativeEvent("b4", "staff.assigned", isoAt(120), "B", "b1"),
            nativeEvent("b5", "booking.confirmed", isoAt(130), "B", "b1"),
        }));
        const ChainDiff d = ChainDiff::compare(s, chainOf(s, "A"), chainOf(s, "B"));
        QCOMPARE(d.rows().size(), std::size_t(5));
        const ChainDiff::Counts c = d.counts();
        QCOMPARE(c.aligned, 4);
        QCOMPARE(c.onlyB, 1);
        QCOMPARE(c.onlyA, 0);
        QCOMPARE(typeOf(s, d.stepB(d.rows()[2])), QStringLiteral("booking.reviewed"));
        QCOMPARE(d.rows()[2].marks, quint16(ChainDiff::OnlyB));
    }

    void theTypicalChainIsTheMedianCleanOneOfItsRoot()
    {
        Session s;
        QByteArrayList lines = failedAndFinished(); // B took 900 ms
        for (const auto& [chain, ms] : { std::pair<QByteArray, qint64> { "C", 300 }, { "D", 2000 }, { "E", 600 } }) {
            const qint64 t0 = 10000 + 10000 * (chain.at(0) - 'C');
            lines << nativeEvent(chain + "1", "booking.created", isoAt(t0), chain)
                  << nativeEvent(chain + "2", "booking.completed", isoAt(t0 + ms), chain, chain + "1");
        }
        lines << nativeEvent("u1", "user.logged_in", isoAt(50000), "U"); // another root: never typical
        s.ingest(*decodeLines(lines));
        // finished cleanly: B (900 ms, its notification delivered), C (300), D (2000), E (600); A failed
        QCOMPARE(ChainDiff::typicalChain(s, chainOf(s, "A")), chainOf(s, "E")); // lower median
        QCOMPARE(ChainDiff::typicalChain(s, chainOf(s, "E")), chainOf(s, "B")); // of C, B, D: not A (600)
        QCOMPARE(ChainDiff::typicalChain(s, chainOf(s, "U")), ChainTracker::None);
    }

    void longChainsAlignGreedilyPastTheBudget()
    {
        // two chains of 2,000 effects of one cause, in differing type orders: 4 M cells, within the budget
        QByteArrayList lines { nativeEvent("a", "root", isoAt(0), "A"), nativeEvent("b", "root", isoAt(0), "B") };
        for (int i = 0; i < 2000; ++i) {
            lines << nativeEvent("a" + QByteArray::number(i), "t" + QByteArray::number(i % 7), isoAt(1 + i), "A", "a");
            lines << nativeEvent("b" + QByteArray::number(i), "t" + QByteArray::number(i % 5), isoAt(1 + i), "B", "b");
        }
        Session s;
        s.ingest(*decodeLines(lines));
        const ChainDiff exact = ChainDiff::compare(s, chainOf(s, "A"), chainOf(s, "B"));
        QVERIFY(exact.exact());
        QVERIFY(eachStepOnce(exact));
        ChainDiff::Options o;
        o.maxCells = 1000;
        const ChainDiff greedy = ChainDiff::compare(s, chainOf(s, "A"), chainOf(s, "B"), o);
        QVERIFY(!greedy.exact());
        QVERIFY(eachStepOnce(greedy));
        // the longest common subsequence pairs at least as many steps as the greedy walk
        QVERIFY(exact.counts().aligned >= greedy.counts().aligned);
        QVERIFY(greedy.counts().aligned > 0);
        QVERIFY(greedy.toText(s).contains(QLatin1String("paired greedily")));
    }

    void aVeryDeepChainNeedsNoRecursion()
    {
        QByteArrayList lines;
        constexpr int Depth = 100000;
        for (int i = 0; i < Depth; ++i)
            lines << nativeEvent(
                "d" + QByteArray::number(i), "step", isoAt(i), "D", i ? "d" + QByteArray::number(i - 1) : QByteArray());
        Session s;
        s.ingest(*decodeLines(lines));
        const ChainDiff d = ChainDiff::compare(s, chainOf(s, "D"), chainOf(s, "D"));
        QCOMPARE(d.rows().size(), std::size_t(Depth));
        QCOMPARE(d.rows().back().depth, Depth - 1);
        QCOMPARE(d.omittedA(), std::size_t(0));
        // the window compares the first steps only (as many as the waterfall shows), and says so
        ChainDiff::Options o;
        o.maxSteps = 5000;
        const ChainDiff first = ChainDiff::compare(s, chainOf(s, "D"), chainOf(s, "D"), o);
        QCOMPARE(first.rows().size(), std::size_t(5000));
        QCOMPARE(first.omittedA(), std::size_t(Depth - 5000));
        QCOMPARE(first.omittedB(), std::size_t(Depth - 5000));
        QVERIFY(first.toText(s).contains(QLatin1String("Not compared: the last 95000 steps of A and 95000 of B")));
    }

    void theJsonSaysWhatDiffers()
    {
        Session s;
        s.ingest(*decodeLines(failedAndFinished()));
        const QJsonObject j = ChainDiff::compare(s, chainOf(s, "A"), chainOf(s, "B")).toJson(s);
        QCOMPARE(j.value(QLatin1String("a")).toObject().value(QLatin1String("correlationId")).toString(),
            QStringLiteral("A"));
        QCOMPARE(j.value(QLatin1String("summary")).toObject().value(QLatin1String("durationDeltaMs")).toDouble(),
            900.0 - 600.0);
        const QJsonArray rows = j.value(QLatin1String("rows")).toArray();
        const QJsonObject confirmed = rows.at(2).toObject();
        QCOMPARE(confirmed.value(QLatin1String("hopDeltaMs")).toDouble(), 500.0);
        QCOMPARE(confirmed.value(QLatin1String("marks")).toArray(), QJsonArray { QStringLiteral("slower") });
        QCOMPARE(
            confirmed.value(QLatin1String("a")).toObject().value(QLatin1String("id")).toString(), QStringLiteral("a3"));
        const QJsonObject delivered = rows.at(8).toObject();
        QVERIFY(delivered.value(QLatin1String("a")).isNull());
        QCOMPARE(delivered.value(QLatin1String("marks")).toArray(), QJsonArray { QStringLiteral("onlyB") });
        QCOMPARE(rows.at(5).toObject().value(QLatin1String("a")).toObject().value(QLatin1String("report")).toString(),
            QStringLiteral("retry"));
    }
};

QTEST_GUILESS_MAIN(TestChainDiff)
#include "tst_chaindiff.moc"
