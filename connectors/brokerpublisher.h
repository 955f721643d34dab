// SPDX-License-Identifier: MIT
#pragma once

#include "brokerprotocol.h"

#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

class QWebSocket;

/// Publishes events through a broker's WebSocket endpoint (nats+ws://, mqtt+ws://): the demo bus's
/// distributed mode and the broker benchmarks. Each event goes to the subject named by its type (NATS)
/// or the topic with slashes for dots (MQTT), at QoS 0. Publishes are gathered and sent as one frame
/// per flush; while the broker is away they wait in a bounded buffer (beyond it they are dropped and
/// counted), and the publisher reconnects every second.
class BrokerPublisher : public QObject
{
    Q_OBJECT
public:
    explicit BrokerPublisher(const QUrl& url, QObject* parent = nullptr);
    ~BrokerPublisher() override;

    /// False when the URL is not a broker URL (*error says why).
    bool start(QString* error);
    void publish(QByteArrayView type, QByteArrayView body);
    /// Sends what was gathered (also done every 5 ms by a timer).
    void flush();
    /// NATS: protocol operations of the caller's own (SUB, a request's PUB, an ack), sent in order with
    /// the publishes once connected; what the server delivers to the caller's subscriptions goes to
    /// `onMessage`.
    void sendRaw(const QByteArray& operations);
    std::function<void(const BrokerMessage&)> onMessage;
    /// Each event goes to this prefix and its type (NATS: "bus." + "booking.created").
    QByteArray subjectPrefix;
    bool isReady() const { return m_ready; }
    quint64 published() const { return m_published; }
    quint64 dropped() const { return m_dropped; }
    QString lastError() const { return m_lastError; }
    std::size_t maxBufferedBytes = 64 << 20;
    /// A connection that is not ready (WebSocket and broker handshakes done) this soon is dropped and
    /// tried again: a peer that accepts and then says nothing must not stall the publisher for good.
    int handshakeTimeoutMs = 10000;

Q_SIGNALS:
    void ready();

private:
    static constexpr qsizetype FrameBytes = 256 << 10; ///< frames of at most about this size
    void connectNow();
    void retryLater();
    void dropSocket();

    BrokerEndpoint m_endpoint;
    std::unique_ptr<BrokerProtocol> m_protocol;
    BrokerProtocol::Connection m_link;
    QWebSocket* m_socket = nullptr;
    QTimer m_flushTimer;
    QTimer m_retryTimer;
    QTimer m_keepAlive;
    QTimer m_handshakeTimer;
    QByteArray m_out;
    QByteArray m_topic;
    QByteArray m_subject; ///< reused: prefix + type
    quint64 m_published = 0;
    quint64 m_dropped = 0;
    quint64 m_waiting = 0; ///< publishes in m_out
    bool m_ready = false;
    QString m_lastError;
};
