// SPDX-License-Identifier: MIT
#include "capturesession.h"

#include "background.h"
#include "brokerprotocol.h"
#include "captureloader.h"
#include "connectorslogging.h"
#include "decodedbatch.h"
#include "recordingindexer.h"
#include "scratchfile.h"
#include "session.h"
#include "sessionfeed.h"
#include "sessionindex.h"
#include "sessionsummary.h"
#include "urlredaction.h"
#include "websocketsource.h"

#include <QFile>
#include <QFileInfo>
#include <QTimer>
#include <algorithm>
#include <limits>
#ifdef __GLIBC__
#include <malloc.h>
#endif

namespace {
/// The session takes at most this many events ahead of its slices: the file waits, never drops.
constexpr std::size_t AheadEvents = 65536;
/// The first slice restored from an index: the events of the first paint.
constexpr std::size_t FirstSliceEvents = 4096;
} // namespace

CaptureSession::CaptureSession(QObject* parent)
    : QObject(parent)
    , m_pump(new QTimer(this))
    , m_replayClock(new QTimer(this))
{
    m_sinceOpen.start();
    // batches are taken as the feed's slices make room (a timer: the feed gives no signal for it)
    m_pump->setInterval(5);
    connect(m_pump, &QTimer::timeout, this, &CaptureSession::pump);
    m_replayClock->setInterval(33); // the playhead moves at 30 Hz; the views refresh at their own pace
    connect(m_replayClock, &QTimer::timeout, this, &CaptureSession::advance);
}

CaptureSession::~CaptureSession()
{
    // the readers' and the index writer's threads first; then the feed and the session (members, in order)
    tidy(); // the index of a capture closed as soon as it was loaded is saved too
    waitForIndex();
    if (m_history) {
        disconnect(m_history.get(), nullptr, this, nullptr);
        m_history->stop();
        m_history.reset();
    }
    m_loader.reset();
}

QString CaptureSession::displayName() const
{
    if (m_historyName.isEmpty())
        return QFileInfo(m_path).fileName();
    return tr("stream %1").arg(m_historyStream);
}

bool CaptureSession::saveAs(const QString& path, QString* error)
{
    if (!m_loaded || m_history) {
        *error = tr("%1 is still being read").arg(displayName());
        return false;
    }
    const auto move = [error](const QString& from, const QString& to) {
        if (QFileInfo(from).absoluteFilePath() == QFileInfo(to).absoluteFilePath())
            return true;
        QFile::remove(to); // the save dialog has asked before replacing it
        // a rename, or a copy where the destination is on another file system
        if (QFile::rename(from, to))
            return true;
        QFile in(from);
        if (!in.copy(to)) {
            *error = tr("cannot save %1 as %2: %3").arg(from, to, in.errorString());
            return false;
        }
        QFile::remove(from);
        return true;
    };
    // its index goes with it (a history read's last one written first: its recording has ended)
    RecordingIndexer::finish(m_path);
    waitForIndex();
    if (!move(m_path, path))
        return false;
    if (QFile::exists(CaptureNotes::sidecarPath(m_path))
        && !move(CaptureNotes::sidecarPath(m_path), CaptureNotes::sidecarPath(path)))
        return false;
    if (QFileInfo(SessionIndex::besidePath(m_path)).isFile()
        && !move(SessionIndex::besidePath(m_path), SessionIndex::besidePath(path)))
        return false;
    // an index the old folder could not take lies in the cache under the old path: beside the capture
    // if its new folder takes it, else in the cache under the new path (the capture is saved either way)
    if (const QString cached = SessionIndex::cachePath(m_path); QFile::exists(cached)) {
        const auto moveCached = [&](const QString& to) {
            QFile::remove(to);
            return QFile::rename(cached, to) || (QFile::copy(cached, to) && QFile::remove(cached));
        };
        if (!moveCached(SessionIndex::besidePath(path)) && !moveCached(SessionIndex::cachePath(path)))
            QFile::remove(cached); // keyed by a path no capture is at now: nothing would ever use it
    }
    m_path = path;
    m_notes.relocate(path);
    return true;
}

