// SPDX-License-Identifier: MIT
#pragma once

#include "capturewriter.h"
#include "recordingindexer.h"

#include <memory>
#include <mutex>
#include <optional>

/// One capture file that several connections record into at once, each under an origin of its own
/// (the connections' socket threads write concurrently; a mutex serialises them). The writer's
/// guarantees hold: append-only, checksummed records, flushed at least once a second, no credential
/// written. After the first failed write (a full disk) every write fails and the file stays valid.
class CaptureRecorder
{
public:
    CaptureRecorder();
    ~CaptureRecorder();

    /// Creates the capture; its index is kept up to date as it grows (RecordingIndexer, with `indexing`;
    /// nullopt: none).
    bool open(const QString& path, const QUrl& source, qint64 startedUs,
        std::optional<RecordingIndexer::Options> indexing = RecordingIndexer::Options());
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
    /// Tells the indexer where the complete records end, when a write has moved it.
    void noteWritten();

    mutable std::mutex m_mutex;
    CaptureWriter m_writer;
    quint16 m_origins = 0;
    bool m_failed = false;
    std::unique_ptr<RecordingIndexer> m_indexer;
    quint64 m_noted = 0; ///< the bytes the indexer was last told of
};
