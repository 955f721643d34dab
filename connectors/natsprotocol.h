// SPDX-License-Identifier: MIT
#pragma once

#include "brokerprotocol.h"
#include "jetstream.h"

#include <vector>

/// The NATS client protocol (https://docs.nats.io/reference/reference-protocols/nats-protocol) over
/// nats-server's WebSocket listener: INFO, CONNECT (token or user/password), SUB, MSG and HMSG,
/// PING/PONG both ways, +OK and -ERR. The server's binary frames are one byte stream: an operation may
/// be split across frames and a frame may hold many, so this parses a stream, not frames.
///
/// With a JetStream stream named, it reads the stream through an ordered consumer instead of
/// subscribing: from the start asked (or, after a reconnect, from the sequence after the last one
/// delivered, so nothing is lost or repeated), answering flow control, watching idle heartbeats, and
/// making a new consumer whenever one is lost or skips; each message carries its stream sequence and
/// time. A bounded read finishes at its end: the first message past it, or, for an end in time, once
/// the consumer has nothing more to deliver and the end lies in the server's past (by EndTimeMarginMs,
/// for what is on its way): a message stored later cannot fall inside the range. The server's clock is
/// told by the consumer's creation time in the create reply; without it, this machine's clock is
/// used with EndTimeGraceMs more.
class NatsProtocol : public BrokerProtocol
{
public:
    struct Options
    {
        QString subject = QStringLiteral(">"); ///< empty: publish only, subscribe to nothing
        QString user, password, token;
        std::size_t maxPayloadBytes = 1 << 20; ///< a larger MSG is a protocol error: the connection is dropped
        std::size_t maxControlLineBytes = 4096;
        QByteArray stream; ///< a JetStream stream to read (`subject` then filters it); empty: subscribe
        JetStream::Start start;
        JetStream::End end;
        qint64 idleHeartbeatMs = 5000;
        QByteArray inbox; ///< the reader's inbox prefix (empty: a random one, as it should be but in tests)
    };
    explicit NatsProtocol(Options options);

    BrokerEndpoint::Protocol protocol() const override { return BrokerEndpoint::Nats; }
    QStringList subprotocols() const override { return {}; }
    void opened(Connection& c) override;
    void keepAlive(Connection& c) override;
    /// JetStream: times the consumer's creation (5 s a try) and its heartbeats, and asks for the
    /// stream's consumers (CONSUMER.LIST) at most once a second.
    void tick(Connection& c) override;
    QString lastError() const override { return m_lastError; }
    QStringList announcedServers() const override { return m_announced; }

    /// PUB or, with headers, HPUB.
    static QByteArray publish(QByteArrayView subject, QByteArrayView body, QByteArrayView headers = {});
    /// The value of a header in a NATS header block (names compare case-insensitively), or empty.
    static QByteArrayView header(QByteArrayView block, QByteArrayView name);

    quint64 messages() const { return m_messages; }
    /// JetStream: the last stream sequence delivered (0: none yet), and how often a consumer was made.
    quint64 lastStreamSequence() const { return m_lastStreamSeq; }
    quint64 consumersMade() const { return m_consumerGeneration; }
    static constexpr qint64 EndTimeMarginMs = 500;
    static constexpr qint64 EndTimeGraceMs = 2000;

private:
    qint64 parse(const char* data, std::size_t len, Connection& c) override;
    bool control(QByteArrayView line, Connection& c);
    void sendConnect(Connection& c);
    void delivered(const BrokerMessage& m, QByteArrayView reply, quint64 sid, Connection& c);
    void createConsumer(Connection& c);
    void apiReply(const BrokerMessage& m, Connection& c);
    void finish(Connection& c, const QString& what);
    void consumerList(const BrokerMessage& m, Connection& c);
    void oldestUnacked(const BrokerMessage& m, Connection& c);
    /// c.fail() from inside a message's handling: parsing stops there.
    void halt(Connection& c, const QString& why, bool fatal);
    /// A consumer creation that failed for now: asked again soon, or another server after a few tries.
    void createFailed(Connection& c, const QString& why);

    Options m_options;
    // a MSG/HMSG whose control line has been read and whose payload is awaited
    struct Pending
    {
        bool active = false;
        std::size_t subjectOffset = 0, subjectLength = 0; ///< inside m_line
        std::size_t replyOffset = 0, replyLength = 0; ///< inside m_line; 0 length: none
        std::size_t headerBytes = 0, totalBytes = 0;
        quint64 sid = 0;
    } m_pending;
    QByteArray m_line; ///< the pending MSG's control line
    QString m_lastError;
    QStringList m_announced; ///< INFO's connect_urls, at most 32
    bool m_connectSent = false;
    bool m_ready = false;
    quint64 m_messages = 0;

    // JetStream
    QByteArray m_inbox; ///< this reader's own inbox prefix
    quint64 m_consumerGeneration = 0; ///< the consumer in use: its deliver subject and sid
    QByteArray m_consumerName;
    quint64 m_lastStreamSeq = 0; ///< kept across connections: the resume point
    quint64 m_lastConsumerSeq = 0;
    qint64 m_lastDeliveryMs = 0;
    qint64 m_createSentMs = 0; ///< a consumer create awaiting its reply (0: none)
    qint64 m_createRetryAtMs = 0; ///< when to ask for the consumer again (0: not waiting to)
    int m_createFailures = 0; ///< on this connection, since the last consumer made
    bool m_everCreated = false;
    bool m_readySent = false; ///< ready() said on this connection
    bool m_done = false;
    bool m_caughtUp = false; ///< the consumer has delivered everything the stream holds for it
    qint64 m_serverAheadMs = 0; ///< the server's clock minus this machine's, as the create reply told
    bool m_serverClockKnown = false;
    // the stream's durable consumers: the list asked for, and each one's oldest unacknowledged message
    qint64 m_listSentMs = 0; ///< 0: none awaited
    qint64 m_lastListMs = 0;
    struct Oldest
    {
        QByteArray consumer;
        quint64 seq = 0; ///< the message after the ack floor
        qint64 timeUs = -1; ///< its time, -1 until the stream said
    };
    std::vector<Oldest> m_oldest; ///< per consumer, at most 256; its index names the MSG.GET reply
    /// The last list's samples, held until the stream has said the times their lags need (or a second)
    std::vector<ConsumerSample> m_listSamples;
    int m_getsAwaited = 0;
    qint64 m_listAnsweredMs = 0;
    void reportConsumers(Connection& c);
    /// $JS.API.CONSUMER.LIST: asked once the consumer is made, then at most once a second.
    void askConsumers(Connection& c);
    bool m_halted = false; ///< failed or finished while parsing: the rest of the frame is not read
};
