// SPDX-License-Identifier: MIT
// A bus over WebSocket: the worker on its own thread (handshake, TLS, pings, dead-peer detection,
// backoff, resume, the NATS and MQTT framings, recording) and the owner's side of the hand-over. Long
// because a connection's states and timers interlock; each is a short member of the one Worker class.
#include "websocketsource.h"

#include "brokerprotocol.h"
#include "capturerecorder.h"
#include "connectorslogging.h"
#include "decodedbatch.h"
#include "eventrecord.h"
#include "handover.h"
#include "natsprotocol.h"
#include "printable.h"
#include "urlredaction.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QNetworkRequest>
#include <QPointer>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSslCipher>
#include <QSslConfiguration>
#include <QThread>
#include <QTimer>
#include <QUrlQuery>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>
#include <cmath>
#include <deque>

namespace {
constexpr quint64 BrokerFrameBytes = 64 << 20;

qint64 nowUs() { return QDateTime::currentMSecsSinceEpoch() * 1000; }

/// Qt 6.4 reports a refused upgrade only as text ("Unhandled http status code: 401 (Unauthorized)").
int httpStatusOf(const QString& error)
{
    static const QRegularExpression re(QStringLiteral("status code: (\\d{3})"));
    const auto m = re.match(error);
    return m.hasMatch() ? m.captured(1).toInt() : 0;
}
} // namespace

struct WebSocketSource::Outbox
{
    QMutex mutex;
    std::deque<std::shared_ptr<DecodedBatch>> batches;
    std::size_t events = 0;
    bool scheduled = false;
    ConnectionStatus last; ///< the worker's final status, written as it stops
};

class WebSocketSource::Worker : public QObject
{
    Q_OBJECT
public:
    void setSchemas(std::shared_ptr<const SchemaRegistry> schemas)
    {
        m_settings.decoder.schemas = schemas;
        m_decoder.setSchemas(std::move(schemas));
    }
    Worker(ConnectionSettings settings, quint16 origin, std::shared_ptr<Outbox> outbox, WebSocketSource* owner)
        : m_settings(std::move(settings))
        , m_origin(origin)
        , m_outbox(std::move(outbox))
        , m_owner(owner)
        , m_decoder(m_settings.decoder)
    {
        m_endpointValid = BrokerEndpoint::parse(m_settings.url, m_endpoint, &m_endpointError);
        if (!m_settings.token.isEmpty())
            m_endpoint.token = m_settings.token;
        m_protocol = BrokerProtocol::create(m_endpoint, m_settings.maxFrameBytes);
        m_link.send = [this](const QByteArray& bytes) {
            if (m_socket)
                m_socket->sendBinaryMessage(bytes);
        };
        m_link.message = [this](const BrokerMessage& m) { onMessage(m); };
        m_link.ready = [this]() { goLive(); };
        m_link.handshakeDone = [this]() { m_handshakeTimer->stop(); };
        m_link.fail = [this](const QString& why, bool fatal) { lost(why, fatal); };
        m_link.finished = [this](const QString& what) { finished(what); };
        m_link.consumers = [this](std::vector<ConsumerSample>&& consumers) {
            // into the capture too, so a replay of it shows them
            if (m_recorder && !consumers.empty()
                && !m_recorder->writeConsumers(m_recordOrigin, consumers.front().timeUs, consumers))
                recordingStopped();
            for (ConsumerSample& c : consumers)
                c.origin = m_origin;
            DecodedBatch& b = pending();
            b.consumers.insert(b.consumers.end(), std::make_move_iterator(consumers.begin()),
                std::make_move_iterator(consumers.end()));
            if (!m_handOffTimer->isActive())
                m_handOffTimer->start();
        };
    }

