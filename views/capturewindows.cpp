// SPDX-License-Identifier: MIT
#include "capturewindows.h"

#include "captureloader.h"
#include "chartspanel.h"
#include "comparewindow.h"
#include "decodeaseditor.h"
#include "eventlogpanel.h"
#include "mainwindow.h"
#include "notespanel.h"
#include "replaybar.h"
#include "session.h"
#include "sessionfeed.h"
#include "sessionsummary.h"

#include <QDockWidget>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QTimer>
#include <QToolBar>
#include <limits>
#include <malloc.h>

namespace {
/// The window takes in at most this many events ahead of its slices: the file waits, never drops.
constexpr std::size_t AheadEvents = 65536;
} // namespace

CaptureWindow::CaptureWindow(QObject* parent)
    : QObject(parent)
    , m_pump(new QTimer(this))
    , m_replayClock(new QTimer(this))
    , m_wall(new QElapsedTimer)
    , m_sinceOpen(new QElapsedTimer)
{
    m_sinceOpen->start();
    m_replayClock->setInterval(33); // the playhead moves at 30 Hz; the views refresh at their own pace
    connect(m_replayClock, &QTimer::timeout, this, &CaptureWindow::advance);
}

CaptureWindow::~CaptureWindow()
{
    m_loader.reset(); // the reader's thread first; then the window, then the session it shows
    delete m_window.data();
    delete m_wall;
    delete m_sinceOpen;
}

QString CaptureWindow::path() const { return m_path; }

CaptureWindow* CaptureWindow::open(
    const QString& path, bool persistent, QString* error, QObject* parent, const DecodeAs& decodeAs)
{
    auto loader = std::make_unique<CaptureLoader>();
    DecoderConfig decoder;
    decodeAs.applyTo(decoder);
    loader->setDecoderConfig(decoder);
    if (!loader->open(path, error))
        return nullptr;
    auto* capture = new CaptureWindow(parent);
    capture->m_path = path;
    capture->m_decoder = decoder;
    capture->m_loader = std::move(loader);
    Session::Config config;
    config.clock = Session::Clock::Recorded; // a recording's rates follow its own clock
    capture->m_session = std::make_unique<Session>(config);
    capture->m_feed = std::make_unique<SessionFeed>(*capture->m_session);
    auto* w = new MainWindow(*capture->m_feed);
    capture->m_window = w;
    w->setWindowTitle(tr("EventScope: %1").arg(QFileInfo(path).fileName()));
    w->setAttribute(Qt::WA_DeleteOnClose, true);
    connect(w, &QObject::destroyed, capture, &CaptureWindow::closed);
    connect(w, &MainWindow::loadCancelRequested, capture, [capture] {
        if (capture->m_loader)
            capture->m_loader->cancel();
    });
    // the window takes batches as its slices make room (a timer: the window gives no signal for it)
    capture->m_pump->setInterval(5);
    connect(capture->m_pump, &QTimer::timeout, capture, &CaptureWindow::pump);

    capture->m_bar = new ReplayBar(w);
    capture->m_bar->setEnabled(false); // until the whole capture has been read once
    auto* bar = new QToolBar(tr("Replay"), w);
    bar->setObjectName(QStringLiteral("replay"));
    bar->setMovable(false);
    bar->addWidget(capture->m_bar);
    w->addToolBar(Qt::BottomToolBarArea, bar);
    connect(capture->m_bar, &ReplayBar::playToggled, capture, [capture](bool playing) {
        if (playing)
            capture->play();
        else
            capture->pause();
    });
    connect(capture->m_bar, &ReplayBar::seekRequested, capture, &CaptureWindow::seek);
    connect(capture->m_bar, &ReplayBar::stepRequested, capture, &CaptureWindow::step);

    capture->m_notesPanel = new NotesPanel(w);
    capture->m_notesPanel->setEnabled(false);
    auto* notes = new QDockWidget(tr("Bookmarks"), w);
    notes->setObjectName(QStringLiteral("bookmarks"));
    notes->setWidget(capture->m_notesPanel);
    w->addDockWidget(Qt::BottomDockWidgetArea, notes);
    if (auto* alerts = w->findChild<QDockWidget*>(QStringLiteral("alerts")))
        w->tabifyDockWidget(alerts, notes);
    if (auto* log = w->findChild<QDockWidget*>(QStringLiteral("log")))
        log->raise(); // the log stays in front
    connect(capture->m_notesPanel, &NotesPanel::seekRequested, capture, &CaptureWindow::seek);
    connect(capture->m_notesPanel, &NotesPanel::addRequested, capture, &CaptureWindow::askForNote);
    connect(capture->m_notesPanel, &NotesPanel::removeRequested, capture, [capture](const QString& id) {
        QString error;
        if (!capture->removeNote(id, &error))
            QMessageBox::warning(capture->m_window, tr("Bookmarks"), error);
    });
    connect(capture->m_notesPanel, &NotesPanel::editRequested, capture, [capture](CaptureNotes::Note note) {
        bool ok = false;
        note.text = QInputDialog::getMultiLineText(capture->m_window, tr("Edit"), tr("Text:"), note.text, &ok);
        QString error;
        if (ok && !capture->editNote(note, &error))
            QMessageBox::warning(capture->m_window, tr("Bookmarks"), error);
    });

    // File > Compare with another capture (before and after a deployment)
    auto* compare = new QAction(tr("Co&mpare with another capture..."), w);
    w->fileMenu()->insertAction(w->quitAction(), compare);
    w->fileMenu()->insertSeparator(w->quitAction());
    connect(compare, &QAction::triggered, capture, [capture] {
        const QString other = QFileDialog::getOpenFileName(capture->m_window,
            tr("Compare %1 with").arg(QFileInfo(capture->m_path).fileName()), QFileInfo(capture->m_path).absolutePath(),
            tr("Captures (*.escap *.ndjson *.jsonl *.json *.har *.gz *.zst);;All files (*)"));
        if (!other.isEmpty())
            capture->compareWith(other);
    });

    // its layout (the Bookmarks panel and the replay bar included) is its own, not the live window's
    w->setLayoutPrefix(QStringLiteral("capture/"));
    w->setPersistent(persistent);
    // a capture is looked at whole: the charts span all of it (zoom in with a band or the wheel)
    if (auto* charts = w->findChild<ChartsPanel*>())
        charts->setWindowSeconds(0);

    w->addRecentCapture(path);
    w->showDashboard();
    capture->startReading();
    return capture;
}

