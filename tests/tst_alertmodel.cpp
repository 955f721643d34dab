// SPDX-License-Identifier: MIT
#include "alertmodel.h"
#include "demodata.h"
#include "session.h"

#include <QAbstractItemModelTester>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

class TestAlertModel : public QObject
{
    Q_OBJECT
    /// `count` events of one type, `spacingMs` apart from TestT0.
    static QByteArrayList evenly(const QByteArray& type, int count, int spacingMs)
    {
        QByteArrayList lines;
        for (int i = 0; i < count; ++i)
            lines << nativeEvent(type + '-' + QByteArray::number(i), type, isoAt(qint64(i) * spacingMs));
        return lines;
    }

    /// Four minutes of the demo bus at 40 events/s with the email gateway down from 40 s to 110 s, and
    /// payment.captured every 500 ms but for a minute from 100 s: the alerts of each kind the session
    /// judges on its own clock.
    static QByteArrayList incidentAndAQuietMinute()
    {
        DemoGenerator::Options options = earlyIncident();
        options.incidentStartSeconds = 40;
        options.incidentSeconds = 70;
        DemoGenerator generator(options);
        QByteArrayList lines;
        QByteArray out;
        int payments = 0;
        for (qint64 ms = 0; ms < 240000; ms += 25) {
            out.clear();
            generator.next(TestT0 + ms * 1000, out);
            for (const QByteArray& line : out.split('\n'))
                if (!line.isEmpty())
                    lines << line;
            if (ms % 500 == 0 && (ms < 100000 || ms >= 160000))
                lines << nativeEvent("payment-" + QByteArray::number(++payments), "payment.captured", isoAt(ms));
        }
        return lines;
    }

    /// Every row's kind, time, text and evidence, one line each.
    static QStringList rowsOf(const AlertModel& model)
    {
        QStringList rows;
        for (int r = 0; r < model.rowCount(); ++r) {
            const Alert& a = model.alert(r);
            rows << QStringLiteral("%1 %2 %3 [%4 %5 %6]")
                        .arg(int(a.kind))
                        .arg(a.timeUs)
                        .arg(a.text)
                        .arg(a.type)
                        .arg(a.breaker)
                        .arg(qint64(a.event));
        }
        return rows;
    }

private Q_SLOTS:
    void rulesFromSettingsAreClampedAndRoundTrip()
    {
        // settings may be edited by hand: values out of range are clamped, the rest kept
        QTemporaryDir dir;
        QSettings hostile(dir.filePath(QStringLiteral("a.ini")), QSettings::IniFormat);
        hostile.setValue(QStringLiteral("alerts/silentAfterSeconds"), 99999999);
        hostile.setValue(QStringLiteral("alerts/silentMinRate"), -5.0);
        hostile.setValue(QStringLiteral("alerts/deadLettersPer10s"), QStringLiteral("lots"));
        hostile.setValue(QStringLiteral("alerts/breakerOpened"), false);
        const AlertRules rules = AlertRules::load(hostile);
        QCOMPARE(rules.silentAfterSeconds, 3600);
        QCOMPARE(rules.silentMinRate, 0.01);
        QCOMPARE(rules.deadLettersPer10s, 0);
        QCOMPARE(rules.breakerOpened, false);
        // and what is saved is read back as it was
        AlertRules mine;
        mine.silentAfterSeconds = 42;
        mine.silentMinRate = 2.5;
        mine.deadLettersPer10s = 7;
        mine.consumerLagSeconds = 45;
        mine.redeliveriesPer10s = 3;
        QSettings kept(dir.filePath(QStringLiteral("b.ini")), QSettings::IniFormat);
        mine.save(kept);
        const AlertRules back = AlertRules::load(kept);
        QCOMPARE(back.silentAfterSeconds, 42);
        QCOMPARE(back.silentMinRate, 2.5);
        QCOMPARE(back.deadLettersPer10s, 7);
        QCOMPARE(back.consumerLagSeconds, 45);
        QCOMPARE(back.redeliveriesPer10s, 3);
        QCOMPARE(back.breakerOpened, true);
    }

