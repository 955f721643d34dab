// SPDX-License-Identifier: MIT
#pragma once

#include "capturenotes.h"
#include "connectionsettings.h"
#include "decodeas.h"
#include "eventdecoder.h"
#include "jetstream.h"
#include "session.h"
#include "sessionindex.h"

#include <QElapsedTimer>
#include <QObject>
#include <QString>
#include <deque>
#include <memory>
#include <thread>

class CaptureLoader;
struct DecodedBatch;
class QTimer;
class WebSocketSource;
class Session;
class SessionFeed;

/// One opened capture, without a window: its own Session (on the file's clock, Session::Clock) filled
/// through a SessionFeed while a CaptureLoader reads the file on its thread; then replay (a playhead
/// over the capture, played, paused, stepped and sought) and the capture's notes. Whatever shows it
/// listens to the signals; the feed says when the session went back (SessionFeed::rewound()).
class CaptureSession : public QObject
{
    Q_OBJECT
public:
    explicit CaptureSession(QObject* parent = nullptr);
    ~CaptureSession() override; ///< the reader's thread first, then the feed, then the session

    /// The configuration of an opened capture's session, and how its events are decoded (before a
    /// DecodeAs): what its saved index is made with (RecordingIndexer too).
    static Session::Config sessionConfig();
    static DecoderConfig decoderConfig();

    /// Recognises `path` and prepares its session; false with `error` set when it is not a capture.
    /// start() reads it.
    bool open(const QString& path, const DecodeAs& decodeAs, QString* error);
    /// A bounded read of a bus's history (isHistoryRead()) instead of a file: start() connects, and
    /// what comes is shown as it comes and recorded into `recordPath`, which is from then on the
    /// capture (path()): when the range has been read, replay, notes and every other use of a capture
    /// work on it. False with `error` when the URL is not such a read or the file cannot be written.
    bool openHistory(const ConnectionSettings& settings, const QString& recordPath, QString* error);
    /// A JetStream URL with `stream=` and `to=`: a range of the bus's history with an end.
    static bool isHistoryRead(const QUrl& url);
    /// The URL of the history read (redacted), or empty for a file.
    QString historyName() const { return m_historyName; }
    /// The file's name, or "stream NAME" for a history read: for status lines and titles.
    QString displayName() const;
    /// Moves the capture (a history read's recording, once read; its notes file and its index beside it
    /// too) to `path`, which it is from then on; false with `error` when it cannot be.
    bool saveAs(const QString& path, QString* error);
    /// Checks payloads against `schemas` (null: none): set before open() or start(), or later, when the
    /// file is read again with them.
    void setSchemas(std::shared_ptr<const SchemaRegistry> schemas);
    /// Starts reading (after open(); whoever shows the session is wired by then).
    void start();
    /// Stops reading soon; what was read is shown.
    void cancel();

    Session& session() const { return *m_session; }
    SessionFeed& feed() const { return *m_feed; }
    QString path() const { return m_path; }
    /// The whole file is read and taken in (or reading was cancelled and what was read is taken in).
    bool isLoaded() const { return m_loaded; }
    /// The session was restored from the capture's saved index (SessionIndex) instead of being read.
    bool openedFromIndex() const { return m_fromIndex; }
    /// The capture had grown since its index was saved: the index restored what it held, and the rest
    /// was read on from this byte (0: it was not).
    quint64 readOnFrom() const { return m_readOnFrom; }
    /// The error that stopped reading early, if one did.
    QString readError() const { return m_readError; }
    bool wasCancelled() const;

    /// Replay. The capture first opens whole (every view over all of it); replaying shows it with a
    /// playhead: the session holds the state at the playhead exactly as it was live then. Once the
    /// whole capture is in memory (nothing dropped by the memory cap), the session rebuilds its
    /// figures from the stored events (Session::replayTo()): a seek forward takes in what lies
    /// between, a seek backward starts again from the first stored event, and nothing is read again.
    /// Otherwise the file is read again into the same session: forward, what lies between; backward,
    /// from its beginning.
    void seek(qint64 timeUs);
    void play();
    void pause();
    /// -1: back to just before the newest event taken in; +1: on to the next event(s) of one timestamp.
    void step(int direction);
    /// Replay speed (1: real time; 0: as fast as the session takes events in) and whether it loops.
    void setSpeed(double factor) { m_speed = factor; }
    void setLoops(bool loops) { m_loops = loops; }
    bool isReplaying() const { return m_replaying; }
    bool isPlaying() const;
    /// Seeks rebuild the figures from the events in memory, not from the file.
    bool replaysInMemory() const { return m_inMemory; }
    qint64 playheadUs() const { return m_playheadUs; }
    /// Every event up to the playhead has been taken in (or the whole file, when not replaying).
    bool isAtPlayhead() const;
    /// The capture's time range (session time), known once it has been read whole.
    bool isRangeKnown() const { return m_rangeKnown; }
    qint64 startUs() const { return m_startUs; }
    qint64 endUs() const { return m_endUs; }

    /// Bookmarks and comments (kept with the capture; see CaptureNotes), once the capture has been read.
    const CaptureNotes& notes() const { return m_notes; }
    bool addNote(const QString& kind, const QString& text, qint64 timeUs, QString* error);
    bool editNote(CaptureNotes::Note note, QString* error);
    bool removeNote(const QString& id, QString* error);