bool CaptureSession::isHistoryRead(const QUrl& url)
{
    BrokerEndpoint endpoint;
    return BrokerEndpoint::parse(url, endpoint, nullptr) && !endpoint.stream.isEmpty()
        && endpoint.end.kind != JetStream::End::None;
}

bool CaptureSession::openHistory(const ConnectionSettings& settings, const QString& recordPath, QString* error)
{
    BrokerEndpoint endpoint;
    QString why;
    if (!BrokerEndpoint::parse(settings.url, endpoint, &why) || endpoint.stream.isEmpty()
        || endpoint.end.kind == JetStream::End::None) {
        if (error)
            *error = why.isEmpty() ? tr("%1 is not a range of a stream's history (stream= and to=)")
                                         .arg(UrlRedaction::redacted(settings.url))
                                   : why;
        return false;
    }
    // the file is written on the connection's thread; whether it can be is known now
    QFile probe(recordPath);
    if (!probe.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        if (error)
            *error = tr("cannot write %1: %2").arg(recordPath, probe.errorString());
        return false;
    }
    probe.close();
    m_path = recordPath;
    m_historySettings = settings;
    m_historySettings.decoder.schemas = m_schemas;
    m_historySettings.decoder.learnShapes = true; // the Schemas view shows them
    m_decoder = m_historySettings.decoder; // as the recording is read again, for a replay
    m_historyName = UrlRedaction::withoutCredentials(settings.url).toString();
    m_historyStream = QString::fromUtf8(endpoint.stream);
    m_historyEnd = endpoint.end;
    makeSession(); // on the stream's times, as when its capture is opened
    return true;
}

void CaptureSession::startHistory()
{
    const quint16 origin = m_session->addOrigin(m_historyName);
    m_history = std::make_unique<WebSocketSource>(m_historySettings, origin);
    // held here and taken as the session makes room, as a file's batches are: a range is never dropped
    connect(m_history.get(), &WebSocketSource::batchReady, this, [this](const std::shared_ptr<DecodedBatch>& batch) {
        m_historyBatches.push_back(batch);
        pump();
    });
    connect(m_history.get(), &WebSocketSource::statusChanged, this, &CaptureSession::historyStatus);
    connect(m_history.get(), &WebSocketSource::recordingFailed, this, [this](const QString& why) {
        // what is shown is complete; the file is not, so a replay would miss what came after
        QMetaObject::invokeMethod(
            this, [this, why] { endHistory(tr("the capture could not be written: %1").arg(why)); },
            Qt::QueuedConnection);
    });
    m_history->start();
    // queued to its thread after the start, so before anything can be received
    m_history->startRecording(m_path);
    Q_EMIT progress(0, 0);
    m_pump->start();
}

void CaptureSession::historyStatus(const ConnectionStatus& status)
{
    if (!m_history)
        return;
    const JetStream::End& end = m_historyEnd;
    // how far into the range: by sequence, or by the stream's time of the last event taken in
    if (end.kind == JetStream::End::Sequence && status.highestSeq > 0) {
        const qint64 done = qint64(status.events);
        Q_EMIT progress(done, done + std::max<qint64>(0, qint64(end.sequence) - status.highestSeq));
    } else if (end.kind == JetStream::End::Time && m_session->eventCount() > 0) {
        const qint64 first = m_session->firstEventTimeUs();
        Q_EMIT progress(m_session->lastEventTimeUs() - first, std::max<qint64>(1, end.timeUs - first));
    }
    Q_EMIT playheadText(tr("Reading stream %1: %2").arg(m_historyStream, status.describe()));
    if (status.state == ConnectionStatus::Finished)
        QMetaObject::invokeMethod(
            this, [this] { endHistory({}); }, Qt::QueuedConnection);
    else if (status.state == ConnectionStatus::Failed)
        QMetaObject::invokeMethod(
            this, [this, why = status.lastError] { endHistory(why); }, Qt::QueuedConnection);
}

