// SPDX-License-Identifier: MIT
#include "session.h"
#include "testutil.h"
#include "typestatsmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class TestTypeStatsModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
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
};

QTEST_GUILESS_MAIN(TestTypeStatsModel)
#include "tst_typestatsmodel.moc"
