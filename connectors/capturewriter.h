// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QElapsedTimer>
#include <QFile>
#include <QString>
#include <QUrl>
#include <vector>

struct ConsumerSample;

/// Appends received frames to an EventScope capture. Crash-safe by construction: append-only, each
/// record checksummed, and the buffer reaches the file at least once a second (and whenever it holds
/// 64 KiB), so a killed writer loses at most the last second. Credentials never reach the file.
class CaptureWriter
{
public:
    CaptureWriter();
    ~CaptureWriter();

    /// Creates (truncates) the file and writes the header. `source` is redacted before it is written.
    bool open(const QString& path, const QUrl& source, qint64 startedUs);
    /// Opens an existing, undamaged capture to append records to its end (bookmarks). False when it
    /// is not an EventScope capture or cannot be written.
    bool openForAppend(const QString& path);
    bool isOpen() const { return m_file.isOpen(); }
    QString errorString() const { return m_error; }
    QString fileName() const { return m_file.fileName(); }

    /// Declares an origin (a connection or file) the following frames may name.
    bool writeOrigin(quint16 origin, const QUrl& name, const QString& protocol = QStringLiteral("json"));
    bool writeFrame(quint16 origin, qint64 receiveTimeUs, const QByteArray& frame, bool binary = false);
    /// A broker message: its subject or topic, its header block (NATS) and its body, as received.
    bool writeMessage(quint16 origin, qint64 receiveTimeUs, QByteArrayView subject, QByteArrayView headers,
        QByteArrayView body, bool slashesAreDots);
    bool writeAnnotation(qint64 timeUs, const QByteArray& json);
    /// What a broker said of its stream's durable consumers at `timeUs` (at most 256 of them).
    bool writeConsumers(quint16 origin, qint64 timeUs, const std::vector<ConsumerSample>& consumers);

    /// Writes the buffer to the file now. Call it from a timer too: writeFrame() only flushes when due.
    bool flush();
    void close();

    quint64 framesWritten() const { return m_frames; }
    quint64 bytesWritten() const { return m_bytes; }

private:
    bool writeRecord(quint8 kind, quint16 origin, qint64 timeUs, const char* body, quint32 length, quint8 flags = 0);
    bool fail(const QString& what);

    QFile m_file;
    QByteArray m_buffer;
    QByteArray m_scratch;
    QElapsedTimer m_sinceFlush;
    QString m_error;
    quint64 m_frames = 0;
    quint64 m_bytes = 0;
};