    void start();
    void stop();
    /// While waiting to reconnect: tries now, without waiting out the backoff.
    void retryNow();
    void startRecording(const std::shared_ptr<CaptureRecorder>& recorder);
    void takeRecordRequest();
    void stopRecording();
    const ConnectionStatus& status() const { return m_status; }

Q_SIGNALS:
    void statusChanged(const ConnectionStatus& status);
    void recordingFailed(const QString& error);

private:
    void connectNow();
    void onConnected();
    void goLive();
    void onFrame(const QByteArray& bytes, bool binary);
    void onMessage(const BrokerMessage& m);
    void counted(std::size_t firstNew, std::size_t malformedBefore);
    DecodedBatch& pending(); ///< the batch being filled, made when needed
    void lost(const QString& why, bool fatal);
    /// The connection's timers stopped, what it gathered handed off, its socket gone: aborted, or closed
    /// with `closeReason` when there is one.
    void endConnection(const QString& closeReason);
    /// A bounded read is complete: closed, for good.
    void finished(const QString& what);
    /// wss:// whose TLS handshake never completed: says so (likely a ws:// port) and returns true.
    bool lostToPlainServer();
    void handOff();
    void publishStatus();
    void recordingStopped();
    /// What to record of the frame or message whose events begin at `firstNew` of the pending batch:
    /// null for all of it, else the JSON of the events up to ConnectionSettings::recordEvents.
    QByteArray recordedPart(std::size_t firstNew) const;
    void recordedUpTo(std::size_t firstNew);
    QNetworkRequest request() const;
    /// After a loss: the next of a cluster's servers (those of the URL, then those it announced).
    void nextServer();
    int m_serverIndex = 0;

    ConnectionSettings m_settings;
    quint16 m_origin;
    std::shared_ptr<Outbox> m_outbox;
    QPointer<WebSocketSource> m_owner;
    EventDecoder m_decoder;
    BrokerEndpoint m_endpoint;
    bool m_endpointValid = false;
    QString m_endpointError;
    std::unique_ptr<BrokerProtocol> m_protocol; ///< null for an EventScope bus
    BrokerProtocol::Connection m_link;
    qint64 m_frameTimeUs = 0;
    quint64 m_messageNumber = 0;
    std::string m_typeScratch;
    QWebSocket* m_socket = nullptr;
    QTimer* m_handshakeTimer = nullptr;
    QTimer* m_pingTimer = nullptr;
    QTimer* m_retryTimer = nullptr;
    QTimer* m_handOffTimer = nullptr;
    QTimer* m_statusTimer = nullptr;
    QTimer* m_flushTimer = nullptr;
    std::shared_ptr<DecodedBatch> m_pending;
    std::shared_ptr<CaptureRecorder> m_recorder;
    quint16 m_recordOrigin = 0;
    quint64 m_recordedEvents = 0; ///< valid events recorded (ConnectionSettings::recordEvents)

public:
    /// What startRecording() is to use, handed over from the owner's thread (see Handover).
    struct RecordRequest
    {
        std::shared_ptr<CaptureRecorder> recorder;
        QString path; ///< a file of this connection's own, when no recorder is shared
    };
    Handover<RecordRequest> recordRequests;

private:
    ConnectionStatus m_status;
    qint64 m_lastActivityMs = 0;
    qint64 m_lastPingMs = 0;
    qint64 m_liveSinceMs = 0;
    bool m_validData = false; ///< an event came since the connection went live
    quint64 m_frameNumber = 0;
    quint64 m_generation = 0; ///< which connection attempt the socket's signals belong to
    bool m_stopping = false;
    QString m_lastFrameNote; ///< what was last received, to explain a close
};

QNetworkRequest WebSocketSource::Worker::request() const
{
    if (m_protocol) {
        // a broker authenticates inside its own protocol: nothing secret goes into the upgrade request
        QNetworkRequest r(m_endpoint.servers.value(m_serverIndex, m_endpoint.socketUrl));
        for (const auto& [name, value] : m_settings.headers)
            r.setRawHeader(name, value);
        return r;
    }
    QUrl url = m_settings.url;
    if (!m_settings.token.isEmpty() && m_settings.tokenInQuery) {
        QUrlQuery q(url);
        q.removeAllQueryItems(QStringLiteral("token"));
        q.addQueryItem(QStringLiteral("token"), m_settings.token);
        url.setQuery(q);
    }
    QNetworkRequest r(url);
    if (!m_settings.token.isEmpty() && !m_settings.tokenInQuery)
        r.setRawHeader("Authorization", "Bearer " + m_settings.token.toUtf8());
    for (const auto& [name, value] : m_settings.headers)
        r.setRawHeader(name, value);
    return r;
}

