// SPDX-License-Identifier: MIT
#include "breakermodel.h"
#include "demodata.h"
#include "session.h"
#include "sessionsummary.h"

#include <QAbstractItemModelTester>
#include <QJsonObject>
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

    void twoOriginsBreakersOfOneNameAreNamedByOrigin()
    {
        Session s(eventTimeConfig());
        const quint16 busA = s.addOrigin(QStringLiteral("ws://bus-a/events"));
        const quint16 busB = s.addOrigin(QStringLiteral("ws://bus-b/events"));
        BreakerModel board(s);
        QAbstractItemModelTester tester(&board, QAbstractItemModelTester::FailureReportingMode::QtTest);
        s.ingest(*decodeLines({ transition("a1", 1000, "email-gateway", "closed", "open") }, 0, busA));
        s.ingest(*decodeLines({ transition("b1", 1500, "email-gateway", "closed", "open"),
                                  transition("b2", 2500, "email-gateway", "open", "closed") },
            0, busB));
        board.refresh(TestT0 + 3000000);
        QStringList names;
        QMap<QString, QString> states, scopes;
        for (int r = 0; r < board.rowCount(); ++r) {
            const QString name = board.index(r, BreakerModel::NameColumn).data().toString();
            names << name;
            states[name] = board.index(r, BreakerModel::StateColumn).data().toString();
            scopes[name] = board.index(r, 0).data(BreakerModel::ScopeRole).toString();
        }
        names.sort();
        QCOMPARE(names,
            QStringList(
                { QStringLiteral("email-gateway (all 2 origins)"), QStringLiteral("email-gateway @ ws://bus-a/events"),
                    QStringLiteral("email-gateway @ ws://bus-b/events") }));
        QCOMPARE(states.value(QStringLiteral("email-gateway @ ws://bus-a/events")), QStringLiteral("OPEN"));
        QCOMPARE(states.value(QStringLiteral("email-gateway @ ws://bus-b/events")), QStringLiteral("CLOSED"));
        QCOMPARE(states.value(QStringLiteral("email-gateway (all 2 origins)")), QStringLiteral("OPEN"));
        QCOMPARE(scopes.value(QStringLiteral("email-gateway (all 2 origins)")), QStringLiteral("merged"));
        QCOMPARE(scopes.value(QStringLiteral("email-gateway @ ws://bus-a/events")), QStringLiteral("origin"));
        // the summary keeps them apart too
        const QJsonObject breakers = SessionSummary::toJson(s).value(QLatin1String("breakers")).toObject();
        QCOMPARE(breakers.keys(),
            QStringList({ QStringLiteral("email-gateway @ ws://bus-a/events"),
                QStringLiteral("email-gateway @ ws://bus-b/events") }));
        QCOMPARE(breakers.value(QLatin1String("email-gateway @ ws://bus-b/events"))
                     .toObject()
                     .value(QLatin1String("transitions"))
                     .toInt(),
            2);
    }
};

QTEST_GUILESS_MAIN(TestBreakerModel)
#include "tst_breakermodel.moc"