void CaptureSession::endHistory(const QString& error)
{
    if (!m_history)
        return;
    m_history->stop(); // hands over what it still held, and closes the capture
    const ConnectionStatus status = m_history->status();
    disconnect(m_history.get(), nullptr, this, nullptr);
    m_history.reset();
    m_readError = error;
    m_historyDropped = status.dropped > 0;
    if (m_readError.isEmpty() && status.dropped > 0)
        m_readError = tr("%L1 events came faster than they could be taken in and are not shown (the capture has "
                         "them)")
                          .arg(status.dropped);
    m_readEnded = true;
    pump();
}

bool CaptureSession::open(const QString& path, const DecodeAs& decodeAs, QString* error)
{
    auto loader = std::make_unique<CaptureLoader>();
    DecoderConfig decoder = decoderConfig();
    decodeAs.applyTo(decoder);
    decoder.schemas = m_schemas;
    loader->setDecoderConfig(decoder);
    if (!loader->open(path, error))
        return false;
    m_path = path;
    m_decoder = decoder;
    m_loader = std::move(loader);
    makeSession();
    openFromIndex();
    return true;
}

void CaptureSession::openFromIndex()
{
    // a capture read whole before opens from its saved index: no parse, every figure rebuilt from it
    m_restore.reset();
    if (m_schemas)
        return; // schema checks are not saved
    QString why;
    const quint64 key = SessionIndex::settingsKey(m_session->config(), m_decoder);
    auto restore = std::make_unique<SessionIndex::Restore>();
    if (restore->open(m_path, key, m_decoder.learnShapes, *m_session, &m_indexExtra, &why)) {
        m_restore = std::move(restore);
        return;
    }
    if (!why.isEmpty()) {
        qCInfo(lcConnectors) << "reading" << m_path << "again:" << why;
        makeSession(); // a refused index may have left names behind
    }
}

void CaptureSession::restoreSome()
{
    if (m_restoreCancelled) {
        // what was restored is shown, as a cancelled read shows what it read
        m_restore->stop();
        m_restore.reset();
        m_fromIndex = true;
        m_readEnded = true;
        finish();
        return;
    }
    // slices until about 20 ms have gone, so the window paints and answers between them; before the
    // first paint one small slice (the first touch of the session's pages makes it the slowest)
    QElapsedTimer budget;
    budget.start();
    QString why;
    SessionIndex::Restore::Step step = SessionIndex::Restore::More;
    if (m_firstPaintMs < 0)
        step = m_restore->step(FirstSliceEvents, &why);
    else {
        while (step == SessionIndex::Restore::More && budget.elapsed() < 20)
            step = m_restore->step(EventStore::ChunkSize, &why);
    }
    Q_EMIT progress(m_restore->restored(), m_restore->events());
    if (step == SessionIndex::Restore::Failed) {
        // read the capture instead, from its beginning
        qCWarning(lcConnectors) << "reading" << m_path << "again:" << m_restore->path() << why;
        m_restore.reset();
        m_feed->reset();
        startReading();
        return;
    }
    m_feed->notifyAdvanced();
    if (m_firstPaintMs < 0) {
        Q_EMIT refreshRequested();
        m_firstPaintMs = m_sinceOpen.elapsed();
    }
    if (step == SessionIndex::Restore::Done) {
        // the replay's copy of every report (100 ms to free at 100 M events) goes on a thread, and the
        // load's end (the views' refresh) comes in the next turn: this one took the figures whole
        std::shared_ptr<void> garbage = m_restore->takeGarbage();
        if (m_restore->readOnFrom() != 0) {
            // the capture has grown since it was indexed (a recording that went on, bookmarks added): the
            // rest is read on from where the index ends, into the same mapping, and then indexed whole
            m_loader->setReadOn(m_indexExtra.readOn, { m_restore->readOnFrom(), m_restore->capture() });
            m_readOnFrom = m_restore->readOnFrom();
            m_restore.reset();
            giveBackLater(std::move(garbage));
            startReading();
            return;
        }
        m_restore.reset();
        m_fromIndex = true;
        m_readEnded = true;
        m_finishDue = true;
        giveBackLater(std::move(garbage));
    }
}