void WebSocketSource::Worker::start()
{
    m_handshakeTimer = new QTimer(this);
    m_handshakeTimer->setSingleShot(true);
    connect(m_handshakeTimer, &QTimer::timeout, this, [this]() {
        if (lostToPlainServer())
            return;
        lost(QStringLiteral("no handshake response within %1 s").arg(m_settings.handshakeTimeoutMs / 1000.0), false);
    });
    // one timer ticks often enough that a dead connection is declared within a tenth of deadAfterMs (a
    // tick at the ping interval declared it up to a whole interval late), and pings at the ping interval
    m_pingTimer = new QTimer(this);
    const int pingEvery = std::max(10, std::min(m_settings.pingIntervalMs, m_settings.deadAfterMs / 2));
    m_pingTimer->setInterval(std::max(10, std::min({ 1000, m_settings.deadAfterMs / 10, pingEvery })));
    connect(m_pingTimer, &QTimer::timeout, this, [this, pingEvery]() {
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        const qint64 quiet = now - m_lastActivityMs;
        if (quiet >= m_settings.deadAfterMs) {
            lost(QStringLiteral("no pong and no data for %1 s: the connection is dead").arg(quiet / 1000.0, 0, 'f', 1),
                false);
            return;
        }
        if (m_status.state == ConnectionStatus::Live && m_status.attempt > 0 && m_validData
            && now - m_liveSinceMs >= m_settings.healthyAfterMs)
            m_status.attempt = 0; // it has stayed up: the next loss starts the backoff again
        if (m_protocol && m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
            m_protocol->tick(m_link);
        if (m_socket && now - m_lastPingMs >= pingEvery) {
            m_lastPingMs = now;
            m_socket->ping();
            if (m_protocol && m_socket->state() == QAbstractSocket::ConnectedState)
                m_protocol->keepAlive(m_link);
        }
    });
    m_retryTimer = new QTimer(this);
    m_retryTimer->setSingleShot(true);
    connect(m_retryTimer, &QTimer::timeout, this, &Worker::connectNow);
    m_handOffTimer = new QTimer(this);
    m_handOffTimer->setSingleShot(true);
    m_handOffTimer->setInterval(m_settings.handOffMs);
    connect(m_handOffTimer, &QTimer::timeout, this, &Worker::handOff);
    m_statusTimer = new QTimer(this);
    m_statusTimer->setInterval(1000);
    connect(m_statusTimer, &QTimer::timeout, this, &Worker::publishStatus);
    m_statusTimer->start();
    m_flushTimer = new QTimer(this);
    m_flushTimer->setInterval(1000);
    connect(m_flushTimer, &QTimer::timeout, this, [this]() {
        if (m_recorder && !m_recorder->flush())
            recordingStopped();
    });
    if (!m_endpointValid) {
        lost(m_endpointError, true);
        return;
    }
    connectNow();
}

void WebSocketSource::Worker::connectNow()
{
    if (m_stopping)
        return;
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
    }
    const quint64 generation = ++m_generation;
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    // a broker's frames are chunks of a byte stream that it coalesces when the reader falls behind
    // (nats-server sends several MiB at once): its messages are limited by the protocol instead
    const quint64 frameLimit
        = m_protocol ? std::max<quint64>(m_settings.maxFrameBytes, BrokerFrameBytes) : m_settings.maxFrameBytes;
    m_socket->setMaxAllowedIncomingFrameSize(frameLimit);
    m_socket->setMaxAllowedIncomingMessageSize(frameLimit);
    if (m_endpoint.secure()) {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        if (!m_settings.caFile.isEmpty() && !tls.addCaCertificates(m_settings.caFile)) {
            lost(QStringLiteral("cannot read CA certificates from %1").arg(m_settings.caFile), true);
            return;
        }
        m_socket->setSslConfiguration(tls);
    }
    connect(m_socket, &QWebSocket::connected, this, [this, generation]() {
        if (generation == m_generation)
            onConnected();
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this, generation]() {
        if (generation != m_generation)
            return;
        const auto code = m_socket->closeCode();
        if (m_status.state == ConnectionStatus::Connecting) {
            if (lostToPlainServer())
                return;
            if (m_protocol && !m_protocol->lastError().isEmpty()) {
                lost(m_protocol->lastError() + QStringLiteral(" (connection closed)"), false);
                return;
            }
            const QString error = m_socket->errorString();
            lost(error.isEmpty() || error == QLatin1String("Unknown error")
                    ? QStringLiteral("connection closed during the handshake")
                    : error,
                false);
            return;
        }
        QString why = m_socket->closeReason().isEmpty() ? QStringLiteral("connection closed")
                                                        : QStringLiteral("closed: ") + m_socket->closeReason();
        // a broker says why before it closes (NATS: -ERR 'Slow Consumer', ...): that is the reason
        if (m_protocol && !m_protocol->lastError().isEmpty())
            why = m_protocol->lastError() + QStringLiteral(" (connection closed)");
        // Qt 6.4 turns reserved or invalid close codes into 1002 "Invalid close code": the code alone
        // says little, so say what came last too
        if (code != QWebSocketProtocol::CloseCodeNormal && code != QWebSocketProtocol::CloseCodeGoingAway)
            why += QStringLiteral(" (code %1").arg(int(code))
                + (m_lastFrameNote.isEmpty() ? QString() : QStringLiteral(", after ") + m_lastFrameNote) + u')';
        lost(why, false);
    });
    connect(m_socket, qOverload<QAbstractSocket::SocketError>(&QWebSocket::error), this,
        [this, generation](QAbstractSocket::SocketError) {
            if (generation != m_generation)
                return;
            const QString error = m_socket->errorString();
            const int status = httpStatusOf(error);
            if (status == 401 || status == 403) {
                lost(QStringLiteral("the bus refused the credentials (HTTP %1): not retrying").arg(status), true);
                return;
            }
            if (status != 0) {
                lost(QStringLiteral("the server refused the WebSocket upgrade (HTTP %1)").arg(status), false);
                return;
            }
            if (m_status.state == ConnectionStatus::Connecting && lostToPlainServer())
                return;
            // a failed handshake (bad accept key, ...) leaves Qt 6.4's socket in ConnectingState: lost() aborts it
            if (m_socket->state() != QAbstractSocket::ConnectedState || m_status.state != ConnectionStatus::Live)
                lost(error, false);
            else
                m_status.lastError = error; // disconnected() follows
        });
    connect(m_socket, &QWebSocket::sslErrors, this, [this, generation](const QList<QSslError>& errors) {
        if (generation != m_generation)
            return;
        if (m_settings.acceptInvalidCertificates) {
            m_socket->ignoreSslErrors();
            return;
        }
        QStringList texts;
        for (const QSslError& e : errors)
            texts << e.errorString();
        lost(QStringLiteral("TLS certificate verification failed (%1); trust its CA with a CA file, or accept "
                            "invalid certificates for this connection explicitly")
                 .arg(texts.join(QStringLiteral("; "))),
            true);
    });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this, generation](const QString& message) {
        if (generation == m_generation)
            onFrame(message.toUtf8(), false);
    });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this, [this, generation](const QByteArray& message) {
        if (generation == m_generation)
            onFrame(message, true);
    });
    connect(m_socket, &QWebSocket::pong, this, [this]() { m_lastActivityMs = QDateTime::currentMSecsSinceEpoch(); });

    m_status.state = ConnectionStatus::Connecting;
    if (m_protocol) {
        const QUrl server = m_endpoint.servers.value(m_serverIndex, m_endpoint.socketUrl);
        m_status.server = QStringLiteral("%1:%2").arg(server.host()).arg(server.port());
    }
    publishStatus();
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(
        m_protocol ? m_protocol->subprotocols() : QStringList { QStringLiteral("cloudevents.json") });
    m_handshakeTimer->start(m_settings.handshakeTimeoutMs);
    m_socket->open(request(), options);
}

