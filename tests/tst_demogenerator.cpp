// SPDX-License-Identifier: MIT
#include "demogenerator.h"
#include "eventdecoder.h"
#include "session.h"
#include "testutil.h"

#include <QTest>

namespace {
QByteArray generate(DemoGenerator::Options o, int events, double rate = 1000)
{
    DemoGenerator g(o);
    QByteArray out;
    for (int i = 0; g.count() < quint64(events); ++i) {
        if (!out.isEmpty())
            out += '\n';
        g.next(1795946400LL * 1000000 + qint64(i * 1e6 / rate), out);
    }
    return out;
}

std::unique_ptr<Session> ingest(const QByteArray& lines)
{
    auto s = std::make_unique<Session>(Session::Config { Session::Clock::Recorded, 4096, 4096, 1000, 3600 });
    s->ingest(*decodeLines(lines.split('\n')));
    return s;
}
} // namespace

class TestDemoGenerator : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sameSeedSameSession()
    {
        DemoGenerator::Options o;
        o.seed = 42;
        QCOMPARE(generate(o, 2000), generate(o, 2000));
        o.seed = 43;
        QVERIFY(generate(o, 2000) != generate({}, 2000));
    }

    void bookingLifecycleIsOneCausalChain()
    {
        const auto s = ingest(generate({}, 20000));
        QCOMPARE(s->malformedCount(), quint64(0));
        QCOMPARE(s->orphanCount(), quint64(0));
        QCOMPARE(s->duplicateCount(), quint64(0));
        QCOMPARE(s->gaps().totalGaps(), quint64(0));
        // find a completed booking: 8 stages, each caused by the one before, in order
        bool found = false;
        for (std::size_t c = 0; c < s->chains().size() && !found; ++c) {
            const auto tree = s->chains().tree(quint32(c), s->store());
            QStringList bookingStages;
            for (const ChainNode& n : tree) {
                const QString type = s->types().string(s->store().at(n.event).type);
                if (type.startsWith(QLatin1String("booking.")))
                    bookingStages << QString::number(n.depth) + u' ' + type;
            }
            if (bookingStages.size() == 8 && bookingStages.last().endsWith(QLatin1String("booking.completed"))) {
                found = true;
                QCOMPARE(bookingStages.first(), QStringLiteral("0 booking.created"));
                QCOMPARE(bookingStages[4], QStringLiteral("4 booking.confirmed"));
                QCOMPARE(bookingStages.last(), QStringLiteral("7 booking.completed"));
            }
        }
        QVERIFY(found);
        QVERIFY(s->rates().type(quint16(s->types().find("booking.rejected")))->total() > 0);
        QVERIFY(s->rates().type(quint16(s->types().find("booking.cancelled")))->total() > 0);
    }

    void incidentTripsTheBreakerAndDeadLetters()
    {
        DemoGenerator::Options o;
        o.scenario = DemoGenerator::Scenario::Incident;
        const auto s = ingest(generate(o, 40000, 500)); // 80 s: before, during and after the outage
        const int b = s->breakers().find("email-gateway");
        QVERIFY(b >= 0);
        const Breaker& breaker = s->breakers().at(std::size_t(b));
        QVERIFY(breaker.transitionCount >= 3);
        // closed -> open -> half_open -> (open ... ) -> closed again after the outage
        QCOMPARE(breaker.history.front().from, BreakerTransition::Closed);
        QCOMPARE(breaker.history.front().to, BreakerTransition::Open);
        QCOMPARE(breaker.state(), BreakerTransition::Closed);
        for (std::size_t i = 1; i < breaker.history.size(); ++i)
            QCOMPARE(breaker.history[i].from, breaker.history[i - 1].to);
        QVERIFY(s->retries().count(RetryTracker::DeadLetter) > 10);
        QVERIFY(s->retries().count(RetryTracker::Retry) > s->retries().count(RetryTracker::DeadLetter));
        // retries are spaced by their backoff: 200, 400, 800, 1600 ms
        for (const RetryTracker::Entry& e : s->retries().entries()) {
            if (e.kind == RetryTracker::Retry)
                QCOMPARE(e.delayMs, qint64(200) << (e.attempt - 1));
            QVERIFY(e.target != RetryTracker::Unknown); // every report names a known event
        }
    }

    void cloudEventsVariantDecodes()
    {
        DemoGenerator::Options o;
        o.cloudEvents = true;
        const QByteArray lines = generate(o, 500);
        QVERIFY(lines.startsWith("{\"specversion\":\"1.0\""));
        const auto s = ingest(lines);
        QCOMPARE(s->eventCount(), quint64(500));
        QCOMPARE(s->malformedCount(), quint64(0));
        QCOMPARE(s->gaps().totalGaps(), quint64(0));
    }

    void eventsAreAboutTheRightSize()
    {
        const QByteArray lines = generate({}, 5000);
        const double perEvent = double(lines.size()) / 5000;
        QVERIFY2(perEvent > 250 && perEvent < 450, qPrintable(QString::number(perEvent)));
    }
};

QTEST_GUILESS_MAIN(TestDemoGenerator)
#include "tst_demogenerator.moc"
