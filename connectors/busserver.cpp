// SPDX-License-Identifier: MIT
#include "busserver.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPointer>
#include <QRegularExpression>
#include <QWebSocket>
#include <QWebSocketServer>
#include <algorithm>

struct BusServer::Client
{
    QWebSocket* socket = nullptr;
    bool subscribed = false;
    QElapsedTimer connectedFor;
    quint64 cursor = 0; ///< last seq sent (or skipped)
    qint64 backloggedSinceMs = -1; ///< when its backlog went over the limit, or -1
    bool closing = false;
    std::vector<QRegularExpression> patterns; ///< empty: every type
    std::vector<signed char> matchCache; ///< per type index: -1 unknown, 0 no, 1 yes
};

BusServer::BusServer(Options options, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_server(new QWebSocketServer(QStringLiteral("EventScope bus"), QWebSocketServer::NonSecureMode, this))
    , m_timer(this) // a child, so moveToThread() takes it along
{
    m_server->setSupportedSubprotocols({ QStringLiteral("cloudevents.json") });
    connect(m_server, &QWebSocketServer::newConnection, this, &BusServer::onNewConnection);
    m_timer.setInterval(m_options.tickMs);
    connect(&m_timer, &QTimer::timeout, this, &BusServer::tick);
}

BusServer::~BusServer()
{
    // abort() may emit disconnected() at once; with the list taken, its handler finds nothing to erase
    std::vector<std::unique_ptr<Client>> clients;
    clients.swap(m_clients);
    for (auto& c : clients) {
        c->socket->disconnect(this);
        c->socket->abort();
    }
}

bool BusServer::listen(QString* error)
{
    // listening again after close() takes the same port, so clients find the restarted bus
    if (!m_server->listen(m_options.address, m_port ? m_port : m_options.port)) {
        if (error)
            *error = m_server->errorString();
        return false;
    }
    m_port = m_server->serverPort();
    m_timer.start();
    return true;
}

QUrl BusServer::url() const
{
    QUrl u;
    u.setScheme(QStringLiteral("ws"));
    u.setHost(m_options.address.toString());
    u.setPort(m_port);
    u.setPath(QStringLiteral("/events"));
    return u;
}

void BusServer::close()
{
    m_server->close();
    dropClients();
}

void BusServer::setNextSeq(quint64 seq) { m_nextSeq = std::max(m_nextSeq, seq); }

void BusServer::publish(const QByteArray& json, QByteArrayView type)
{
    const std::string_view key(type.data(), std::size_t(type.size()));
    const auto it = m_typeIndex.find(key);
    int index;
    if (it != m_typeIndex.end()) {
        index = it->second;
    } else if (m_types.size() < 4096) {
        index = int(m_types.size());
        m_types.push_back(type.toByteArray());
        m_typeIndex.emplace(std::string_view(m_types.back().constData(), std::size_t(m_types.back().size())), index);
    } else {
        index = int(m_types.size()) - 1; // a hostile flood of types: filters see the last one
    }
    m_store.push_back({ m_nextSeq++, json, index });
    while (m_store.size() > m_options.storeCapacity)
        m_store.pop_front();
}

void BusServer::dropClients()
{
    // abort() may emit disconnected() at once, and its handler erases that client from m_clients:
    // walk a copy of the sockets, not the list being erased from
    std::vector<QPointer<QWebSocket>> sockets;
    sockets.reserve(m_clients.size());
    for (auto& c : m_clients)
        sockets.emplace_back(c->socket);
    for (const QPointer<QWebSocket>& socket : sockets)
        if (socket)
            socket->abort();
}

void BusServer::onNewConnection()
{
    while (QWebSocket* socket = m_server->nextPendingConnection()) {
        socket->setParent(this); // deleted with the server even if its deleteLater never runs
        if (int(m_clients.size()) >= m_options.maxClients) {
            ++m_refused;
            connect(socket, &QWebSocket::disconnected, socket, &QObject::deleteLater);
            socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                QStringLiteral("too many clients (at most %1)").arg(m_options.maxClients));
            QTimer::singleShot(1000, socket, &QWebSocket::abort); // one that does not answer the close
            continue;
        }
        auto client = std::make_unique<Client>();
        client->socket = socket;
        client->cursor = m_nextSeq - 1;
        client->connectedFor.start();
        Client* raw = client.get();
        connect(socket, &QWebSocket::textMessageReceived, this,
            [this, raw](const QString& message) { onMessage(raw, message); });
        connect(socket, &QWebSocket::disconnected, this, [this, raw]() {
            for (auto it = m_clients.begin(); it != m_clients.end(); ++it) {
                if (it->get() == raw) {
                    raw->socket->deleteLater();
                    m_clients.erase(it);
                    break;
                }
            }
        });
        m_clients.push_back(std::move(client));
    }
}

