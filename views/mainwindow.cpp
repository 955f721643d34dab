// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "alertpanel.h"
#include "breakerpanel.h"
#include "chartspanel.h"
#include "deadletterpanel.h"
#include "decodeaseditor.h"
#include "elidedlabel.h"
#include "eventdetail.h"
#include "eventexport.h"
#include "eventfilter.h"
#include "eventlogmodel.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "healthboard.h"
#include "opencapturedialog.h"
#include "printable.h"
#include "recentitems.h"
#include "refreshscheduler.h"
#include "session.h"
#include "sessionfeed.h"
#include "sessionsummary.h"
#include "sourcespanel.h"
#include "startpage.h"
#include "statuscounters.h"
#include "urlredaction.h"
#include "viewslogging.h"

#include <QApplication>
#include <QClipboard>
#include <QCloseEvent>
#include <QDialog>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QElapsedTimer>
#include <QFileDialog>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QProgressBar>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QSystemTrayIcon>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>
#include <utility>

MainWindow::MainWindow(Session& session, QWidget* parent)
    : MainWindow(*new SessionFeed(session), parent)
{
    m_feed.setParent(this); // its own feed, made for it
}

MainWindow::MainWindow(SessionFeed& feed, QWidget* parent)
    : QMainWindow(parent)
    , m_session(feed.session())
    , m_feed(feed)
    , m_stack(new QStackedWidget(this))
    , m_start(new StartPage(this))
    , m_banner(new AlertBanner(this))
    , m_board(new HealthBoard(m_session, this))
    , m_charts(new ChartsPanel(m_session, this))
    , m_log(new EventLogPanel(m_session, this))
    , m_explorer(new ExplorerPanel(m_session, this))
    , m_breakers(new BreakerPanel(m_session, this))
    , m_deadLetters(new DeadLetterPanel(m_session, this))
    , m_sources(new SourcesPanel(m_session, this))
    , m_alerts(new AlertModel(m_session, this))
    , m_alertPanel(new AlertPanel(m_alerts, this))
    , m_connection(new ElidedLabel(this))
    , m_loadProgress(new QProgressBar(this))
    , m_loadCancel(new QToolButton(this))
    , m_refresh(new RefreshScheduler([this] { return nowUs(); }, this))
{
    setWindowTitle(tr("EventScope"));
    setWindowIcon(QIcon(QStringLiteral(":/eventscope/eventscope.png")));
    setDockOptions(AnimatedDocks | AllowTabbedDocks | AllowNestedDocks);
    auto* central = new QWidget(this);
    auto* layout = new QVBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_banner);
    layout->addWidget(m_board, 1);
    m_stack->addWidget(m_start);
    m_stack->addWidget(central);
    setCentralWidget(m_stack);

    // the board has the centre (it needs the width); charts on the right; the rest tabbed below
    QDockWidget* charts = addPanel(m_charts, tr("Charts"), QStringLiteral("charts"), Qt::RightDockWidgetArea);
    QDockWidget* log = addPanel(m_log, tr("Event log"), QStringLiteral("log"), Qt::BottomDockWidgetArea);
    QDockWidget* explorer
        = addPanel(m_explorer, tr("Correlation explorer"), QStringLiteral("explorer"), Qt::BottomDockWidgetArea);
    QDockWidget* breakers = addPanel(m_breakers, tr("Breakers"), QStringLiteral("breakers"), Qt::BottomDockWidgetArea);
    QDockWidget* dead
        = addPanel(m_deadLetters, tr("Dead letters"), QStringLiteral("deadletters"), Qt::BottomDockWidgetArea);
    QDockWidget* alerts = addPanel(m_alertPanel, tr("Alerts"), QStringLiteral("alerts"), Qt::BottomDockWidgetArea);
    QDockWidget* sources = addPanel(m_sources, tr("Sources"), QStringLiteral("sources"), Qt::BottomDockWidgetArea);
    m_viewDocks[int(View::Charts)] = charts;
    m_viewDocks[int(View::Log)] = log;
    m_viewDocks[int(View::Explorer)] = explorer;
    m_viewDocks[int(View::Breakers)] = breakers;
    m_viewDocks[int(View::DeadLetters)] = dead;
    m_viewDocks[int(View::Alerts)] = alerts;
    m_viewDocks[int(View::Sources)] = sources;
    tabifyDockWidget(log, explorer);
    tabifyDockWidget(explorer, breakers);
    tabifyDockWidget(breakers, dead);
    tabifyDockWidget(dead, alerts);
    tabifyDockWidget(alerts, sources);
    log->raise();
    resizeDocks({ charts }, { 560 }, Qt::Horizontal);
    resizeDocks({ log }, { 330 }, Qt::Vertical);

    createActions();
    createStatusBar();
    resize(1600, 960);

    connect(m_start, &StartPage::demoRequested, this, &MainWindow::demoRequested);
    connect(m_start, &StartPage::connectRequested, this, &MainWindow::askToConnect);
    connect(m_start, &StartPage::openRequested, this, [this](const QString& path) {
        if (path.isEmpty())
            askToOpen();
        else
            Q_EMIT openRequested(path);
    });
    setAcceptDrops(true);
    connect(m_log, &EventLogPanel::chainRequested, this, &MainWindow::showChainOfEvent);
    connect(m_explorer->detail(), &EventDetail::chainRequested, this, &MainWindow::showChainOfEvent);
    connect(m_deadLetters, &DeadLetterPanel::chainRequested, this, &MainWindow::showChain);
    connect(m_sources, &SourcesPanel::sourceActivated, this, [this](const QString& source) {
        raiseView(View::Log);
        m_log->setFilterText(EventFilter::equals(QStringLiteral("source"), source));
    });
    connect(m_breakers, &BreakerPanel::eventActivated, this, &MainWindow::showChainOfEvent);
    connect(m_charts, &ChartsPanel::transitionClicked, this, [this](quint32 event) {
        raiseView(View::Breakers);
        for (std::size_t b = 0; b < m_session.breakers().size(); ++b)
            for (const BreakerTransition& t : m_session.breakers().at(b).history)
                if (t.event == event)
                    m_breakers->selectBreaker(int(b));
        m_breakers->showEventsAround(event);
    });
    connect(m_board, &HealthBoard::typeActivated, this, [this](const QString& type) {
        raiseView(View::Log);
        m_log->setFilterText(EventFilter::equals(QStringLiteral("type"), type));
    });
    connect(m_alerts, &AlertModel::raised, this, &MainWindow::onAlertsRaised);
    connect(m_banner, &AlertBanner::evidenceRequested, this, &MainWindow::followAlert);
    connect(m_alertPanel, &AlertPanel::evidenceRequested, this, &MainWindow::followAlert);

    connect(&m_feed, &SessionFeed::rewound, this, &MainWindow::sessionRewound);
    // three parts, so that no tick does more than a third of the views' work (the log, the dead letters
    // and the explorer in one tick measured up to 32 ms at 250,000 events/s)
    enum Part { Overview, Details, Explorer };
    m_refresh->add(Overview, QStringLiteral("board"), [this](qint64 now) { m_board->refresh(now); });
    m_refresh->add(Overview, QStringLiteral("charts"), [this](qint64 now) { m_charts->refresh(now); });
    m_refresh->add(Overview, QStringLiteral("breakers"), [this](qint64 now) { m_breakers->refresh(now); });
    m_refresh->add(Overview, QStringLiteral("alerts"), [this](qint64 now) { m_alerts->refresh(now); });
    m_refresh->add(Overview, QStringLiteral("counters"), [this](qint64 now) { m_counters->refresh(now); });
    m_refresh->add(Details, QStringLiteral("log"), [this](qint64) { m_log->refresh(); });
    m_refresh->add(Details, QStringLiteral("deadLetters"), [this](qint64) { m_deadLetters->refresh(); });
    m_refresh->add(Details, QStringLiteral("sources"), [this](qint64) { m_sources->refresh(); });
    m_refresh->add(Explorer, QStringLiteral("explorer"), [this](qint64 now) { m_explorer->refresh(now); });
    m_refresh->start(83); // 12 Hz: each part at 4 Hz
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(windowIcon(), this);
        m_tray->setToolTip(tr("EventScope"));
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            showNormal();
            activateWindow();
            followAlert(m_alerts->rowCount() - 1);
        });
    }
}