Session::Config CaptureSession::sessionConfig()
{
    Session::Config config;
    config.clock = Session::Clock::Recorded; // a recording's rates follow its own clock
    // the records of an hour of a bus go to the page cache, not the heap: a capture bigger than memory
    // opens whole, every view over all of it
    config.recordDirectory = ScratchFile::defaultDirectory();
    config.maxReports = Session::Config::WholeCaptureReports; // and every report of it
    return config;
}

DecoderConfig CaptureSession::decoderConfig()
{
    DecoderConfig decoder;
    decoder.learnShapes = true; // the Schemas view shows them
    return decoder;
}

void CaptureSession::makeSession()
{
    tidy(); // what the last load left to do, before its session goes
    m_feed.reset();
    m_session = std::make_unique<Session>(sessionConfig());
    if (m_schemas)
        m_session->setSchemaRegistry(m_schemas);
    m_feed = std::make_unique<SessionFeed>(*m_session);
}

void CaptureSession::setSchemas(std::shared_ptr<const SchemaRegistry> schemas)
{
    m_schemas = std::move(schemas);
    m_decoder.schemas = m_schemas;
    if (!m_session)
        return;
    waitForIndexSections();
    m_session->setSchemaRegistry(m_schemas);
    if (m_loaded || (m_readEnded && !m_history)) // read already (its reader may be gone): again, with them
        restart();
}

void CaptureSession::start()
{
    if (!m_historyName.isEmpty() && !m_loaded && !m_readEnded) {
        startHistory();
    } else if (m_restore) {
        m_pump->start();
    } else {
        startReading();
    }
}

void CaptureSession::cancel()
{
    if (m_history) {
        m_historyCancelled = true;
        endHistory({});
    } else if (m_restore) {
        m_restoreCancelled = true;
    } else if (m_loader) {
        m_loader->cancel();
    }
}

bool CaptureSession::wasCancelled() const
{
    return (m_loader && m_loader->wasCancelled()) || m_historyCancelled || m_restoreCancelled;
}

bool CaptureSession::isPlaying() const { return m_replayClock->isActive(); }

void CaptureSession::startReading()
{
    m_readEnded = false;
    m_finishDue = false;
    m_readError.clear();
    m_loaded = false;
    if (!m_replaying)
        connect(m_loader.get(), &CaptureLoader::progress, this, &CaptureSession::progress);
    connect(m_loader.get(), &CaptureLoader::batchesReady, this, &CaptureSession::pump);
    connect(m_loader.get(), &CaptureLoader::finished, this, [this](const QString& error) {
        m_readEnded = true;
        m_readError = error;
        pump();
    });
    if (!m_replaying)
        Q_EMIT progress(0, QFileInfo(m_path).size());
    m_loader->start();
    m_pump->start();
}

void CaptureSession::restart()
{
    // the file again from its beginning, into the same session, emptied (its index written first)
    tidy();
    waitForIndex();
    m_fromIndex = false;
    m_restore.reset();
    m_restoreCancelled = false;
    m_finishDue = false;
    m_loader.reset();
    m_feed->reset();
    m_loader = std::make_unique<CaptureLoader>();
    m_loader->setDecoderConfig(m_decoder);
    QString error;
    if (!m_loader->open(m_path, &error)) {
        // the file changed or went away since it was opened: say so, keep what is shown
        Q_EMIT finishedText(tr("Cannot replay: %1").arg(error));
        m_loader.reset();
        pause();
        return;
    }
    startReading();
}

bool CaptureSession::isAtPlayhead() const
{
    if (m_inMemory)
        return true; // a seek shows its events before it returns
    if (m_feed->pendingEvents() > 0)
        return m_replaying && m_feed->nextPendingTimeUs() > m_playheadUs;
    return m_readEnded && m_loader && m_loader->isDone();
}

void CaptureSession::setPlayhead(qint64 timeUs)
{
    if (m_playheadUs / 1000 != timeUs / 1000 || !m_replaying)
        Q_EMIT playheadText(tr("%1: replay at +%2 s of %3 s (the capture holds %L4 events)")
                                .arg(displayName())
                                .arg(double(timeUs - m_startUs) / 1e6, 0, 'f', 3)
                                .arg(double(m_endUs - m_startUs) / 1e6, 0, 'f', 3)
                                .arg(m_capturedEvents));
    m_playheadUs = timeUs;
    m_feed->setHorizon(timeUs);
    m_feed->setClock(timeUs >= m_endUs ? endClock() : timeUs);
    Q_EMIT playheadMoved(timeUs);
    if (m_inMemory)
        showPlayhead();
}