void WebSocketSource::Worker::onConnected()
{
    if (m_protocol) {
        // the WebSocket is up; the broker's own handshake follows, still under the handshake timeout
        m_lastActivityMs = m_lastPingMs = QDateTime::currentMSecsSinceEpoch();
        m_pingTimer->start();
        m_protocol->opened(m_link);
        return;
    }
    goLive();
    QJsonObject subscribe { { QStringLiteral("op"), QStringLiteral("subscribe") } };
    if (!m_settings.types.isEmpty())
        subscribe[QStringLiteral("types")] = QJsonArray::fromStringList(m_settings.types);
    if (m_status.highestSeq >= 0)
        subscribe[QStringLiteral("since")] = double(m_status.highestSeq);
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(subscribe).toJson(QJsonDocument::Compact)));
    publishStatus();
}

void WebSocketSource::Worker::goLive()
{
    m_handshakeTimer->stop();
    if (m_status.everConnected)
        ++m_status.reconnects;
    m_status.everConnected = true;
    m_status.state = ConnectionStatus::Live;
    qCInfo(lcConnectors, "%s: live", qPrintable(UrlRedaction::redacted(m_settings.url)));
    // the backoff's attempt stays until the connection has proved healthy (the ping timer resets it)
    m_lastActivityMs = m_lastPingMs = m_liveSinceMs = QDateTime::currentMSecsSinceEpoch();
    m_validData = false;
    m_pingTimer->start();
    publishStatus();
}