MainWindow::~MainWindow() = default;

QDockWidget* MainWindow::addPanel(QWidget* panel, const QString& title, const QString& name, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, this);
    dock->setObjectName(name); // saveState() needs it
    dock->setWidget(panel);
    dock->setAccessibleName(title);
    addDockWidget(area, dock);
    m_docks << dock;
    return dock;
}

void MainWindow::createActions()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    m_fileMenu = file;
    file->addAction(tr("Start the &demo bus"), QKeySequence(tr("Ctrl+D")), this, &MainWindow::demoRequested);
    file->addAction(tr("&Connect to a bus..."), QKeySequence(tr("Ctrl+N")), this, [this] { askToConnect(QString()); });
    file->addAction(tr("&Open a capture..."), QKeySequence::Open, this, &MainWindow::askToOpen);
    QMenu* recent = file->addMenu(tr("Recent &captures"));
    connect(recent, &QMenu::aboutToShow, this, [this, recent] {
        recent->clear();
        const QStringList paths = recentCaptures();
        for (const QString& path : paths)
            recent->addAction(QFileInfo(path).fileName(), this, [this, path] { Q_EMIT openRequested(path); })
                ->setToolTip(path);
        if (paths.isEmpty())
            recent->addAction(tr("(none yet)"))->setEnabled(false);
    });
    QMenu* exporting = file->addMenu(tr("&Export"));
    exporting->addAction(tr("The &filtered event log..."), QKeySequence(tr("Ctrl+Shift+E")), this,
        [this] { askToExport(ExportScope::FilteredLog); });
    exporting->addAction(tr("The &selected events..."), this, [this] { askToExport(ExportScope::SelectedEvents); });
    exporting->addAction(tr("The &chain in the explorer..."), this, [this] { askToExport(ExportScope::Chain); });
    file->addSeparator();
    m_quit = file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    const View order[] = { View::Board, View::Charts, View::Log, View::Explorer, View::Breakers, View::DeadLetters,
        View::Alerts, View::Sources };
    const QString names[] = { tr("Health board"), tr("Charts"), tr("Event log"), tr("Correlation explorer"),
        tr("Breakers"), tr("Dead letters"), tr("Alerts"), tr("Sources") };
    for (int i = 0; i < 8; ++i)
        view->addAction(
            names[i], QKeySequence(QStringLiteral("Ctrl+%1").arg(i + 1)), this, [this, v = order[i]] { raiseView(v); });
    view->addSeparator();
    QMenu* origins = view->addMenu(tr("&One origin in its own window"));
    origins->setToolTipsVisible(true);
    // the origins are the session's: connections come and go, so the list is made when it opens
    connect(origins, &QMenu::aboutToShow, this, [this, origins] {
        origins->clear();
        for (std::size_t o = 0; o < m_session.origins().size(); ++o) {
            const ProfileCounts counts = m_session.originProfiles(quint16(o));
            const bool decoded = std::any_of(counts.begin(), counts.end(), [](quint64 n) { return n > 0; });
            const QString name = Printable::forDisplay(m_session.originName(quint16(o)), 120);
            QAction* a = origins->addAction(decoded
                    ? tr("%1 (decoded as %2)").arg(name, EventProfiles::title(m_session.originProfile(quint16(o))))
                    : name,
                this, [this, o] { Q_EMIT originWindowRequested(quint16(o)); });
            a->setToolTip(tr("Every view for the events of this origin alone"));
        }
        if (origins->isEmpty())
            origins->addAction(tr("(no origin yet)"))->setEnabled(false);
    });
    QAction* pause = view->addAction(tr("&Pause live updates"), QKeySequence(tr("Ctrl+P")), this, [this] {
        const bool paused = !m_charts->isPaused();
        m_charts->setPaused(paused);
        m_log->setFollowing(!paused);
    });
    pause->setToolTip(tr("Hold the charts and the log still; the session keeps recording"));

    QMenu* go = menuBar()->addMenu(tr("&Go"));
    go->addAction(tr("Show the selected event's &chain"), QKeySequence(tr("Ctrl+J")), this,
        [this] { showChainOfEvent(selectedEvent()); });
    go->addAction(tr("Copy the selected event as &JSON"), QKeySequence(tr("Ctrl+Shift+C")), this, [this] {
        const std::string_view raw = m_session.raw(selectedEvent());
        if (!raw.empty())
            QApplication::clipboard()->setText(QString::fromUtf8(raw.data(), qsizetype(raw.size())));
    });
    go->addAction(tr("&Filter the event log"), QKeySequence::Find, this, [this] {
        raiseView(View::Log);
        m_log->filterEdit()->setFocus();
        m_log->filterEdit()->selectAll();
    });
    go->addAction(tr("&Search chains"), QKeySequence(tr("Ctrl+Shift+F")), this, [this] {
        raiseView(View::Explorer);
        m_explorer->searchEdit()->setFocus();
        m_explorer->searchEdit()->selectAll();
    });
    go->addAction(tr("Follow the newest &alert"), QKeySequence(tr("Ctrl+E")), this,
        [this] { followAlert(m_alerts->rowCount() - 1); });

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Keyboard shortcuts"), QKeySequence::HelpContents, this, [this] {
        QString text;
        for (QAction* menu : menuBar()->actions())
            for (QAction* a : menu->menu()->actions())
                if (!a->shortcut().isEmpty())
                    text += QStringLiteral("%1\t%2\n")
                                .arg(a->shortcut().toString(QKeySequence::NativeText),
                                    a->text().remove(QLatin1Char('&')));
        QMessageBox::information(this, tr("Keyboard shortcuts"), text);
    });
    help->addAction(tr("&About EventScope"), this, [this] {
        QMessageBox::about(this, tr("About EventScope"),
            tr("EventScope %1: a monitor for event buses.").arg(QApplication::applicationVersion()));
    });
}