void CaptureSession::showPlayhead()
{
    Session& s = *m_session;
    const quint32 shown = s.store().size();
    const quint32 count = s.countUntil(m_playheadUs);
    if (count == shown)
        return;
    tidy(); // a seek in the turn the load ended: the index is saved first, of the whole capture
    waitForIndexSections();
    s.replayTo(count);
    // back: the views start again from what the session shows now; on: they take in what came, as live
    if (count < shown)
        m_feed->notifyRewound();
}

qint64 CaptureSession::endClock() const
{
    // at the end of the capture its last second is complete (nothing more will come): the clock stands
    // at the start of the next, so rates and charts count that second too, as a short capture needs
    const qint64 second = m_endUs >= 0 ? m_endUs / 1000000 : -((-m_endUs + 999999) / 1000000);
    return (second + 1) * 1000000;
}

void CaptureSession::seek(qint64 timeUs)
{
    if (!m_rangeKnown)
        return;
    timeUs = std::clamp(timeUs, m_startUs, m_endUs);
    // backwards (or into replay from the whole view, which is at the end): start again from the beginning
    const bool back = !m_replaying || timeUs < m_playheadUs;
    m_replaying = true;
    setPlayhead(timeUs);
    if (back && !m_inMemory)
        restart();
}

void CaptureSession::play()
{
    if (!m_rangeKnown)
        return;
    if (!m_replaying || m_playheadUs >= m_endUs)
        seek(m_startUs); // play from the beginning
    Q_EMIT playingChanged(true);
    m_wall.start();
    m_wallMark = 0;
    m_replayClock->start();
}

void CaptureSession::pause()
{
    m_replayClock->stop();
    Q_EMIT playingChanged(false);
}

void CaptureSession::advance()
{
    const qint64 now = m_wall.elapsed();
    const qint64 wallUs = (now - m_wallMark) * 1000;
    m_wallMark = now;
    // the playhead waits while the session catches up with it: one far ahead shows nothing
    if (!isAtPlayhead())
        return;
    if (m_playheadUs >= m_endUs) {
        // the end has been shown for a frame at least: again from the beginning, or stop there
        if (m_loops)
            seek(m_startUs);
        else
            pause();
        return;
    }
    const qint64 next = m_speed == 0
        ? m_endUs
        : std::min(m_endUs, m_playheadUs + std::max<qint64>(1, qint64(double(wallUs) * m_speed)));
    setPlayhead(next);
    if (next >= m_endUs && !m_loops && isAtPlayhead())
        pause();
}

void CaptureSession::step(int direction)
{
    if (!m_rangeKnown)
        return;
    pause();
    const Session& s = *m_session;
    if (direction > 0) {
        if (!m_replaying) {
            seek(m_startUs);
            return;
        }
        qint64 next = m_feed->nextPendingTimeUs();
        if (m_inMemory && s.storedCount() > s.store().size())
            next = s.basisTime(s.store().at(s.store().end())); // the next event not shown
        if (next != std::numeric_limits<qint64>::min())
            setPlayhead(std::min(std::max(next, m_playheadUs), m_endUs));
        return;
    }
    // back: to just before the newest event taken in (and any others of its time)
    if (s.store().size() == 0)
        return;
    const qint64 newest = s.basisTime(s.store().at(s.store().end() - 1));
    seek(std::max(m_startUs, std::min(newest, m_playheadUs) - 1));
}

