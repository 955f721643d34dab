// SPDX-License-Identifier: MIT
#include "breakermodel.h"
#include "demodata.h"
#include "session.h"

#include <QAbstractItemModelTester>
#include <QTest>

class TestBreakerModel : public QObject
{
    Q_OBJECT

    static QByteArray transition(const char* id, qint64 ms, const char* breaker, const char* from, const char* to)
    {
        return nativeEvent(id, "system.circuit_breaker.state_changed", isoAt(ms), {}, {},
            QByteArray("{\"breaker\":\"") + breaker + "\",\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"failureCount\":5,\"reason\":\"threshold\"}");
    }

private Q_SLOTS:
    void boardAndHistory()
    {
        Session s(eventTimeConfig());
        BreakerModel board(s);
        BreakerHistoryModel history(s);
        QAbstractItemModelTester t1(&board, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester t2(&history, QAbstractItemModelTester::FailureReportingMode::QtTest);
        s.ingest(*decodeLines({ transition("t1", 1000, "email-gateway", "closed", "open") }));
        board.refresh(TestT0 + 3500000);
        QCOMPARE(board.rowCount(), 1);
        QCOMPARE(board.index(0, BreakerModel::NameColumn).data().toString(), QStringLiteral("email-gateway"));
        // the state in words, and a colour behind it
        QCOMPARE(board.index(0, BreakerModel::StateColumn).data().toString(), QStringLiteral("OPEN"));
        QVERIFY(board.index(0, BreakerModel::StateColumn).data(Qt::BackgroundRole).isValid());
        QCOMPARE(board.index(0, BreakerModel::SinceColumn).data().toString(), QStringLiteral("2.5 s"));
        QCOMPARE(board.index(0, BreakerModel::FailuresColumn).data().toInt(), 5);
        QCOMPARE(board.index(0, BreakerModel::ReasonColumn).data().toString(), QStringLiteral("threshold"));

        history.setBreaker(0);
        QCOMPARE(history.rowCount(), 1);
        s.ingest(*decodeLines({ transition("t2", 6000, "email-gateway", "open", "half_open"),
            transition("t3", 6100, "email-gateway", "half_open", "closed"),
            transition("t4", 7000, "sms-gateway", "closed", "open") }));
        board.refresh(TestT0 + 8000000);
        history.refresh();
        QCOMPARE(board.rowCount(), 2);
        QCOMPARE(board.index(0, BreakerModel::StateColumn).data().toString(), QStringLiteral("CLOSED"));
        QCOMPARE(board.index(0, BreakerModel::TransitionsColumn).data().toInt(), 3);
        QCOMPARE(board.index(0, BreakerModel::OpenTimeColumn).data().toString(), QStringLiteral("5.0 s"));
        QCOMPARE(history.rowCount(), 3);
        QCOMPARE(history.index(1, BreakerHistoryModel::ToColumn).data().toString(), QStringLiteral("HALF_OPEN"));
        // every transition knows its report
        const quint32 report = history.index(2, 0).data(BreakerHistoryModel::EventIndexRole).toUInt();
        QCOMPARE(report, s.store().findId(Uuid::fromText("t3", nullptr)));
    }
};

QTEST_GUILESS_MAIN(TestBreakerModel)
#include "tst_breakermodel.moc"