void MainWindow::createStatusBar()
{
    statusBar()->addWidget(m_connection, 1);
    m_connection->setTextFormat(Qt::PlainText);
    m_loadProgress->setAccessibleName(tr("Reading the capture"));
    m_loadProgress->setMaximumWidth(220);
    m_loadProgress->hide();
    statusBar()->addWidget(m_loadProgress);
    m_loadCancel->setText(tr("Cancel"));
    m_loadCancel->setToolTip(tr("Stop reading the capture; what was read so far stays"));
    m_loadCancel->hide();
    statusBar()->addWidget(m_loadCancel);
    connect(m_loadCancel, &QToolButton::clicked, this, &MainWindow::loadCancelRequested);
    m_counters = new StatusCounters(m_session, m_feed, statusBar(), this);
    connect(m_counters, &StatusCounters::chartsRequested, this, [this] { raiseView(View::Charts); });
    connect(m_counters, &StatusCounters::logRequested, this, [this] { raiseView(View::Log); });
    connect(m_counters, &StatusCounters::explorerRequested, this, [this] { raiseView(View::Explorer); });
}

QToolButton* MainWindow::counter(const QString& name) const { return m_counters->counter(name); }

QString MainWindow::layoutKey(const char* key) const { return m_layoutPrefix + QLatin1String(key); }