    void aConsumerFallingBehindAndItsRedeliveriesAreAlerts()
    {
        // a consumer reported once a second: its lag grows for 40 s, while a healthy one keeps up
        Session s;
        AlertModel alerts(s);
        QAbstractItemModelTester tester(&alerts);
        const qint64 t0 = 1'800'000'000'000'000;
        const auto sample = [&](const char* name, int second, qint64 lagUs, quint64 redelivered) {
            DecodedBatch b;
            ConsumerSample c;
            c.timeUs = t0 + qint64(second) * 1000000;
            c.stream = "EVENTS";
            c.name = name;
            c.lagUs = lagUs;
            c.pending = quint64(second) * 10;
            c.redelivered = redelivered;
            b.consumers.push_back(c);
            s.ingest(b);
        };
        const auto count = [&](Alert::Kind kind) {
            int n = 0;
            for (int r = 0; r < alerts.rowCount(); ++r)
                n += alerts.alert(r).kind == kind;
            return n;
        };
        for (int second = 0; second <= 25; ++second) {
            sample("email", second, qint64(second) * 1000000, 0);
            sample("sms", second, 0, 0);
            alerts.refresh(t0 + qint64(second) * 1000000);
        }
        QCOMPARE(count(Alert::ConsumerLagging), 0); // growing, but for less than 30 s
        for (int second = 26; second <= 40; ++second) {
            sample("email", second, qint64(second) * 1000000, 0);
            sample("sms", second, 0, 0);
            alerts.refresh(t0 + qint64(second) * 1000000);
        }
        QCOMPARE(count(Alert::ConsumerLagging), 1); // once for the episode
        const Alert& lagging = alerts.alert(alerts.rowCount() - 1);
        QVERIFY2(lagging.text.contains(QLatin1String("email of EVENTS is falling behind")), qPrintable(lagging.text));
        QCOMPARE(alerts.index(alerts.rowCount() - 1, AlertModel::KindColumn).data().toString(),
            QStringLiteral("Consumer behind"));
        QCOMPARE(lagging.consumer, s.consumers().find(0, "EVENTS", "email"));
        // it catches up, then falls behind again: a second episode
        sample("email", 41, 0, 0);
        alerts.refresh(t0 + 41000000);
        for (int second = 42; second <= 75; ++second) {
            sample("email", second, qint64(second - 41) * 1000000, 0);
            alerts.refresh(t0 + qint64(second) * 1000000);
        }
        QCOMPARE(count(Alert::ConsumerLagging), 2);
        // 12 redeliveries within 10 s of sms: one alert
        for (int second = 76; second <= 80; ++second) {
            sample("sms", second, 0, quint64(second - 76) * 3);
            alerts.refresh(t0 + qint64(second) * 1000000);
        }
        QCOMPARE(count(Alert::RedeliveriesRising), 1);
        QVERIFY(alerts.alert(alerts.rowCount() - 1).text.contains(QLatin1String("12 messages delivered again")));
    }

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

