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

    void fullHistoryKeepsEveryShortOpenPeriod()
    {
        BreakerTracker t;
        t.apply("email-gateway", transition(0, S::Closed, S::Open));
        t.apply("email-gateway", transition(5000, S::Open, S::HalfOpen));
        t.apply("email-gateway", transition(5001, S::HalfOpen, S::Open)); // open again for 3 ms only
        t.apply("email-gateway", transition(5004, S::Open, S::HalfOpen));
        t.apply("email-gateway", transition(5010, S::HalfOpen, S::Closed));
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
        t.apply("b", transition(100, S::Closed, S::Open));
        t.apply("b", transition(300, S::HalfOpen, S::Closed));
        t.apply("b", transition(200, S::Open, S::HalfOpen)); // arrives late
        const Breaker& b = t.at(0);
        QCOMPARE(b.history[1].to, S::HalfOpen);
        QCOMPARE(b.state(), S::Closed);
    }

    void boundedHistoryCountsWhatItDrops()
    {
        BreakerTracker t(3);
        for (int i = 0; i < 10; ++i)
            t.apply("b", transition(i, i % 2 ? S::Open : S::Closed, i % 2 ? S::Closed : S::Open));
        QCOMPARE(t.at(0).history.size(), std::size_t(3));
        QCOMPARE(t.at(0).droppedHistory, quint64(7));
        QCOMPARE(t.at(0).transitionCount, quint64(10));
    }

    void severalBreakers()
    {
        BreakerTracker t;
        t.apply("email", transition(0, S::Closed, S::Open));
        t.apply("sms", transition(0, S::Closed, S::Open));
        t.apply("", transition(0, S::Closed, S::Open));
        QCOMPARE(t.size(), std::size_t(3));
        QCOMPARE(t.find("sms"), 1);
        QCOMPARE(t.find("(unnamed)"), 2);
        QCOMPARE(t.find("nope"), -1);
    }
};

QTEST_GUILESS_MAIN(TestBreakerTracker)
#include "tst_breakertracker.moc"
