// SPDX-License-Identifier: MIT
#include "capturewindows.h"

#include "brokerprotocol.h"
#include "captureloader.h"
#include "chartspanel.h"
#include "comparewindow.h"
#include "decodeaseditor.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "mainwindow.h"
#include "notespanel.h"
#include "recentitems.h"
#include "replaybar.h"
#include "schemapanel.h"
#include "schemaregistry.h"
#include "session.h"

#include <QDateTime>
#include <QDir>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QSettings>
#include <QStandardPaths>
#include <QToolBar>

CaptureWindow::CaptureWindow(QObject* parent)
    : CaptureSession(parent)
{ }

MainWindow* CaptureWindow::window() const { return m_window; }

CaptureWindow::~CaptureWindow()
{
    delete m_window.data(); // the window before the session it shows (CaptureSession's members)
    if (m_temporary) { // a history read nobody saved
        QFile::remove(path());
        QFile::remove(CaptureNotes::sidecarPath(path()));
    }
}

CaptureWindow* CaptureWindow::open(const QString& path, bool persistent, QString* error, QObject* parent,
    const DecodeAs& decodeAs, std::shared_ptr<const SchemaRegistry> schemas)
{
    auto* capture = new CaptureWindow(parent);
    capture->setSchemas(std::move(schemas));
    if (!capture->CaptureSession::open(path, decodeAs, error)) {
        delete capture;
        return nullptr;
    }
    capture->build(tr("EventScope: %1").arg(QFileInfo(path).fileName()), persistent);
    capture->m_window->addRecentCapture(path);
    capture->start();
    return capture;
}

CaptureWindow* CaptureWindow::openHistory(const ConnectionSettings& settings, const QString& recordPath,
    bool persistent, QString* error, QObject* parent, std::shared_ptr<const SchemaRegistry> schemas)
{
    auto* capture = new CaptureWindow(parent);
    capture->setSchemas(std::move(schemas));
    if (!capture->CaptureSession::openHistory(settings, recordPath, error)) {
        delete capture;
        return nullptr;
    }
    capture->m_temporary = true;
    const QUrl url(capture->historyName());
    capture->build(tr("EventScope: %1 on %2 (history)").arg(capture->displayName(), url.authority()), persistent);
    // File > Save capture as: the read is kept (else its file goes with the window)
    MainWindow* w = capture->m_window;
    auto* save = new QAction(tr("&Save capture as..."), w);
    save->setEnabled(false);
    w->fileMenu()->insertAction(w->quitAction(), save);
    connect(capture, &CaptureSession::loaded, save, [save] { save->setEnabled(true); });
    connect(save, &QAction::triggered, capture, [capture] {
        const QString to = QFileDialog::getSaveFileName(capture->m_window, tr("Save %1").arg(capture->displayName()),
            QFileInfo(capture->path()).fileName(), tr("EventScope captures (*.escap)"));
        if (!to.isEmpty())
            capture->saveTo(to);
    });
    capture->start();
    return capture;
}

bool CaptureWindow::saveTo(const QString& path)
{
    QString error;
    if (!saveAs(path, &error)) {
        QMessageBox::warning(m_window, tr("Cannot save the capture"), error);
        return false;
    }
    m_temporary = false;
    m_window->setWindowTitle(tr("EventScope: %1").arg(QFileInfo(path).fileName()));
    m_window->addRecentCapture(path);
    return true;
}

void CaptureWindow::build(const QString& title, bool persistent)
{
    CaptureWindow* capture = this;
    auto* w = new MainWindow(capture->feed());
    capture->m_window = w;
    w->setWindowTitle(title);
    w->setAttribute(Qt::WA_DeleteOnClose, true);
    connect(w, &QObject::destroyed, capture, &CaptureWindow::closed);
    connect(w, &MainWindow::loadCancelRequested, capture, &CaptureSession::cancel);
    connect(capture, &CaptureSession::progress, w, &MainWindow::setLoadProgress);
    connect(capture, &CaptureSession::finishedText, w, &MainWindow::setLoadFinished);
    connect(capture, &CaptureSession::playheadText, w, &MainWindow::setConnectionText);
    connect(capture, &CaptureSession::refreshRequested, w, &MainWindow::refresh);
    // read to its end: the chain list whole at once, not a budget of events a second behind a fast reader
    connect(capture, &CaptureSession::loaded, w, [w] { w->explorer()->listWhole(); });

    capture->m_bar = new ReplayBar(w);
    capture->m_bar->setEnabled(false); // until the whole capture has been read once
    auto* bar = new QToolBar(tr("Replay"), w);
    bar->setObjectName(QStringLiteral("replay"));
    bar->setMovable(false);
    bar->addWidget(capture->m_bar);
    w->addToolBar(Qt::BottomToolBarArea, bar);
    ReplayBar* replay = capture->m_bar;
    capture->setSpeed(replay->speed());
    capture->setLoops(replay->loops());
    connect(replay, &ReplayBar::playToggled, capture, [capture](bool playing) {
        if (playing)
            capture->play();
        else
            capture->pause();
    });
    connect(replay, &ReplayBar::seekRequested, capture, &CaptureSession::seek);
    connect(replay, &ReplayBar::stepRequested, capture, &CaptureSession::step);
    connect(replay, &ReplayBar::speedChanged, capture, &CaptureSession::setSpeed);
    connect(replay, &ReplayBar::loopToggled, capture, &CaptureSession::setLoops);
    connect(capture, &CaptureSession::playheadMoved, replay, &ReplayBar::setPosition);
    connect(capture, &CaptureSession::playingChanged, replay, &ReplayBar::setPlaying);
    connect(capture, &CaptureSession::rangeKnown, replay, [replay](qint64 startUs, qint64 endUs) {
        replay->setRange(startUs, endUs);
        replay->setPosition(endUs);
        replay->setEnabled(true);
    });

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
    connect(capture, &CaptureSession::notesChanged, capture, &CaptureWindow::showNotes);
    connect(capture->m_notesPanel, &NotesPanel::seekRequested, capture, &CaptureSession::seek);
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
            tr("Compare %1 with").arg(capture->displayName()), QFileInfo(capture->path()).absolutePath(),
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

    w->showDashboard();
}

