// SPDX-License-Identifier: MIT
// Where the waterfall puts a label beside a bar: after it, inside it, before it, or (no room without
// crossing the type names or the time column) only in the row's tooltip.
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
};

QTEST_MAIN(TestWaterfallView)
#include "tst_waterfallview.moc"