void CaptureWindow::startReading()
{
    m_readEnded = false;
    m_readError.clear();
    m_loaded = false;
    if (!m_replaying)
        connect(m_loader.get(), &CaptureLoader::progress, m_window, &MainWindow::setLoadProgress);
    connect(m_loader.get(), &CaptureLoader::batchesReady, this, &CaptureWindow::pump);
    connect(m_loader.get(), &CaptureLoader::finished, this, [this](const QString& error) {
        m_readEnded = true;
        m_readError = error;
        pump();
    });
    if (!m_replaying)
        m_window->setLoadProgress(0, QFileInfo(m_path).size());
    m_loader->start();
    m_pump->start();
}

void CaptureWindow::restart()
{
    // the file again from its beginning, into the same session and views, emptied
    m_loader.reset();
    m_feed->reset();
    m_loader = std::make_unique<CaptureLoader>();
    m_loader->setDecoderConfig(m_decoder);
    QString error;
    if (!m_loader->open(m_path, &error)) {
        // the file changed or went away since it was opened: say so, keep what is shown
        m_window->setLoadFinished(tr("Cannot replay: %1").arg(error));
        m_loader.reset();
        pause();
        return;
    }
    startReading();
}

bool CaptureWindow::isAtPlayhead() const
{
    if (!m_window)
        return false;
    if (m_inMemory)
        return true; // a seek shows its events before it returns
    if (m_feed->pendingEvents() > 0)
        return m_replaying && m_feed->nextPendingTimeUs() > m_playheadUs;
    return m_readEnded && m_loader && m_loader->isDone();
}

void CaptureWindow::setPlayhead(qint64 timeUs)
{
    if (m_playheadUs / 1000 != timeUs / 1000 || !m_replaying)
        m_window->setConnectionText(tr("%1: replay at +%2 s of %3 s (the capture holds %L4 events)")
                                        .arg(QFileInfo(m_path).fileName())
                                        .arg(double(timeUs - m_startUs) / 1e6, 0, 'f', 3)
                                        .arg(double(m_endUs - m_startUs) / 1e6, 0, 'f', 3)
                                        .arg(m_capturedEvents));
    m_playheadUs = timeUs;
    m_feed->setHorizon(timeUs);
    m_feed->setClock(timeUs >= m_endUs ? endClock() : timeUs);
    m_bar->setPosition(timeUs);
    if (m_inMemory)
        showPlayhead();
}

void CaptureWindow::showPlayhead()
{
    Session& s = *m_session;
    const quint32 shown = s.store().size();
    const quint32 count = s.countUntil(m_playheadUs);
    if (count == shown)
        return;
    s.replayTo(count);
    // back: the views start again from what the session shows now; on: they take in what came, as live
    if (count < shown)
        m_feed->notifyRewound();
}

qint64 CaptureWindow::endClock() const
{
    // at the end of the capture its last second is complete (nothing more will come): the clock stands
    // at the start of the next, so rates and charts count that second too, as a short capture needs
    const qint64 second = m_endUs >= 0 ? m_endUs / 1000000 : -((-m_endUs + 999999) / 1000000);
    return (second + 1) * 1000000;
}