    /// Milliseconds from open() to the first events taken in (and shown, by refreshRequested()), and to
    /// loaded().
    qint64 firstPaintMs() const { return m_firstPaintMs; }
    qint64 loadedMs() const { return m_loadedMs; }

Q_SIGNALS:
    /// Input bytes read of the total, while the capture is first read (a history read: of its range,
    /// in stream sequences or in microseconds; total 0 when the end is not known yet).
    void progress(qint64 done, qint64 total);
    /// What was read and what was skipped, or why reading stopped: for a status bar.
    void finishedText(const QString& text);
    /// Where the playhead stands, or how a history read goes, in words: for a status bar.
    void playheadText(const QString& text);
    void playheadMoved(qint64 timeUs);
    void playingChanged(bool playing);
    /// The capture's range is known (after the first whole read): replay may start.
    void rangeKnown(qint64 startUs, qint64 endUs);
    void notesChanged();
    /// The views should show what the session holds now (the first events, the end of a read).
    void refreshRequested();
    void loaded();

private:
    /// The session (on the recording's clock) and its feed, fresh.
    void makeSession();
    /// Restores the session from the capture's saved index, when it has a valid one (m_fromIndex).
    void openFromIndex();
    /// The next slices of the restore from the index, then finish().
    void restoreSome();
    /// Saves the capture's index after it was read whole (SessionIndex), when it can be; its writer then
    /// frees `freeFirst` (taken) before it takes the session's reports.
    void saveIndex(const SessionIndex::Extra& extra, std::shared_ptr<void>* freeFirst = nullptr);
    /// Frees `memory` and gives the heap's free pages back to the system: off the GUI thread.
    static void giveBack(std::shared_ptr<void>& memory);
    /// giveBack() on a background job: the window answers meanwhile (nothing, when `memory` is null).
    void giveBackLater(std::shared_ptr<void> memory);
    /// Until the index being saved is written (before the session changes or goes).
    void waitForIndex();
    /// Until the index being saved has taken the session's reports (before they change).
    void waitForIndexSections();
    void pump();
    void finish();
    /// After the load's last refresh, in a turn of its own (about 70 ms at 18 M events): the indexes only
    /// reading needs are freed (Session::compact()), the index saved, the reader and its buffers let go
    /// and their pages given back. Run by the destructor when still due.
    void tidy();
    void startHistory();
    void historyStatus(const ConnectionStatus& status);
    void endHistory(const QString& error);
    void startReading();
    void restart();
    /// The clock at the end of the capture: the start of the second after its last event.
    qint64 endClock() const;
    void advance();
    void setPlayhead(qint64 timeUs);
    /// In memory: the session shows the events up to the playhead.
    void showPlayhead();

    std::unique_ptr<Session> m_session;
    std::unique_ptr<SessionFeed> m_feed; ///< fills m_session (goes before it)
    std::unique_ptr<CaptureLoader> m_loader;
    std::unique_ptr<WebSocketSource> m_history; ///< while a history read goes on
    ConnectionSettings m_historySettings;
    QString m_historyName;
    QString m_historyStream; ///< its stream and range end, as its URL says
    JetStream::End m_historyEnd;
    bool m_historyCancelled = false;
    bool m_historyDropped = false; ///< events dropped on arrival: a replay reads the capture again
    std::deque<std::shared_ptr<DecodedBatch>> m_historyBatches; ///< received, waiting for the session
    QTimer* m_pump;
    QTimer* m_replayClock;
    QString m_path;
    DecoderConfig m_decoder;
    std::shared_ptr<const SchemaRegistry>
        m_schemas; ///< how the file is decoded (again, for a replay that reads it again)
    QString m_readError;
    std::unique_ptr<SessionIndex::Restore> m_restore; ///< while the session is restored from the index
    std::thread m_indexWriter; ///< writes the index being saved (SessionIndex::Save)
    std::shared_ptr<SessionIndex::Save> m_indexSave; ///< the one m_indexWriter writes
    bool m_restoreCancelled = false;
    bool m_finishDue = false; ///< a restore is done: the next pump() ends the load (a turn of its own)
    bool m_fromIndex = false; ///< the session was restored from the capture's index: nothing to read
    SessionIndex::Extra m_indexExtra; ///< what the index kept of the capture beside its events
    quint64 m_readOnFrom = 0; ///< readOnFrom()
    bool m_tidyDue = false; ///< tidy() has yet to run after the load
    SessionIndex::Extra m_saveExtra; ///< what tidy() saves in the index beside the events
    bool m_readEnded = false;
    bool m_loaded = false;
    QElapsedTimer m_wall;
    qint64 m_wallMark = 0; ///< ms, of m_wall, at the last advance
    qint64 m_startUs = 0, m_endUs = 0;
    qint64 m_playheadUs = 0;
    double m_speed = 1;
    bool m_loops = false;
    bool m_replaying = false;
    bool m_inMemory = false;
    bool m_rangeKnown = false;
    quint64 m_capturedEvents = 0; ///< as first read, whole
    CaptureNotes m_notes;
    QElapsedTimer m_sinceOpen;
    qint64 m_firstPaintMs = -1;
    qint64 m_loadedMs = -1;
};
