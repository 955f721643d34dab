// SPDX-License-Identifier: MIT
#pragma once

#include "eventdecoder.h"
#include "jetstream.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <functional>
#include <memory>
#include <vector>

/// One message a broker delivered. The views point into the protocol's buffer: valid only during the
/// callback that receives them.
struct BrokerMessage
{
    QByteArrayView subject; ///< NATS subject or MQTT topic, as received
    QByteArrayView headers; ///< NATS header block ("NATS/1.0\r\nName: value\r\n..."), else empty
    QByteArrayView body;
    QByteArrayView reply; ///< NATS: the reply subject, or empty
    quint64 streamSequence = 0; ///< JetStream: the message's sequence in its stream (0: none)
    qint64 timeUs = 0; ///< JetStream: when the stream stored it, epoch microseconds (0: not known)

    /// What the decoder needs beside the body: the subject as the type of a body that is not an event
    /// (with dots for slashes where the broker separates by '/'), and the ids the headers carry
    /// (Nats-Msg-Id; Correlation-Id, X-Correlation-Id or correlationId; the same for causation;
    /// traceparent). `typeScratch` holds the converted type.
    MessageContext context(bool slashesAreDots, quint64 sequence, std::string& typeScratch) const;
};

/// Where a connection goes and how: a bus speaking EventScope's protocol, or a broker's WebSocket
/// endpoint with its protocol, credentials and subscription (see docs/protocol.md, "Brokers").
///   ws[s]://host:port/path                          an EventScope bus
///   nats+ws[s]://[user:password@]host:port[/path]?subject=SUBJECT   (default ">")
///   nats+ws[s]://...?stream=NAME[&from=first|new|SEQ|TIME|DURATION][&to=SEQ|TIME][&subject=FILTER]
///                                                   a JetStream stream's history, then (no `to`) live
///   nats+ws[s]://...?servers=host:port,...           more servers of the same cluster (BusUrl::fromText()
///                                                   makes it of nats+ws://a:1,b:2,...)
///   mqtt+ws[s]://[user:password@]host:port[/path]?topic=FILTER      (default "#", written %23)
/// A token may come as ?token= (both brokers) or separately (ConnectionSettings::token).
struct BrokerEndpoint
{
    enum Protocol { Bus, Nats, Mqtt };
    Protocol protocol = Bus;
    QUrl socketUrl; ///< the ws:// or wss:// URL to open: no credentials, no subscription parameters
    /// NATS: every server to try, socketUrl first, then those of `servers=host:port,...` (a cluster)
    QList<QUrl> servers;
    QString user, password, token;
    QString filter; ///< NATS subject or MQTT topic filter
    QByteArray stream; ///< NATS: a JetStream stream to read, or empty
    JetStream::Start start;
    JetStream::End end;

    /// Parses any URL EventScope connects to. False (with *error saying why) for anything else.
    static bool parse(const QUrl& url, BrokerEndpoint& out, QString* error);
    static QString protocolName(Protocol p);
    /// Another server of the same cluster: `like` (scheme, path) at `hostPort` ("host:port",
    /// "[IPv6]:port"). False when hostPort is not that.
    static bool otherServer(const QUrl& like, const QString& hostPort, QUrl* out);
    bool secure() const { return socketUrl.scheme() == QLatin1String("wss"); }
};

/// A broker's protocol spoken over a WebSocket (binary frames carrying a byte stream): what to say once
/// the upgrade is done, how to read what arrives, how to keep the connection alive. Transport matters
/// (reconnects, limits, TLS, pings, backpressure) stay with WebSocketSource.
class BrokerProtocol
{
public:
    /// What the protocol asks of its connection.
    struct Connection
    {
        std::function<void(const QByteArray&)> send; ///< one binary frame
        std::function<void(const BrokerMessage&)> message;
        std::function<void()> ready; ///< connected, authenticated and subscribed
        /// The broker's own handshake is done; what the protocol still waits for before ready() (a
        /// JetStream consumer) it times and retries itself, so the handshake timeout stops here.
        std::function<void()> handshakeDone;
        std::function<void(const QString& why, bool fatal)> fail; ///< fatal: retrying cannot help
        /// A bounded read is complete (JetStream's `to=`): the connection is closed, not re-established.
        std::function<void(const QString& what)> finished;
        /// What the broker said of a stream's durable consumers (JetStream), about once a second.
        std::function<void(std::vector<ConsumerSample>&& consumers)> consumers;
    };

    virtual ~BrokerProtocol() = default;
    virtual BrokerEndpoint::Protocol protocol() const = 0;
    /// Offered in the upgrade request.
    virtual QStringList subprotocols() const = 0;
    /// Starts a session on a fresh connection (state from an earlier connection is forgotten).
    virtual void opened(Connection& c) = 0;
    /// Bytes of one received frame; operations may span frames and a frame may hold several.
    void received(const char* data, std::size_t len, Connection& c);
    /// Called every ping interval: the protocol's own keep-alive.
    virtual void keepAlive(Connection& c) = 0;
    /// Called about once a second while connected: for what a protocol polls.
    virtual void tick(Connection&) { }
    /// What the broker last said that explains a close (a NATS -ERR), or empty.
    virtual QString lastError() const = 0;
    /// Servers of the same cluster the broker announced (NATS INFO's `connect_urls`: host:port each),
    /// to try when the one connected to goes.
    virtual QStringList announcedServers() const { return {}; }
    /// Whether the broker turns topic separators into dots for event types (MQTT's '/').
    virtual bool slashesAreDots() const { return false; }

    /// The protocol for an endpoint; nullptr for an EventScope bus.
    static std::unique_ptr<BrokerProtocol> create(const BrokerEndpoint& endpoint, std::size_t maxMessageBytes);

protected:
    /// Handles every complete operation `data` holds; returns the bytes used, or -1 after c.fail().
    virtual qint64 parse(const char* data, std::size_t len, Connection& c) = 0;
    /// Forgets a partial operation (a new connection).
    void discard() { m_carry.clear(); }

private:
    std::vector<char> m_carry; ///< an incomplete operation carried over to the next frame
};
