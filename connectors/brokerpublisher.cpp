// SPDX-License-Identifier: MIT
#include "brokerpublisher.h"

#include "connectorslogging.h"
#include "mqttprotocol.h"
#include "natsprotocol.h"
#include "urlredaction.h"

#include <QLoggingCategory>
#include <QWebSocket>
#include <QWebSocketHandshakeOptions>

BrokerPublisher::BrokerPublisher(const QUrl& url, QObject* parent)
    : QObject(parent)
    , m_flushTimer(this)
    , m_retryTimer(this)
    , m_keepAlive(this)
    , m_handshakeTimer(this)
{
    QString ignored;
    BrokerEndpoint::parse(url, m_endpoint, &ignored);
    m_endpoint.filter.clear(); // publish only: no subscription, no stream read
    m_endpoint.stream.clear();
    m_flushTimer.setInterval(5);
    connect(&m_flushTimer, &QTimer::timeout, this, &BrokerPublisher::flush);
    m_retryTimer.setSingleShot(true);
    m_retryTimer.setInterval(1000);
    connect(&m_retryTimer, &QTimer::timeout, this, &BrokerPublisher::connectNow);
    m_keepAlive.setInterval(15000);
    connect(&m_keepAlive, &QTimer::timeout, this, [this]() {
        if (m_ready)
            m_protocol->keepAlive(m_link);
    });
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this]() {
        m_lastError = QStringLiteral("no answer from the broker within %1 s").arg(handshakeTimeoutMs / 1000.0);
        retryLater();
    });
    m_link.send = [this](const QByteArray& bytes) {
        if (m_socket)
            m_socket->sendBinaryMessage(bytes);
    };
    m_link.message = [this](const BrokerMessage& m) {
        if (onMessage)
            onMessage(m);
    };
    m_link.ready = [this]() {
        m_handshakeTimer.stop();
        m_ready = true;
        m_lastError.clear();
        flush();
        Q_EMIT ready();
    };
    m_link.fail = [this](const QString& why, bool) {
        m_lastError = why;
        if (m_socket)
            m_socket->abort();
    };
}

BrokerPublisher::~BrokerPublisher()
{
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
    }
}

bool BrokerPublisher::start(QString* error)
{
    if (m_endpoint.protocol == BrokerEndpoint::Bus) {
        if (error)
            *error = QStringLiteral("not a broker URL: use nats+ws://, mqtt+ws:// or their +wss forms");
        return false;
    }
    m_protocol = BrokerProtocol::create(m_endpoint, 64 << 20);
    m_flushTimer.start();
    m_keepAlive.start();
    connectNow();
    return true;
}

void BrokerPublisher::connectNow()
{
    dropSocket();
    m_socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    connect(m_socket, &QWebSocket::connected, this, [this]() { m_protocol->opened(m_link); });
    connect(m_socket, &QWebSocket::binaryMessageReceived, this,
        [this](const QByteArray& b) { m_protocol->received(b.constData(), std::size_t(b.size()), m_link); });
    connect(m_socket, &QWebSocket::textMessageReceived, this, [this](const QString& s) {
        const QByteArray b = s.toUtf8();
        m_protocol->received(b.constData(), std::size_t(b.size()), m_link);
    });
    connect(m_socket, &QWebSocket::disconnected, this, [this]() {
        if (m_lastError.isEmpty())
            m_lastError = m_protocol->lastError().isEmpty() ? m_socket->errorString() : m_protocol->lastError();
        retryLater();
    });
    QWebSocketHandshakeOptions options;
    options.setSubprotocols(m_protocol->subprotocols());
    m_socket->open(QNetworkRequest(m_endpoint.socketUrl), options);
    m_handshakeTimer.start(handshakeTimeoutMs);
}

void BrokerPublisher::dropSocket()
{
    m_ready = false;
    m_handshakeTimer.stop();
    if (m_socket) {
        m_socket->disconnect(this);
        m_socket->abort();
        m_socket->deleteLater();
        m_socket = nullptr;
    }
}

void BrokerPublisher::retryLater()
{
    dropSocket();
    qCWarning(lcConnectors, "broker publisher: %s: %s; reconnecting in 1 s",
        qPrintable(UrlRedaction::redacted(m_endpoint.socketUrl)), qPrintable(m_lastError));
    m_retryTimer.start();
}

void BrokerPublisher::publish(QByteArrayView type, QByteArrayView body)
{
    if (std::size_t(m_out.size()) > maxBufferedBytes) {
        ++m_dropped;
        return;
    }
    ++m_waiting;
    if (m_endpoint.protocol == BrokerEndpoint::Nats) {
        if (subjectPrefix.isEmpty()) {
            m_out += NatsProtocol::publish(type, body);
        } else {
            m_subject = subjectPrefix;
            m_subject += type;
            m_out += NatsProtocol::publish(m_subject, body);
        }
    } else {
        m_topic = type.toByteArray();
        m_topic.replace('.', '/');
        m_out += MqttProtocol::publish(m_topic, body);
    }
    if (m_out.size() >= FrameBytes)
        flush();
}

void BrokerPublisher::sendRaw(const QByteArray& operations)
{
    m_out += operations;
    if (m_ready)
        flush();
}

void BrokerPublisher::flush()
{
    if (!m_ready || m_out.isEmpty() || !m_socket)
        return;
    // the socket buffers whatever the broker has not taken yet: keep that bounded too
    if (std::size_t(m_socket->bytesToWrite()) > maxBufferedBytes)
        return;
    m_socket->sendBinaryMessage(m_out);
    m_published += m_waiting;
    m_waiting = 0;
    m_out.clear();
}