void MainWindow::setPersistent(bool persistent)
{
    m_persistent = persistent;
    if (persistent)
        loadSettings();
}

void MainWindow::showDashboard()
{
    if (m_stack->currentIndex() == 1)
        return;
    m_stack->setCurrentIndex(1);
    for (QDockWidget* d : std::as_const(m_docks))
        if (m_hiddenForStart.contains(d))
            d->show();
    m_hiddenForStart.clear();
}

void MainWindow::showStartPage()
{
    m_start->setRecent(m_recent);
    m_stack->setCurrentIndex(0);
    // the start page alone: empty charts and tables around it would only be noise
    for (QDockWidget* d : std::as_const(m_docks))
        if (d->isVisibleTo(this) || !d->isHidden()) {
            m_hiddenForStart.insert(d);
            d->hide();
        }
}

bool MainWindow::isOnStartPage() const { return m_stack->currentIndex() == 0; }

void MainWindow::addRecentConnection(const QString& url)
{
    m_recent = RecentItems::withFirst(m_recent, url);
    m_start->setRecent(m_recent);
}

void MainWindow::askToOpen()
{
    const QStringList recent = recentCaptures();
    QString path;
    DecodeAs decodeAs;
    if (OpenCaptureDialog::ask(this, recent.isEmpty() ? QString() : QFileInfo(recent.constFirst()).absolutePath(),
            m_persistent, &path, &decodeAs))
        Q_EMIT openRequested(path, decodeAs);
}

