// SPDX-License-Identifier: MIT
// The breaker timeline: short periods stay visible, a flapping breaker is told in words instead of a
// barcode, and with no breaker the chart says so without axes that mean nothing.
#include "breakertimelineview.h"
#include "colours.h"
#include "demodata.h"
#include "session.h"
#include "testutil.h"

#include <QCategoryAxis>
#include <QChart>
#include <QDateTimeAxis>
#include <QLegend>
#include <QtTest>

namespace {
using Period = BreakerTimelineView::Period;
using Flapping = BreakerTimelineView::Flapping;

QByteArray transition(int n, qint64 ms, const char* breaker, const char* from, const char* to)
{
    return nativeEvent(QByteArray("b0000000-0000-4000-8000-") + QByteArray::number(n).rightJustified(12, '0'),
        "system.circuit_breaker.state_changed", isoAt(ms), {}, {},
        QByteArray("{\"breaker\":\"") + breaker + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
}
} // namespace

class TestBreakerTimelineView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void narrowPeriodsInARowAreOneFlappingStretch()
    {
        // at 1 px per ms: 100 ms closed, then eight periods of 2 ms cycling open, half-open, closed,
        // then 50 ms open; and a lone 1 ms half-open later, which stays a period of its own
        std::vector<Period> periods { { 0, 100, BreakerTransition::Closed } };
        const BreakerTransition::State cycle[]
            = { BreakerTransition::Open, BreakerTransition::HalfOpen, BreakerTransition::Closed };
        for (int i = 0; i < 8; ++i)
            periods.push_back({ 100.0 + 2 * i, 102.0 + 2 * i, cycle[i % 3] });
        periods.push_back({ 116, 166, BreakerTransition::Open });
        periods.push_back({ 166, 167, BreakerTransition::HalfOpen });
        periods.push_back({ 167, 300, BreakerTransition::Closed });
        std::vector<Period> drawn;
        std::vector<Flapping> flapping;
        BreakerTimelineView::groupPeriods(periods, 1.0, &drawn, &flapping);
        QCOMPARE(flapping.size(), std::size_t(1));
        QCOMPARE(flapping[0].fromMs, 100.0);
        QCOMPARE(flapping[0].toMs, 116.0);
        // the eight periods each begin with a transition, and the stretch ends with one
        QCOMPARE(flapping[0].transitions, 9);
        QCOMPARE(flapping[0].share[0] + flapping[0].share[1] + flapping[0].share[2], 1.0);
        QCOMPARE(flapping[0].share[0], 2 * 2.0 / 16); // closed: two of the eight
        QCOMPARE(flapping[0].text(), QStringLiteral("flapping: 9 transitions in 16 ms"));
        QCOMPARE(drawn.size(), std::size_t(4)); // closed, open, the lone half-open, closed
        QCOMPARE(drawn[2].state, BreakerTransition::HalfOpen);
        // zoomed in (10 px per ms), nothing is narrow: every period is drawn
        drawn.clear();
        flapping.clear();
        BreakerTimelineView::groupPeriods(periods, 10.0, &drawn, &flapping);
        QVERIFY(flapping.empty());
        QCOMPARE(drawn.size(), periods.size());
    }

    void aFlappingBreakerIsToldInWordsAndAShortOneStillShows()
    {
        Session session(eventTimeConfig());
        QByteArrayList lines;
        int n = 0;
        // email-gateway: open for a minute with a 4 ms half-open in it; sms-provider: 51 transitions in a minute
        lines << transition(++n, 10'000, "email-gateway", "closed", "open");
        lines << transition(++n, 40'000, "email-gateway", "open", "half_open");
        lines << transition(++n, 40'004, "email-gateway", "half_open", "open");
        const char* states[] = { "closed", "open", "half_open" };
        for (int i = 0; i < 51; ++i)
            lines << transition(++n, 20'000 + i * 1'200, "sms-provider", states[i % 3], states[(i + 1) % 3]);
        lines << transition(++n, 70'000, "email-gateway", "open", "closed");
        std::sort(lines.begin(), lines.end(), [](const QByteArray& a, const QByteArray& b) {
            return a.mid(a.indexOf("timestamp")) < b.mid(b.indexOf("timestamp"));
        });
        session.ingest(*decodeLines(lines));
        QCOMPARE(session.breakers().size(), std::size_t(2));

        BreakerTimelineView view(session);
        view.resize(700, 220);
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        // four minutes on a few hundred pixels: 1.2 s is a couple of pixels
        view.refresh(TestT0, TestT0 + 240'000'000, TestT0);
        QCOMPARE(view.laneCount(), std::size_t(2));
        QCOMPARE(view.transitionsShown(), 55);
        QCOMPARE(view.emptyText(), QString());
        std::size_t sms = session.breakers().at(0).history.size() == 51 ? 0 : 1;
        QCOMPARE(view.flappingOf(sms).size(), std::size_t(1));
        QCOMPARE(view.flappingOf(sms).front().transitions, 51);
        QVERIFY2(view.flappingOf(sms).front().text().startsWith(QLatin1String("flapping: 51 transitions in 6")),
            qPrintable(view.flappingOf(sms).front().text()));
        QVERIFY(view.flappingOf(1 - sms).empty());
        // the 4 ms half-open is a hundredth of a pixel wide here: it is drawn all the same
        const QImage image = view.grab().toImage();
        const QColor halfOpen = Colours::breakerState(BreakerTransition::HalfOpen, false);
        int seen = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x)
                seen += image.pixelColor(x, y) == halfOpen;
        QVERIFY2(seen >= 6, qPrintable(QString::number(seen)));
        // zoomed in on the sms-provider's minute, its periods are drawn one by one
        view.refresh(TestT0 + 20'000'000, TestT0 + 30'000'000, TestT0);
        QVERIFY(view.flappingOf(sms).empty());
    }

    void withNoBreakerTheChartSaysSoWithoutAxes()
    {
        Session session(eventTimeConfig());
        BreakerTimelineView view(session);
        view.resize(500, 200);
        view.refresh(TestT0, TestT0 + 60'000'000, TestT0);
        QCOMPARE(view.emptyText(), QStringLiteral("No circuit breaker has reported a state yet"));
        QCOMPARE(view.laneCount(), std::size_t(0));
        for (QAbstractAxis* axis : view.chart()->axes()) {
            QVERIFY(!axis->labelsVisible());
            QVERIFY(!axis->isGridLineVisible());
        }
        QVERIFY(!view.chart()->legend()->isVisible());
        // once one reports, axes and legend come back
        session.ingest(*decodeLines({ transition(1, 1'000, "email-gateway", "closed", "open") }));
        view.refresh(TestT0, TestT0 + 60'000'000, TestT0);
        QCOMPARE(view.emptyText(), QString());
        for (QAbstractAxis* axis : view.chart()->axes())
            QVERIFY(axis->labelsVisible());
        QVERIFY(view.chart()->legend()->isVisible());
    }
};

QTEST_MAIN(TestBreakerTimelineView)
#include "tst_breakertimelineview.moc"
