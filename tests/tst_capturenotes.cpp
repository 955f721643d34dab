// SPDX-License-Identifier: MIT
// Bookmarks and comments kept with the capture: appended to an EventScope capture (which stays a valid
// capture), beside any other file (which is never touched), folded by id, shown again when reopened,
// and a way back to their place in replay.
#include "capturenotes.h"
#include "capturereader.h"
#include "capturewindows.h"
#include "capturewriter.h"
#include "demodata.h"
#include "mainwindow.h"
#include "notespanel.h"
#include "session.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>

namespace {
QByteArray sha(const QString& path)
{
    QFile f(path);
    f.open(QIODevice::ReadOnly);
    return QCryptographicHash::hash(f.readAll(), QCryptographicHash::Sha256);
}

CaptureWindow* openLoaded(CaptureWindows& windows, const QString& path)
{
    QString error;
    CaptureWindow* c = windows.open(path, &error);
    if (!c) {
        qWarning("%s", qPrintable(error));
        return nullptr;
    }
    QElapsedTimer clock;
    clock.start();
    while (!c->isLoaded() && clock.elapsed() < 30000)
        QTest::qWait(5);
    return c;
}
} // namespace

class TestCaptureNotes : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void foldKeepsTheLastOfEachIdAndDropsRemovedOnes()
    {
        const std::vector<std::pair<qint64, QByteArray>> records {
            { 30, "{\"id\":\"a\",\"kind\":\"bookmark\",\"text\":\"first\"}" },
            { 10, "{\"id\":\"b\",\"kind\":\"comment\",\"text\":\"why\"}" },
            { 30, "{\"id\":\"a\",\"kind\":\"bookmark\",\"text\":\"renamed\"}" },
            { 20, "{\"id\":\"c\",\"kind\":\"bookmark\",\"text\":\"gone\"}" },
            { 20, "{\"id\":\"c\",\"removed\":true}" },
            { 40, "{\"kind\":\"comment\",\"text\":\"flight recorder: breaker opened\"}" },
            { 50, "not json" },
            { 60, QByteArray("{\"id\":\"big\",\"text\":\"") + QByteArray(70000, 'x') + "\"}" },
        };
        const std::vector<CaptureNotes::Note> notes = CaptureNotes::fold(records);
        QCOMPARE(notes.size(), std::size_t(3));
        QCOMPARE(notes[0].text, QStringLiteral("why")); // by time
        QCOMPARE(notes[0].kind, QStringLiteral("comment"));
        QCOMPARE(notes[1].text, QStringLiteral("renamed"));
        QCOMPARE(notes[2].text, QStringLiteral("flight recorder: breaker opened"));
        QVERIFY(!notes[2].id.isEmpty());
    }

    void inAnEventScopeCaptureTheyAreAppendedToIt()
    {
        const QString path = m_dir.filePath(QStringLiteral("session.escap"));
        const QByteArrayList lines = demoLines(10, 200);
        {
            CaptureWriter out;
            QVERIFY(out.open(path, QUrl(QStringLiteral("ws://bus/events")), TestT0));
            QVERIFY(out.writeOrigin(0, QUrl(QStringLiteral("ws://bus/events"))));
            for (qsizetype i = 0; i < lines.size(); ++i)
                QVERIFY(out.writeFrame(0, TestT0 + i * 5000, lines[i]));
            out.close();
        }
        CaptureWindows windows;
        QString error;
        {
            CaptureWindow* c = openLoaded(windows, path);
            QVERIFY(c && c->isLoaded());
            QCOMPARE(c->notes().storePath(), path);
            QVERIFY2(c->addNote(QStringLiteral("bookmark"), QStringLiteral("the first rejection"), TestT0 + 3000000, &error),
                qPrintable(error));
            QVERIFY(c->addNote(QStringLiteral("comment"), QStringLiteral("retries start here"), TestT0 + 1000000, &error));
            QCOMPARE(c->notesPanel()->table()->rowCount(), 2);
            QCOMPARE(c->notesPanel()->table()->item(0, 2)->text(), QStringLiteral("retries start here"));
            QVERIFY(!QFile::exists(CaptureNotes::sidecarPath(path)));
            // a double-click on a note replays to it
            Q_EMIT c->notesPanel()->seekRequested(TestT0 + 3000000);
            QCOMPARE(c->playheadUs(), TestT0 + 3000000);
            QTRY_VERIFY_WITH_TIMEOUT(c->isAtPlayhead(), 20000);
            c->window()->close();
        }
        // the capture is still whole: every event, no damage, the notes inside
        {
            Session s;
            EventDecoder decoder;
            CaptureReader reader(decoder);
            QVERIFY(reader.open(path));
            CaptureReader::Sink sink;
            sink.addOrigin = [&](const QString& n) { return s.addOrigin(n); };
            sink.deliver = [&](DecodedBatch& b) {
                s.ingest(b);
                return true;
            };
            QVERIFY(reader.read(sink));
            QCOMPARE(s.eventCount(), quint64(lines.size()));
            QCOMPARE(s.malformedCount(), quint64(0));
            QCOMPARE(reader.annotations().size(), std::size_t(2));
        }
        // opened again: the notes are back; a removal and an edit are kept too
        {
            CaptureWindow* c = openLoaded(windows, path);
            QVERIFY(c);
            QCOMPARE(c->notes().notes().size(), std::size_t(2));
            CaptureNotes::Note first = c->notes().notes().front();
            first.text = QStringLiteral("retries start a little before");
            QVERIFY(c->editNote(first, &error));
            QVERIFY(c->removeNote(c->notes().notes().back().id, &error));
            c->window()->close();
        }
        CaptureWindow* c = openLoaded(windows, path);
        QVERIFY(c);
        QCOMPARE(c->notes().notes().size(), std::size_t(1));
        QCOMPARE(c->notes().notes().front().text, QStringLiteral("retries start a little before"));
    }

    void otherFilesAreNeverTouched()
    {
        const QString path = m_dir.filePath(QStringLiteral("dump.ndjson"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(demoLines(5, 200).join('\n') + '\n');
        f.close();
        const QByteArray before = sha(path);
        CaptureWindows windows;
        QString error;
        {
            CaptureWindow* c = openLoaded(windows, path);
            QVERIFY(c);
            QCOMPARE(c->notes().storePath(), CaptureNotes::sidecarPath(path));
            QVERIFY2(c->addNote(QStringLiteral("bookmark"), QStringLiteral("here"), TestT0 + 2000000, &error),
                qPrintable(error));
            c->window()->close();
        }
        QCOMPARE(sha(path), before);
        QVERIFY(QFile::exists(CaptureNotes::sidecarPath(path)));
        CaptureWindow* c = openLoaded(windows, path);
        QVERIFY(c);
        QCOMPARE(c->notes().notes().size(), std::size_t(1));
        QCOMPARE(c->notes().notes().front().timeUs, TestT0 + 2000000);
        QCOMPARE(c->notes().notes().front().text, QStringLiteral("here"));
    }

    void aNoteThatCannotBeWrittenSaysWhy()
    {
        CaptureNotes notes;
        notes.load(QStringLiteral("/nonexistent/dir/x.ndjson"), {}, false);
        CaptureNotes::Note n;
        n.text = QStringLiteral("x");
        QString error;
        QVERIFY(!notes.put(n, &error));
        QVERIFY2(error.contains(QStringLiteral("/nonexistent/dir/x.ndjson.notes.ndjson")), qPrintable(error));
        QVERIFY(notes.notes().empty());
    }
};

QTEST_MAIN(TestCaptureNotes)
#include "tst_capturenotes.moc"
