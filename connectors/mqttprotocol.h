// SPDX-License-Identifier: MIT
#pragma once

#include "brokerprotocol.h"

#include <vector>

/// MQTT 3.1.1 (OASIS standard) over WebSocket, subprotocol "mqtt" (mosquitto, RabbitMQ's web_mqtt):
/// CONNECT with a unique client id, username/password and keep-alive; SUBSCRIBE at QoS 1 with `+` and
/// `#`; PUBLISH at QoS 0, 1 (PUBACK at once) and 2 (PUBREC/PUBCOMP); PINGREQ. Packets may span frames.
class MqttProtocol : public BrokerProtocol
{
public:
    struct Options
    {
        QString topic = QStringLiteral("#"); ///< empty: publish only, subscribe to nothing
        QString user, password;
        int keepAliveSeconds = 30;
        std::size_t maxPacketBytes = (1 << 20) + 1024; ///< a larger packet is a protocol error
    };
    explicit MqttProtocol(Options options);

    BrokerEndpoint::Protocol protocol() const override { return BrokerEndpoint::Mqtt; }
    QStringList subprotocols() const override { return { QStringLiteral("mqtt") }; }
    void opened(Connection& c) override;
    void keepAlive(Connection& c) override;
    QString lastError() const override { return m_lastError; }
    bool slashesAreDots() const override { return true; }

    /// A QoS 0 PUBLISH packet.
    static QByteArray publish(QByteArrayView topic, QByteArrayView payload);
    /// The client id sent in the last CONNECT ("eventscope-" and 12 random hex digits).
    QString clientId() const { return m_clientId; }

private:
    qint64 parse(const char* data, std::size_t len, Connection& c) override;
    bool packet(quint8 header, const char* body, std::size_t len, Connection& c);
    void fail(Connection& c, const QString& why, bool fatal);

    Options m_options;
    QString m_clientId;
    QString m_lastError;
    bool m_connected = false;
};
