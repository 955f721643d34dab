// SPDX-License-Identifier: MIT
#pragma once

#include "capturenotes.h"
#include "decodeas.h"
#include "eventdecoder.h"

#include <QObject>
#include <QPointer>
#include <QString>
#include <memory>
#include <optional>
#include <vector>

class CaptureLoader;
class CompareWindow;
class MainWindow;
class NotesPanel;
class ReplayBar;
class QElapsedTimer;
class QTimer;
class Session;
class SessionFeed;

/// One opened capture: its own Session (on the file's clock: Session::Clock) and its own window, filled
/// progressively while a CaptureLoader reads the file on its thread. The window stays responsive; the
/// status bar shows the progress with Cancel, then what was read and what was skipped.
class CaptureWindow : public QObject
{
    Q_OBJECT
public:
    /// Opens `path` (owned by `parent`); nullptr with `error` set when it is not a capture (nothing is shown).
    static CaptureWindow* open(
        const QString& path, bool persistent, QString* error, QObject* parent, const DecodeAs& decodeAs = {});
    ~CaptureWindow() override;

    MainWindow* window() const { return m_window; }
    const Session& session() const { return *m_session; }
    QString path() const;
    /// The whole file is read and taken in (or reading was cancelled and what was read is taken in).
    bool isLoaded() const { return m_loaded; }
    /// The error that stopped reading early, if one did (the window shows it, and what was read).
    QString readError() const { return m_readError; }

    /// Replay. The capture first opens whole (every view over all of it); replaying shows it with a
    /// playhead: every view shows the state at the playhead exactly as it was live then. Once the
    /// whole capture is in memory (nothing dropped by the memory cap), the session rebuilds its
    /// figures from the stored events (Session::replayTo()): a seek forward takes in what lies
    /// between, a seek backward starts again from the first stored event, and nothing is read again.
    /// Otherwise the file is read again into the same session: forward, what lies between; backward,
    /// from its beginning.
    ReplayBar* replayBar() const { return m_bar; }
    void seek(qint64 timeUs);
    void play();
    void pause();
    /// -1: back to just before the newest event taken in; +1: on to the next event(s) of one timestamp.
    void step(int direction);
    bool isReplaying() const { return m_replaying; }
    /// Seeks rebuild the figures from the events in memory, not from the file.
    bool replaysInMemory() const { return m_inMemory; }
    qint64 playheadUs() const { return m_playheadUs; }
    /// Every event up to the playhead has been taken in (or the whole file, when not replaying).
    bool isAtPlayhead() const;
    /// Bookmarks and comments (kept with the capture; see CaptureNotes), shown in the Bookmarks panel
    /// and on the replay timeline. Available once the capture has been read.
    const CaptureNotes& notes() const { return m_notes; }
    NotesPanel* notesPanel() const { return m_notesPanel; }
    bool addNote(const QString& kind, const QString& text, qint64 timeUs, QString* error);
    bool editNote(CaptureNotes::Note note, QString* error);
    bool removeNote(const QString& id, QString* error);

    /// Opens a window comparing this capture (as before) with `other` (as after).
    CompareWindow* compareWith(const QString& other);

    /// Milliseconds from open() to the first refresh of the views with events in them, and to loaded().
    qint64 firstPaintMs() const { return m_firstPaintMs; }
    qint64 loadedMs() const { return m_loadedMs; }
    qint64 startUs() const { return m_startUs; }
    qint64 endUs() const { return m_endUs; }

Q_SIGNALS:
    void loaded();
    /// The user closed the window.
    void closed();

private:
    explicit CaptureWindow(QObject* parent);
    void pump();
    void finish();
    void startReading();
    void restart();
    /// The clock at the end of the capture: the start of the second after its last event.
    qint64 endClock() const;
    void advance();
    void setPlayhead(qint64 timeUs);
    /// In memory: the session shows the events up to the playhead.
    void showPlayhead();
    void showNotes();
    void askForNote(const QString& kind);

    std::unique_ptr<Session> m_session;
    std::unique_ptr<SessionFeed> m_feed; ///< fills m_session (goes before it)
    QPointer<MainWindow> m_window; ///< deletes itself when closed
    std::unique_ptr<CaptureLoader> m_loader;
    QTimer* m_pump;
    QString m_path;
    DecoderConfig m_decoder; ///< how the file is decoded (again, for a replay that reads it again)
    QString m_readError;
    bool m_readEnded = false;
    bool m_loaded = false;
    ReplayBar* m_bar = nullptr;
    QTimer* m_replayClock;
    qint64 m_wallMark = 0; ///< ms, of m_wall, at the last advance
    QElapsedTimer* m_wall;
    qint64 m_startUs = 0, m_endUs = 0;
    qint64 m_playheadUs = 0;
    bool m_replaying = false;
    bool m_inMemory = false;
    bool m_rangeKnown = false;
    quint64 m_capturedEvents = 0; ///< as first read, whole
    CaptureNotes m_notes;
    NotesPanel* m_notesPanel = nullptr;
    QElapsedTimer* m_sinceOpen;
    qint64 m_firstPaintMs = -1;
    qint64 m_loadedMs = -1;
};

/// Every capture open in its own window (File > Open, drag and drop, recent captures, the command line).
class CaptureWindows : public QObject
{
    Q_OBJECT
public:
    explicit CaptureWindows(QObject* parent = nullptr);
    ~CaptureWindows() override;

    /// Whether the windows remember their layout and the recent captures in QSettings.
    void setPersistent(bool persistent) { m_persistent = persistent; }
    /// Opens `path` in a new window, decoded as chosen (none: as chosen last for this file, when the
    /// windows are persistent); nullptr with `error` set when it cannot be opened.
    CaptureWindow* open(const QString& path, QString* error, const std::optional<DecodeAs>& decodeAs = std::nullopt);
    QList<CaptureWindow*> windows() const;

Q_SIGNALS:
    /// A window was opened: wire its File menu (demo, connect) to the application.
    void opened(CaptureWindow* capture);

private:
    bool m_persistent = false;
};
