// SPDX-License-Identifier: MIT
// Recording from the app and the flight recorder: the live session's frames into one capture from every
// connection; the last minutes saved on demand or when a breaker opens, a dead letter arrives or a
// filter matches, with the minutes before the trigger and the seconds after it.
#include "captureloader.h"
#include "capturereader.h"
#include "demodata.h"
#include "flightrecorder.h"
#include "mainwindow.h"
#include "recordingcontrols.h"
#include "session.h"
#include "sourcehub.h"

#include <QAction>
#include <QLabel>
#include <QMenu>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

namespace {
constexpr qint64 Second = 1000000;

/// The demo's lines of second `s` (of 1000 events/s), received when they were produced.
std::shared_ptr<DecodedBatch> second(const QByteArrayList& lines, int s)
{
    return decodeLines(lines.mid(s * 1000, 1000), TestT0 + qint64(s) * Second - 1000);
}

Session::Config liveConfig()
{
    Session::Config c;
    c.clock = Session::Clock::Live;
    return c;
}

std::unique_ptr<Session> readBack(const QString& path)
{
    Session::Config config;
    config.clock = Session::Clock::Recorded;
    auto s = std::make_unique<Session>(config);
    QString error;
    if (!CaptureLoader::readInto(*s, path, &error))
        qWarning("%s", qPrintable(error));
    return s;
}
} // namespace

