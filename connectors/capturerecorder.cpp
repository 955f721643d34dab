// SPDX-License-Identifier: MIT
#include "capturerecorder.h"

CaptureRecorder::CaptureRecorder() = default;
CaptureRecorder::~CaptureRecorder() = default;

bool CaptureRecorder::open(const QString& path, const QUrl& source, qint64 startedUs)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return check(m_writer.open(path, source, startedUs));
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
    return id;
}

bool CaptureRecorder::writeFrame(quint16 origin, qint64 receiveTimeUs, const QByteArray& frame, bool binary)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return !m_failed && check(m_writer.writeFrame(origin, receiveTimeUs, frame, binary));
}

bool CaptureRecorder::writeMessage(quint16 origin, qint64 receiveTimeUs, QByteArrayView subject, QByteArrayView headers,
    QByteArrayView body, bool slashesAreDots)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return !m_failed && check(m_writer.writeMessage(origin, receiveTimeUs, subject, headers, body, slashesAreDots));
}

bool CaptureRecorder::writeAnnotation(qint64 timeUs, const QByteArray& json)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return !m_failed && check(m_writer.writeAnnotation(timeUs, json));
}

bool CaptureRecorder::writeConsumers(quint16 origin, qint64 timeUs, const std::vector<ConsumerSample>& consumers)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return !m_failed && check(m_writer.writeConsumers(origin, timeUs, consumers));
}

bool CaptureRecorder::flush()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return !m_failed && check(m_writer.flush());
}

void CaptureRecorder::close()
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (m_writer.isOpen())
        m_writer.close();
    check(m_writer.errorString().isEmpty());
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
