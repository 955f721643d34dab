// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArrayView>
#include <QHash>
#include <QHostAddress>
#include <QObject>
#include <QTimer>
#include <QUrl>
#include <deque>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

class QWebSocket;
class QWebSocketServer;

/// The server side of the bus's WebSocket protocol (docs/protocol.md): keeps a bounded event store,
/// answers {"op":"subscribe","types":[...],"since":N} by replaying what the store holds after N and
/// then streaming live, and filters by type globs. The demo bus and `eventscope-cli serve` publish
/// through it. Frames carry one event, or a JSON array of events when several are due at once.
class BusServer : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QHostAddress address = QHostAddress::LocalHost;
        quint16 port = 0; ///< 0: any free port
        std::size_t storeCapacity = 200000; ///< events kept for resuming clients
        int maxEventsPerFrame = 256;
        int subscribeGraceMs = 300; ///< a client that sends no subscribe gets live events after this
        /// Bytes waiting to go to one client before it skips ticks (and may fall behind the store).
        qint64 maxClientBacklogBytes = 1 << 20;
        /// A client over its backlog this long reads too slowly to follow: it is closed (1008, saying why)
        /// and counted, so clients that never read cannot hold the server's memory.
        int slowClientCloseMs = 10000;
        int maxClients = 64; ///< more connections are closed at once (1008, "too many clients") and counted
        int tickMs = 10;
        bool binaryBatches = true; ///< frames holding several events are sent as binary frames
    };

    explicit BusServer(Options options, QObject* parent = nullptr);
    ~BusServer() override;

    bool listen(QString* error = nullptr);
    /// Stops listening and drops every client; the store is kept, so listen() again resumes (a restart).
    void close();
    QUrl url() const;

    /// Appends one event (its JSON, and its type for filtering) under the next seq number.
    void publish(const QByteArray& json, QByteArrayView type);
    /// The seq the next published event gets (seqs start at 1).
    quint64 nextSeq() const { return m_nextSeq; }
    /// Sets the seq of the next event (a capture's own numbering); must not go backwards.
    void setNextSeq(quint64 seq);
    int clientCount() const { return int(m_clients.size()); }
    quint64 framesSent() const { return m_framesSent; }
    /// Clients closed for reading too slowly, and connections refused over maxClients.
    quint64 slowClientsClosed() const { return m_slowClosed; }
    quint64 clientsRefused() const { return m_refused; }
    /// Closes every client connection abruptly (for tests of reconnecting clients).
    void dropClients();

    /// A client's {"op":"subscribe","types":[...],"since":N}, as far as it can be trusted: at most
    /// MaxPatterns patterns of at most MaxPatternLength characters, `since` in [0, 2^48).
    struct Subscription
    {
        QStringList types;
        qint64 since = -1; ///< -1: not given
    };
    static constexpr int MaxPatterns = 256;
    static constexpr int MaxPatternLength = 256;
    /// False when the message is not a subscribe message at all.
    static bool parseSubscription(const QByteArray& message, Subscription& out);

Q_SIGNALS:
    void clientSubscribed(const QByteArray& message);

private:
    struct Stored
    {
        quint64 seq;
        QByteArray json;
        int type; ///< index into m_types
    };
    struct Client;
    void onNewConnection();
    void onMessage(Client* client, const QString& message);
    void tick();
    void sendTo(Client& client);
    bool matches(Client& client, int type);

    Options m_options;
    QWebSocketServer* m_server;
    QTimer m_timer;
    std::deque<Stored> m_store;
    std::deque<QByteArray> m_types; ///< interned event types (bounded: later ones share the last slot)
    std::unordered_map<std::string_view, int> m_typeIndex; ///< views into m_types (a deque: they stay put)
    std::vector<std::unique_ptr<Client>> m_clients;
    quint64 m_nextSeq = 1;
    quint16 m_port = 0;
    quint64 m_framesSent = 0;
    quint64 m_slowClosed = 0;
    quint64 m_refused = 0;
};