void WebSocketSource::Worker::onFrame(const QByteArray& bytes, bool binary)
{
    const qint64 received = nowUs();
    m_lastActivityMs = received / 1000;
    ++m_status.frames;
    ++m_frameNumber;
    m_lastFrameNote = QStringLiteral("frame %1 (%2 bytes)").arg(m_frameNumber).arg(bytes.size());
    if (m_protocol) {
        m_frameTimeUs = received;
        m_protocol->received(bytes.constData(), std::size_t(bytes.size()), m_link);
        return;
    }
    pending();
    const std::size_t firstNew = m_pending->events.size();
    const std::size_t malformedBefore = m_pending->malformed.size();
    m_pending->frames.push_back(bytes);
    const QByteArray& held = m_pending->frames.back();
    const SourcePosition where { m_origin, SourcePosition::Frame, m_frameNumber, -1 };
    // QByteArray keeps one byte past the end readable; simdjson wants 64, so the decoder copies if needed
    m_decoder.decode(held.constData(), std::size_t(held.size()), 0, where, received, *m_pending);
    if (m_recorder) {
        const QByteArray part = recordedPart(firstNew);
        if (!m_recorder->writeFrame(m_recordOrigin, received, part.isNull() ? bytes : part, part.isNull() && binary))
            recordingStopped();
        else
            recordedUpTo(firstNew);
    }
    counted(firstNew, malformedBefore);
}

void WebSocketSource::Worker::onMessage(const BrokerMessage& m)
{
    ++m_messageNumber;
    pending();
    const std::size_t firstNew = m_pending->events.size();
    const std::size_t malformedBefore = m_pending->malformed.size();
    const MessageContext context = m.context(m_protocol->slashesAreDots(), m_messageNumber, m_typeScratch);
    // the body must outlive this frame: the batch keeps it (its events point into it)
    m_pending->frames.push_back(m.body.toByteArray());
    const QByteArray& held = m_pending->frames.back();
    const SourcePosition where { m_origin, SourcePosition::Message, m_messageNumber, -1 };
    // a stream's message was received by the bus when the stream stored it (a history read's time)
    const qint64 received = m.timeUs ? m.timeUs : m_frameTimeUs;
    m_decoder.decodeMessage(held.constData(), std::size_t(held.size()), 0, where, received, context, *m_pending);
    if (m_recorder) {
        const QByteArray part = recordedPart(firstNew);
        // a stream's sequence goes into the record as a header, so a capture read again has it
        QByteArray headers;
        if (m.streamSequence && NatsProtocol::header(m.headers, "Nats-Sequence").isEmpty()) {
            headers = m.headers.isEmpty() ? QByteArray("NATS/1.0\r\n\r\n") : m.headers.toByteArray();
            headers.insert(headers.size() - 2, "Nats-Sequence: " + QByteArray::number(m.streamSequence) + "\r\n");
        }
        if (!m_recorder->writeMessage(m_recordOrigin, received, m.subject,
                headers.isEmpty() ? m.headers : QByteArrayView(headers), part.isNull() ? m.body : QByteArrayView(part),
                m_protocol->slashesAreDots()))
            recordingStopped();
        else
            recordedUpTo(firstNew);
    }
    counted(firstNew, malformedBefore);
}

DecodedBatch& WebSocketSource::Worker::pending()
{
    if (!m_pending) {
        m_pending = std::make_shared<DecodedBatch>();
        m_pending->events.reserve(std::min<std::size_t>(m_settings.batchEvents, 4096));
    }
    return *m_pending;
}