void BusServer::onMessage(Client* client, const QString& message)
{
    const QByteArray bytes = message.toUtf8();
    Subscription subscription;
    if (!parseSubscription(bytes, subscription))
        return;
    client->patterns.clear();
    client->matchCache.clear();
    for (const QString& t : std::as_const(subscription.types))
        client->patterns.emplace_back(QRegularExpression::fromWildcard(t, Qt::CaseSensitive));
    if (subscription.since >= 0) {
        // resume: everything after `since` that the store still holds; older events are gone (gaps)
        const quint64 s = quint64(subscription.since);
        const quint64 oldest = m_store.empty() ? m_nextSeq : m_store.front().seq;
        client->cursor = std::min(std::max(s, oldest - 1), m_nextSeq - 1);
    }
    client->subscribed = true;
    Q_EMIT clientSubscribed(bytes);
}

bool BusServer::parseSubscription(const QByteArray& message, Subscription& out)
{
    out = Subscription();
    const QJsonObject o = QJsonDocument::fromJson(message).object();
    if (o.value(QLatin1String("op")).toString() != QLatin1String("subscribe"))
        return false;
    const QJsonArray types = o.value(QLatin1String("types")).toArray();
    for (const QJsonValue& t : types) {
        if (out.types.size() >= MaxPatterns)
            break;
        const QString pattern = t.toString();
        if (!pattern.isEmpty() && pattern.size() <= MaxPatternLength)
            out.types << pattern;
    }
    const QJsonValue since = o.value(QLatin1String("since"));
    if (since.isDouble()) {
        // NaN, negatives and numbers past any seq are clamped before they become integers
        const double d = since.toDouble();
        out.since = d >= 0 && d < 281474976710656.0 ? qint64(d) : (d >= 281474976710656.0 ? 281474976710655 : 0);
    }
    return true;
}

bool BusServer::matches(Client& client, int type)
{
    if (client.patterns.empty())
        return true;
    if (std::size_t(type) >= client.matchCache.size())
        client.matchCache.resize(m_types.size(), -1);
    signed char& cached = client.matchCache[std::size_t(type)];
    if (cached < 0) {
        const QString text = QString::fromUtf8(m_types[std::size_t(type)]);
        bool ok = false;
        for (const QRegularExpression& re : client.patterns)
            ok = ok || re.match(text).hasMatch();
        cached = ok ? 1 : 0;
    }
    return cached == 1;
}

void BusServer::tick()
{
    std::vector<QPointer<QWebSocket>> tooSlow;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (auto& c : m_clients) {
        if (c->closing)
            continue;
        if (!c->subscribed && c->connectedFor.elapsed() >= m_options.subscribeGraceMs)
            c->subscribed = true; // a client that does not speak our protocol still gets live events
        if (c->subscribed)
            sendTo(*c);
        if (c->socket->bytesToWrite() <= m_options.maxClientBacklogBytes) {
            c->backloggedSinceMs = -1;
        } else if (c->backloggedSinceMs < 0) {
            c->backloggedSinceMs = now;
        } else if (now - c->backloggedSinceMs >= m_options.slowClientCloseMs) {
            c->closing = true;
            tooSlow.emplace_back(c->socket);
        }
    }
    // closed after the walk: a socket may leave m_clients the moment it is closed
    for (const QPointer<QWebSocket>& socket : tooSlow) {
        if (!socket)
            continue;
        ++m_slowClosed;
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
            QStringLiteral("reading too slowly: over %1 KiB waiting for %2 s")
                .arg(m_options.maxClientBacklogBytes / 1024)
                .arg(m_options.slowClientCloseMs / 1000.0));
        // what waits for it is freed now: a client that does not read will not read the close either
        QTimer::singleShot(0, socket.data(), &QWebSocket::abort);
    }
}

void BusServer::sendTo(Client& client)
{
    if (m_store.empty() || client.cursor + 1 >= m_nextSeq)
        return;
    const quint64 oldest = m_store.front().seq;
    if (client.cursor + 1 < oldest)
        client.cursor = oldest - 1; // fell behind the store: those events are gaps for the client
    QByteArray frame;
    int inFrame = 0;
    auto flush = [&]() {
        if (inFrame == 0)
            return;
        if (inFrame > 1)
            frame.append(']');
        // a batch goes out as a binary frame of UTF-8 JSON: Qt 6.4 only sends and delivers text frames as
        // UTF-16 QStrings, two conversions of every byte on each side
        if (inFrame > 1 && m_options.binaryBatches)
            client.socket->sendBinaryMessage(frame);
        else
            client.socket->sendTextMessage(QString::fromUtf8(frame));
        ++m_framesSent;
        frame.clear();
        inFrame = 0;
    };
    // seqs in the store increase but may skip (a served capture's own numbering): search, do not index
    const auto from = std::upper_bound(
        m_store.begin(), m_store.end(), client.cursor, [](quint64 seq, const Stored& e) { return seq < e.seq; });
    for (std::size_t i = std::size_t(from - m_store.begin()); i < m_store.size(); ++i) {
        if (client.socket->bytesToWrite() > m_options.maxClientBacklogBytes)
            break; // slow client: go on next tick
        const Stored& e = m_store[i];
        client.cursor = e.seq;
        if (!matches(client, e.type))
            continue;
        if (inFrame == 0) {
            frame = e.json;
        } else {
            if (inFrame == 1)
                frame.prepend('[');
            frame.append(',');
            frame.append(e.json);
        }
        if (++inFrame >= m_options.maxEventsPerFrame)
            flush();
    }
    flush();
}
