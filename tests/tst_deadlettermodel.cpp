// SPDX-License-Identifier: MIT
#include "deadlettermodel.h"
#include "demodata.h"
#include "session.h"

#include <QAbstractItemModelTester>
#include <QTest>

class TestDeadLetterModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyDeadLetterLinkedToItsEventAndChain()
    {
        Session s(eventTimeConfig());
        DeadLetterModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        // the report arrives before the event it is about: linked when that event comes
        s.ingest(*decodeLines(
            { nativeEvent("dl", "system.event.dead_lettered", isoAt(10), "k", "n1",
                R"({"eventId":"n1","eventType":"notification.created","attempts":5,"reason":"circuit open"})") },
            TestT0));
        model.refresh();
        QCOMPARE(model.rowCount(), 1);
        QVERIFY(!model.index(0, 0).data(DeadLetterModel::TargetRole).isValid());
        QCOMPARE(model.index(0, DeadLetterModel::TypeColumn).data().toString(), QStringLiteral("notification.created"));
        QCOMPARE(model.index(0, DeadLetterModel::AttemptsColumn).data().toInt(), 5);
        QCOMPARE(model.index(0, DeadLetterModel::ReasonColumn).data().toString(), QStringLiteral("circuit open"));
        QCOMPARE(model.index(0, DeadLetterModel::CorrelationColumn).data().toString(), QStringLiteral("k"));
        s.ingest(*decodeLines({ nativeEvent("n1", "notification.created", isoAt(0), "k") }, TestT0));
        model.refresh();
        QCOMPARE(model.index(0, 0).data(DeadLetterModel::TargetRole).toUInt(),
            s.store().findId(Uuid::fromText("n1", nullptr)));
        QCOMPARE(model.index(0, 0).data(DeadLetterModel::ChainRole).toUInt(), s.chains().find(std::string_view("k")));
    }

    void demoIncidentUnderTheTester()
    {
        Session s(eventTimeConfig());
        DeadLetterModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const QByteArrayList lines = demoLines(12, 400, earlyIncident());
        for (int i = 0; i < lines.size(); i += 500) {
            feed(s, lines.mid(i, 500));
            model.refresh();
        }
        QVERIFY(model.rowCount() > 10);
        QCOMPARE(quint64(model.rowCount()), s.retries().count(RetryTracker::DeadLetter));
        for (int r = 0; r < model.rowCount(); ++r)
            QVERIFY(model.index(r, 0).data(DeadLetterModel::ChainRole).isValid());
    }
};

QTEST_GUILESS_MAIN(TestDeadLetterModel)
#include "tst_deadlettermodel.moc"