void MainWindow::askToExport(ExportScope scope)
{
    QString filters = tr("NDJSON, one event per line (*.ndjson);;CSV (*.csv)");
    if (scope == ExportScope::Chain)
        filters += tr(";;Text report (*.txt)");
    QString chosen;
    QString path = QFileDialog::getSaveFileName(this, tr("Export"), QString(), filters, &chosen);
    if (path.isEmpty())
        return;
    // the extension decides; a name without one gets the chosen filter's
    if (QFileInfo(path).suffix().isEmpty())
        path += chosen.contains(QLatin1String("*.csv")) ? QStringLiteral(".csv")
            : chosen.contains(QLatin1String("*.txt"))   ? QStringLiteral(".txt")
                                                        : QStringLiteral(".ndjson");
    QString message;
    if (exportTo(scope, path, &message))
        setConnectionText(message);
    else
        QMessageBox::warning(this, tr("Export"), message);
}

bool MainWindow::exportTo(ExportScope scope, const QString& path, QString* message)
{
    std::vector<quint32> events;
    int chain = -1;
    switch (scope) {
    case ExportScope::FilteredLog:
        events = EventExport::matching(m_session, m_log->model()->filter());
        break;
    case ExportScope::SelectedEvents: {
        QModelIndexList rows = m_log->table()->selectionModel()->selectedRows();
        for (const QModelIndex& row : rows)
            events.push_back(row.data(EventLogModel::EventIndexRole).toUInt());
        std::sort(events.begin(), events.end());
        break;
    }
    case ExportScope::Chain: {
        const quint32 chosen = m_explorer->currentChain();
        if (chosen == ChainTracker::None || chosen >= m_session.chains().size() || !m_session.chains().alive(chosen)) {
            *message = tr("No chain is chosen in the correlation explorer.");
            return false;
        }
        chain = int(chosen);
        events = m_session.chains().members(chosen, m_session.store());
        break;
    }
    }
    return EventExport::toFile(m_session, events, chain, path, m_log->model()->fieldColumns(), message);
}

void MainWindow::addRecentCapture(const QString& path)
{
    if (!m_persistent)
        return;
    QSettings settings; // read and written at once: every window shares the list
    m_start->setRecentCaptures(RecentItems::addCapture(settings, path));
}

QStringList MainWindow::recentCaptures() const
{
    return m_persistent ? RecentItems::captures(QSettings()) : QStringList();
}

