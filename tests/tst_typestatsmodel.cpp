// SPDX-License-Identifier: MIT
#include "session.h"
#include "testutil.h"
#include "typestatsmodel.h"

#include <QAbstractItemModelTester>
#include <QBrush>
#include <QSignalSpy>
#include <QTest>

class TestTypeStatsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aTypeThatBeganLateIsAveragedOverTheWatchedSeconds()
    {
        // watched for two minutes; a failure type began 25 s ago at 40/s: 1,000 events in the last
        // minute are 16.7/s over that minute, not 40/s
        Session::Config config;
        config.clock = Session::Clock::Recorded;
        Session s(config);
        TypeStatsModel model(s);
        QByteArrayList lines;
        int n = 0;
        for (int ms = 0; ms < 120000; ms += 1000)
            lines << nativeEvent("h" + QByteArray::number(n++), "heartbeat", isoAt(ms));
        for (int ms = 95000; ms < 120000; ms += 25)
            lines << nativeEvent("f" + QByteArray::number(n++), "payment.failed", isoAt(ms));
        s.ingest(*decodeLines(lines));
        model.refresh(TestT0 + 120000000);
        QModelIndex rate60, rate10;
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.index(row, TypeStatsModel::TypeColumn).data().toString() == QLatin1String("payment.failed")) {
                rate60 = model.index(row, TypeStatsModel::Rate60Column);
                rate10 = model.index(row, TypeStatsModel::Rate10Column);
            }
        QVERIFY(rate60.isValid());
        QCOMPARE(rate60.data(TypeStatsModel::SortRole).toDouble(), 1000.0 / 60.0);
        QCOMPARE(rate10.data(TypeStatsModel::SortRole).toDouble(), 40.0);
    }

    void batchedInsertsAndUpdatesUnderTheTester()
    {
        Session s;
        TypeStatsModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const qint64 t0 = 1795946400LL * 1000000;
        s.ingest(*decodeLines({ nativeEvent("a", "booking.created"), nativeEvent("b", "booking.created"),
                                  nativeEvent("c", "user.logged_in") },
            t0));
        model.refresh(t0 + 1000000);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.count(), 1); // one insert for the whole batch of new types
        s.ingest(*decodeLines({ nativeEvent("d", "booking.created"), nativeEvent("e", "staff.assigned") }, t0));
        model.refresh(t0 + 1000000);
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(model.index(0, TypeStatsModel::TypeColumn).data().toString(), QStringLiteral("booking.created"));
        QCOMPARE(model.index(0, TypeStatsModel::CountColumn).data().toULongLong(), 3ull);
        QCOMPARE(model.index(0, TypeStatsModel::DomainColumn).data().toString(), QStringLiteral("booking"));
        QCOMPARE(model.index(0, TypeStatsModel::RateColumn).data(TypeStatsModel::SortRole).toDouble(), 3.0);
        QCOMPARE(model.index(0, TypeStatsModel::RateColumn).data().toString(), QStringLiteral("3.0"));
        QCOMPARE(model.headerData(TypeStatsModel::CountColumn, Qt::Horizontal).toString(), QStringLiteral("Count"));
        // an update with no new types changes data, inserts nothing
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.refresh(t0 + 2000000);
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(changed.count(), 1);
    }

    void errorRateIsColouredOnHystrixsScale_data()
    {
        QTest::addColumn<int>("failures"); // of 20 notification.created events
        QTest::addColumn<int>("level");
        QTest::addRow("none") << 0 << 0;
        QTest::newRow("5 percent") << 1 << 0;
        QTest::newRow("10 percent") << 2 << 1;
        QTest::newRow("20 percent") << 4 << 1;
        QTest::newRow("25 percent") << 5 << 2;
        QTest::newRow("40 percent") << 8 << 3;
        QTest::newRow("45 percent") << 9 << 3;
        QTest::newRow("50 percent") << 10 << 4;
        QTest::addRow("all") << 20 << 4;
    }
    void errorRateIsColouredOnHystrixsScale()
    {
        QFETCH(int, failures);
        QFETCH(int, level);
        Session s;
        TypeStatsModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QByteArrayList lines;
        for (int i = 0; i < 20; ++i)
            lines << nativeEvent("n" + QByteArray::number(i), "notification.created");
        for (int i = 0; i < failures; ++i)
            lines << nativeEvent("f" + QByteArray::number(i), "system.handler.failed", {}, {}, {},
                R"({"handler":"email-handler","eventId":"n)" + QByteArray::number(i)
                    + R"(","eventType":"notification.created","error":"gateway timeout"})");
        s.ingest(*decodeLines(lines, TestT0));
        model.refresh(TestT0 + 1000000);
        QModelIndex cell;
        for (int row = 0; row < model.rowCount(); ++row)
            if (model.index(row, TypeStatsModel::TypeColumn).data().toString() == QLatin1String("notification.created"))
                cell = model.index(row, TypeStatsModel::FailedPercentColumn);
        QVERIFY(cell.isValid());
        QCOMPARE(cell.data().toString(), QString::number(100.0 * failures / 20, 'f', 1)); // the number stays
        QCOMPARE(cell.data(TypeStatsModel::ErrorLevelRole).toInt(), level);
        const QVariant background = cell.data(Qt::BackgroundRole);
        QCOMPARE(background.isValid(), level > 0);
        if (level > 0) {
            QCOMPARE(cell.data(Qt::ForegroundRole).value<QBrush>().color(), QColor(Qt::black));
            // each step of the scale is a colour of its own
            QCOMPARE(background.value<QBrush>().color() == QColor(0xef, 0x53, 0x50), level == 4);
        }
    }

    void sharesAreOfEventsNeverAbove100Percent()
    {
        // a session joined during an incident: every notification is retried three times, fails four
        // times and is dead-lettered; reports also arrive about notifications sent before we joined
        Session s;
        TypeStatsModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QByteArrayList lines;
        for (int i = 0; i < 10; ++i)
            lines << nativeEvent("n" + QByteArray::number(i), "notification.created");
        auto report = [&](const QByteArray& id, const char* type, const QByteArray& about, const QByteArray& extra) {
            lines << nativeEvent(id, type, {}, {}, {},
                R"({"handler":"email-handler","eventId":")" + about + R"(","eventType":"notification.created")" + extra
                    + "}");
        };
        int r = 0;
        for (int i = 0; i < 10; ++i) {
            const QByteArray about = "n" + QByteArray::number(i < 5 ? i : 0); // half of them about n0
            for (int attempt = 1; attempt <= 4; ++attempt) {
                report("f" + QByteArray::number(r++), "system.handler.failed", about, R"(,"error":"timeout")");
                if (attempt < 4)
                    report("r" + QByteArray::number(r++), "system.event.retry_scheduled", about,
                        R"(,"attempt":)" + QByteArray::number(attempt) + R"(,"delayMs":200)");
            }
            report("d" + QByteArray::number(r++), "system.event.dead_lettered", about, R"(,"attempts":4)");
        }
        for (int i = 0; i < 20; ++i) // about events this session never saw
            report("x" + QByteArray::number(i), "system.handler.failed", "before-we-joined-" + QByteArray::number(i),
                R"(,"error":"timeout")");
        s.ingest(*decodeLines(lines, TestT0));
        model.refresh(TestT0 + 1000000);
        int row = -1;
        for (int i = 0; i < model.rowCount(); ++i)
            if (model.index(i, TypeStatsModel::TypeColumn).data().toString() == QLatin1String("notification.created"))
                row = i;
        QVERIFY(row >= 0);
        // the attempts in their own columns
        QCOMPARE(model.index(row, TypeStatsModel::FailuresColumn).data().toULongLong(), 60ull);
        QCOMPARE(model.index(row, TypeStatsModel::RetriesColumn).data().toULongLong(), 30ull);
        QCOMPARE(model.index(row, TypeStatsModel::DeadLettersColumn).data().toULongLong(), 10ull);
        // the shares: 5 of 10 notifications failed (n0..n4), 5 of 10 were dead-lettered
        QCOMPARE(model.index(row, TypeStatsModel::FailedPercentColumn).data().toString(), QStringLiteral("50.0"));
        QCOMPARE(model.index(row, TypeStatsModel::DeadLetteredPercentColumn).data().toString(), QStringLiteral("50.0"));
        QCOMPARE(model.index(row, TypeStatsModel::FailedPercentColumn).data(TypeStatsModel::ErrorLevelRole).toInt(), 4);
        QVERIFY(model.index(row, TypeStatsModel::FailedPercentColumn)
                    .data(Qt::ToolTipRole)
                    .toString()
                    .startsWith(QStringLiteral("5 of 10 events failed")));
        QCOMPARE(model.headerData(TypeStatsModel::FailedPercentColumn, Qt::Horizontal).toString(),
            QStringLiteral("Failed %"));
        // every share of every type stays within 0..100
        for (int i = 0; i < model.rowCount(); ++i) {
            for (int c : { int(TypeStatsModel::FailedPercentColumn), int(TypeStatsModel::DeadLetteredPercentColumn) }) {
                const double v = model.index(i, c).data(TypeStatsModel::SortRole).toDouble();
                QVERIFY2(v >= 0 && v <= 100, qPrintable(QString::number(v)));
            }
        }
    }

    void reportsBeforeTheirEventCountOnceItComes()
    {
        // a retry report may come before the event it is about: the share counts it when the event arrives
        Session s;
        TypeStatsModel model(s);
        s.ingest(*decodeLines({ nativeEvent("r1", "system.event.retry_scheduled", {}, {}, {},
                                    R"({"eventId":"b1","attempt":1,"delayMs":100})"),
                                  nativeEvent("r2", "system.event.retry_scheduled", {}, {}, {},
                                      R"({"eventId":"b1","attempt":2,"delayMs":200})") },
            TestT0));
        s.ingest(*decodeLines({ nativeEvent("b1", "booking.created"), nativeEvent("b2", "booking.created") }, TestT0));
        model.refresh(TestT0 + 1000000);
        int row = -1;
        for (int i = 0; i < model.rowCount(); ++i)
            if (model.index(i, TypeStatsModel::TypeColumn).data().toString() == QLatin1String("booking.created"))
                row = i;
        QVERIFY(row >= 0);
        QCOMPARE(model.index(row, TypeStatsModel::RetriesColumn).data().toULongLong(), 2ull);
        QCOMPARE(model.index(row, TypeStatsModel::FailedPercentColumn).data().toString(), QStringLiteral("50.0"));
        QCOMPARE(model.index(row, TypeStatsModel::DeadLetteredPercentColumn).data().toString(), QStringLiteral("0.0"));
    }
};

QTEST_GUILESS_MAIN(TestTypeStatsModel)
#include "tst_typestatsmodel.moc"
