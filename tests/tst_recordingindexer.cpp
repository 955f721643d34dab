// SPDX-License-Identifier: MIT
// A capture's index kept as it is recorded (RecordingIndexer, through CaptureRecorder): a recording
// opens from its index once it ends, and a crash in the middle leaves an index of a prefix, from which
// an open reads on to what equals a read of the whole.
#include "captureloader.h"
#include "capturerecorder.h"
#include "capturesession.h"
#include "demodata.h"
#include "session.h"
#include "sessionindex.h"
#include "sessionsummary.h"

#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <cstring>
#include <functional>

namespace {
QByteArray summaryOf(const Session& s) { return QJsonDocument(SessionSummary::toJson(s)).toJson(); }

/// The capture size an index file says it was made of (its header, docs/capture-format.md).
quint64 indexedSizeOf(const QString& index)
{
    QFile f(index);
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray head = f.read(SessionIndex::HeaderBytes);
    quint64 size = 0;
    if (head.size() == qsizetype(SessionIndex::HeaderBytes))
        std::memcpy(&size, head.constData() + 16, sizeof size);
    return size;
}
} // namespace

class TestRecordingIndexer : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    quint64 m_key = SessionIndex::settingsKey(CaptureSession::sessionConfig(), CaptureSession::decoderConfig());

    std::unique_ptr<Session> readWhole(const QString& path)
    {
        auto s = std::make_unique<Session>(CaptureSession::sessionConfig());
        QString error;
        if (!CaptureLoader::readInto(*s, path, &error, CaptureSession::decoderConfig()))
            qWarning() << error;
        return s;
    }

    /// Opens `path` as the window does, from its index and on from its end: the session and where it read
    /// on from (0: the index held it all). Empty when there is no usable index.
    std::unique_ptr<Session> openFromIndex(const QString& path, quint64* readOnFrom)
    {
        auto s = std::make_unique<Session>(CaptureSession::sessionConfig());
        SessionIndex::Extra extra;
        SessionIndex::ReadOnAt at;
        QString why, error;
        if (!SessionIndex::load(path, m_key, true, *s, &extra, &why, &at)) {
            qWarning() << why;
            return nullptr;
        }
        *readOnFrom = at.offset;
        if (at.offset != 0
            && !CaptureLoader::readInto(*s, path, &error, CaptureSession::decoderConfig(), &extra.readOn, &at)) {
            qWarning() << error;
            return nullptr;
        }
        return s;
    }

    /// Records `lines` into `path` through a CaptureRecorder, a frame each 0.5 ms of receive time, and
    /// closes it; `halfway` runs (the records so far flushed) when half of them are written. False when a
    /// write fails.
    static bool recordLines(const QString& path, const QByteArrayList& lines, const std::function<void()>& halfway = {})
    {
        const QUrl bus(QStringLiteral("ws://bus/events"));
        CaptureRecorder recorder;
        if (!recorder.open(path, bus, TestT0))
            return false;
        const quint16 origin = recorder.addOrigin(bus, QStringLiteral("json"));
        for (qsizetype i = 0; i < lines.size(); ++i) {
            if (!recorder.writeFrame(origin, TestT0 + i * 500, lines[i], false))
                return false;
            if (halfway && i == lines.size() / 2) {
                if (!recorder.flush())
                    return false;
                halfway();
            }
        }
        return true;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void aRecordingKeepsItsIndexAndACrashLeavesAPrefix()
    {
        const QString path = m_dir.filePath(QStringLiteral("recorded.escap"));
        const QString index = SessionIndex::besidePath(path);
        const QUrl bus(QStringLiteral("ws://bus/events"));
        // 40 s of the demo bus at 2,000 events/s (about 30 MB): the first index at 8 MiB, the last whole
        const QByteArrayList lines = demoLines(40, 2000, earlyIncident());
        const qsizetype firstPart = lines.size() / 2, secondPart = lines.size() * 3 / 4;
        auto recorder = std::make_shared<CaptureRecorder>();
        QVERIFY(recorder->open(path, bus, TestT0));
        const quint16 origin = recorder->addOrigin(bus, QStringLiteral("json"));
        auto record = [&](qsizetype from, qsizetype to) {
            for (qsizetype i = from; i < to; ++i)
                QVERIFY(recorder->writeFrame(origin, TestT0 + i * 500, lines[i], false));
            QVERIFY(recorder->flush());
        };
        record(0, firstPart);
        QVERIFY(QFileInfo(path).size() >= qint64(SessionIndex::MinimumCaptureBytes));
        // made on the indexer's thread while the recording goes on
        QTRY_VERIFY_WITH_TIMEOUT(indexedSizeOf(index) >= SessionIndex::MinimumCaptureBytes, 30000);
        const quint64 indexed = indexedSizeOf(index);
        record(firstPart, secondPart);
        QVERIFY(recorder->writeAnnotation(TestT0 + 1000, "{\"kind\":\"bookmark\",\"text\":\"mid-way\"}"));
        QVERIFY(recorder->flush());

        // a crash now leaves the capture as far as it was written and the index of its beginning
        const QString crashed = m_dir.filePath(QStringLiteral("crashed.escap"));
        QVERIFY(QFile::copy(path, crashed));
        QVERIFY(QFile::copy(index, SessionIndex::besidePath(crashed)));
        QVERIFY(indexed < quint64(QFileInfo(crashed).size()));
        quint64 readOnFrom = 0;
        const auto reopened = openFromIndex(crashed, &readOnFrom);
        QVERIFY(reopened);
        QCOMPARE(readOnFrom, indexed);
        const auto crashedWhole = readWhole(crashed);
        QCOMPARE(crashedWhole->eventCount(), quint64(secondPart));
        QCOMPARE(summaryOf(*reopened), summaryOf(*crashedWhole));

        // the recording ends: its last index holds the whole capture, bookmark included
        record(secondPart, lines.size());
        recorder.reset(); // the last holder closes the capture
        RecordingIndexer::finishAll();
        QCOMPARE(indexedSizeOf(index), quint64(QFileInfo(path).size()));
        const auto whole = readWhole(path);
        QCOMPARE(whole->eventCount(), quint64(lines.size()));
        const auto opened = openFromIndex(path, &readOnFrom);
        QVERIFY(opened);
        QCOMPARE(readOnFrom, quint64(0));
        QCOMPARE(summaryOf(*opened), summaryOf(*whole));
        Session restored(CaptureSession::sessionConfig());
        SessionIndex::Extra extra;
        QString why;
        QVERIFY2(SessionIndex::load(path, m_key, true, restored, &extra, &why), qPrintable(why));
        QCOMPARE(extra.annotations.size(), std::size_t(1));
        QVERIFY(extra.appendable);
    }

    void aWindowThatQuitsRightAfterARecordingLeavesAnIndexToReadOnFrom()
    {
        // the window quits at once (stopAll()): the last index may not be made, but the one made while
        // recording is, and the capture opens from it to what a whole read makes
        const QString path = m_dir.filePath(QStringLiteral("quit.escap"));
        const QByteArrayList lines = demoLines(30, 2000, earlyIncident());
        bool indexedHalfway = false;
        QVERIFY(recordLines(path, lines, [&] {
            // made on the indexer's thread while the recording goes on
            for (int waited = 0; waited < 30000 && !QFile::exists(SessionIndex::besidePath(path)); waited += 10)
                QTest::qWait(10);
            indexedHalfway = QFile::exists(SessionIndex::besidePath(path));
        }));
        QVERIFY(indexedHalfway);
        RecordingIndexer::stopAll();
        QVERIFY(QFile::exists(SessionIndex::besidePath(path)));
        quint64 readOnFrom = 0;
        const auto opened = openFromIndex(path, &readOnFrom);
        QVERIFY(opened);
        QCOMPARE(summaryOf(*opened), summaryOf(*readWhole(path)));
        QCOMPARE(opened->eventCount(), quint64(lines.size()));
    }

    void aCaptureAboutToMoveWaitsForItsLastIndex()
    {
        // a history read's capture saved elsewhere right after it ended: finish(path) makes its last index
        // first, so the index moves with it whole
        const QString path = m_dir.filePath(QStringLiteral("moving.escap"));
        QVERIFY(recordLines(path, demoLines(25, 2000)));
        QVERIFY(QFileInfo(path).size() >= qint64(SessionIndex::MinimumCaptureBytes));
        RecordingIndexer::finish(path);
        QCOMPARE(indexedSizeOf(SessionIndex::besidePath(path)), quint64(QFileInfo(path).size()));
    }

    void aSmallRecordingHasNoIndex()
    {
        // below SessionIndex::MinimumCaptureBytes a capture is read whole each time: nothing is written
        const QString path = m_dir.filePath(QStringLiteral("small.escap"));
        QVERIFY(recordLines(path, demoLines(2, 2000)));
        RecordingIndexer::finishAll();
        QVERIFY(QFileInfo(path).size() > 0);
        QVERIFY(!QFile::exists(SessionIndex::besidePath(path)));
    }

    void anEarlierCapturesIndexGoesWhenTheFileIsRecordedAgain()
    {
        // the same name recorded again: the old capture's index would say nothing true of the new one
        const QString path = m_dir.filePath(QStringLiteral("again.escap"));
        const QString index = SessionIndex::besidePath(path);
        QFile stale(index);
        QVERIFY(stale.open(QIODevice::WriteOnly));
        stale.write("an index of an earlier capture");
        stale.close();
        CaptureRecorder recorder;
        QVERIFY(recorder.open(path, QUrl(QStringLiteral("ws://bus/events")), TestT0));
        QVERIFY(!QFile::exists(index));
    }
};

QTEST_GUILESS_MAIN(TestRecordingIndexer)
#include "tst_recordingindexer.moc"
