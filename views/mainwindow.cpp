// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "alertnotifier.h"
#include "alertpanel.h"
#include "breakerpanel.h"
#include "chartspanel.h"
#include "consumerspanel.h"
#include "deadletterpanel.h"
#include "decodeaseditor.h"
#include "elidedlabel.h"
#include "emptystates.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "flowmappanel.h"
#include "healthboard.h"
#include "loadprogress.h"
#include "mainmenus.h"
#include "navigation.h"
#include "opencapturedialog.h"
#include "recentitems.h"
#include "refreshscheduler.h"
#include "schemapanel.h"
#include "session.h"
#include "sessionfeed.h"
#include "sourcespanel.h"
#include "startpage.h"
#include "statuscounters.h"
#include "streampicker.h"
#include "urlredaction.h"
#include "viewslogging.h"
#include "windowexport.h"

#include <QCloseEvent>
#include <QDialog>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMessageBox>
#include <QMimeData>
#include <QSettings>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

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
    , m_flow(new FlowMapPanel(m_session, this))
    , m_schemas(new SchemaPanel(m_session, this))
    , m_consumers(new ConsumersPanel(m_session, this))
    , m_alerts(new AlertModel(m_session, this))
    , m_alertPanel(new AlertPanel(m_alerts, this))
    , m_docks(*this)
    , m_connection(new ElidedLabel(this))
    , m_loadProgress(new LoadProgress(this))
    , m_refresh(new RefreshScheduler([this] { return m_feed.nowUs(); }, this))
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
    m_docks.add(View::Charts, m_charts, tr("Charts"), QStringLiteral("charts"), Qt::RightDockWidgetArea);
    m_docks.add(View::Log, m_log, tr("Event log"), QStringLiteral("log"), Qt::BottomDockWidgetArea);
    m_docks.add(
        View::Explorer, m_explorer, tr("Correlation explorer"), QStringLiteral("explorer"), Qt::BottomDockWidgetArea);
    m_docks.add(View::Breakers, m_breakers, tr("Breakers"), QStringLiteral("breakers"), Qt::BottomDockWidgetArea);
    m_docks.add(
        View::DeadLetters, m_deadLetters, tr("Dead letters"), QStringLiteral("deadletters"), Qt::BottomDockWidgetArea);
    m_docks.add(View::Alerts, m_alertPanel, tr("Alerts"), QStringLiteral("alerts"), Qt::BottomDockWidgetArea);
    m_docks.add(View::Sources, m_sources, tr("Sources"), QStringLiteral("sources"), Qt::BottomDockWidgetArea);
    m_docks.add(View::Flow, m_flow, tr("Flow map"), QStringLiteral("flow"), Qt::BottomDockWidgetArea);
    m_docks.add(View::Schemas, m_schemas, tr("Schemas"), QStringLiteral("schemas"), Qt::BottomDockWidgetArea);
    connect(m_schemas, &SchemaPanel::loadRequested, this, &MainWindow::askToLoadSchemas);
    m_docks.add(View::Consumers, m_consumers, tr("Consumers"), QStringLiteral("consumers"), Qt::BottomDockWidgetArea);
    m_docks.arrangeDefault();

    m_navigation = new Navigation(*this);
    m_emptyStates = new EmptyStates(*this);
    connect(m_emptyStates, &EmptyStates::retryRequested, this, &MainWindow::retryRequested);
    const MainMenus menus = createMainMenus(*this, *m_navigation);
    m_fileMenu = menus.file;
    m_quit = menus.quit;
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
    m_refresh->add(Details, QStringLiteral("flow"), [this](qint64 now) { m_flow->refresh(now); });
    m_refresh->add(Details, QStringLiteral("schemas"), [this](qint64) { m_schemas->refresh(); });
    m_refresh->add(Details, QStringLiteral("consumers"), [this](qint64) { m_consumers->refresh(); });
    m_refresh->add(Explorer, QStringLiteral("explorer"), [this](qint64 now) { m_explorer->refresh(now); });
    m_refresh->start(83); // 12 Hz: each part at 4 Hz
    auto* notifier = new AlertNotifier(m_alerts, m_banner, this);
    connect(notifier, &AlertNotifier::evidenceRequested, m_navigation, &Navigation::followAlert);
}

MainWindow::~MainWindow() = default;

void MainWindow::createStatusBar()
{
    statusBar()->addWidget(m_connection, 1);
    m_connection->setTextFormat(Qt::PlainText);
    statusBar()->addWidget(m_loadProgress);
    connect(m_loadProgress, &LoadProgress::cancelRequested, this, &MainWindow::loadCancelRequested);
    // the connection's entry: its context menu disconnects and retries
    m_connection->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_connection, &QWidget::customContextMenuRequested, this, [this](const QPoint& at) {
        QMenu menu(this);
        fillConnectionsMenu(&menu, *this);
        menu.exec(m_connection->mapToGlobal(at));
    });
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
    m_docks.restore();
}

