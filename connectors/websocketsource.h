// SPDX-License-Identifier: MIT
#pragma once

#include "eventdecoder.h"

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <memory>

class CaptureRecorder;

struct DecodedBatch;
class QThread;

/// How to reach and talk to one bus. Secrets (token) are kept only in memory and never logged.
struct ConnectionSettings
{
    QUrl url; ///< ws:// or wss://, used exactly as given (path and query included)
    QString token; ///< bearer token, sent as "Authorization: Bearer" ...
    bool tokenInQuery = false; ///< ... or as a `token` query parameter
    QList<QPair<QByteArray, QByteArray>> headers; ///< extra request headers
    QStringList types; ///< glob patterns to subscribe to (empty: all)
    QString caFile; ///< extra CA certificates (PEM) to trust
    bool acceptInvalidCertificates = false; ///< an explicit, per-connection choice
    int handshakeTimeoutMs = 10000;
    int pingIntervalMs = 15000;
    int deadAfterMs = 30000; ///< no pong and no data for this long: the connection is dead
    quint64 maxFrameBytes = 1 << 20;
    int initialBackoffMs = 500;
    double backoffFactor = 2.0;
    int maxBackoffMs = 30000;
    int maxAttempts = -1; ///< reconnect attempts after a loss; -1: forever
    /// Live this long with valid data: the backoff starts again from its first delay (an upgrade alone
    /// does not reset it, or a server that fails every connection right after it gets a storm).
    int healthyAfterMs = 30000;
    std::size_t queueCapacity = 500000; ///< events waiting for the consumer; more are dropped and counted
    int handOffMs = 50;
    std::size_t batchEvents = 8192;
    DecoderConfig decoder;
    /// Record at most this many valid events, then close the recording (0: no limit). A frame or message
    /// that would pass the limit is recorded as its first events only (their JSON, as an array).
    quint64 recordEvents = 0;
};

/// What a connection is doing, for the status bar and for `record`.
struct ConnectionStatus
{
    enum State { Idle, Connecting, Live, Reconnecting, Failed };
    State state = Idle;
    int attempt = 0; ///< reconnect attempt since the connection last proved healthy (healthyAfterMs)
    qint64 retryAtMs = 0; ///< when Reconnecting: epoch ms of the next attempt
    QString lastError; ///< why the last connection ended or failed
    quint64 frames = 0;
    quint64 events = 0;
    quint64 malformed = 0;
    quint64 dropped = 0; ///< events beyond queueCapacity, counted exactly, never delivered
    quint64 reconnects = 0;
    qint64 highestSeq = -1;
    bool everConnected = false;

    QString describe() const;
    static QString stateName(State s);
};
Q_DECLARE_METATYPE(ConnectionStatus)

/// A bus over WebSocket. The socket lives on its own thread where frames are decoded; decoded events
/// reach the owner's thread in batches (at most every handOffMs, or when batchEvents are waiting),
/// through a bounded queue: a slow consumer costs dropped events (counted), never the connection.
/// Reconnects with exponential backoff and jitter, resumes with {"op":"subscribe","since":N}, pings,
/// and times out handshakes and dead connections (Qt 6.4's QWebSocket does neither by itself).
class WebSocketSource : public QObject
{
    Q_OBJECT
public:
    WebSocketSource(ConnectionSettings settings, quint16 origin, QObject* parent = nullptr);
    ~WebSocketSource() override;

    void start();
    /// Closes the connection and stops reconnecting (blocks until the worker thread has finished).
    void stop();
    /// As last reported; after stop(), the final counts exactly.
    ConnectionStatus status() const { return m_status; }
    const ConnectionSettings& settings() const { return m_settings; }

    /// Appends every received frame, as received, to a capture file (on the socket's thread).
    void startRecording(const QString& path);
    /// Records into a capture shared with other connections, under an origin of its own.
    void startRecording(const std::shared_ptr<CaptureRecorder>& recorder);
    void stopRecording();

Q_SIGNALS:
    void batchReady(std::shared_ptr<DecodedBatch> batch);
    void statusChanged(const ConnectionStatus& status);
    /// A recording could not be written (disk full, ...): it stopped, the file holds what came before.
    void recordingFailed(const QString& error);

private:
    class Worker;
    struct Outbox;
    void drain();

    ConnectionSettings m_settings;
    quint16 m_origin;
    ConnectionStatus m_status;
    std::shared_ptr<Outbox> m_outbox;
    QThread* m_thread = nullptr;
    Worker* m_worker = nullptr;
};
