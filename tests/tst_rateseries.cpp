// SPDX-License-Identifier: MIT
#include "rateseries.h"
#include "ratetracker.h"

#include <QTest>

namespace {
constexpr qint64 S = 1000000; // one second in µs
}

class TestRateSeries : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bucketsPerSecond()
    {
        RateSeries r(60);
        for (int i = 0; i < 5; ++i)
            r.add(100 * S + i * 100000); // 5 events in second 100
        r.add(101 * S);
        r.add(101 * S + 999999);
        QCOMPARE(r.countAt(100), 5u);
        QCOMPARE(r.countAt(101), 2u);
        QCOMPARE(r.total(), quint64(7));
        QCOMPARE(r.peak(), 5u);
        QCOMPARE(r.lastSeenUs(), 101 * S + 999999);
        // the current rate is the last complete second; averages divide by the window, or by the
        // series' age while it is younger than the window
        QCOMPARE(r.rate(102, 1), 2.0);
        QCOMPARE(r.rate(102, 10), 3.5);
        QCOMPARE(r.rate(110, 10), 0.7);
    }

    void outOfOrderEventsLandInTheirSecond()
    {
        RateSeries r(60);
        r.add(200 * S);
        r.add(150 * S); // late, but inside the ring
        r.add(199 * S);
        QCOMPARE(r.countAt(150), 1u);
        QCOMPARE(r.countAt(199), 1u);
        QCOMPARE(r.headSecond(), qint64(200));
        QCOMPARE(r.lastSeenUs(), 200 * S);
    }

    void tooOldEventsAreCountedNotBucketed()
    {
        RateSeries r(60);
        r.add(1000 * S);
        r.add(900 * S);
        QCOMPARE(r.total(), quint64(2));
        QCOMPARE(r.tooOld(), quint64(1));
        QCOMPARE(r.countAt(900), 0u);
    }

    void windowRollsOver()
    {
        RateSeries r(10);
        for (int s = 0; s < 25; ++s)
            r.add(s * S, quint32(s));
        // only the last 10 seconds are kept; older ones were cleared as the ring moved
        QCOMPARE(r.countAt(24), 24u);
        QCOMPARE(r.countAt(15), 15u);
        QCOMPARE(r.countAt(14), 0u);
        QCOMPARE(r.rate(25, 10), (15 + 24) * 10 / 2.0 / 10);
        // a jump far ahead clears everything
        r.add(10000 * S);
        QCOMPARE(r.countAt(24), 0u);
        QCOMPARE(r.rate(10001, 10), 0.1);
    }

    void negativeTimes()
    {
        RateSeries r(10);
        r.add(-1); // just before the epoch: second -1
        QCOMPARE(r.countAt(-1), 1u);
        QCOMPARE(r.countAt(0), 0u);
    }

    void trackerByTypeAndDomain()
    {
        RateTracker t(60);
        t.add(2, "booking.created", 10 * S);
        t.add(3, "booking.confirmed", 10 * S);
        t.add(4, "user.logged_in", 11 * S);
        t.add(2, "booking.created", 11 * S);
        QCOMPARE(t.all().total(), quint64(4));
        QCOMPARE(t.type(2)->total(), quint64(2));
        QVERIFY(t.type(9) == nullptr);
        const int booking = t.domains().find("booking");
        QVERIFY(booking > 0);
        QCOMPARE(t.domain(quint16(booking))->total(), quint64(3));
        QCOMPARE(t.domainOf(4), quint16(t.domains().find("user")));
    }

    void minutesReachBeyondTheSecondsRing()
    {
        // a 60-second ring, three hours of one event every 10 s: the seconds are gone, the minutes stay
        RateSeries r(60);
        const qint64 t0 = 1'790'000'040; // a whole minute
        for (qint64 t = 0; t < 3 * 3600; t += 10)
            r.add((t0 + t) * S);
        QCOMPARE(r.countAt(t0), 0u);
        QCOMPARE(r.countInMinute(t0 / 60), 6u);
        QCOMPARE(r.countInMinute(t0 / 60 + 179), 6u);
        QCOMPARE(r.countInMinute(t0 / 60 + 180), 0u);
        QCOMPARE(r.firstMinuteKept(), t0 / 60);
        // a late event lands in its minute
        r.add((t0 + 30) * S);
        QCOMPARE(r.countInMinute(t0 / 60), 7u);
        // an earlier minute than any seen, still within reach, is counted too
        r.add((t0 - 120) * S);
        QCOMPARE(r.countInMinute(t0 / 60 - 2), 1u);
        QCOMPARE(r.firstMinuteKept(), t0 / 60 - 2);
        QCOMPARE(r.total(), quint64(3 * 360 + 2));
    }

    void minutesKeepTwoAndAHalfDaysAtMost()
    {
        RateSeries r(60);
        const qint64 m0 = 29'000'000;
        r.add(m0 * 60 * S);
        r.add((m0 + 100) * 60 * S);
        const qint64 last = m0 + RateSeries::MinuteBuckets + 500;
        r.add(last * 60 * S);
        QCOMPARE(r.countInMinute(last), 1u);
        QCOMPARE(r.countInMinute(m0), 0u); // beyond reach now
        QCOMPARE(r.countInMinute(m0 + 100), 0u);
        QCOMPARE(r.firstMinuteKept(), last - RateSeries::MinuteBuckets + 1);
        // an event from before the reach counts in the total only
        r.add(m0 * 60 * S);
        QCOMPARE(r.countInMinute(m0), 0u);
        QCOMPARE(r.total(), quint64(4));
    }

    void hostileClocksStayBounded()
    {
        // timestamps that jump between 1970 and 2026 (and before 1970): every count lands somewhere or in
        // the total, and nothing grows beyond its ring
        RateSeries r(60);
        const qint64 now = 1'790'000'000 * S;
        for (int i = 0; i < 20000; ++i)
            r.add(i % 3 == 0 ? now + i * S : i % 3 == 1 ? qint64(i) * S : -qint64(i) * 60 * S);
        QCOMPARE(r.total(), quint64(20000));
        QVERIFY(r.firstMinuteKept() > now / S / 60 - RateSeries::MinuteBuckets);
        QVERIFY(r.countInMinute((now / S + 19998) / 60) > 0);

        // the very ends of the clock: counted in their seconds, no overflow on the way (UBSan runs this)
        RateSeries ends(60);
        constexpr qint64 Min = std::numeric_limits<qint64>::min(), Max = std::numeric_limits<qint64>::max();
        for (const qint64 t : { Min, Min, Max, Max, Max })
            ends.add(t);
        QCOMPARE(ends.total(), quint64(5));
        QCOMPARE(ends.headSecond(), Max / S);
        QCOMPARE(ends.countAt(Max / S), 3u);
        QCOMPARE(ends.tooOld(), quint64(0));
        QCOMPARE(ends.firstSecond(), Min / S - 1);
    }
};

QTEST_GUILESS_MAIN(TestRateSeries)
#include "tst_rateseries.moc"