void WebSocketSource::Worker::counted(std::size_t firstNew, std::size_t malformedBefore)
{
    for (std::size_t i = firstNew; i < m_pending->events.size(); ++i) {
        const DecodedEvent& e = m_pending->events[i];
        if (e.flags & EventRecord::HasSeq)
            m_status.highestSeq = std::max(m_status.highestSeq, qint64(e.seq));
    }
    m_status.events += m_pending->events.size() - firstNew;
    m_validData = m_validData || m_pending->events.size() > firstNew;
    m_status.malformed += m_pending->malformed.size() - malformedBefore;
    if (m_pending->events.size() >= m_settings.batchEvents)
        handOff();
    else if (!m_handOffTimer->isActive())
        m_handOffTimer->start();
}

void WebSocketSource::Worker::handOff()
{
    m_handOffTimer->stop();
    if (!m_pending || m_pending->isEmpty())
        return;
    std::shared_ptr<DecodedBatch> batch = std::move(m_pending);
    m_pending.reset();
    bool schedule = false;
    {
        QMutexLocker lock(&m_outbox->mutex);
        if (m_outbox->events + batch->events.size() > m_settings.queueCapacity) {
            // the consumer is behind: drop these events (counted exactly), keep the malformed records
            m_status.dropped += batch->events.size();
            batch->events.clear();
            batch->telemetry.clear();
            batch->schemaBreaches.clear();
            batch->shapes.clear();
            batch->shapeDescriptions.clear();
            batch->frames.clear();
            batch->text.clear();
        }
        if (!batch->isEmpty()) {
            m_outbox->events += batch->events.size();
            m_outbox->batches.push_back(std::move(batch));
            // only the empty -> non-empty transition schedules a drain: the event queue never floods
            schedule = !m_outbox->scheduled;
            m_outbox->scheduled = true;
        }
    }
    if (schedule && m_owner)
        QMetaObject::invokeMethod(m_owner.data(), &WebSocketSource::drain, Qt::QueuedConnection);
    publishStatus(); // counters with each hand-off: at most a few status updates a second
}

bool WebSocketSource::Worker::lostToPlainServer()
{
    // wss:// to a server that does not speak TLS (a ws:// port): the TLS handshake never completes, and
    // the socket only says "remote host closed" or times out. Retrying cannot help a wrong scheme, so a
    // connection that never worked gives up with the likely cause.
    if (!m_socket || m_settings.url.scheme() != QLatin1String("wss")
        || !m_socket->sslConfiguration().sessionCipher().isNull())
        return false;
    const QString detail = m_socket->error() == QAbstractSocket::SslHandshakeFailedError
        ? QStringLiteral(" (%1)").arg(m_socket->errorString())
        : QString();
    lost(QStringLiteral("TLS handshake with %1:%2 failed: the server did not answer as TLS (is it ws://?)%3")
             .arg(m_settings.url.host())
             .arg(m_settings.url.port(443))
             .arg(detail),
        !m_status.everConnected);
    return true;
}

