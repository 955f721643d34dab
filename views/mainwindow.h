// SPDX-License-Identifier: MIT
#pragma once

#include "paneldocks.h"
#include "session.h"
#include "startpage.h"

#include <QMainWindow>
#include <QPointer>
#include <optional>

class AlertBanner;
class AlertModel;
class AlertPanel;
class BreakerPanel;
class ChartsPanel;
class DeadLetterPanel;
class SourcesPanel;
class FlowMapPanel;
class ConsumersPanel;
class SchemaPanel;
class StreamPickerDialog;
struct StreamInfo;
class StatusCounters;
class EventLogPanel;
class ExplorerPanel;
class HealthBoard;
class LoadProgress;
class Navigation;
class QAction;
class ElidedLabel;
class EmptyStates;
class QLabel;
class QMenu;
class QStackedWidget;
class QTimer;
class RefreshScheduler;
class QToolButton;
class Session;
class SessionFeed;
struct DecodedBatch;

/// The dashboard: health board, live charts, breaker board, event log, correlation explorer, dead
/// letters and alerts, as dock widgets around the charts, with a status bar of live counters. A
/// SessionFeed fills the session; every view catches up on one timer, never per event.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    using View = DashboardView;

    /// A window over `session`, fed by a SessionFeed of its own.
    explicit MainWindow(Session& session, QWidget* parent = nullptr);
    /// A window over the session `feed` fills (a capture's, an origin's).
    explicit MainWindow(SessionFeed& feed, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Whether layout, filters and recent connections are read from and written to QSettings.
    void setPersistent(bool persistent);
    /// Windows of another kind (captures) keep their layout under a prefix of their own; set it first.
    void setLayoutPrefix(const QString& prefix) { m_layoutPrefix = prefix; }
    /// Leaves the start page for the dashboard (a source has been chosen).
    void showDashboard();
    void showStartPage();
    bool isOnStartPage() const;
    void addRecentConnection(const QString& url);
    /// Remembers an opened capture for File > Recent captures and the start page (when persistent).
    void addRecentCapture(const QString& path);
    QStringList recentCaptures() const;

    /// A capture being read: a progress bar with Cancel in the status bar (total 0: size unknown).
    void setLoadProgress(qint64 done, qint64 total);
    /// The capture is read: the progress bar gives way to `text` (what was read, what was skipped).
    void setLoadFinished(const QString& text);

    /// What feeds the session: batches go in through it (MainWindow(Session&) makes one of its own).
    SessionFeed& feed() const { return m_feed; }
    /// The session went back in time (reset, or replayed to an earlier point): every view starts again
    /// from what it shows now. Follows the feed's rewound().
    void sessionRewound();
    /// Updates every view now.
    void refresh();
    void setConnectionText(const QString& text);
    /// Tells the user something that is not a connection state (a keychain that refused, ...).
    void showNotice(const QString& text);
    /// Events the connection dropped because the window could not keep up (counted exactly).
    void setDroppedCount(quint64 dropped);

    /// A connection feeding the session, as File > Disconnect and the status bar list it.
    struct Connection
    {
        quint16 origin = 0;
        QString name;
        bool demo = false;
        bool active = false; ///< not disconnected
        bool waiting = false; ///< connecting or waiting to reconnect
    };
    void setConnections(const QList<Connection>& connections);
    const QList<Connection>& connections() const { return m_connections; }
    /// File > Start the demo bus: asks first when a real bus is watched already (their events would
    /// share the session), then emits demoRequested().
    void askToStartDemo();

    /// What File > Export writes.
    enum class ExportScope {
        FilteredLog, ///< every stored event the log's filter passes (not only the rows shown)
        SelectedEvents, ///< the rows selected in the log
        Chain, ///< the chain chosen in the correlation explorer
    };
    /// Writes that scope to `path`: NDJSON, CSV (with the log's field columns) or, for a chain, a text
    /// report, by the file's extension (.ndjson/.jsonl, .csv, .txt). Returns what was written, for the
    /// status bar; false with `message` saying why when nothing could be.
    bool exportTo(ExportScope scope, const QString& path, QString* message);

    /// File > Connect's dialog, with `url` filled in when not empty.
    void askToConnect(const QString& url);
    /// File > Open bus history: a NATS server's streams (asked for with streamsRequested()), and which
    /// part of one to read; accepted, it is connected to (connectRequested()).
    void askToOpenBusHistory(const QString& server = {});
    /// The answer to streamsRequested(), for the stream picker if it is still open.
    void showStreams(const QUrl& server, const std::vector<StreamInfo>& streams, const QString& error);
    /// File > Open's dialog.
    void askToOpen();
    /// File > Load schemas...: asks for a folder and emits schemasRequested().
    void askToLoadSchemas();
    /// File > Export's dialog for `scope`.
    void askToExport(ExportScope scope);

    /// The File menu, for actions only some windows have (recording, in the live window); they go
    /// before its Quit.
    QMenu* fileMenu() const { return m_fileMenu; }
    QAction* quitAction() const { return m_quit; }

    void raiseView(View view);
    /// Shows or hides a dock (the board is the centre and stays).
    void setViewVisible(View view, bool visible);
    /// Gives the tabbed panels below this much height (screenshots of the explorer want room).
    void setBottomHeight(int pixels);
    /// Opens the chain of stored event `event` in the explorer.
    void showChainOfEvent(quint32 event);
    void showChain(quint32 chain, quint32 event = 0xFFFFFFFFu);
    /// Goes to the evidence of alert `row`.
    void followAlert(int row);

    HealthBoard* healthBoard() const { return m_board; }
    ChartsPanel* charts() const { return m_charts; }
    EventLogPanel* eventLog() const { return m_log; }
    ExplorerPanel* explorer() const { return m_explorer; }
    BreakerPanel* breakerPanel() const { return m_breakers; }
    DeadLetterPanel* deadLetterPanel() const { return m_deadLetters; }
    SourcesPanel* sourcesPanel() const { return m_sources; }
    FlowMapPanel* flowMap() const { return m_flow; }
    SchemaPanel* schemaPanel() const { return m_schemas; }
    ConsumersPanel* consumersPanel() const { return m_consumers; }
    AlertModel* alerts() const { return m_alerts; }
    AlertBanner* alertBanner() const { return m_banner; }
    AlertPanel* alertPanel() const { return m_alertPanel; }
    /// How long each part of the last refresh() took, in microseconds (for benchmarks).
    struct RefreshCost
    {
        qint64 board = 0, charts = 0, breakers = 0, log = 0, explorer = 0, deadLetters = 0, alerts = 0, total = 0;
    };
    RefreshCost lastRefreshCost() const;
    /// The status bar's counter buttons, by object name: rate, events, chains, malformed, dropped, gaps.
    QToolButton* counter(const QString& name) const;

Q_SIGNALS:
    void demoRequested();
    void connectRequested(const ConnectionRequest& request);
    /// Which JetStream streams does this NATS server keep? (answered with showStreams())
    void streamsRequested(const QUrl& server);
    /// File > Open, a recent capture, or a file dropped on the window.
    /// Open a capture: decoded as chosen in the Open dialog, or (none) as chosen last for that file.
    void openRequested(const QString& path, const std::optional<DecodeAs>& decodeAs = std::nullopt);
    /// File > Load schemas...: check payloads against the JSON Schemas at `path` (a folder or a file).
    void schemasRequested(const QString& path);
    /// Cancel was pressed beside the progress bar.
    void loadCancelRequested();
    /// View > One origin: every view for that origin alone, in a window of its own.
    void originWindowRequested(quint16 origin);
    void disconnectRequested(quint16 origin);
    void disconnectAllRequested();
    /// Retry now: connections waiting out a reconnect's backoff try at once.
    void retryRequested();

protected:
    void closeEvent(QCloseEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    void createStatusBar();
    void loadSettings();
    QString layoutKey(const char* key) const;
    void saveSettings() const;

    Session& m_session;
    SessionFeed& m_feed;
    QStackedWidget* m_stack;
    StartPage* m_start;
    AlertBanner* m_banner;
    HealthBoard* m_board;
    ChartsPanel* m_charts;
    EventLogPanel* m_log;
    ExplorerPanel* m_explorer;
    BreakerPanel* m_breakers;
    DeadLetterPanel* m_deadLetters;
    SourcesPanel* m_sources;
    FlowMapPanel* m_flow;
    SchemaPanel* m_schemas;
    ConsumersPanel* m_consumers;
    AlertModel* m_alerts;
    AlertPanel* m_alertPanel;
    PanelDocks m_docks;
    Navigation* m_navigation;
    EmptyStates* m_emptyStates;
    ElidedLabel* m_connection;
    StatusCounters* m_counters = nullptr;
    QMenu* m_fileMenu = nullptr;
    QAction* m_quit = nullptr;
    LoadProgress* m_loadProgress;
    RefreshScheduler* m_refresh;
    QStringList m_recent;
    QPointer<StreamPickerDialog> m_streamPicker; ///< File > Open bus history, while open
    bool m_persistent = false;
    QString m_layoutPrefix;
    QList<Connection> m_connections;
};
