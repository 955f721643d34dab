// SPDX-License-Identifier: MIT
#include "capturerecorder.h"

CaptureRecorder::CaptureRecorder() = default;
CaptureRecorder::~CaptureRecorder() { close(); }

bool CaptureRecorder::open(
    const QString& path, const QUrl& source, qint64 startedUs, std::optional<RecordingIndexer::Options> indexing)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (!check(m_writer.open(path, source, startedUs)))
        return false;
    if (indexing)
        m_indexer = std::make_unique<RecordingIndexer>(path, *indexing);
    noteWritten();
    return true;
}

void CaptureRecorder::noteWritten()
{
    // the writer hands the file whole records only: what it has written ends on one
    if (m_indexer && !m_failed && m_writer.bytesWritten() != m_noted) {
        m_noted = m_writer.bytesWritten();
        m_indexer->grew(m_noted);
    }
}

bool CaptureRecorder::check(bool ok)
{
    m_failed = m_failed || !ok;
    return !m_failed;
}

quint16 CaptureRecorder::addOrigin(const QUrl& name, const QString& protocol)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    const quint16 id = m_origins++;
    if (!m_failed)
        check(m_writer.writeOrigin(id, name, protocol));
    noteWritten();
    return id;
}

bool CaptureRecorder::writeFrame(quint16 origin, qint64 receiveTimeUs, const QByteArray& frame, bool binary)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    const bool ok = !m_failed && check(m_writer.writeFrame(origin, receiveTimeUs, frame, binary));
    noteWritten();
    return ok;
}

bool CaptureRecorder::writeMessage(quint16 origin, qint64 receiveTimeUs, QByteArrayView subject, QByteArrayView headers,
    QByteArrayView body, bool slashesAreDots)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    const bool ok
        = !m_failed && check(m_writer.writeMessage(origin, receiveTimeUs, subject, headers, body, slashesAreDots));
    noteWritten();
    return ok;
}

bool CaptureRecorder::writeAnnotation(qint64 timeUs, const QByteArray& json)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    const bool ok = !m_failed && check(m_writer.writeAnnotation(timeUs, json));
    noteWritten();
    return ok;
}

bool CaptureRecorder::writeConsumers(quint16 origin, qint64 timeUs, const std::vector<ConsumerSample>& consumers)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    const bool ok = !m_failed && check(m_writer.writeConsumers(origin, timeUs, consumers));
    noteWritten();
    return ok;
}

bool CaptureRecorder::flush()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    const bool ok = !m_failed && check(m_writer.flush());
    noteWritten();
    return ok;
}

void CaptureRecorder::close()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_writer.isOpen())
        m_writer.close();
    check(m_writer.errorString().isEmpty());
    if (m_indexer) {
        // the last index, of the whole capture, on the indexer's thread; a failed recording keeps the
        // last one made (the file holds everything before the failure, torn perhaps in its last record)
        if (!m_failed)
            m_indexer->finish(m_writer.bytesWritten());
        m_indexer.reset();
    }
}

QString CaptureRecorder::errorString() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_writer.errorString();
}

QString CaptureRecorder::fileName() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_writer.fileName();
}

quint64 CaptureRecorder::framesWritten() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_writer.framesWritten();
}

bool CaptureRecorder::hasFailed() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_failed;
}