void MainWindow::setLoadProgress(qint64 done, qint64 total)
{
    m_loadProgress->setRange(0, total > 0 ? 1000 : 0);
    if (total > 0)
        m_loadProgress->setValue(int(std::clamp<qint64>(done * 1000 / total, 0, 1000)));
    m_loadProgress->setFormat(total > 0 ? tr("Reading %p%") : tr("Reading..."));
    m_loadProgress->show();
    m_loadCancel->show();
}

void MainWindow::setLoadFinished(const QString& text)
{
    m_loadProgress->hide();
    m_loadCancel->hide();
    setConnectionText(text);
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    const QList<QUrl> urls = event->mimeData()->urls();
    if (std::any_of(urls.begin(), urls.end(), [](const QUrl& u) { return u.isLocalFile(); }))
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    for (const QUrl& u : event->mimeData()->urls())
        if (u.isLocalFile())
            Q_EMIT openRequested(u.toLocalFile());
    event->acceptProposedAction();
}

void MainWindow::askToConnect(const QString& url)
{
    ConnectDialog dialog(m_recent, this);
    if (!url.isEmpty())
        dialog.setUrl(url);
    const auto keyOf = [](const QString& text) {
        return UrlRedaction::withoutCredentials(QUrl(text, QUrl::TolerantMode)).toString();
    };
    if (m_persistent)
        dialog.setRememberedChoices([keyOf](const QString& text) { return DecodeAsEditor::remembered(keyOf(text)); });
    if (dialog.exec() != QDialog::Accepted)
        return;
    const ConnectionRequest request = dialog.request();
    if (m_persistent)
        DecodeAsEditor::remember(keyOf(request.url.toString()), request.decodeAs);
    Q_EMIT connectRequested(request);
}

void MainWindow::sessionRewound()
{
    m_board->reset();
    m_log->reset();
    m_explorer->reset();
    m_breakers->reset();
    m_deadLetters->reset();
    m_sources->reset();
    m_alerts->reset();
    m_banner->hide();
    refresh();
}

