// SPDX-License-Identifier: MIT
#pragma once

#include "connectionsettings.h"
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
    /// While waiting out a reconnect's backoff: tries now (the attempt counts as the next one).
    void retryNow();
    /// Checks the payloads of the frames decoded from now on against `schemas` (null: none).
    void setSchemas(std::shared_ptr<const SchemaRegistry> schemas);
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