class TestFlightRecorder : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void aBreakerOpeningSavesTheMinutesBeforeAndTheSecondsAfter()
    {
        const QByteArrayList lines = demoLines(20, 1000, earlyIncident()); // the breaker opens after 2 s
        Session session(liveConfig());
        FlightRecorder recorder(session);
        FlightRecorder::Options options;
        options.minutes = 1;
        options.afterSeconds = 3;
        options.directory = m_dir.path();
        QString error;
        QVERIFY(recorder.setOptions(options, &error));
        recorder.setArmed(true);
        QSignalSpy triggered(&recorder, &FlightRecorder::triggered);
        QSignalSpy saved(&recorder, &FlightRecorder::saved);
        int triggerSecond = -1;
        for (int s = 0; s < 20; ++s) {
            session.ingest(*second(lines, s));
            recorder.check(TestT0 + qint64(s + 1) * Second);
            if (triggerSecond < 0 && !triggered.isEmpty())
                triggerSecond = s + 1;
        }
        QVERIFY(triggerSecond > 0);
        QVERIFY2(triggered.first().first().toString().contains(QStringLiteral("email-gateway opened")),
            qPrintable(triggered.first().first().toString()));
        // the breaker opens twice in the incident: each opening has its capture; the first is looked at
        QTRY_VERIFY(saved.size() >= 1);
        const QString path = saved.first().at(0).toString();
        QVERIFY(path.startsWith(m_dir.path()));
        QVERIFY2(QFileInfo(path).fileName().startsWith(QStringLiteral("eventscope-flight-")), qPrintable(path));
        QVERIFY(path.endsWith(QStringLiteral("breaker-email-gateway-opened.escap")));

        // everything from the minute before the trigger (here: the start) to three seconds after it
        const std::unique_ptr<Session> read = readBack(path);
        const Session& back = *read;
        QCOMPARE(back.malformedCount(), quint64(0));
        const quint64 expected = quint64(triggerSecond + 3) * 1000;
        QCOMPARE(saved.first().at(1).toULongLong(), expected);
        QCOMPARE(back.eventCount(), expected);
        QCOMPARE(back.breakers().size(), std::size_t(1));
        QVERIFY(back.breakers().at(0).transitionCount >= 1);
        // and it says why it was saved
        EventDecoder decoder;
        CaptureReader reader(decoder);
        QVERIFY(reader.open(path));
        Session sink;
        CaptureReader::Sink s;
        s.addOrigin = [&](const QString& n) { return sink.addOrigin(n); };
        s.deliver = [&](DecodedBatch& b) {
            sink.ingest(b);
            return true;
        };
        QVERIFY(reader.read(s));
        QCOMPARE(reader.annotations().size(), std::size_t(1));
        QVERIFY(reader.annotations().front().second.contains("flight recorder: breaker email-gateway opened"));
    }

    void filterAndDeadLetterTriggers()
    {
        const QByteArrayList lines = demoLines(12, 1000, earlyIncident());
        Session session(liveConfig());
        FlightRecorder recorder(session);
        FlightRecorder::Options options;
        options.minutes = 1;
        options.afterSeconds = 0;
        options.directory = m_dir.path();
        options.onBreakerOpen = false;
        options.onDeadLetter = true;
        options.filter = QStringLiteral("type == \"booking.cancelled\"");
        QString error;
        QVERIFY(recorder.setOptions(options, &error));
        QSignalSpy triggered(&recorder, &FlightRecorder::triggered);
        // not armed: nothing fires
        session.ingest(*second(lines, 0));
        recorder.check(TestT0 + Second);
        QCOMPARE(triggered.size(), 0);
        recorder.setArmed(true);
        for (int s = 1; s < 12; ++s) {
            session.ingest(*second(lines, s));
            recorder.check(TestT0 + qint64(s + 1) * Second);
        }
        QStringList reasons;
        for (const QList<QVariant>& t : triggered)
            reasons << t.first().toString();
        QVERIFY2(reasons.join(u'|').contains(QStringLiteral("matched type == \"booking.cancelled\"")),
            qPrintable(reasons.join(u'|')));
        QVERIFY2(reasons.join(u'|').contains(QStringLiteral("dead letter")), qPrintable(reasons.join(u'|')));

        // a filter that does not parse is refused, the old options stay
        options.filter = QStringLiteral("type ==");
        QVERIFY(!recorder.setOptions(options, &error));
        QVERIFY(!error.isEmpty());
        QCOMPARE(recorder.options().filter, QStringLiteral("type == \"booking.cancelled\""));
    }

    void saveNowKeepsTheLastMinutes()
    {
        const QByteArrayList lines = demoLines(150, 100); // 100 events/s for 2.5 minutes
        Session session(liveConfig());
        for (int s = 0; s < 150; ++s)
            session.ingest(*decodeLines(lines.mid(s * 100, 100), TestT0 + qint64(s) * Second));
        FlightRecorder recorder(session);
        FlightRecorder::Options options;
        options.minutes = 1;
        QString error;
        QVERIFY(recorder.setOptions(options, &error));
        QSignalSpy saved(&recorder, &FlightRecorder::saved);
        const QString path = m_dir.filePath(QStringLiteral("now.escap"));
        recorder.saveNow(path, TestT0 + 150 * Second);
        QTRY_COMPARE(saved.size(), 1);
        const std::unique_ptr<Session> read = readBack(path);
        const Session& back = *read;
        // the last 60 seconds (receive times 90.0 s .. 150 s): 60 or 61 seconds' worth
        QVERIFY2(
            back.eventCount() >= 6000 && back.eventCount() <= 6100, qPrintable(QString::number(back.eventCount())));
        QVERIFY(back.malformedCount() == 0);
    }

    void aFileThatCannotBeWrittenIsReported()
    {
        Session session(liveConfig());
        session.ingest(*decodeLines(demoLines(1, 100), TestT0));
        FlightRecorder recorder(session);
        QSignalSpy failed(&recorder, &FlightRecorder::failed);
        recorder.saveNow(QStringLiteral("/nonexistent/dir/x.escap"), TestT0 + Second);
        QTRY_COMPARE(failed.size(), 1);
        QVERIFY2(failed.first().first().toString().contains(QStringLiteral("/nonexistent/dir/x.escap")),
            qPrintable(failed.first().first().toString()));
    }

    void recordingFromTheAppTakesEveryConnection()
    {
        // the embedded demo bus, watched twice: both connections record into one capture
        Session session;
        SourceHub hub(session);
        DemoBus::Options demo;
        demo.eventsPerSecond = 2000;
        QString error;
        QVERIFY2(hub.startDemo(demo, &error), qPrintable(error));
        ConnectionSettings second;
        for (quint16 o = 0; o < session.origins().size(); ++o)
            if (session.originName(o).startsWith(QStringLiteral("ws://")))
                second.url = QUrl(session.originName(o));
        QVERIFY(second.url.isValid());
        hub.connectTo(second);
        const QString path = m_dir.filePath(QStringLiteral("recorded.escap"));
        QVERIFY2(hub.startRecording(path, &error), qPrintable(error));
        QVERIFY(hub.isRecording());
        QTRY_VERIFY_WITH_TIMEOUT(hub.framesRecorded() > 200, 20000);
        QVERIFY(hub.stopRecording(&error));
        QVERIFY(!hub.isRecording());
        hub.stopAll();
        const std::unique_ptr<Session> read = readBack(path);
        const Session& back = *read;
        QCOMPARE(back.malformedCount(), quint64(0));
        QVERIFY(back.eventCount() > 200);
        // the same events through both connections: the second copy of each is a duplicate
        QVERIFY(back.duplicateCount() > 0);
        // a file that cannot be created
        QVERIFY(!hub.startRecording(QStringLiteral("/nonexistent/dir/r.escap"), &error));
        QVERIFY2(error.contains(QStringLiteral("/nonexistent/dir/r.escap")), qPrintable(error));
    }

    void theLiveWindowRecords()
    {
        Session session;
        MainWindow window(session);
        SourceHub hub(session);
        RecordingControls controls(window, session, hub, false);
        // File: ... Record, Save the last minutes, Flight recorder, then Quit
        const QList<QAction*> actions = window.fileMenu()->actions();
        const qsizetype quit = actions.indexOf(window.quitAction());
        QVERIFY(quit >= 4);
        QCOMPARE(actions[quit - 4]->text(), QStringLiteral("&Record to a capture..."));
        QLabel* rec = nullptr;
        for (QLabel* l : window.findChildren<QLabel*>())
            if (l->accessibleName() == QStringLiteral("Recording"))
                rec = l;
        QVERIFY(rec);
        QVERIFY(rec->isHidden());
        DemoBus::Options demo;
        demo.eventsPerSecond = 1000;
        QString error;
        QVERIFY2(hub.startDemo(demo, &error), qPrintable(error));
        const QString path = m_dir.filePath(QStringLiteral("window.escap"));
        QVERIFY(controls.startRecording(path));
        QVERIFY(!rec->isHidden());
        QVERIFY(actions[quit - 4]->isChecked());
        QTRY_VERIFY_WITH_TIMEOUT(hub.framesRecorded() > 10, 20000);
        controls.stopRecording();
        QVERIFY(rec->isHidden());
        QVERIFY(!actions[quit - 4]->isChecked());
        hub.stopAll();
        const std::unique_ptr<Session> read = readBack(path);
        QVERIFY(read->eventCount() > 10);
    }

    void fileNames()
    {
        QCOMPARE(FlightRecorder::fileNameFor(TestT0, QStringLiteral("breaker email-gateway opened")),
            QStringLiteral("eventscope-flight-20261129-100000-breaker-email-gateway-opened.escap"));
        // nothing from the reason can leave the directory or hide in the name
        QCOMPARE(FlightRecorder::fileNameFor(TestT0, QStringLiteral("../../etc/passwd matched")),
            QStringLiteral("eventscope-flight-20261129-100000-etc-passwd-matched.escap"));
    }
};

QTEST_MAIN(TestFlightRecorder)
#include "tst_flightrecorder.moc"