void CaptureSession::pump()
{
    if (m_finishDue) {
        m_finishDue = false;
        finish();
        return;
    }
    if (m_restore) {
        restoreSome();
        return;
    }
    if (m_loaded || (!m_loader && m_historyName.isEmpty()))
        return;
    while (m_loader && m_feed->pendingEvents() < AheadEvents
        && m_loader->feed(*m_feed, AheadEvents - m_feed->pendingEvents()) > 0) { }
    while (!m_historyBatches.empty() && m_feed->pendingEvents() < AheadEvents) {
        m_feed->ingest(m_historyBatches.front());
        m_historyBatches.pop_front();
    }
    // the first events on screen at once, not at the next refresh tick
    if (m_firstPaintMs < 0 && m_session->eventCount() > 0) {
        Q_EMIT refreshRequested();
        m_firstPaintMs = m_sinceOpen.elapsed();
    }
    if (m_readEnded && (!m_loader || m_loader->isDone()) && m_historyBatches.empty() && m_feed->pendingEvents() == 0)
        finish();
}

void CaptureSession::saveIndex(const SessionIndex::Extra& extra, std::shared_ptr<void>* freeFirst)
{
    // a capture read whole, big enough to be worth it, and read with nothing the index cannot hold
    if (m_fromIndex || !m_historyName.isEmpty() || !m_loader || m_loader->wasCancelled() || !m_readError.isEmpty()
        || !m_inMemory || m_schemas || QFileInfo(m_path).size() < qint64(SessionIndex::MinimumCaptureBytes)
        || !SessionIndex::whyNot(*m_session).isEmpty())
        return;
    // on a thread, the window answering meanwhile: the reports (290 ms at 18 M events) and the records (a
    // gigabyte); a replay waits for the reports to be taken before it changes them (showPlayhead())
    auto save = std::make_shared<SessionIndex::Save>();
    QString error;
    if (!save->prepare(m_path, *m_session, SessionIndex::settingsKey(m_session->config(), m_decoder), extra, &error)) {
        qCWarning(lcConnectors) << "no index saved for" << m_path << ":" << error;
        return;
    }
    waitForIndex();
    m_indexSave = save;
    std::shared_ptr<void> garbage = freeFirst ? std::move(*freeFirst) : nullptr;
    m_indexWriter = std::thread([save, path = m_path, garbage = std::move(garbage)]() mutable {
        // what the reading no longer needs goes before the index takes the reports: the two are not
        // held at once
        giveBack(garbage);
        QString where, error;
        if (save->write(&where, &error))
            qCInfo(lcConnectors) << "index of" << path << "saved to" << where;
        else
            qCWarning(lcConnectors) << "no index saved for" << path << ":" << error;
    });
}

void CaptureSession::waitForIndex()
{
    if (m_indexWriter.joinable())
        m_indexWriter.join();
    m_indexSave.reset();
}

void CaptureSession::waitForIndexSections()
{
    if (m_indexSave)
        m_indexSave->waitForSections();
}

bool CaptureSession::addNote(const QString& kind, const QString& text, qint64 timeUs, QString* error)
{
    CaptureNotes::Note note;
    note.kind = kind;
    note.text = text;
    note.timeUs = timeUs;
    if (!m_notes.put(note, error))
        return false;
    Q_EMIT notesChanged();
    return true;
}

bool CaptureSession::editNote(CaptureNotes::Note note, QString* error)
{
    if (!m_notes.put(std::move(note), error))
        return false;
    Q_EMIT notesChanged();
    return true;
}

bool CaptureSession::removeNote(const QString& id, QString* error)
{
    if (!m_notes.remove(id, error))
        return false;
    Q_EMIT notesChanged();
    return true;
}