void MainWindow::showStartPage()
{
    m_start->setRecent(m_recent);
    m_stack->setCurrentIndex(0);
    m_docks.hideAll(); // the start page alone: empty charts and tables around it would only be noise
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

void MainWindow::askToLoadSchemas()
{
    // the folder chosen last, for this user's own window
    QSettings settings;
    const QString last = m_persistent ? settings.value(QStringLiteral("schemas/lastFolder")).toString() : QString();
    const QString path = QFileDialog::getExistingDirectory(
        this, tr("Load schemas: a folder of JSON Schema files, one per event type (TYPE.schema.json)"), last);
    if (path.isEmpty())
        return;
    if (m_persistent)
        settings.setValue(QStringLiteral("schemas/lastFolder"), path);
    Q_EMIT schemasRequested(path);
}

void MainWindow::askToExport(ExportScope scope) { WindowExport::ask(*this, scope); }

bool MainWindow::exportTo(ExportScope scope, const QString& path, QString* message)
{
    return WindowExport::write(*this, scope, path, message);
}

void MainWindow::askToStartDemo()
{
    // a real bus watched already: its session would take in the demo's traffic too
    const bool watching = std::any_of(
        m_connections.begin(), m_connections.end(), [](const Connection& c) { return c.active && !c.demo; });
    if (watching
        && QMessageBox::question(this, tr("Start the demo bus"),
               tr("This window is watching a bus. The demo's events would join its session, under an origin of "
                  "their own (View > One origin tells them apart). Start the demo bus here?"))
            != QMessageBox::Yes)
        return;
    Q_EMIT demoRequested();
}

void MainWindow::setConnections(const QList<Connection>& connections)
{
    m_connections = connections;
    m_emptyStates->setRetryOffered(
        std::any_of(connections.begin(), connections.end(), [](const Connection& c) { return c.waiting; }));
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

void MainWindow::setLoadProgress(qint64 done, qint64 total) { m_loadProgress->setProgress(done, total); }

void MainWindow::setLoadFinished(const QString& text)
{
    m_loadProgress->hide();
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

void MainWindow::askToOpenBusHistory(const QString& server)
{
    QStringList servers;
    if (!server.isEmpty())
        servers << server;
    for (const QString& recent : std::as_const(m_recent))
        if (recent.startsWith(QLatin1String("nats+ws")) && !servers.contains(recent))
            servers << recent;
    StreamPickerDialog dialog(servers, this);
    m_streamPicker = &dialog;
    connect(&dialog, &StreamPickerDialog::listRequested, this, &MainWindow::streamsRequested);
    if (!servers.isEmpty())
        QTimer::singleShot(0, &dialog, &StreamPickerDialog::listStreams); // the last server's, at once
    const bool accepted = dialog.exec() == QDialog::Accepted && dialog.url().isValid();
    m_streamPicker = nullptr;
    if (!accepted)
        return;
    ConnectionRequest request;
    request.url = dialog.url();
    addRecentConnection(UrlRedaction::withoutCredentials(dialog.server()).toString());
    Q_EMIT connectRequested(request);
}

void MainWindow::showStreams(const QUrl& server, const std::vector<StreamInfo>& streams, const QString& error)
{
    if (m_streamPicker)
        m_streamPicker->setStreams(server, streams, error);
}

void MainWindow::askToConnect(const QString& url)
{
    ConnectDialog dialog(m_recent, this);
    if (!url.isEmpty())
        dialog.setUrl(url);
    QString pickFrom; // "Pick a stream...": the picker takes over with the server typed
    connect(&dialog, &ConnectDialog::streamPickRequested, &dialog, [&dialog, &pickFrom](const QString& server) {
        pickFrom = server;
        dialog.reject();
    });
    const auto keyOf = [](const QString& text) {
        return UrlRedaction::withoutCredentials(QUrl(text, QUrl::TolerantMode)).toString();
    };
    if (m_persistent)
        dialog.setRememberedChoices([keyOf](const QString& text) {
            return ConnectDialog::Remembered { DecodeAsEditor::remembered(keyOf(text)),
                RememberedConnection::load(QSettings(), keyOf(text)) };
        });
    if (dialog.exec() != QDialog::Accepted) {
        if (!pickFrom.isEmpty())
            askToOpenBusHistory(pickFrom);
        return;
    }
    const ConnectionRequest request = dialog.request();
    if (m_persistent) {
        const QString key = keyOf(request.url.toString());
        DecodeAsEditor::remember(key, request.decodeAs);
        QSettings settings;
        RememberedConnection::save(settings, key, { request.headers, request.types });
    }
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
    m_flow->reset();
    m_schemas->reset();
    m_consumers->reset();
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

void MainWindow::setConnectionText(const QString& text)
{
    m_connection->setFullText(text);
    m_emptyStates->setReason(text);
}

void MainWindow::setDroppedCount(quint64 dropped) { m_counters->setSourceDropped(dropped); }

void MainWindow::refresh()
{
    m_explorer->listNow(); // now means the chain list too, which otherwise follows once a second
    m_flow->buildNow(); // and the flow map, which otherwise waits out its second
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
    if (!m_docks.raise(view)) {
        showDashboard();
        m_board->table()->setFocus();
    }
}

void MainWindow::setViewVisible(View view, bool visible) { m_docks.setVisible(view, visible); }

void MainWindow::setBottomHeight(int pixels)
{
    m_stack->setMinimumHeight(100);
    m_docks.setBottomHeight(pixels);
}

void MainWindow::showChainOfEvent(quint32 event) { m_navigation->showChainOfEvent(event); }

void MainWindow::showChain(quint32 chain, quint32 event) { m_navigation->showChain(chain, event); }

void MainWindow::followAlert(int row) { m_navigation->followAlert(row); }

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
