// SPDX-License-Identifier: MIT
#include "capturewriter.h"

#include "captureformat.h"
#include "consumertracker.h"
#include "timestamp.h"
#include "urlredaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtEndian>
#include <cstring>
#include <zlib.h>

namespace {
constexpr qsizetype FlushBytes = 64 * 1024;
constexpr qint64 FlushMs = 1000;
} // namespace

CaptureWriter::CaptureWriter() = default;

CaptureWriter::~CaptureWriter() { close(); }

bool CaptureWriter::open(const QString& path, const QUrl& source, qint64 startedUs)
{
    close();
    m_error.clear();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Unbuffered))
        return fail(QStringLiteral("cannot create %1: %2").arg(path, m_file.errorString()));
    m_buffer.append(CaptureFormat::Magic, sizeof(CaptureFormat::Magic));
    const QJsonObject header { { QStringLiteral("format"), QStringLiteral("eventscope-capture") },
        { QStringLiteral("version"), CaptureFormat::Version },
        { QStringLiteral("source"), UrlRedaction::redacted(source) },
        { QStringLiteral("started"), Timestamp::toIso8601(startedUs) },
        { QStringLiteral("application"), QStringLiteral("EventScope " EVENTSCOPE_VERSION) } };
    const QByteArray json = QJsonDocument(header).toJson(QJsonDocument::Compact);
    m_sinceFlush.start();
    return writeRecord(CaptureFormat::Header, 0, startedUs, json.constData(), quint32(json.size())) && flush();
}

bool CaptureWriter::openForAppend(const QString& path)
{
    close();
    m_error.clear();
    m_file.setFileName(path);
    if (!m_file.open(QIODevice::ReadWrite | QIODevice::Unbuffered))
        return fail(QStringLiteral("cannot write %1: %2").arg(path, m_file.errorString()));
    char magic[sizeof(CaptureFormat::Magic)] = {};
    if (m_file.read(magic, sizeof magic) != qint64(sizeof magic)
        || std::memcmp(magic, CaptureFormat::Magic, sizeof magic) != 0) {
        m_file.close();
        return fail(QStringLiteral("%1 is not an EventScope capture").arg(path));
    }
    m_file.seek(m_file.size());
    m_sinceFlush.start();
    return true;
}

bool CaptureWriter::writeOrigin(quint16 origin, const QUrl& name, const QString& protocol)
{
    const QJsonObject o { { QStringLiteral("id"), origin }, { QStringLiteral("name"), UrlRedaction::redacted(name) },
        { QStringLiteral("protocol"), protocol } };
    const QByteArray json = QJsonDocument(o).toJson(QJsonDocument::Compact);
    return writeRecord(CaptureFormat::Origin, origin, 0, json.constData(), quint32(json.size()));
}

bool CaptureWriter::writeFrame(quint16 origin, qint64 receiveTimeUs, const QByteArray& frame, bool binary)
{
    if (quint64(frame.size()) > CaptureFormat::MaxBodyBytes)
        return fail(QStringLiteral("frame of %1 bytes is larger than a capture record may be").arg(frame.size()));
    ++m_frames;
    return writeRecord(binary ? CaptureFormat::BinaryFrame : CaptureFormat::TextFrame, origin, receiveTimeUs,
        frame.constData(), quint32(frame.size()));
}

bool CaptureWriter::writeMessage(quint16 origin, qint64 receiveTimeUs, QByteArrayView subject, QByteArrayView headers,
    QByteArrayView body, bool slashesAreDots)
{
    const quint64 size = 2 + quint64(subject.size()) + 4 + quint64(headers.size()) + quint64(body.size());
    if (size > CaptureFormat::MaxBodyBytes || subject.size() > 65535)
        return fail(QStringLiteral("message of %1 bytes is larger than a capture record may be").arg(size));
    m_scratch.resize(qsizetype(size));
    uchar* p = reinterpret_cast<uchar*>(m_scratch.data());
    // an empty view may have no data pointer at all: memcpy must not see it
    auto put = [&p](QByteArrayView part) {
        if (!part.isEmpty())
            std::memcpy(p, part.data(), std::size_t(part.size()));
        p += part.size();
    };
    qToLittleEndian<quint16>(quint16(subject.size()), p);
    p += 2;
    put(subject);
    qToLittleEndian<quint32>(quint32(headers.size()), p);
    p += 4;
    put(headers);
    put(body);
    ++m_frames;
    return writeRecord(CaptureFormat::Message, origin, receiveTimeUs, m_scratch.constData(), quint32(size),
        slashesAreDots ? CaptureFormat::TopicSlashes : 0);
}