void CaptureSession::finish()
{
    m_loaded = true;
    m_pump->stop();
    if (m_loadedMs < 0)
        m_loadedMs = m_sinceOpen.elapsed();
    if (!m_rangeKnown && m_session->eventCount() > 0) {
        // the replay's range: the whole capture, as first read
        m_rangeKnown = true;
        m_capturedEvents = m_session->eventCount();
        m_startUs = m_session->firstEventTimeUs();
        m_endUs = m_session->lastEventTimeUs();
        Q_EMIT rangeKnown(m_startUs, m_endUs);
        // the notes: in the capture itself when it is a plain, whole EventScope capture, else beside it
        bool damaged = !m_readError.isEmpty();
        for (const MalformedRecord& m : m_session->firstMalformed())
            damaged = damaged || m.position.unit == SourcePosition::Record;
        for (const MalformedRecord& m : m_session->recentMalformed())
            damaged = damaged || m.position.unit == SourcePosition::Record;
        // a history read's capture is EventScope's own, written whole (cancelled: whole up to there)
        SessionIndex::Extra extra;
        if (m_fromIndex) {
            extra = std::move(m_indexExtra);
        } else {
            extra.appendable = m_loader ? m_loader->format() == CaptureReader::Format::Capture
                    && m_loader->compression() == CaptureReader::Compression::None && !damaged
                    && !m_loader->wasCancelled()
                                        : !damaged;
            if (m_readOnFrom != 0) // what the index held, then what was read on
                extra.annotations = std::move(m_indexExtra.annotations);
            if (m_loader) {
                for (auto& annotation : m_loader->annotations())
                    extra.annotations.push_back(std::move(annotation));
                extra.readOn = m_loader->readOnState();
            }
        }
        m_notes.load(m_path, extra.annotations, extra.appendable);
        Q_EMIT notesChanged();
        // every event is still stored: seeks rebuild the figures from them (else the file is read again)
        m_inMemory = m_session->canReplay() && !m_historyDropped;
        m_saveExtra = std::move(extra);
        m_tidyDue = true;
        QTimer::singleShot(0, this, &CaptureSession::tidy);
    }
    if (m_replaying) {
        Q_EMIT refreshRequested();
        Q_EMIT loaded();
        return;
    }
    m_feed->drain(); // what is left of the memory cap's work
    if (m_rangeKnown)
        m_feed->setClock(endClock());
    Q_EMIT refreshRequested();
    const QString name = displayName();
    QString text
        = tr("%1: %L2 events, %L3 chains").arg(name).arg(m_session->eventCount()).arg(m_session->chains().liveCount());
    if (const QString why = SessionSummary::whyNoEvents(*m_session, QFileInfo(m_path).size()); !why.isEmpty())
        text = name + QStringLiteral(": ") + why; // what matters first
    else if (m_session->malformedCount() > 0)
        text += tr("; %L1 records skipped (see Malformed)").arg(m_session->malformedCount());
    if (m_session->clockSkewedCount() > 0)
        text += tr("; %L1 events clock-skewed, counted at their neighbours' time (see Malformed)")
                    .arg(m_session->clockSkewedCount());
    if (m_historyCancelled)
        text += tr("; reading was cancelled: the rest of the range is not read");
    else if ((m_loader && m_loader->wasCancelled()) || m_restoreCancelled)
        text += tr("; reading was cancelled: the rest of the file is not shown");
    if (!m_readError.isEmpty())
        text += tr("; reading stopped: %1").arg(m_readError);
    if (m_session->evictedCount() > 0)
        text += tr("; the oldest %L1 events were dropped by the memory cap (still counted in every rate)")
                    .arg(m_session->evictedCount());
    Q_EMIT finishedText(text);
    Q_EMIT loaded();
}

void CaptureSession::giveBack(std::shared_ptr<void>& memory)
{
    memory.reset();
#ifdef __GLIBC__
    malloc_trim(0); // the pages of what went, and of the batches that carried the file
#endif
}

void CaptureSession::tidy()
{
    if (!m_tidyDue)
        return;
    m_tidyDue = false;
    // nothing more comes into this session (reading again starts a fresh one): free its indexes
    // given back on a thread of their own (half a second at 100 M events), then the pages of the
    // batches that carried the file (about 20 B/event of RSS): by the index's writer first, else alone
    std::shared_ptr<void> indexes = m_session->compact();
    saveIndex(m_saveExtra, &indexes);
    m_saveExtra = {};
    // seeks need nothing from the file but the payloads the session holds on to: the reader, its
    // thread and its buffers go
    if (m_inMemory)
        m_loader.reset();
    giveBackLater(std::move(indexes));
}

void CaptureSession::giveBackLater(std::shared_ptr<void> memory)
{
    if (!memory)
        return;
    BackgroundJobs::run(
        this,
        [memory = std::move(memory)]() mutable {
            giveBack(memory);
            return true;
        },
        [](bool) {});
}