void WebSocketSource::Worker::endConnection(const QString& closeReason)
{
    m_handshakeTimer->stop();
    m_pingTimer->stop();
    handOff();
    ++m_generation; // signals of the old socket no longer count
    if (!m_socket)
        return;
    m_socket->disconnect(this);
    if (!closeReason.isEmpty() && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->close(QWebSocketProtocol::CloseCodeNormal, closeReason);
    else
        m_socket->abort();
    m_socket->deleteLater();
    m_socket = nullptr;
}

void WebSocketSource::Worker::lost(const QString& why, bool fatal)
{
    endConnection({});
    m_status.lastError = why;
    if (!m_stopping)
        qCInfo(lcConnectors, "%s: connection lost (%s)", qPrintable(UrlRedaction::redacted(m_settings.url)),
            qPrintable(Printable::escaped(why)));
    if (m_stopping) {
        m_status.state = ConnectionStatus::Idle;
    } else if (fatal || (m_settings.maxAttempts >= 0 && m_status.attempt >= m_settings.maxAttempts)) {
        m_status.state = ConnectionStatus::Failed;
    } else {
        nextServer();
        if (m_status.state == ConnectionStatus::Live && m_validData
            && QDateTime::currentMSecsSinceEpoch() - m_liveSinceMs >= m_settings.healthyAfterMs)
            m_status.attempt = 0; // lost after a healthy spell: the backoff starts again
        ++m_status.attempt;
        const double base = std::min<double>(m_settings.maxBackoffMs,
            m_settings.initialBackoffMs * std::pow(m_settings.backoffFactor, m_status.attempt - 1));
        // equal jitter: half fixed, half random, so clients that lost the bus together do not return together
        const int delay = int(base / 2 + QRandomGenerator::global()->bounded(base / 2 + 1));
        m_status.state = ConnectionStatus::Reconnecting;
        m_status.retryAtMs = QDateTime::currentMSecsSinceEpoch() + delay;
        m_retryTimer->start(delay);
    }
    publishStatus();
}

void WebSocketSource::Worker::nextServer()
{
    if (!m_protocol)
        return;
    // the servers the cluster announced join those of the URL (same scheme and path)
    for (const QString& hostPort : m_protocol->announcedServers()) {
        QUrl url;
        if (m_endpoint.servers.size() < 32 && BrokerEndpoint::otherServer(m_endpoint.socketUrl, hostPort, &url)
            && !m_endpoint.servers.contains(url))
            m_endpoint.servers.append(url);
    }
    if (m_endpoint.servers.size() > 1)
        m_serverIndex = (m_serverIndex + 1) % int(m_endpoint.servers.size());
}

void WebSocketSource::Worker::finished(const QString& what)
{
    m_retryTimer->stop();
    endConnection(QStringLiteral("EventScope: read to the end"));
    qCInfo(lcConnectors, "%s: %s", qPrintable(UrlRedaction::redacted(m_settings.url)), qPrintable(what));
    m_status.lastError = what;
    m_status.state = ConnectionStatus::Finished;
    publishStatus();
}

void WebSocketSource::Worker::retryNow()
{
    if (m_stopping || m_status.state != ConnectionStatus::Reconnecting)
        return;
    m_retryTimer->stop();
    connectNow();
}

void WebSocketSource::Worker::stop()
{
    m_stopping = true;
    m_retryTimer->stop();
    if (m_socket && m_socket->state() == QAbstractSocket::ConnectedState)
        m_socket->close(QWebSocketProtocol::CloseCodeGoingAway, QStringLiteral("EventScope closing"));
    lost(QStringLiteral("stopped"), false);
    stopRecording();
    m_statusTimer->stop();
    // the thread ends after this: delete now what lost() scheduled for deletion
    QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
}

void WebSocketSource::Worker::startRecording(const std::shared_ptr<CaptureRecorder>& recorder)
{
    m_recorder = recorder;
    m_recordOrigin = recorder->addOrigin(m_settings.url, BrokerEndpoint::protocolName(m_endpoint.protocol));
    if (recorder->hasFailed()) {
        recordingStopped();
        return;
    }
    m_flushTimer->start();
}

void WebSocketSource::Worker::takeRecordRequest()
{
    RecordRequest request = recordRequests.take();
    if (!request.recorder && request.path.isEmpty())
        return;
    if (!request.recorder) {
        request.recorder = std::make_shared<CaptureRecorder>();
        if (!request.recorder->open(request.path, m_settings.url, nowUs())) {
            Q_EMIT recordingFailed(request.recorder->errorString());
            return;
        }
    }
    startRecording(request.recorder);
}

QByteArray WebSocketSource::Worker::recordedPart(std::size_t firstNew) const
{
    // null: the frame as it came; else only the events the recording still has room for
    const std::size_t decoded = m_pending->events.size() - firstNew;
    if (m_settings.recordEvents == 0 || m_recordedEvents + decoded <= m_settings.recordEvents)
        return {};
    const std::size_t room = std::size_t(m_settings.recordEvents - m_recordedEvents);
    QByteArray part = room > 1 ? QByteArray("[") : QByteArray("");
    for (std::size_t i = 0; i < room; ++i) {
        if (i > 0)
            part += ',';
        const std::string_view raw = m_pending->raw(m_pending->events[firstNew + i]);
        part.append(raw.data(), qsizetype(raw.size()));
    }
    if (room > 1)
        part += ']';
    return part;
}

void WebSocketSource::Worker::recordedUpTo(std::size_t firstNew)
{
    const quint64 decoded = m_pending->events.size() - firstNew;
    m_recordedEvents = m_settings.recordEvents == 0 ? m_recordedEvents + decoded
                                                    : std::min(m_settings.recordEvents, m_recordedEvents + decoded);
    if (m_settings.recordEvents > 0 && m_recordedEvents >= m_settings.recordEvents)
        stopRecording(); // exactly that many: the file is closed now, whatever still arrives
}

void WebSocketSource::Worker::recordingStopped()
{
    Q_EMIT recordingFailed(m_recorder->errorString());
    m_recorder.reset();
    m_flushTimer->stop();
}

void WebSocketSource::Worker::stopRecording()
{
    m_flushTimer->stop();
    if (!m_recorder)
        return;
    // the last connection to let go closes the file; others only hand over what they hold
    if (m_recorder.use_count() == 1)
        m_recorder->close();
    else
        m_recorder->flush();
    if (m_recorder->hasFailed())
        Q_EMIT recordingFailed(m_recorder->errorString());
    m_recorder.reset();
}

void WebSocketSource::Worker::publishStatus() { Q_EMIT statusChanged(m_status); }

// ---- WebSocketSource ------------------------------------------------------------------------------

WebSocketSource::WebSocketSource(ConnectionSettings settings, quint16 origin, QObject* parent)
    : QObject(parent)
    , m_settings(std::move(settings))
    , m_origin(origin)
    , m_outbox(std::make_shared<Outbox>())
{
    qRegisterMetaType<ConnectionStatus>();
    qRegisterMetaType<std::shared_ptr<DecodedBatch>>();
}

WebSocketSource::~WebSocketSource()
{
    // no signals from a destructor: receivers may already be gone
    blockSignals(true);
    stop();
}

void WebSocketSource::start()
{
    if (m_thread)
        return;
    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("ws:") + m_settings.url.host());
    m_worker = new Worker(m_settings, m_origin, m_outbox, this);
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    connect(m_worker, &Worker::statusChanged, this, [this](const ConnectionStatus& s) {
        m_status = s;
        Q_EMIT statusChanged(s);
    });
    connect(m_worker, &Worker::recordingFailed, this, &WebSocketSource::recordingFailed);
    m_thread->start();
    QMetaObject::invokeMethod(m_worker, &Worker::start, Qt::QueuedConnection);
}

