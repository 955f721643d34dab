// SPDX-License-Identifier: MIT
#include "alertmodel.h"
#include "demodata.h"
#include "session.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class TestAlertModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void incidentRaisesBreakerAndDeadLetterAlerts()
    {
        Session s(eventTimeConfig());
        AlertModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy raised(&model, &AlertModel::raised);
        const QByteArrayList lines = demoLines(16, 400, earlyIncident());
        for (int i = 0; i < lines.size(); i += 400) {
            feed(s, lines.mid(i, 400));
            model.refresh(s.lastEventTimeUs());
        }
        QVERIFY(raised.count() > 0);
        bool breaker = false, deadLetters = false;
        for (int r = 0; r < model.rowCount(); ++r) {
            const Alert& a = model.alert(r);
            if (a.kind == Alert::BreakerOpened) {
                breaker = true;
                QVERIFY(a.text.contains(QLatin1String("email-gateway")));
                // the evidence is the report of the transition
                QCOMPARE(s.types().string(s.store().at(a.event).type),
                    QStringLiteral("system.circuit_breaker.state_changed"));
            }
            if (a.kind == Alert::DeadLettersRising) {
                deadLetters = true;
                QCOMPARE(s.types().string(s.store().at(a.event).type), QStringLiteral("system.event.dead_lettered"));
            }
        }
        QVERIFY(breaker);
        QVERIFY2(deadLetters, qPrintable(QString::number(s.retries().count(RetryTracker::DeadLetter))));
        // dead-letter alerts are rate-limited to one a minute
        int dl = 0;
        for (int r = 0; r < model.rowCount(); ++r)
            dl += model.alert(r).kind == Alert::DeadLettersRising;
        QCOMPARE(dl, 1);
    }

    void aBusyTypeThatGoesQuietIsSilent()
    {
        Session s(eventTimeConfig());
        AlertModel model(s);
        AlertRules rules;
        rules.silentAfterSeconds = 5;
        model.setRules(rules);
        QByteArrayList lines;
        for (int i = 0; i < 60; ++i)
            lines << nativeEvent("p" + QByteArray::number(i), "payment.captured", isoAt(i * 500));
        feed(s, lines);
        model.refresh(TestT0 + 31 * 1000000);
        QCOMPARE(model.rowCount(), 0); // 1.5 s quiet: not yet
        model.refresh(TestT0 + 36 * 1000000);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.alert(0).kind, Alert::TypeSilent);
        QCOMPARE(s.types().string(quint16(model.alert(0).type)), QStringLiteral("payment.captured"));
        model.refresh(TestT0 + 40 * 1000000);
        QCOMPARE(model.rowCount(), 1); // once per silence
        // thresholds off: nothing
        AlertModel quiet(s);
        quiet.setRules({ false, 0, 1, 0 });
        quiet.refresh(TestT0 + 100 * 1000000);
        QCOMPARE(quiet.rowCount(), 0);
    }
};

QTEST_GUILESS_MAIN(TestAlertModel)
#include "tst_alertmodel.moc"
