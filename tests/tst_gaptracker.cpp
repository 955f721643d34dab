// SPDX-License-Identifier: MIT
#include "gaptracker.h"

#include <QTest>

using Ranges = std::vector<std::pair<quint64, quint64>>;

class TestGapTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void gaps_data()
    {
        QTest::addColumn<QList<quint64>>("seqs");
        QTest::addColumn<quint64>("gaps");
        QTest::addColumn<int>("ranges");
        QTest::addRow("contiguous") << QList<quint64> { 1, 2, 3, 4 } << quint64(0) << 0;
        QTest::addRow("one missing") << QList<quint64> { 1, 2, 4 } << quint64(1) << 1;
        QTest::addRow("filled later") << QList<quint64> { 1, 3, 2 } << quint64(0) << 0;
        QTest::addRow("reverse") << QList<quint64> { 5, 4, 3, 2, 1 } << quint64(0) << 0;
        QTest::addRow("duplicates do not fill") << QList<quint64> { 1, 1, 3, 3 } << quint64(1) << 1;
        QTest::addRow("two holes") << QList<quint64> { 10, 12, 15 } << quint64(3) << 2;
        QTest::addRow("bridge merges") << QList<quint64> { 1, 3, 5, 2, 4 } << quint64(0) << 0;
        QTest::addRow("single") << QList<quint64> { 7 } << quint64(0) << 0;
    }
    void gaps()
    {
        QFETCH(QList<quint64>, seqs);
        QFETCH(quint64, gaps);
        QFETCH(int, ranges);
        GapTracker t;
        for (quint64 s : seqs)
            t.add(0, s);
        QCOMPARE(t.gaps(0), gaps);
        QCOMPARE(int(t.missing(0).size()), ranges);
    }

    void duplicateIsReported()
    {
        GapTracker t;
        QVERIFY(t.add(0, 1));
        QVERIFY(!t.add(0, 1));
        QVERIFY(t.add(1, 1)); // another origin has its own numbers
    }

    void perOriginAndSummed()
    {
        GapTracker t;
        for (quint64 s : { 1, 2, 5 })
            t.add(0, s); // 2 missing
        for (quint64 s : { 100, 102 })
            t.add(1, s); // 1 missing
        QCOMPARE(t.gaps(0), quint64(2));
        QCOMPARE(t.gaps(1), quint64(1));
        QCOMPARE(t.totalGaps(), quint64(3));
        QCOMPARE(t.missing(0), (Ranges { { 3, 4 } }));
        QCOMPARE(t.highest(1), qint64(102));
        QCOMPARE(t.highest(7), qint64(-1));
    }

    void longStreamIsOneInterval()
    {
        GapTracker t;
        for (quint64 s = 1; s <= 100000; ++s)
            t.add(3, s);
        QCOMPARE(t.gaps(3), quint64(0));
        QCOMPARE(t.highest(3), qint64(100000));
    }
};

QTEST_GUILESS_MAIN(TestGapTracker)
#include "tst_gaptracker.moc"