bool CaptureWriter::writeAnnotation(qint64 timeUs, const QByteArray& json)
{
    return writeRecord(CaptureFormat::Annotation, 0, timeUs, json.constData(), quint32(json.size()));
}

bool CaptureWriter::writeConsumers(quint16 origin, qint64 timeUs, const std::vector<ConsumerSample>& consumers)
{
    QJsonArray list;
    for (const ConsumerSample& c : consumers) {
        if (list.size() >= CaptureFormat::MaxConsumersPerRecord)
            break;
        // counts and sequences as integers: exact to 2^63, where a double would round them past 2^53
        list.append(QJsonObject { { QStringLiteral("stream"), QString::fromStdString(c.stream) },
            { QStringLiteral("name"), QString::fromStdString(c.name) },
            { QStringLiteral("pending"), qint64(c.pending) }, { QStringLiteral("ackPending"), qint64(c.ackPending) },
            { QStringLiteral("redelivered"), qint64(c.redelivered) }, { QStringLiteral("waiting"), qint64(c.waiting) },
            { QStringLiteral("deliveredSeq"), qint64(c.deliveredSeq) },
            { QStringLiteral("ackFloorSeq"), qint64(c.ackFloorSeq) }, { QStringLiteral("lagUs"), c.lagUs } });
    }
    const QByteArray json
        = QJsonDocument(QJsonObject { { QStringLiteral("consumers"), list } }).toJson(QJsonDocument::Compact);
    return writeRecord(CaptureFormat::Consumers, origin, timeUs, json.constData(), quint32(json.size()));
}

bool CaptureWriter::writeRecord(
    quint8 kind, quint16 origin, qint64 timeUs, const char* body, quint32 length, quint8 flags)
{
    if (!m_file.isOpen())
        return false;
    uchar header[CaptureFormat::RecordHeaderBytes];
    qToLittleEndian<quint32>(length, header);
    header[4] = kind;
    header[5] = flags;
    qToLittleEndian<quint16>(origin, header + 6);
    qToLittleEndian<qint64>(timeUs, header + 8);
    uLong crc = crc32(0L, header, sizeof(header));
    crc = crc32(crc, reinterpret_cast<const Bytef*>(body), length);
    uchar trailer[4];
    qToLittleEndian<quint32>(quint32(crc), trailer);
    m_buffer.append(reinterpret_cast<const char*>(header), sizeof(header));
    m_buffer.append(body, length);
    m_buffer.append(reinterpret_cast<const char*>(trailer), sizeof(trailer));
    if (m_buffer.size() >= FlushBytes || m_sinceFlush.elapsed() >= FlushMs)
        return flush();
    return true;
}

bool CaptureWriter::flush()
{
    m_sinceFlush.restart();
    if (!m_file.isOpen() || m_buffer.isEmpty())
        return m_file.isOpen();
    // only whole records are ever written, so a failed write leaves the file ending on a record boundary
    // or torn inside one, which the reader reports and skips
    // a short write (disk full, file-size limit) says nothing by itself: the next write says why
    qint64 written = 0;
    while (written < m_buffer.size()) {
        const qint64 n = m_file.write(m_buffer.constData() + written, m_buffer.size() - written);
        if (n <= 0) {
            const QString why = m_file.errorString();
            m_bytes += quint64(written);
            m_buffer.clear();
            m_file.close();
            return fail(QStringLiteral("writing %1 failed (%2): recording stopped, the file holds everything before")
                            .arg(m_file.fileName(), why));
        }
        written += n;
    }
    m_bytes += quint64(written);
    m_buffer.clear();
    return true;
}

void CaptureWriter::close()
{
    if (m_file.isOpen()) {
        flush();
        m_file.close();
    }
}

bool CaptureWriter::fail(const QString& what)
{
    m_error = what;
    return false;
}