void MainWindow::showNotice(const QString& text)
{
    // not modal: the dashboard goes on behind it
    auto* box = new QMessageBox(QMessageBox::Warning, tr("EventScope"), text, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setModal(false);
    box->show();
}

void MainWindow::setConnectionText(const QString& text) { m_connection->setFullText(text); }

void MainWindow::setDroppedCount(quint64 dropped) { m_counters->setSourceDropped(dropped); }

qint64 MainWindow::nowUs() const { return m_feed.nowUs(); }

void MainWindow::refresh()
{
    m_explorer->listNow(); // now means the chain list too, which otherwise follows once a second
    m_refresh->refreshAll();
}

MainWindow::RefreshCost MainWindow::lastRefreshCost() const
{
    const auto cost = [this](const char* name) { return m_refresh->lastCost(QString::fromLatin1(name)); };
    return { cost("board"), cost("charts"), cost("breakers"), cost("log"), cost("explorer"), cost("deadLetters"),
        cost("alerts"), cost("total") };
}

void MainWindow::raiseView(View view)
{
    if (view == View::Board) {
        showDashboard();
        m_board->table()->setFocus();
        return;
    }
    if (QDockWidget* d = m_viewDocks[int(view)]) {
        d->show();
        d->raise();
        d->widget()->setFocus();
    }
}

void MainWindow::setViewVisible(View view, bool visible)
{
    if (QDockWidget* d = m_viewDocks[int(view)])
        d->setVisible(visible);
}

void MainWindow::setBottomHeight(int pixels)
{
    m_stack->setMinimumHeight(100);
    for (QDockWidget* d : std::as_const(m_docks))
        if (dockWidgetArea(d) == Qt::BottomDockWidgetArea && !d->isHidden()) {
            resizeDocks({ d }, { pixels }, Qt::Vertical);
            return;
        }
}

quint32 MainWindow::selectedEvent() const
{
    // the explorer's event when it has the focus, else the log's
    if (m_explorer->isAncestorOf(QApplication::focusWidget()) && m_explorer->selectedEvent() != 0xFFFFFFFFu)
        return m_explorer->selectedEvent();
    return m_log->currentEvent();
}

void MainWindow::showChainOfEvent(quint32 event)
{
    if (!m_session.store().contains(event))
        return;
    const EventRecord& r = m_session.store().at(event);
    if (r.chain == EventRecord::NoChain) {
        statusBar()->showMessage(tr("This event has no correlation id: it belongs to no chain"), 5000);
        return;
    }
    showChain(r.chain, event);
}

void MainWindow::showChain(quint32 chain, quint32 event)
{
    raiseView(View::Explorer);
    m_explorer->showChain(chain, event);
}

void MainWindow::followAlert(int row)
{
    if (row < 0 || row >= m_alerts->rowCount())
        return;
    const Alert& a = m_alerts->alert(row);
    switch (a.kind) {
    case Alert::BreakerOpened:
        raiseView(View::Breakers);
        m_breakers->selectBreaker(a.breaker);
        m_breakers->showEventsAround(a.event);
        break;
    case Alert::TypeSilent:
    case Alert::TypeRecovered:
        raiseView(View::Board);
        m_board->selectType(a.type);
        break;
    case Alert::DeadLettersRising:
        raiseView(View::DeadLetters);
        m_deadLetters->refresh();
        m_deadLetters->selectReport(a.event);
        if (m_session.store().contains(a.event))
            showChainOfEvent(a.event);
        break;
    }
}

void MainWindow::onAlertsRaised(int count)
{
    // the newest alarm gets the banner; information (a failure type that stopped) is only listed
    int row = m_alerts->rowCount() - 1;
    int alarms = 0;
    for (int r = row; r > row - count && r >= 0; --r)
        alarms += m_alerts->alert(r).isAlarm();
    while (row >= 0 && row > m_alerts->rowCount() - 1 - count && !m_alerts->alert(row).isAlarm())
        --row;
    if (alarms == 0)
        return;
    const Alert& a = m_alerts->alert(row);
    m_banner->showAlert(row, a, alarms);
    if (m_tray)
        m_tray->showMessage(tr("EventScope alert"), a.text, QSystemTrayIcon::Warning, 8000);
}

void MainWindow::closeEvent(QCloseEvent* event)
{
    saveSettings();
    QMainWindow::closeEvent(event);
}

void MainWindow::loadSettings()
{
    QSettings s;
    if (s.contains(layoutKey("window/geometry")))
        restoreGeometry(s.value(layoutKey("window/geometry")).toByteArray());
    if (s.contains(layoutKey("window/state")) && !restoreState(s.value(layoutKey("window/state")).toByteArray()))
        qCInfo(lcViews, "the saved window layout does not fit this version: the default layout is used");
    m_board->restoreState(s.value(layoutKey("board/state")).toByteArray());
    m_charts->restoreState(s.value(layoutKey("charts/state")).toByteArray());
    m_log->restoreState(s.value(layoutKey("log/state")).toByteArray());
    m_explorer->restoreState(s.value(layoutKey("explorer/state")).toByteArray());
    m_alertPanel->setRules(AlertRules::load(s));
    m_recent = RecentItems::connections(s);
    m_start->setRecent(m_recent);
    m_start->setRecentCaptures(recentCaptures());
}

void MainWindow::saveSettings() const
{
    if (!m_persistent)
        return;
    QSettings s;
    s.setValue(layoutKey("window/geometry"), saveGeometry());
    s.setValue(layoutKey("window/state"), saveState());
    s.setValue(layoutKey("board/state"), m_board->saveState());
    s.setValue(layoutKey("charts/state"), m_charts->saveState());
    s.setValue(layoutKey("log/state"), m_log->saveState());
    s.setValue(layoutKey("explorer/state"), m_explorer->saveState());
    m_alertPanel->rules().save(s);
    RecentItems::saveConnections(s, m_recent);
}
