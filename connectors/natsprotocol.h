// SPDX-License-Identifier: MIT
#pragma once

#include "brokerprotocol.h"

#include <vector>

/// The NATS client protocol (https://docs.nats.io/reference/reference-protocols/nats-protocol) over
/// nats-server's WebSocket listener: INFO, CONNECT (token or user/password), SUB, MSG and HMSG,
/// PING/PONG both ways, +OK and -ERR. The server's binary frames are one byte stream: an operation may
/// be split across frames and a frame may hold many, so this parses a stream, not frames.
class NatsProtocol : public BrokerProtocol
{
public:
    struct Options
    {
        QString subject = QStringLiteral(">"); ///< empty: publish only, subscribe to nothing
        QString user, password, token;
        std::size_t maxPayloadBytes = 1 << 20; ///< a larger MSG is a protocol error: the connection is dropped
        std::size_t maxControlLineBytes = 4096;
    };
    explicit NatsProtocol(Options options);

    BrokerEndpoint::Protocol protocol() const override { return BrokerEndpoint::Nats; }
    QStringList subprotocols() const override { return {}; }
    void opened(Connection& c) override;
    void keepAlive(Connection& c) override;
    QString lastError() const override { return m_lastError; }

    /// PUB or, with headers, HPUB.
    static QByteArray publish(QByteArrayView subject, QByteArrayView body, QByteArrayView headers = {});
    /// The value of a header in a NATS header block (names compare case-insensitively), or empty.
    static QByteArrayView header(QByteArrayView block, QByteArrayView name);

    quint64 messages() const { return m_messages; }

private:
    qint64 parse(const char* data, std::size_t len, Connection& c) override;
    bool control(QByteArrayView line, Connection& c);
    void sendConnect(Connection& c);

    Options m_options;
    // a MSG/HMSG whose control line has been read and whose payload is awaited
    struct Pending
    {
        bool active = false;
        std::size_t subjectOffset = 0, subjectLength = 0; ///< inside m_line
        std::size_t headerBytes = 0, totalBytes = 0;
    } m_pending;
    QByteArray m_line; ///< the pending MSG's control line
    QString m_lastError;
    bool m_connectSent = false;
    bool m_ready = false;
    quint64 m_messages = 0;
};