void WebSocketSource::stop()
{
    if (!m_thread)
        return;
    // the last counts exactly, not what the last queued status said; handed over under the outbox's
    // lock, which orders it for ThreadSanitizer too (the blocking call's own wait is invisible to it)
    QMetaObject::invokeMethod(
        m_worker,
        [w = m_worker, outbox = m_outbox]() {
            w->stop();
            QMutexLocker lock(&outbox->mutex);
            outbox->last = w->status();
        },
        Qt::BlockingQueuedConnection);
    m_thread->quit();
    m_thread->wait();
    {
        QMutexLocker lock(&m_outbox->mutex);
        m_status = m_outbox->last;
    }
    delete m_thread;
    m_thread = nullptr;
    m_worker = nullptr;
    drain(); // what was received before stopping still counts
}

void WebSocketSource::retryNow()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &Worker::retryNow, Qt::QueuedConnection);
}

void WebSocketSource::setSchemas(std::shared_ptr<const SchemaRegistry> schemas)
{
    m_settings.decoder.schemas = schemas;
    if (m_worker) // the decoder is the worker's, on its thread
        QMetaObject::invokeMethod(
            m_worker, [worker = m_worker, schemas] { worker->setSchemas(schemas); }, Qt::QueuedConnection);
}

void WebSocketSource::startRecording(const QString& path)
{
    if (!m_worker)
        return;
    m_worker->recordRequests.put({ nullptr, path });
    QMetaObject::invokeMethod(m_worker, &Worker::takeRecordRequest, Qt::QueuedConnection);
}

void WebSocketSource::startRecording(const std::shared_ptr<CaptureRecorder>& recorder)
{
    if (!m_worker)
        return;
    m_worker->recordRequests.put({ recorder, QString() });
    QMetaObject::invokeMethod(m_worker, &Worker::takeRecordRequest, Qt::QueuedConnection);
}

void WebSocketSource::stopRecording()
{
    if (m_worker)
        QMetaObject::invokeMethod(m_worker, &Worker::stopRecording, Qt::BlockingQueuedConnection);
}

void WebSocketSource::drain()
{
    Q_ASSERT(QThread::currentThread() == thread());
    std::deque<std::shared_ptr<DecodedBatch>> batches;
    {
        QMutexLocker lock(&m_outbox->mutex);
        batches.swap(m_outbox->batches);
        m_outbox->events = 0;
        m_outbox->scheduled = false;
    }
    for (auto& b : batches)
        Q_EMIT batchReady(std::move(b));
}

#include "websocketsource.moc"
