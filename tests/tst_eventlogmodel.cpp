// SPDX-License-Identifier: MIT
#include "demodata.h"
#include "eventlogmodel.h"
#include "session.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class TestEventLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void tailsBatchesUnderTheTester()
    {
        Session s(eventTimeConfig());
        EventLogModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        const QByteArrayList lines = demoLines(5, 400);
        feed(s, lines.mid(0, 1000));
        model.refresh(1000);
        QCOMPARE(model.rowCount(), 1000);
        QCOMPARE(inserted.count(), 1); // one insert per refresh, not per event
        feed(s, lines.mid(1000, 500));
        model.refresh(1000);
        QCOMPARE(model.rowCount(), 1500);
        QCOMPARE(inserted.count(), 2);
        // rows are in arrival order and show what the event holds
        const QModelIndex last = model.index(1499, EventLogModel::TypeColumn);
        QCOMPARE(last.data().toString(), m_typeOf(s, model.eventAt(1499)));
        QCOMPARE(model.index(0, EventLogModel::SeqColumn).data().toULongLong(), 1ull);
        QVERIFY(model.index(0, EventLogModel::TimeColumn).data().toString().startsWith(QLatin1String("10:00:00.")));
    }

    void filterFillsBackwardsThenTails()
    {
        Session s(eventTimeConfig());
        const QByteArrayList lines = demoLines(10, 400);
        feed(s, lines);
        EventLogModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        EventFilter f;
        QVERIFY(f.parse(QStringLiteral("type == booking.created"), nullptr));
        model.setFilter(std::move(f));
        while (model.isFilling())
            model.refresh(1);
        const int created = int(std::count_if(lines.begin(), lines.end(),
            [](const QByteArray& l) { return l.contains("\"type\":\"booking.created\""); }));
        QCOMPARE(model.rowCount(), created);
        for (int r = 0; r < model.rowCount(); ++r)
            QCOMPARE(model.index(r, EventLogModel::TypeColumn).data().toString(), QStringLiteral("booking.created"));
        // ascending order even though it was filled newest first
        for (int r = 1; r < model.rowCount(); ++r)
            QVERIFY(model.eventAt(r - 1) < model.eventAt(r));
        // a payload field filter and a field column
        EventFilter byBooking;
        QVERIFY(byBooking.parse(QStringLiteral("payload.bookingId == \"BK-10003\""), nullptr));
        model.setFilter(std::move(byBooking));
        model.setFieldColumns({ QStringLiteral("payload.bookingId") });
        while (model.isFilling())
            model.refresh(1);
        QVERIFY(model.rowCount() >= 5); // the booking's stages and its notifications
        for (int r = 0; r < model.rowCount(); ++r)
            QCOMPARE(model.index(r, EventLogModel::FixedColumnCount).data().toString(), QStringLiteral("BK-10003"));
        QCOMPARE(model.headerData(EventLogModel::FixedColumnCount, Qt::Horizontal).toString(),
            QStringLiteral("payload.bookingId"));
    }

    void maxRowsTrimsTheOldestAndPauseHoldsStill()
    {
        Session s(eventTimeConfig());
        EventLogModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMaxRows(300);
        const QByteArrayList lines = demoLines(4, 400);
        feed(s, lines.mid(0, 1000));
        model.refresh(1000);
        QCOMPARE(model.rowCount(), 300);
        QCOMPARE(model.eventAt(299), s.store().end() - 1);
        model.setPaused(true);
        const quint32 lastShown = model.eventAt(299);
        feed(s, lines.mid(1000, 200));
        model.refresh(1000);
        QCOMPARE(model.eventAt(299), lastShown);
        model.setPaused(false);
        model.refresh(1000);
        QCOMPARE(model.eventAt(299), s.store().end() - 1);
    }

    void evictedEventsLeaveTheLog()
    {
        Session::Config config = eventTimeConfig();
        config.memoryCapBytes = 40u << 20;
        Session s(config);
        EventLogModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setMaxRows(1000000);
        const QByteArrayList lines = demoLines(600, 400);
        for (int i = 0; i < lines.size(); i += 20000) {
            feed(s, lines.mid(i, 20000), 20000);
            model.refresh(1000);
        }
        QVERIFY(s.evictedCount() > 0);
        QCOMPARE(quint64(model.rowCount()), s.retainedCount());
        QCOMPARE(model.eventAt(0), s.store().first());
    }

    void fixedListShowsExactlyThoseEvents()
    {
        Session s(eventTimeConfig());
        feed(s, demoLines(2, 400));
        EventLogModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setEvents({ 5, 6, 7 });
        model.refresh();
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.rowOf(6), 1);
        QCOMPARE(model.rowOf(100), -1);
    }

private:
    static QString m_typeOf(const Session& s, quint32 e) { return s.types().string(s.store().at(e).type); }
};

QTEST_GUILESS_MAIN(TestEventLogModel)
#include "tst_eventlogmodel.moc"