CompareWindow* CaptureWindow::compareWith(const QString& other)
{
    auto* compare = new CompareWindow(path(), other, [](Session& session, const QString& file, QString* error) {
        return CaptureLoader::readInto(session, file, error);
    });
    compare->setAttribute(Qt::WA_DeleteOnClose, true);
    connect(this, &QObject::destroyed, compare, &QWidget::close);
    compare->show();
    return compare;
}

void CaptureWindow::showNotes()
{
    m_notesPanel->setEnabled(true);
    m_notesPanel->setNotes(startUs(), notes().notes());
    std::vector<qint64> marks;
    for (const CaptureNotes::Note& n : notes().notes())
        marks.push_back(n.timeUs);
    m_bar->setMarks(marks);
}

void CaptureWindow::askForNote(const QString& kind)
{
    if (!isRangeKnown())
        return;
    // at the playhead; in the whole view, at the event selected in the log (else the end)
    qint64 at = endUs();
    if (isReplaying()) {
        at = playheadUs();
    } else if (auto* log = m_window->findChild<EventLogPanel*>()) {
        const quint32 e = log->currentEvent();
        if (session().store().contains(e))
            at = session().basisTime(session().store().at(e));
    }
    bool ok = false;
    const QString text = kind == QLatin1String("comment")
        ? QInputDialog::getMultiLineText(m_window, tr("Comment"), tr("Comment:"), QString(), &ok)
        : QInputDialog::getText(m_window, tr("Bookmark"), tr("Name:"), QLineEdit::Normal,
            tr("Bookmark %1").arg(notes().notes().size() + 1), &ok);
    if (!ok)
        return;
    QString error;
    if (!addNote(kind, text, at, &error))
        QMessageBox::warning(m_window, tr("Bookmarks"), error);
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
    // the schemas for every capture, else those loaded last for this one
    std::shared_ptr<const SchemaRegistry> schemas = m_schemas;
    QList<SchemaProblem> problems = m_schemaProblems;
    if (!schemas && m_persistent) {
        const QString remembered = RecentItems::captureSchemas(QSettings(), key);
        if (!remembered.isEmpty()) {
            schemas = SchemaRegistry::load(remembered, &problems);
            if (!schemas && problems.isEmpty()) // said in its Schemas view, not lost
                problems.append({ remembered, {}, tr("cannot be loaded") });
        }
    }
    CaptureWindow* capture = CaptureWindow::open(path, m_persistent, error, this, choice, schemas);
    if (capture && decodeAs && m_persistent)
        DecodeAsEditor::remember(key, *decodeAs);
    return show(capture, problems);
}

CaptureWindow* CaptureWindows::show(CaptureWindow* capture, const QList<SchemaProblem>& problems)
{
    if (!capture)
        return nullptr;
    capture->window()->schemaPanel()->setProblems(problems);
    // closing the window frees the capture: its session and its reader
    connect(capture, &CaptureWindow::closed, capture, &QObject::deleteLater);
    Q_EMIT opened(capture);
    capture->window()->show();
    return capture;
}

QString CaptureWindows::historyDirectory() const
{
    return m_historyDirectory.isEmpty()
        ? QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/history")
        : m_historyDirectory;
}

CaptureWindow* CaptureWindows::openHistory(const ConnectionSettings& settings, QString* error)
{
    const QString dir = historyDirectory();
    if (!QDir().mkpath(dir)) {
        *error = tr("cannot create %1 for the history read").arg(dir);
        return nullptr;
    }
    // named by the stream and when it was read; never an existing file
    BrokerEndpoint endpoint;
    BrokerEndpoint::parse(settings.url, endpoint, nullptr);
    QString stream = QString::fromUtf8(endpoint.stream).left(64);
    for (QChar& c : stream)
        if (!c.isLetterOrNumber() && c != u'-' && c != u'_')
            c = u'_';
    const QString base = dir + QLatin1Char('/') + stream + QLatin1Char('-')
        + QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
    QString path = base + QStringLiteral(".escap");
    for (int n = 2; QFile::exists(path); ++n)
        path = base + QStringLiteral("-%1.escap").arg(n);
    return show(CaptureWindow::openHistory(settings, path, m_persistent, error, this, m_schemas), m_schemaProblems);
}

std::shared_ptr<const SchemaRegistry> CaptureWindows::loadSchemas(
    CaptureWindow* capture, const QString& path, QList<SchemaProblem>* problems)
{
    auto registry = SchemaRegistry::load(path, problems);
    if (!registry)
        return nullptr;
    capture->window()->schemaPanel()->setProblems(*problems);
    capture->setSchemas(registry); // the file is read again, checked
    if (m_persistent) {
        QSettings settings;
        RecentItems::setCaptureSchemas(settings, capture->path(), path);
    }
    return registry;
}

void CaptureWindows::setSchemas(std::shared_ptr<const SchemaRegistry> schemas, const QList<SchemaProblem>& problems)
{
    m_schemas = std::move(schemas);
    m_schemaProblems = problems;
}

QList<CaptureWindow*> CaptureWindows::windows() const
{
    return findChildren<CaptureWindow*>(Qt::FindDirectChildrenOnly);
}
