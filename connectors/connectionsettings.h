// SPDX-License-Identifier: MIT
#pragma once

#include "eventdecoder.h"

#include <QByteArray>
#include <QList>
#include <QMetaType>
#include <QPair>
#include <QString>
#include <QStringList>
#include <QUrl>

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
    /// Finished: a bounded read (a JetStream range) is complete; the connection is closed for good.
    enum State { Idle, Connecting, Live, Reconnecting, Failed, Finished };
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
    /// The server connected to, or last tried (host:port): one of several for a NATS cluster.
    QString server;

    QString describe() const;
    static QString stateName(State s);
};
Q_DECLARE_METATYPE(ConnectionStatus)