    void alertsAreTheSameHoweverOftenTheyAreLookedAt()
    {
        // a capture read a part at a time, looked at after each part, and read at once, looked at once:
        // the same alerts, the same times, the same words (each rule judged on the events as they came)
        const QByteArrayList lines = incidentAndAQuietMinute();
        Session often(eventTimeConfig()), once(eventTimeConfig());
        AlertModel oftenAlerts(often), onceAlerts(once);
        QAbstractItemModelTester tester(&oftenAlerts, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int parts[] = { 7, 300, 1, 2000, 45, 911 };
        for (qsizetype i = 0, p = 0; i < lines.size(); ++p) {
            const qsizetype part = std::min<qsizetype>(parts[p % std::size(parts)], lines.size() - i);
            often.ingest(*decodeLines(lines.mid(i, part)));
            i += part;
            oftenAlerts.refresh(often.lastEventTimeUs());
        }
        feed(once, lines);
        onceAlerts.refresh(once.lastEventTimeUs());
        const QStringList rows = rowsOf(onceAlerts);
        QCOMPARE(rowsOf(oftenAlerts), rows);

        // every time-judged kind is among them
        const auto has = [&rows](Alert::Kind kind, const QString& words) {
            return std::any_of(rows.begin(), rows.end(), [&](const QString& row) {
                return row.startsWith(QString::number(int(kind)) + QLatin1Char(' ')) && row.contains(words);
            });
        };
        QVERIFY2(has(Alert::TypeSilent, QStringLiteral("payment.captured went silent: none for 60 s, from ")),
            qPrintable(rows.join(QLatin1Char('\n'))));
        QVERIFY2(
            has(Alert::TypeRecovered, QStringLiteral("stopped: none since")), qPrintable(rows.join(QLatin1Char('\n'))));
        QVERIFY2(has(Alert::DeadLettersRising, QStringLiteral("dead letters within 10 s")),
            qPrintable(rows.join(QLatin1Char('\n'))));
        QVERIFY2(has(Alert::BreakerOpened, QStringLiteral("email-gateway")), qPrintable(rows.join(QLatin1Char('\n'))));
        // the quiet minute said when it would have been live: 15 s after its last event before
        const int silent = int(std::find_if(rows.begin(), rows.end(), [](const QString& r) {
            return r.contains(QLatin1String("payment.captured went"));
        }) - rows.begin());
        QCOMPARE(onceAlerts.alert(silent).timeUs, TestT0 + (99500 + 15000) * qint64(1000));
    }

    void aBusyTypeThatGoesQuietIsSilent()
    {
        Session s(eventTimeConfig());
        AlertModel model(s);
        AlertRules rules;
        rules.silentAfterSeconds = 5;
        model.setRules(rules);
        feed(s, evenly("payment.captured", 130, 500)); // steady: 130 events over 64.5 s
        model.refresh(TestT0 + 66 * 1000000);
        QCOMPARE(model.rowCount(), 0); // 1.5 s quiet: not yet
        model.refresh(TestT0 + 71 * 1000000);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.alert(0).kind, Alert::TypeSilent);
        QCOMPARE(s.types().string(quint16(model.alert(0).type)), QStringLiteral("payment.captured"));
        QVERIFY(model.alert(0).isAlarm());
        model.refresh(TestT0 + 75 * 1000000);
        QCOMPARE(model.rowCount(), 1); // once per silence
        // thresholds off: nothing
        AlertModel quiet(s);
        quiet.setRules({ false, 0, 1, 0 });
        quiet.refresh(TestT0 + 100 * 1000000);
        QCOMPARE(quiet.rowCount(), 0);
    }

    void onlyASteadyTypeGoesSilent_data()
    {
        QTest::addColumn<int>("events");
        QTest::addColumn<int>("spacingMs");
        QTest::addColumn<bool>("silent");
        QTest::addRow("19 events over 90 s: too few") << 19 << 5000 << false;
        QTest::addRow("200 events over 40 s: too short") << 200 << 200 << false;
        QTest::addRow("20 events over 95 s: steady") << 20 << 5000 << true;
    }
    void onlyASteadyTypeGoesSilent()
    {
        QFETCH(int, events);
        QFETCH(int, spacingMs);
        QFETCH(bool, silent);
        Session s(eventTimeConfig());
        AlertModel model(s);
        AlertRules rules;
        rules.silentAfterSeconds = 15;
        rules.silentMinRate = 0.1;
        model.setRules(rules);
        feed(s, evenly("shift.started", events, spacingMs));
        model.refresh(TestT0 + (qint64(events) * spacingMs + 30000) * 1000);
        QCOMPARE(model.rowCount(), silent ? 1 : 0);
    }

    void aFailureTypeThatStopsHasRecovered_data()
    {
        QTest::addColumn<QByteArray>("type");
        for (const char* type : { "system.error", "payment.failed", "system.handler.failed",
                 "system.event.retry_scheduled", "system.event.dead_lettered" })
            QTest::addRow("%s", type) << QByteArray(type);
    }
    void aFailureTypeThatStopsHasRecovered()
    {
        QFETCH(QByteArray, type);
        QVERIFY(AlertModel::isFailureType(type.toStdString()));
        QVERIFY(!AlertModel::isFailureType("payment.captured"));
        QVERIFY(!AlertModel::isFailureType("error.handled.ok"));
        Session s(eventTimeConfig());
        AlertModel model(s);
        AlertRules rules;
        rules.silentAfterSeconds = 5;
        rules.deadLettersPer10s = 0;
        model.setRules(rules);
        feed(s, evenly(type, 130, 500));
        model.refresh(TestT0 + 80 * 1000000);
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.alert(0).kind, Alert::TypeRecovered);
        QVERIFY(!model.alert(0).isAlarm()); // information: no red banner
        QVERIFY2(model.alert(0).text.endsWith(QLatin1String("recovered")), qPrintable(model.alert(0).text));
        QCOMPARE(model.index(0, AlertModel::KindColumn).data().toString(), QStringLiteral("Recovered"));
    }
};

QTEST_GUILESS_MAIN(TestAlertModel)
#include "tst_alertmodel.moc"