void CaptureWindow::seek(qint64 timeUs)
{
    if (!m_rangeKnown || !m_window)
        return;
    timeUs = std::clamp(timeUs, m_startUs, m_endUs);
    // backwards (or into replay from the whole view, which is at the end): start again from the beginning
    const bool back = !m_replaying || timeUs < m_playheadUs;
    m_replaying = true;
    setPlayhead(timeUs);
    if (back && !m_inMemory)
        restart();
}

void CaptureWindow::play()
{
    if (!m_rangeKnown)
        return;
    if (!m_replaying || m_playheadUs >= m_endUs)
        seek(m_startUs); // play from the beginning
    m_bar->setPlaying(true);
    m_wall->start();
    m_wallMark = 0;
    m_replayClock->start();
}

void CaptureWindow::pause()
{
    m_replayClock->stop();
    if (m_bar)
        m_bar->setPlaying(false);
}

void CaptureWindow::advance()
{
    const qint64 now = m_wall->elapsed();
    const qint64 wallUs = (now - m_wallMark) * 1000;
    m_wallMark = now;
    // the playhead waits while the window catches up with it: one far ahead of the views shows nothing
    if (!isAtPlayhead())
        return;
    if (m_playheadUs >= m_endUs) {
        // the end has been shown for a frame at least: again from the beginning, or stop there
        if (m_bar->loops())
            seek(m_startUs);
        else
            pause();
        return;
    }
    const double speed = m_bar->speed();
    const qint64 next
        = speed == 0 ? m_endUs : std::min(m_endUs, m_playheadUs + std::max<qint64>(1, qint64(double(wallUs) * speed)));
    setPlayhead(next);
    if (next >= m_endUs && !m_bar->loops() && isAtPlayhead())
        pause();
}

