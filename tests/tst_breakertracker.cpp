// SPDX-License-Identifier: MIT
#include "breakertracker.h"

#include <QTest>

namespace {
BreakerTransition transition(qint64 ms, BreakerTransition::State from, BreakerTransition::State to)
{
    BreakerTransition t;
    t.timeUs = ms * 1000;
    t.from = from;
    t.to = to;
    return t;
}
using S = BreakerTransition;
} // namespace

class TestBreakerTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void states_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("state");
        QTest::addRow("closed") << QStringLiteral("closed") << int(S::Closed);
        QTest::addRow("OPEN") << QStringLiteral("OPEN") << int(S::Open);
        QTest::addRow("half_open") << QStringLiteral("half_open") << int(S::HalfOpen);
        QTest::addRow("half-open") << QStringLiteral("half-open") << int(S::HalfOpen);
        QTest::addRow("HalfOpen") << QStringLiteral("HalfOpen") << int(S::HalfOpen);
        QTest::addRow("other") << QStringLiteral("melted") << int(S::Unknown);
    }
    void states()
    {
        QFETCH(QString, text);
        QFETCH(int, state);
        QCOMPARE(int(S::parseState(text.toStdString())), state);
    }

    void aNameTwoOriginsReportIsTwoBreakersAndOneMerged()
    {
        BreakerTracker t;
        t.apply(1, "email-gateway", transition(100, S::Closed, S::Open));
        QCOMPARE(t.size(), std::size_t(1));
        QVERIFY(!t.at(0).sharedName);
        t.apply(2, "email-gateway", transition(200, S::Closed, S::HalfOpen));
        t.apply(1, "email-gateway", transition(900, S::Open, S::Closed));
        // each origin's breaker has its own state and history
        QCOMPARE(t.size(), std::size_t(3));
        const int a = t.find(1, "email-gateway"), b = t.find(2, "email-gateway");
        QVERIFY(a >= 0 && b >= 0 && a != b);
        QVERIFY(t.at(std::size_t(a)).sharedName && t.at(std::size_t(b)).sharedName);
        QCOMPARE(t.at(std::size_t(a)).state(), S::Closed);
        QCOMPARE(t.at(std::size_t(a)).history.size(), std::size_t(2));
        QCOMPARE(t.at(std::size_t(b)).state(), S::HalfOpen);
        QCOMPARE(t.at(std::size_t(b)).history.size(), std::size_t(1));
        // and together: every transition, in the worst state any of them is in
        const int merged = t.find("email-gateway");
        QVERIFY(merged >= 0 && merged != a && merged != b);
        const Breaker& m = t.at(std::size_t(merged));
        QVERIFY(m.merged);
        QCOMPARE(m.members.size(), std::size_t(2));
        QCOMPARE(m.history.size(), std::size_t(3));
        QCOMPARE(m.transitionCount, quint64(3));
        QCOMPARE(m.state(), S::HalfOpen);
        QCOMPARE(m.sinceUs(), qint64(200000));
        t.apply(2, "email-gateway", transition(1000, S::HalfOpen, S::Open));
        QCOMPARE(m.state(), S::Open);
        QCOMPARE(m.sinceUs(), qint64(1000000));
        // a third origin joins the merged one
        t.apply(3, "email-gateway", transition(1100, S::Closed, S::Open));
        QCOMPARE(t.size(), std::size_t(4));
        QCOMPARE(t.at(std::size_t(merged)).members.size(), std::size_t(3));
        QCOMPARE(t.at(std::size_t(merged)).sinceUs(), qint64(1000000)); // open the longest
    }

    void fullHistoryKeepsEveryShortOpenPeriod()
    {
        BreakerTracker t;
        t.apply(0, "email-gateway", transition(0, S::Closed, S::Open));
        t.apply(0, "email-gateway", transition(5000, S::Open, S::HalfOpen));
        t.apply(0, "email-gateway", transition(5001, S::HalfOpen, S::Open)); // open again for 3 ms only
        t.apply(0, "email-gateway", transition(5004, S::Open, S::HalfOpen));
        t.apply(0, "email-gateway", transition(5010, S::HalfOpen, S::Closed));
        QCOMPARE(t.size(), std::size_t(1));
        const Breaker& b = t.at(0);
        QCOMPARE(b.state(), S::Closed);
        QCOMPARE(b.transitionCount, quint64(5));
        QCOMPARE(b.history.size(), std::size_t(5));
        QCOMPARE(b.sinceUs(), qint64(5010000));
        QCOMPARE(b.openTimeUs(0, 10000000), qint64(5000000 + 3000));
    }

    void outOfOrderTransitionsAreSortedByTime()
    {
        BreakerTracker t;
        t.apply(0, "b", transition(100, S::Closed, S::Open));
        t.apply(0, "b", transition(300, S::HalfOpen, S::Closed));
        t.apply(0, "b", transition(200, S::Open, S::HalfOpen)); // arrives late
        const Breaker& b = t.at(0);
        QCOMPARE(b.history[1].to, S::HalfOpen);
        QCOMPARE(b.state(), S::Closed);
    }

    void boundedHistoryCountsWhatItDrops()
    {
        BreakerTracker t(3);
        for (int i = 0; i < 10; ++i)
            t.apply(0, "b", transition(i, i % 2 ? S::Open : S::Closed, i % 2 ? S::Closed : S::Open));
        QCOMPARE(t.at(0).history.size(), std::size_t(3));
        QCOMPARE(t.at(0).droppedHistory, quint64(7));
        QCOMPARE(t.at(0).transitionCount, quint64(10));
    }

    void severalBreakers()
    {
        BreakerTracker t;
        t.apply(0, "email", transition(0, S::Closed, S::Open));
        t.apply(0, "sms", transition(0, S::Closed, S::Open));
        t.apply(0, "", transition(0, S::Closed, S::Open));
        QCOMPARE(t.size(), std::size_t(3));
        QCOMPARE(t.find("sms"), 1);
        QCOMPARE(t.find("(unnamed)"), 2);
        QCOMPARE(t.find("nope"), -1);
    }
};

QTEST_GUILESS_MAIN(TestBreakerTracker)
#include "tst_breakertracker.moc"
