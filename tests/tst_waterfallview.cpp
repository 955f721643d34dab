// SPDX-License-Identifier: MIT
// The waterfall: where it puts a label beside a bar (after it, inside it, before it, or, with no room
// without crossing the type names or the time column, only in the row's tooltip), and repeated steps
// folded into one row that unfolds on a click.
#include "chaintreemodel.h"
#include "demodata.h"
#include "session.h"
#include "testutil.h"
#include "waterfallview.h"

#include <QtTest>

class TestWaterfallView : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labelsGoWhereTheyFit_data()
    {
        QTest::addColumn<double>("from");
        QTest::addColumn<double>("to");
        QTest::addColumn<double>("width");
        QTest::addColumn<double>("expected"); // -1: nowhere
        // the lane runs from 300 (after the type names) to 900 (before the time column)
        QTest::addRow("after the bar") << 320.0 << 400.0 << 100.0 << 404.0;
        QTest::addRow("inside a long bar ending at the right") << 400.0 << 890.0 << 100.0 << 595.0;
        QTest::addRow("before a short bar at the right") << 850.0 << 880.0 << 100.0 << 746.0;
        QTest::addRow("nowhere: a short bar near both ends") << 330.0 << 850.0 << 600.0 << -1.0;
    }
    void labelsGoWhereTheyFit()
    {
        QFETCH(double, from);
        QFETCH(double, to);
        QFETCH(double, width);
        QFETCH(double, expected);
        const std::optional<double> x = WaterfallView::placeLabel(from, to, width, 300, 900);
        QCOMPARE(x.has_value(), expected >= 0);
        if (!x)
            return;
        QCOMPARE(*x, expected);
        // never over the type names, never into the time column
        QVERIFY(*x >= 300);
        QVERIFY(*x + width <= 900);
    }

    void repeatedStepsShareARowUntilClicked()
    {
        // an order placed, its handler failing and retrying three times, then failing for good: the
        // three failure -> retry sub-trees are one row "x3"; the last failure and its dead letter differ
        QByteArrayList lines;
        int n = 0;
        const auto id = [](int i) -> QByteArray {
            return QByteArray("f0000000-0000-4000-8000-") + QByteArray::number(i).rightJustified(12, '0');
        };
        lines << nativeEvent(id(++n), "order.placed", isoAt(0), "k");
        for (int attempt = 0; attempt < 4; ++attempt) {
            const int failure = ++n;
            lines << nativeEvent(id(failure), "system.handler.failed", isoAt(100 + attempt * 1000), "k", id(1),
                "{\"handler\":\"h\",\"eventId\":\"" + id(1) + "\",\"error\":\"down\"}");
            if (attempt < 3)
                lines << nativeEvent(id(++n), "system.event.retry_scheduled", isoAt(110 + attempt * 1000), "k",
                    id(failure),
                    "{\"eventId\":\"" + id(1) + "\",\"attempt\":" + QByteArray::number(attempt + 1)
                        + ",\"delayMs\":800,\"error\":\"down\"}");
            else
                lines << nativeEvent(id(++n), "system.event.dead_lettered", isoAt(3200), "k", id(failure),
                    "{\"eventId\":\"" + id(1) + "\",\"attempts\":4,\"reason\":\"down\"}");
        }
        Session s(eventTimeConfig());
        s.ingest(*decodeLines(lines));
        ChainTreeModel model(s);
        WaterfallView view(s, model);
        model.setChain(s.store().at(0).chain);
        QCOMPARE(int(model.timeline().size()), 9);
        // order.placed, the folded x3, the last failure, its dead letter
        QCOMPARE(view.rowCount(), 4);
        QCOMPARE(view.repeatsAt(1), 3);
        QVERIFY2(view.rowToolTip(1).contains(QLatin1String("3 times over 2.01 s (3 retries)")),
            qPrintable(view.rowToolTip(1)));
        // every event of the group is found on its row; the ones after it keep theirs
        const auto eventOf = [&](int i) {
            Uuid u;
            Uuid::parse(id(i).toStdString(), u);
            return s.store().findId(u);
        };
        QCOMPARE(view.rowOfEvent(eventOf(6)), 1);
        QCOMPARE(view.rowOfEvent(eventOf(9)), 3);
        // the backoffs are drawn on the one row (their labels would overlap: the tooltip has them)
        view.resize(1200, view.sizeHint().height());
        view.grab();
        QCOMPARE(view.backoffBarsDrawn(), 3);
        QCOMPARE(view.deadLetterMarksDrawn(), 1);
        // a click unfolds it: a row per event again, and back
        view.setExpanded(1, true);
        QCOMPARE(view.rowCount(), 9);
        view.setExpanded(1, false);
        QCOMPARE(view.rowCount(), 4);
    }
};

QTEST_MAIN(TestWaterfallView)
#include "tst_waterfallview.moc"