void CaptureWindow::step(int direction)
{
    if (!m_rangeKnown || !m_window)
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

void CaptureWindow::pump()
{
    if (m_loaded || !m_window || !m_loader)
        return;
    while (
        m_feed->pendingEvents() < AheadEvents && m_loader->feed(*m_feed, AheadEvents - m_feed->pendingEvents()) > 0) { }
    // the first events on screen at once, not at the next refresh tick
    if (m_firstPaintMs < 0 && m_session->eventCount() > 0) {
        m_window->refresh();
        m_firstPaintMs = m_sinceOpen->elapsed();
    }
    if (m_readEnded && m_loader->isDone() && m_feed->pendingEvents() == 0)
        finish();
}

CompareWindow* CaptureWindow::compareWith(const QString& other)
{
    auto* compare = new CompareWindow(m_path, other);
    compare->setAttribute(Qt::WA_DeleteOnClose, true);
    connect(this, &QObject::destroyed, compare, &QWidget::close);
    compare->show();
    return compare;
}

void CaptureWindow::showNotes()
{
    m_notesPanel->setNotes(m_startUs, m_notes.notes());
    std::vector<qint64> marks;
    for (const CaptureNotes::Note& n : m_notes.notes())
        marks.push_back(n.timeUs);
    m_bar->setMarks(marks);
}

bool CaptureWindow::addNote(const QString& kind, const QString& text, qint64 timeUs, QString* error)
{
    CaptureNotes::Note note;
    note.kind = kind;
    note.text = text;
    note.timeUs = timeUs;
    if (!m_notes.put(note, error))
        return false;
    showNotes();
    return true;
}

bool CaptureWindow::editNote(CaptureNotes::Note note, QString* error)
{
    if (!m_notes.put(std::move(note), error))
        return false;
    showNotes();
    return true;
}

bool CaptureWindow::removeNote(const QString& id, QString* error)
{
    if (!m_notes.remove(id, error))
        return false;
    showNotes();
    return true;
}

void CaptureWindow::askForNote(const QString& kind)
{
    if (!m_rangeKnown)
        return;
    // at the playhead; in the whole view, at the event selected in the log (else the end)
    qint64 at = m_endUs;
    if (m_replaying) {
        at = m_playheadUs;
    } else if (auto* log = m_window->findChild<EventLogPanel*>()) {
        const quint32 e = log->currentEvent();
        if (m_session->store().contains(e))
            at = m_session->basisTime(m_session->store().at(e));
    }
    bool ok = false;
    const QString text = kind == QLatin1String("comment")
        ? QInputDialog::getMultiLineText(m_window, tr("Comment"), tr("Comment:"), QString(), &ok)
        : QInputDialog::getText(m_window, tr("Bookmark"), tr("Name:"), QLineEdit::Normal,
            tr("Bookmark %1").arg(m_notes.notes().size() + 1), &ok);
    if (!ok)
        return;
    QString error;
    if (!addNote(kind, text, at, &error))
        QMessageBox::warning(m_window, tr("Bookmarks"), error);
}

void CaptureWindow::finish()
{
    m_loaded = true;
    m_pump->stop();
    if (m_loadedMs < 0)
        m_loadedMs = m_sinceOpen->elapsed();
#ifdef __GLIBC__
    // the batches that carried the file are freed; give their pages back (about 20 B/event of RSS)
    malloc_trim(0);
#endif
    if (!m_rangeKnown && m_session->eventCount() > 0) {
        // the replay's range: the whole capture, as first read
        m_rangeKnown = true;
        m_capturedEvents = m_session->eventCount();
        m_startUs = m_session->firstEventTimeUs();
        m_endUs = m_session->lastEventTimeUs();
        m_bar->setRange(m_startUs, m_endUs);
        m_bar->setPosition(m_endUs);
        m_bar->setEnabled(true);
        // the notes: in the capture itself when it is a plain, whole EventScope capture, else beside it
        bool damaged = !m_readError.isEmpty();
        for (const MalformedRecord& m : m_session->firstMalformed())
            damaged = damaged || m.position.unit == SourcePosition::Record;
        for (const MalformedRecord& m : m_session->recentMalformed())
            damaged = damaged || m.position.unit == SourcePosition::Record;
        const bool appendable = m_loader->format() == CaptureReader::Format::Capture
            && m_loader->compression() == CaptureReader::Compression::None && !damaged && !m_loader->wasCancelled();
        m_notes.load(m_path, m_loader->annotations(), appendable);
        m_notesPanel->setEnabled(true);
        showNotes();
        // every event is still stored: seeks rebuild the figures from them (else the file is read again)
        m_inMemory = m_session->canReplay();
        // nothing more comes into this session (reading again starts a fresh one): free its indexes
        m_session->compact();
    }
    if (m_replaying) {
        m_window->refresh();
        Q_EMIT loaded();
        return;
    }
    m_feed->drain(); // what is left of the memory cap's work
    if (m_rangeKnown)
        m_feed->setClock(endClock());
    m_window->refresh();
    QString text = tr("%1: %L2 events, %L3 chains")
                       .arg(QFileInfo(path()).fileName())
                       .arg(m_session->eventCount())
                       .arg(m_session->chains().liveCount());
    if (const QString why = SessionSummary::whyNoEvents(*m_session, QFileInfo(path()).size()); !why.isEmpty())
        text = QFileInfo(path()).fileName() + QStringLiteral(": ") + why; // what matters first
    else if (m_session->malformedCount() > 0)
        text += tr("; %L1 records skipped (see Malformed)").arg(m_session->malformedCount());
    if (m_session->clockSkewedCount() > 0)
        text += tr("; %L1 events clock-skewed, counted at their neighbours' time (see Malformed)")
                    .arg(m_session->clockSkewedCount());
    if (m_loader->wasCancelled())
        text += tr("; reading was cancelled: the rest of the file is not shown");
    if (!m_readError.isEmpty())
        text += tr("; reading stopped: %1").arg(m_readError);
    if (m_session->evictedCount() > 0)
        text += tr("; the oldest %L1 events were dropped by the memory cap (still counted in every rate)")
                    .arg(m_session->evictedCount());
    m_window->setLoadFinished(text);
    // seeks need nothing from the file but the payloads the session holds on to: the reader, its
    // thread and its buffers go
    if (m_inMemory) {
        m_loader.reset();
#ifdef __GLIBC__
        malloc_trim(0);
#endif
    }
    Q_EMIT loaded();
}

CaptureWindows::CaptureWindows(QObject* parent)
    : QObject(parent)
{ }

CaptureWindows::~CaptureWindows() = default;

CaptureWindow* CaptureWindows::open(const QString& path, QString* error, const std::optional<DecodeAs>& decodeAs)
{
    // the choice made in the Open dialog, else the one made last for this file
    const QString key = QFileInfo(path).absoluteFilePath();
    const DecodeAs choice = decodeAs ? *decodeAs : m_persistent ? DecodeAsEditor::remembered(key) : DecodeAs();
    CaptureWindow* capture = CaptureWindow::open(path, m_persistent, error, this, choice);
    if (capture && decodeAs && m_persistent)
        DecodeAsEditor::remember(key, *decodeAs);
    if (!capture)
        return nullptr;
    // closing the window frees the capture: its session and its reader
    connect(capture, &CaptureWindow::closed, capture, &QObject::deleteLater);
    Q_EMIT opened(capture);
    capture->window()->show();
    return capture;
}

QList<CaptureWindow*> CaptureWindows::windows() const
{
    return findChildren<CaptureWindow*>(Qt::FindDirectChildrenOnly);
}
