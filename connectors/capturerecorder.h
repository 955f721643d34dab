// SPDX-License-Identifier: MIT
#pragma once

#include "capturewriter.h"

#include <mutex>

/// One capture file that several connections record into at once, each under an origin of its own
/// (the connections' socket threads write concurrently; a mutex serialises them). The writer's
/// guarantees hold: append-only, checksummed records, flushed at least once a second, no credential
/// written. After the first failed write (a full disk) every write fails and the file stays valid.
class CaptureRecorder
{
public:
    CaptureRecorder();
    ~CaptureRecorder();

    bool open(const QString& path, const QUrl& source, qint64 startedUs);
    /// Declares a connection; its frames are written under the id returned.
    quint16 addOrigin(const QUrl& name, const QString& protocol);
    bool writeFrame(quint16 origin, qint64 receiveTimeUs, const QByteArray& frame, bool binary);
    bool writeMessage(quint16 origin, qint64 receiveTimeUs, QByteArrayView subject, QByteArrayView headers,
        QByteArrayView body, bool slashesAreDots);
    bool writeAnnotation(qint64 timeUs, const QByteArray& json);
    bool writeConsumers(quint16 origin, qint64 timeUs, const std::vector<ConsumerSample>& consumers);
    bool flush();
    void close();

    QString errorString() const;
    QString fileName() const;
    quint64 framesWritten() const;
    bool hasFailed() const;

private:
    bool check(bool ok);

    mutable std::mutex m_mutex;
    CaptureWriter m_writer;
    quint16 m_origins = 0;
    bool m_failed = false;
};
