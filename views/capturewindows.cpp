// SPDX-License-Identifier: MIT
#include "capturewindows.h"

#include "captureloader.h"
#include "mainwindow.h"
#include "session.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QTimer>

namespace {
/// The window takes in at most this many events ahead of its slices: the file waits, never drops.
constexpr std::size_t AheadEvents = 65536;
} // namespace

CaptureWindow::CaptureWindow(QObject* parent)
    : QObject(parent)
    , m_pump(new QTimer(this))
{
}

CaptureWindow::~CaptureWindow()
{
    m_loader.reset(); // the reader's thread first; then the window, then the session it shows
    delete m_window.data();
}

QString CaptureWindow::path() const { return m_loader->path(); }

CaptureWindow* CaptureWindow::open(const QString& path, bool persistent, QString* error, QObject* parent)
{
    auto loader = std::make_unique<CaptureLoader>();
    if (!loader->open(path, error))
        return nullptr;
    auto* capture = new CaptureWindow(parent);
    capture->m_loader = std::move(loader);
    Session::Config config;
    config.timeBasis = Session::TimeBasis::EventTime; // a recording's rates follow its own clock
    capture->m_session = std::make_unique<Session>(config);
    auto* w = new MainWindow(*capture->m_session);
    capture->m_window = w;
    w->setPersistent(persistent);
    w->setWindowTitle(tr("EventScope: %1").arg(QFileInfo(path).fileName()));
    w->setAttribute(Qt::WA_DeleteOnClose, true);
    connect(w, &QObject::destroyed, capture, &CaptureWindow::closed);
    connect(w, &MainWindow::loadCancelRequested, capture->m_loader.get(), &CaptureLoader::cancel);
    connect(capture->m_loader.get(), &CaptureLoader::progress, w, &MainWindow::setLoadProgress);
    connect(capture->m_loader.get(), &CaptureLoader::batchesReady, capture, &CaptureWindow::pump);
    connect(capture->m_loader.get(), &CaptureLoader::finished, capture, [capture](const QString& error) {
        capture->m_readEnded = true;
        capture->m_readError = error;
        capture->pump();
    });
    // the window takes batches as its slices make room (a timer: the window gives no signal for it)
    capture->m_pump->setInterval(5);
    connect(capture->m_pump, &QTimer::timeout, capture, &CaptureWindow::pump);
    w->addRecentCapture(path);
    w->showDashboard();
    w->setLoadProgress(0, QFileInfo(path).size());
    capture->m_loader->start();
    capture->m_pump->start();
    return capture;
}

void CaptureWindow::pump()
{
    if (m_loaded || !m_window)
        return;
    while (m_window->pendingEvents() < AheadEvents) {
        std::vector<std::shared_ptr<DecodedBatch>> batches = m_loader->take(AheadEvents - m_window->pendingEvents());
        if (batches.empty())
            break;
        // the reader's origin ids are its own; map them to this session's (usually the same numbers)
        const QStringList names = m_loader->origins();
        for (qsizetype i = qsizetype(m_originMap.size()); i < names.size(); ++i)
            m_originMap.push_back(m_session->addOrigin(names[i]));
        bool identity = true;
        for (std::size_t i = 0; i < m_originMap.size(); ++i)
            identity = identity && m_originMap[i] == i;
        for (const std::shared_ptr<DecodedBatch>& batch : batches) {
            if (!identity) {
                for (DecodedEvent& e : batch->events) {
                    e.origin = m_originMap[e.origin];
                    e.position.origin = m_originMap[e.position.origin];
                }
                for (MalformedRecord& m : batch->malformed)
                    m.position.origin = m_originMap[m.position.origin];
            }
            m_window->ingest(batch);
        }
    }
    if (m_readEnded && m_loader->isDone() && m_window->pendingEvents() == 0)
        finish();
}

void CaptureWindow::finish()
{
    m_loaded = true;
    m_pump->stop();
    m_window->drainPending(); // what is left of the memory cap's work
    m_window->refresh();
    QString text = tr("%1: %L2 events, %L3 chains")
                       .arg(QFileInfo(path()).fileName())
                       .arg(m_session->eventCount())
                       .arg(m_session->chains().liveCount());
    if (m_session->malformedCount() > 0)
        text += tr("; %L1 records skipped (see Malformed)").arg(m_session->malformedCount());
    if (m_loader->wasCancelled())
        text += tr("; reading was cancelled: the rest of the file is not shown");
    if (!m_readError.isEmpty())
        text += tr("; reading stopped: %1").arg(m_readError);
    if (m_session->evictedCount() > 0)
        text += tr("; the oldest %L1 events were dropped by the memory cap (still counted in every rate)")
                    .arg(m_session->evictedCount());
    m_window->setLoadFinished(text);
    Q_EMIT loaded();
}

CaptureWindows::CaptureWindows(QObject* parent)
    : QObject(parent)
{
}

CaptureWindows::~CaptureWindows() = default;

CaptureWindow* CaptureWindows::open(const QString& path, QString* error)
{
    CaptureWindow* capture = CaptureWindow::open(path, m_persistent, error, this);
    if (!capture)
        return nullptr;
    // closing the window frees the capture: its session and its reader
    connect(capture, &CaptureWindow::closed, capture, &QObject::deleteLater);
    Q_EMIT opened(capture);
    capture->window()->show();
    return capture;
}

QList<CaptureWindow*> CaptureWindows::windows() const { return findChildren<CaptureWindow*>(Qt::FindDirectChildrenOnly); }
