// SPDX-License-Identifier: MIT
// Reading every file format EventScope opens: its capture format, NDJSON, JSON documents and arrays,
// HAR, each plain (memory-mapped) or compressed (gzip, zstd, salvaged up to damage), with recognition,
// limits checked before allocation and the producer-clock judge. One reader with one set of positions
// and limits, so a malformed record is numbered and bounded the same way whatever the format.
#include "capturereader.h"

#include "brokerprotocol.h"
#include "bytespool.h"
#include "captureformat.h"
#include "connectorslogging.h"
#include "eventdecoder.h"
#include "eventrecord.h"
#include "harreader.h"
#include "jsonscan.h"
#include "timestamp.h"
#include "urlredaction.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>
#include <QtEndian>
#include <cerrno>
#include <cstring>
#include <poll.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zlib.h>
#define ZSTD_STATIC_LINKING_ONLY // ZSTD_d_forceIgnoreChecksum, to keep a damaged frame's last block
#include <zstd.h>
#include <zstd_errors.h>

namespace {
constexpr std::size_t Padding = 64; // simdjson reads up to 64 bytes past a document
constexpr std::size_t StreamChunk = 1 << 20;

bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/// Narrows [b, e) to leave out white space at both ends.
void trim(const char* data, std::size_t& b, std::size_t& e)
{
    while (b < e && isSpace(data[b]))
        ++b;
    while (e > b && isSpace(data[e - 1]))
        --e;
}

std::size_t skipBomAndSpace(const char* data, std::size_t len)
{
    std::size_t i = 0;
    if (len >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < len && isSpace(data[i]))
        ++i;
    return i;
}

QString hexBytes(const char* data, std::size_t len)
{
    return QString::fromLatin1(QByteArray(data, qsizetype(std::min<std::size_t>(len, 8))).toHex(' ')).toUpper();
}
} // namespace

// ---- inputs -------------------------------------------------------------------------------------

class CaptureReader::MappedFile : public RawBlock
{
public:
    ~MappedFile() override
    {
        if (bytes)
            ::munmap(const_cast<char*>(bytes), length);
    }
    bool map()
    {
        // not MAP_POPULATE: mapping the pages of a 6.8 GB file in took 4 s on the thread that opens it
        // (the window's, before its first paint); the reader's thread faults them in as it goes, at no
        // cost that shows (`summary` of 4 M events: 3.2-3.4 s either way)
        void* p = ::mmap(nullptr, length, PROT_READ, MAP_PRIVATE, file.handle(), 0);
        if (p == MAP_FAILED)
            return false;
        // read ahead. (Advice values are not flags: this said MADV_SEQUENTIAL | MADV_WILLNEED, which is
        // MADV_WILLNEED alone. Sequential advice would let the kernel drop pages behind the reader, and
        // the session keeps pointing into them for each event's bytes, so WILLNEED is the one meant.)
        ::madvise(p, length, MADV_WILLNEED);
        bytes = static_cast<const char*>(p);
        return true;
    }
    QFile file;
    const char* bytes = nullptr;
    std::size_t length = 0;
    const char* data() const override { return bytes; }
    std::size_t size() const override { return length; }
};

class CaptureReader::Input
{
public:
    explicit Input(const QString& path)
        : m_file(path)
    { }
    virtual ~Input() = default;
    bool open() { return m_file.open(QIODevice::ReadOnly); }
    /// Decompressed bytes into dst; 0 at the end, -1 on error (error() says why).
    virtual qint64 read(char* dst, std::size_t max) = 0;
    QString error() const { return m_error; }
    qint64 compressedPosition() const { return m_file.pos(); }
    QString fileErrorString() const { return m_file.errorString(); }
    qint64 compressedSize() const { return m_file.size(); }

protected:
    bool fill()
    {
        if (m_inPos < m_inLen)
            return true;
        const qint64 n = m_file.read(m_in, sizeof(m_in));
        if (n < 0) {
            m_error = QStringLiteral("read error: %1").arg(m_file.errorString());
            return false;
        }
        m_inPos = 0;
        m_inLen = std::size_t(n);
        return n > 0;
    }
    QFile m_file;
    char m_in[64 * 1024];
    std::size_t m_inPos = 0;
    std::size_t m_inLen = 0;
    QString m_error;
};

/// A pipe or a device, read once as it comes: plain bytes. The first are read ahead, to recognise
/// the content, and handed over first.
class CaptureReader::PipeInput : public CaptureReader::Input
{
public:
    using Input::Input;
    /// Reads up to `max` bytes ahead (fewer only at the end of the input).
    std::string_view readAhead(std::size_t max)
    {
        std::vector<char> ahead(max);
        std::size_t have = 0;
        for (qint64 n = 1; n > 0 && have < max; have += std::size_t(std::max<qint64>(n, 0)))
            n = read(ahead.data() + have, max - have); // after what was read ahead before
        ahead.resize(have);
        m_ahead = std::move(ahead);
        m_aheadPos = 0;
        return { m_ahead.data(), m_ahead.size() };
    }
    qint64 read(char* dst, std::size_t max) override
    {
        std::size_t got = std::min(max, m_ahead.size() - m_aheadPos);
        if (got > 0) // (an empty vector's data() may be null, which memcpy may not be handed)
            std::memcpy(dst, m_ahead.data() + m_aheadPos, got);
        m_aheadPos += got;
        // what the pipe holds, waiting only while nothing came: a writer ahead of the reader fills the
        // whole buffer (few, big batches), a slow one's events are taken as they come
        const int fd = m_file.handle();
        while (got < max) {
            if (got > 0) {
                pollfd ready { fd, POLLIN, 0 };
                if (::poll(&ready, 1, 0) <= 0)
                    break;
            }
            const ssize_t n = ::read(fd, dst + got, max - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n < 0) {
                m_error = QStringLiteral("read error: %1").arg(QString::fromLocal8Bit(std::strerror(errno)));
                return got > 0 ? qint64(got) : -1;
            }
            if (n == 0)
                break;
            got += std::size_t(n);
        }
        return qint64(got);
    }

private:
    std::vector<char> m_ahead;
    std::size_t m_aheadPos = 0;
};

class CaptureReader::GzipInput : public CaptureReader::Input
{
public:
    using Input::Input;
    ~GzipInput() override { inflateEnd(&m_zs); }
    bool init() { return inflateInit2(&m_zs, 15 + 32) == Z_OK; }
    qint64 read(char* dst, std::size_t max) override
    {
        if (m_done)
            return 0;
        m_zs.next_out = reinterpret_cast<Bytef*>(dst);
        m_zs.avail_out = uInt(max);
        while (m_zs.avail_out > 0) {
            if (m_inPos >= m_inLen && !fill()) {
                if (!m_error.isEmpty())
                    return -1;
                if (m_memberOpen) {
                    m_error = QStringLiteral("the gzip stream ends early (truncated file)");
                    m_done = true;
                    const qint64 got = qint64(max - m_zs.avail_out);
                    return got > 0 ? got : -1;
                }
                m_done = true;
                break;
            }
            m_zs.next_in = reinterpret_cast<Bytef*>(m_in + m_inPos);
            m_zs.avail_in = uInt(m_inLen - m_inPos);
            const int rc = inflate(&m_zs, Z_NO_FLUSH);
            m_inPos = m_inLen - m_zs.avail_in;
            m_memberOpen = true;
            if (rc == Z_STREAM_END) {
                m_memberOpen = false;
                inflateReset(&m_zs); // concatenated members, as `cat a.gz b.gz` makes
            } else if (rc != Z_OK && rc != Z_BUF_ERROR) {
                m_error = QStringLiteral("corrupt gzip data near compressed byte %1 (%2)")
                              .arg(m_file.pos() - qint64(m_zs.avail_in))
                              .arg(QString::fromUtf8(m_zs.msg ? m_zs.msg : "inflate failed"));
                m_done = true;
                const qint64 got = qint64(max - m_zs.avail_out);
                return got > 0 ? got : -1;
            }
        }
        return qint64(max - m_zs.avail_out);
    }

private:
    z_stream m_zs {};
    bool m_done = false;
    bool m_memberOpen = false;
};

class CaptureReader::ZstdInput : public CaptureReader::Input
{
public:
    using Input::Input;
    ~ZstdInput() override { ZSTD_freeDCtx(m_ctx); }
    bool init()
    {
        m_ctx = ZSTD_createDCtx();
        // a 128 MiB window at most: a hostile frame cannot make us allocate more
        return m_ctx && !ZSTD_isError(ZSTD_DCtx_setParameter(m_ctx, ZSTD_d_windowLogMax, 27));
    }
    qint64 read(char* dst, std::size_t max) override
    {
        if (m_done)
            return 0;
        ZSTD_outBuffer out { dst, max, 0 };
        while (out.pos < out.size) {
            if (m_inPos >= m_inLen && !fill()) {
                if (!m_error.isEmpty())
                    return -1;
                m_done = true;
                if (m_frameOpen) {
                    m_error = QStringLiteral("the zstd stream ends inside a frame (truncated file)");
                    return out.pos > 0 ? qint64(out.pos) : -1;
                }
                break;
            }
            ZSTD_inBuffer in { m_in + m_inPos, m_inLen - m_inPos, 0 };
            const std::size_t before = out.pos;
            std::size_t rc;
            if (m_skip > 0) {
                // decoding the frame again: what was handed over already is decoded into scratch
                std::vector<char>& scratch = m_scratch;
                scratch.resize(std::min<quint64>(m_skip, SalvageStep));
                ZSTD_outBuffer skip { scratch.data(), scratch.size(), 0 };
                rc = ZSTD_decompressStream(m_ctx, &skip, &in);
                m_skip -= skip.pos;
            } else if (m_salvaging) {
                // Less room than the frame's size keeps zstd from decoding the whole frame in one
                // call (all or nothing): each block is handed over once it is decoded.
                ZSTD_outBuffer step { out.dst, std::min(out.size, out.pos + SalvageStep), out.pos };
                rc = ZSTD_decompressStream(m_ctx, &step, &in);
                out.pos = step.pos;
            } else {
                rc = ZSTD_decompressStream(m_ctx, &out, &in);
            }
            m_inPos += in.pos;
            m_frameOut += out.pos - before;
            if (ZSTD_isError(rc)) {
                const qint64 at = m_file.pos() - qint64(m_inLen - m_inPos);
                const QString why = QStringLiteral("corrupt zstd data near compressed byte %1 (%2)")
                                        .arg(at)
                                        .arg(QString::fromUtf8(ZSTD_getErrorName(rc)));
                // What zstd decoded before an error can be lost: a frame that fits the input and
                // output buffers is decoded in one call, and the checksum is checked before the
                // frame's last block is handed over. The frame is decoded again block by block (the
                // checksum ignored), and the error said after everything it held.
                if (!m_salvaging && restartFrame(ZSTD_getErrorCode(rc) == ZSTD_error_checksum_wrong)) {
                    if (ZSTD_getErrorCode(rc) == ZSTD_error_checksum_wrong)
                        m_pendingError = why;
                    continue;
                }
                m_error = why;
                m_done = true;
                return out.pos > 0 ? qint64(out.pos) : -1;
            }
            m_frameOpen = rc != 0;
            if (rc == 0) { // a frame ends: the next (a concatenated file) starts here
                m_frameStart = m_file.pos() - qint64(m_inLen - m_inPos);
                m_frameOut = 0;
                if (!m_pendingError.isEmpty()) {
                    m_error = m_pendingError + QStringLiteral("; every byte it decoded was kept");
                    m_done = true;
                    return out.pos > 0 ? qint64(out.pos) : -1;
                }
            }
        }
        return qint64(out.pos);
    }

private:
    static constexpr std::size_t SalvageStep = 64 * 1024;

    bool restartFrame(bool ignoreChecksum)
    {
        ZSTD_DCtx_reset(m_ctx, ZSTD_reset_session_and_parameters);
        if (ZSTD_isError(ZSTD_DCtx_setParameter(m_ctx, ZSTD_d_windowLogMax, 27))
            || (ignoreChecksum
                && ZSTD_isError(ZSTD_DCtx_setParameter(m_ctx, ZSTD_d_forceIgnoreChecksum, ZSTD_d_ignoreChecksum)))
            || !m_file.seek(m_frameStart))
            return false;
        m_inPos = m_inLen = 0;
        m_skip = m_frameOut;
        m_frameOut = 0;
        m_salvaging = true;
        return true;
    }

    ZSTD_DCtx* m_ctx = nullptr;
    bool m_done = false;
    bool m_frameOpen = false;
    qint64 m_frameStart = 0; ///< compressed offset where the current frame began
    quint64 m_frameOut = 0; ///< bytes of the current frame handed over
    quint64 m_skip = 0; ///< decoding a frame again: bytes of it still to pass over
    bool m_salvaging = false;
    QString m_pendingError;
    std::vector<char> m_scratch;
};

// ---- reader -------------------------------------------------------------------------------------

CaptureReader::CaptureReader(EventDecoder& decoder)
    : CaptureReader(decoder, Options {})
{ }

CaptureReader::CaptureReader(EventDecoder& decoder, Options options)
    : m_decoder(decoder)
    , m_options(options)
{ }

CaptureReader::~CaptureReader() = default;

QString CaptureReader::formatName(Format f)
{
    switch (f) {
    case Format::Capture:
        return QStringLiteral("EventScope capture");
    case Format::NdJson:
        return QStringLiteral("NDJSON");
    case Format::JsonDocument:
        return QStringLiteral("JSON document");
    case Format::Har:
        return QStringLiteral("HAR");
    case Format::Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

CaptureReader::Format CaptureReader::detect(const char* data, std::size_t len, bool final) const
{
    if (len >= sizeof(CaptureFormat::Magic)
        && std::memcmp(data, CaptureFormat::Magic, sizeof(CaptureFormat::Magic)) == 0)
        return Format::Capture;
    const std::size_t start = skipBomAndSpace(data, len);
    if (start == len)
        return final ? Format::NdJson : Format::Unknown; // empty or blank: an empty NDJSON file
    // A HAR (browser developer tools) is one JSON document whose first key is "log", on one line or many
    if (looksLikeHar(data, len))
        return Format::JsonDocument;
    // Look at the first lines (up to 64 KiB). A whole JSON document (pretty-printed, or an array with an
    // event a line) starts like JSON on a line that is not a JSON value on its own, and any line of it
    // that is one closes the document right after it (its last element, then "]"). NDJSON has lines
    // that are values one after another, however many damaged lines come first.
    EventDecoder probe(m_decoder.config());
    DecodedBatch scratch;
    const std::size_t window = std::min<std::size_t>(len, 64 * 1024);
    std::size_t pos = start;
    int lines = 0;
    bool jsonLike = false;
    bool firstIsValue = false;
    bool valuesFollowEachOther = false; // a value line followed by a line that does not close a document
    bool previousIsValue = false;
    bool prettyPieces = false;
    while (pos < window && lines < 16) {
        const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', len - pos));
        if (!nl && !final && len == window)
            break;
        const std::size_t end = nl ? std::size_t(nl - data) : len;
        std::size_t b = pos, e = end;
        trim(data, b, e);
        if (e > b) {
            ++lines;
            const bool startsLikeJson = data[b] == '{' || data[b] == '[';
            jsonLike = jsonLike || startsLikeJson;
            if (previousIsValue && data[b] != ']' && data[b] != '}')
                valuesFollowEachOther = true;
            scratch.clear();
            probe.decode(data + b, e - b, 0, {}, 0, scratch);
            bool value = true;
            for (const MalformedRecord& m : scratch.malformed)
                value = value && !m.reason.startsWith(QLatin1String("not valid JSON"));
            if (lines == 1)
                firstIsValue = value;
            previousIsValue = value;
            // a piece of a pretty-printed value: a bracket alone, or a member ("key": ...)
            const std::string_view text(data + b, e - b);
            if (lines > 1
                && (text == "{" || text == "[" || text == "}" || text == "]" || text == "}," || text == "],"
                    || (text.front() == '"' && text.find("\":") != std::string_view::npos)))
                prettyPieces = true;
        }
        pos = end + 1;
    }
    if (lines == 0 && !final && len >= window) {
        // The first line is longer than the window. An array is read element by element either
        // way; an object is read as a line, within the same limit a one-line document would have.
        if (data[start] == '[')
            return Format::JsonDocument;
        if (data[start] == '{')
            return Format::NdJson;
    }
    if (!jsonLike)
        return Format::Unknown;
    // a value on the file's last line closes nothing: unless pieces of pretty-printed values were
    // seen (a document cut short), it is NDJSON
    if (previousIsValue && final && pos >= len && !prettyPieces)
        valuesFollowEachOther = true;
    const bool startsLikeJson = data[start] == '{' || data[start] == '[';
    return startsLikeJson && lines > 0 && !firstIsValue && !valuesFollowEachOther ? Format::JsonDocument
                                                                                  : Format::NdJson;
}

bool CaptureReader::open(const QString& path)
{
    m_path = path;
    m_error.clear();
    m_format = Format::Unknown;
    m_mapped.reset();
    m_input.reset();
    const QFileInfo info(path);
    if (!info.exists()) {
        m_error = QStringLiteral("%1: no such file").arg(path);
        return false;
    }
    if (info.isDir()) {
        m_error = QStringLiteral("%1: is a directory, not a capture").arg(path);
        return false;
    }
    const auto compressionOf = [](const char* head, std::size_t len) {
        if (len >= 2 && uchar(head[0]) == 0x1f && uchar(head[1]) == 0x8b)
            return Compression::Gzip;
        if (len >= 4 && std::memcmp(head, "\x28\xB5\x2F\xFD", 4) == 0)
            return Compression::Zstd;
        return Compression::None;
    };
    constexpr std::size_t Recognise = 64 * 1024; // bytes read to recognise the content
    QString readFrom = path;
    if (!info.isFile()) {
        // a pipe or a device (`... | eventscope-cli summary /dev/stdin`): read once, as it comes. Plain
        // bytes are read as a compressed file's decompressed ones are, in bounded memory whatever
        // their size; compressed ones are spooled to a temporary file first (a decompressor goes back
        // to a damaged frame's start to save what it held)
        auto pipe = std::make_unique<PipeInput>(path);
        if (!pipe->open()) {
            m_error = QStringLiteral("%1: cannot read (%2)").arg(path, pipe->fileErrorString());
            return false;
        }
        const std::string_view first = pipe->readAhead(Recognise);
        if (!pipe->error().isEmpty()) {
            m_error = QStringLiteral("%1: %2").arg(path, pipe->error());
            return false;
        }
        if (compressionOf(first.data(), first.size()) == Compression::None) {
            m_compression = Compression::None;
            m_format = detect(first.data(), first.size(), first.size() < Recognise);
            if (m_format == Format::Unknown) {
                m_error = QStringLiteral("%1: not a capture (starts with bytes %2; expected an EventScope capture, "
                                         "NDJSON or JSON, plain or compressed with gzip or zstd)")
                              .arg(path, hexBytes(first.data(), first.size()));
                return false;
            }
            m_input = std::move(pipe);
            return true;
        }
        m_spool = std::make_unique<QTemporaryFile>();
        if (!m_spool->open()) {
            m_error = QStringLiteral("%1: cannot spool it (%2)").arg(path, m_spool->errorString());
            return false;
        }
        constexpr qint64 MaxSpool = qint64(4) << 30;
        QByteArray buffer(1 << 20, Qt::Uninitialized);
        qint64 total = 0;
        for (;;) {
            const qint64 n = pipe->read(buffer.data(), std::size_t(buffer.size()));
            if (n < 0) {
                m_error = QStringLiteral("%1: %2").arg(path, pipe->error());
                return false;
            }
            if (n == 0)
                break;
            total += n;
            if (total > MaxSpool || m_spool->write(buffer.constData(), n) != n) {
                m_error = QStringLiteral("%1: compressed, and more than 4 GiB or no room to spool it (%2)")
                              .arg(path, m_spool->errorString());
                return false;
            }
        }
        m_spool->flush();
        readFrom = m_spool->fileName();
    }
    auto mapped = std::make_shared<MappedFile>();
    mapped->file.setFileName(readFrom);
    if (!mapped->file.open(QIODevice::ReadOnly)) {
        m_error = QStringLiteral("%1: cannot read (%2)").arg(path, mapped->file.errorString());
        return false;
    }
    char head[8] = {};
    const qint64 headLen = mapped->file.peek(head, sizeof(head));
    if (const Compression c = compressionOf(head, std::size_t(std::max<qint64>(headLen, 0))); c != Compression::None) {
        m_compression = c;
        m_input = openInput(m_compression, readFrom);
        if (!m_input) {
            m_error = QStringLiteral("%1: cannot read").arg(path);
            return false;
        }
    } else {
        m_compression = Compression::None;
        mapped->length = std::size_t(mapped->file.size());
        if (m_options.maxBytes > 0)
            mapped->length = std::min<std::size_t>(mapped->length, m_options.maxBytes);
        if (mapped->length > 0) {
            if (!mapped->map()) {
                m_error = QStringLiteral("%1: cannot map (%2)").arg(path, QString::fromLocal8Bit(std::strerror(errno)));
                return false;
            }
        }
        m_format = detect(mapped->bytes, mapped->length, true);
        if (m_format == Format::Unknown) {
            m_error = QStringLiteral("%1: not a capture (starts with bytes %2; expected an EventScope capture, "
                                     "NDJSON or JSON, plain or compressed with gzip or zstd)")
                          .arg(path, hexBytes(mapped->bytes, mapped->length));
            return false;
        }
        m_mapped = std::move(mapped);
        return true;
    }
    // compressed: recognise the content from its first decompressed bytes, then start again for read()
    std::vector<char> first(Recognise);
    std::size_t have = 0;
    bool ended = false;
    while (have < first.size()) {
        const qint64 n = m_input->read(first.data() + have, first.size() - have);
        if (n <= 0) {
            ended = true;
            break;
        }
        have += std::size_t(n);
    }
    if (have == 0 && !m_input->error().isEmpty()) {
        m_error = QStringLiteral("%1: %2").arg(path, m_input->error());
        return false;
    }
    m_format = detect(first.data(), have, ended);
    if (m_format == Format::Unknown) {
        m_error = QStringLiteral("%1: not a capture (decompressed data starts with bytes %2; expected an EventScope "
                                 "capture, NDJSON or JSON)")
                      .arg(path, hexBytes(first.data(), have));
        return false;
    }
    m_input = openInput(m_compression, readFrom);
    if (!m_input) {
        m_error = QStringLiteral("%1: cannot read").arg(path);
        return false;
    }
    return true;
}

std::unique_ptr<CaptureReader::Input> CaptureReader::openInput(Compression compression, const QString& path)
{
    if (compression == Compression::Gzip) {
        auto in = std::make_unique<GzipInput>(path);
        if (in->open() && in->init())
            return in;
    } else {
        auto in = std::make_unique<ZstdInput>(path);
        if (in->open() && in->init())
            return in;
    }
    return nullptr;
}

bool CaptureReader::read(const Sink& sink)
{
    m_sink = &sink;
    m_batch.clear();
    m_originMap.clear();
    m_originNames.clear();
    m_annotations.clear();
    m_lineNumber = m_recordNumber = 0;
    m_arrayStage = ArrayStage::Before;
    m_stopped = m_cancelled = m_skipLine = m_bomChecked = false;
    m_lastTimeUs = 0;
    m_places.clear();
    m_haveClock = false;
    m_clockUs = m_lastPlacedUs = 0;
    m_recentCount = 0;
    m_fileOrigin = sink.addOrigin(QFileInfo(m_path).fileName());
    const bool ok = m_mapped ? readMapped() : readStream();
    m_sink = nullptr;
    return ok && !m_cancelled;
}

void CaptureReader::setReadOn(
    const SessionIndex::Extra::ReadOn& state, quint64 offset, std::shared_ptr<const RawBlock> capture)
{
    m_readOn = state;
    m_readOnOffset = offset;
    m_readOnCapture = std::move(capture);
}

SessionIndex::Extra::ReadOn CaptureReader::readOnState() const
{
    if (m_format != Format::Capture || !m_mapped || m_stopped || m_cancelled)
        return {};
    return { m_recordNumber, m_originNames };
}

bool CaptureReader::readMapped()
{
    const char* data = m_mapped->bytes;
    std::size_t len = m_mapped->length;
    m_batch.stableBlock = m_mapped;
    // the mapping ends at the file's end: the last bytes cannot be parsed in place (decode() copies them)
    switch (m_format) {
    case Format::Capture:
        if (m_readOnCapture && m_readOn.records > 0 && m_readOnOffset < m_readOnCapture->size()) {
            // on from where a read stood (a saved index's end), as that read would have gone on: its
            // records counted, its origins declared, the events' bytes in the mapping the index's are in
            data = m_readOnCapture->data();
            len = m_readOnCapture->size();
            m_batch.stableBlock = m_readOnCapture;
            m_recordNumber = m_readOn.records;
            m_originNames = m_readOn.origins;
            m_originMap.assign(m_originNames.size(), 0);
            for (std::size_t k = 0; k < m_originNames.size(); ++k) {
                if (!m_originNames[k].isEmpty())
                    m_originMap[k] = m_sink->addOrigin(m_originNames[k]) + 1;
            }
            const std::size_t from = std::size_t(m_readOnOffset);
            processRecords(data + from, len - from, true, 0, qint64(from));
            break;
        }
        processRecords(data, len, true, 0, 0);
        break;
    case Format::NdJson:
        processLines(data, len, true, 0, 0);
        break;
    case Format::JsonDocument:
    case Format::Har: // a JSON document until its "log" says otherwise
        if (isArrayDocument(data, len))
            processArray(data, len, true, 0, 0);
        else
            processDocument(data, len, 0);
        break;
    case Format::Unknown:
        return false;
    }
    deliver(true);
    if (m_sink->progress)
        m_sink->progress(qint64(len), qint64(len));
    return true;
}

bool CaptureReader::readStream()
{
    std::vector<char> buf(StreamChunk + Padding);
    std::size_t cap = StreamChunk;
    std::size_t have = 0;
    qint64 base = 0;
    QByteArray document;
    bool arrayDocument = false;
    bool final = false;
    QString inputError;
    std::size_t documentLimit = 0;
    const std::size_t lineLimit = m_decoder.config().maxFrameBytes;
    m_spoolError.clear();
    if (m_options.spool) {
        const QString directory
            = m_options.spoolDirectory.isEmpty() ? ByteSpool::defaultDirectory() : m_options.spoolDirectory;
        m_byteSpool = ByteSpool::create(directory, m_options.spoolSegmentBytes, &m_spoolError);
        if (!m_byteSpool && m_options.spoolDirectory.isEmpty()) // no cache directory: the temporary one
            m_byteSpool = ByteSpool::create(QDir::tempPath(), m_options.spoolSegmentBytes, &m_spoolError);
        if (m_byteSpool)
            m_spoolError.clear();
        else
            qCWarning(lcConnectors).noquote() << m_path << "decompressed bytes kept in memory:" << m_spoolError;
    }
    while (!final && !m_stopped && !m_cancelled) {
        const qint64 n = m_input->read(buf.data() + have, cap - have);
        if (n < 0 || !m_input->error().isEmpty()) {
            inputError = m_input->error();
            final = true;
        }
        if (n == 0)
            final = true;
        have += std::size_t(std::max<qint64>(n, 0));
        // A damaged stream ends where its decompressor failed: the line or record it cuts was not
        // broken by its writer, and is not decoded as if it were (the error below says what happened).
        const bool complete = final && inputError.isEmpty();
        std::size_t consumed = 0;
        const std::size_t padding = buf.size() - have;
        m_streamBegin = buf.data();
        m_streamEnd = buf.data() + have;
        if (m_format == Format::Capture) {
            consumed = processRecords(buf.data(), have, complete, padding, base);
        } else if (m_format == Format::NdJson) {
            consumed = processLines(buf.data(), have, complete, padding, base);
        } else if (arrayDocument || (document.isEmpty() && base == 0 && isArrayDocument(buf.data(), have))) {
            arrayDocument = true;
            consumed = processArray(buf.data(), have, complete, padding, base);
        } else {
            // A whole document is parsed in one piece, so it is held in memory: its bound is checked
            // before more is inflated. A HAR file may be as large as maxDocumentBytes; any other
            // document is one event or batch, which the decoder takes up to maxFrameBytes.
            if (documentLimit == 0)
                documentLimit = looksLikeHar(buf.data(), have) ? m_options.maxDocumentBytes
                                                               : std::min(m_options.maxDocumentBytes, lineLimit);
            if (quint64(document.size()) + have > documentLimit) {
                MalformedRecord m;
                m.position = { m_fileOrigin, SourcePosition::Document, 1, 0 };
                m.reason = QStringLiteral("the JSON document is larger than the %1-byte limit for a whole "
                                          "document: reading stopped at byte %2 (convert it to NDJSON)")
                               .arg(documentLimit)
                               .arg(documentLimit);
                m.excerpt = document.left(120);
                m_batch.malformed.push_back(std::move(m));
                m_stopped = true;
                break;
            }
            document.append(buf.data(), qsizetype(have));
            consumed = have;
            if (complete)
                processDocument(document.constData(), std::size_t(document.size()), 0);
        }
        // events point into buf: hand them over before buf changes
        if (!deliver(true))
            break;
        if (m_sink->progress)
            m_sink->progress(m_input->compressedPosition(), m_input->compressedSize());
        std::memmove(buf.data(), buf.data() + consumed, have - consumed);
        have -= consumed;
        base += qint64(consumed);
        if (have == cap && !final) {
            // One record, line or element fills the buffer: it grows up to what the limits allow
            // (never past them, so an inflated "bomb" costs one limit's worth of memory), or the
            // record is skipped to its end as one malformed record.
            std::size_t want = std::min(cap * 2, lineLimit + 1);
            if (m_format == Format::Capture) {
                const quint32 body = qFromLittleEndian<quint32>(buf.data());
                want = std::size_t(body) + CaptureFormat::RecordHeaderBytes + CaptureFormat::RecordTrailerBytes;
            } else if (cap > lineLimit) {
                MalformedRecord m;
                m.excerpt = QByteArray(buf.data(), 120);
                if (arrayDocument) {
                    m.position = { m_fileOrigin, SourcePosition::Line, m_lineNumber, base };
                    m.reason = QStringLiteral("element of the JSON array larger than the %1-byte limit: skipped")
                                   .arg(lineLimit);
                    m_skipElement = SkipState {};
                    skipElement(buf.data(), have);
                } else {
                    m.position = { m_fileOrigin, SourcePosition::Line, m_lineNumber + 1, base };
                    m.reason = QStringLiteral("line longer than the %1-byte limit: skipped").arg(lineLimit);
                    ++m_lineNumber;
                    m_skipLine = true;
                }
                m_batch.malformed.push_back(std::move(m));
                base += qint64(have);
                have = 0;
                continue;
            }
            cap = std::max(want, cap);
            buf.resize(cap + Padding);
        }
    }
    if (!inputError.isEmpty() && !m_stopped)
        stop(inputError + QStringLiteral("; what follows cannot be read"), base);
    deliver(true); // a reason reading stopped goes out with the last events
    m_streamBegin = m_streamEnd = nullptr;
    m_byteSpool.reset(); // its segments live on in the session's events
    return true;
}

bool CaptureReader::looksLikeHar(const char* data, std::size_t len)
{
    // HAR 1.2: the document is one object whose only member is "log"
    std::size_t i = skipBomAndSpace(data, len);
    if (i >= len || data[i] != '{')
        return false;
    ++i;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        ++i;
    return std::string_view(data + i, len - i).substr(0, 5) == "\"log\"";
}

bool CaptureReader::skipElement(const char* data, std::size_t len, std::size_t* end)
{
    SkipState& s = *m_skipElement;
    for (std::size_t i = 0; i < len; ++i) {
        const char c = data[i];
        if (s.inString) {
            if (s.escaped)
                s.escaped = false;
            else if (c == '\\')
                s.escaped = true;
            else if (c == '"')
                s.inString = false;
            continue;
        }
        if (c == '"') {
            s.inString = true;
        } else if (c == '{' || c == '[') {
            ++s.depth;
            s.wasNested = true;
        } else if (c == '}' || c == ']') {
            if (s.depth == 0 || --s.depth == 0) {
                // the array's own end right after a scalar stays for processArray(); an object or
                // array element ends after its bracket
                if (end)
                    *end = s.depth == 0 && s.wasNested ? i + 1 : i;
                m_skipElement.reset();
                return true;
            }
        } else if (c == ',' && s.depth == 0) {
            if (end)
                *end = i;
            m_skipElement.reset();
            return true;
        } else if (c == '\n') {
            ++m_lineNumber;
        }
    }
    return false;
}

void CaptureReader::decode(const char* data, std::size_t len, std::size_t readableAfter, const SourcePosition& pos,
    qint64 receiveTimeUs, bool receiveTimeKnown)
{
    const std::size_t first = m_batch.events.size();
    m_decoder.decode(data, len, readableAfter, pos, receiveTimeKnown ? receiveTimeUs : m_lastTimeUs, m_batch);
    for (std::size_t i = first; i < m_batch.events.size(); ++i) {
        DecodedEvent& e = m_batch.events[i];
        // plain event files have no receive time: the producer's time is the session time (judgeClocks()
        // places the events whose own time cannot be trusted)
        if (!receiveTimeKnown) {
            e.receiveTimeUs = e.eventTimeUs;
            e.setReceivePlaced();
        }
        m_lastTimeUs = receiveTimeKnown ? receiveTimeUs : e.eventTimeUs;
        m_places.push_back({ pos.number, pos.byteOffset, pos.origin, pos.unit, receiveTimeKnown });
    }
}

void CaptureReader::updateClock()
{
    const std::size_t n = std::min(m_recentCount, RecentTimes);
    if (n == 0)
        return;
    std::array<qint64, RecentTimes> sorted = m_recentTimes;
    std::nth_element(sorted.begin(), sorted.begin() + qsizetype(n / 2), sorted.begin() + qsizetype(n));
    m_clockUs = sorted[n / 2];
}

bool CaptureReader::jumpsAhead(std::size_t index, qint64 limit) const
{
    // the file's time moved on (a pause, sessions one after the other) when most of the events after
    // this one agree with it; a lone wrong clock has no such company
    const qint64 t = m_batch.events[index].eventTimeUs;
    int agree = 0, seen = 0;
    for (std::size_t j = index + 1; j < m_batch.events.size() && seen < 16; ++j) {
        const DecodedEvent& e = m_batch.events[j];
        if (m_places[j].receiveKnown || !(e.flags & EventRecord::HasEventTime))
            continue;
        ++seen;
        agree += std::abs(e.eventTimeUs - t) <= limit;
    }
    return seen > 0 && agree * 2 > seen && agree >= std::min(seen, 4);
}

void CaptureReader::judgeClocks()
{
    const qint64 limit = m_decoder.config().maxClockSkewUs;
    std::vector<DecodedEvent>& events = m_batch.events;
    if (limit <= 0 || m_places.size() != events.size())
        return;
    if (!m_haveClock) {
        // the first reference: the median of the file's first timed events
        std::vector<qint64> times;
        for (std::size_t i = 0; i < events.size() && times.size() < 33; ++i) {
            if (!m_places[i].receiveKnown && (events[i].flags & EventRecord::HasEventTime))
                times.push_back(events[i].eventTimeUs);
        }
        if (!times.empty()) {
            std::nth_element(times.begin(), times.begin() + qsizetype(times.size() / 2), times.end());
            m_clockUs = m_lastPlacedUs = times[times.size() / 2];
            m_haveClock = true;
            // what comes before the first trusted time is placed at it: its nearest neighbour
            for (std::size_t i = 0; i < events.size(); ++i) {
                if (!m_places[i].receiveKnown && (events[i].flags & EventRecord::HasEventTime)
                    && std::abs(events[i].eventTimeUs - m_clockUs) <= limit) {
                    m_lastPlacedUs = events[i].eventTimeUs;
                    break;
                }
            }
        }
    }
    auto skewed = [&](std::size_t i, const QString& reason) {
        MalformedRecord m;
        m.position = m_places[i].position();
        m.receiveTimeUs = events[i].receiveTimeUs;
        m.reason = reason;
        const std::string_view raw = m_batch.raw(events[i]);
        m.excerpt = QByteArray(raw.data(), qsizetype(std::min<std::size_t>(raw.size(), 120)));
        m_batch.skewed.push_back(std::move(m));
    };
    auto apart = [](qint64 a, qint64 b) {
        return QStringLiteral("%1 s %2")
            .arg((std::abs(a - b) + 500000) / 1000000)
            .arg(a < b ? QStringLiteral("behind") : QStringLiteral("ahead of"));
    };
    for (std::size_t i = 0; i < events.size(); ++i) {
        DecodedEvent& e = events[i];
        const bool timed = e.flags & EventRecord::HasEventTime;
        if (m_places[i].receiveKnown) {
            // a recording: the receive time is the session's clock; a producer time far from it is not
            if (timed && std::abs(e.eventTimeUs - e.receiveTimeUs) > limit) {
                skewed(i,
                    QStringLiteral("clock-skewed: its timestamp %1 is %2 its recorded receive time (%3); "
                                   "counted at the receive time")
                        .arg(Timestamp::toIso8601(e.eventTimeUs), apart(e.eventTimeUs, e.receiveTimeUs),
                            Timestamp::toIso8601(e.receiveTimeUs)));
            }
            continue;
        }
        if (!m_haveClock)
            continue; // nothing in the file has a time yet: nothing to place it by
        if (timed) {
            // the reference follows the file's time: moved to the recent median when an event strays
            // half the limit from it (rarely: a file's time moves slowly against 10 minutes)
            if (std::abs(e.eventTimeUs - m_clockUs) > limit / 2)
                updateClock();
            const bool near = std::abs(e.eventTimeUs - m_clockUs) <= limit;
            if (near || jumpsAhead(i, limit)) {
                if (!near) { // the file's time moved on
                    m_recentCount = 0;
                    m_clockUs = e.eventTimeUs;
                }
                m_lastPlacedUs = e.eventTimeUs;
                m_recentTimes[m_recentCount++ % RecentTimes] = e.eventTimeUs;
                continue;
            }
        }
        if (timed)
            skewed(i,
                QStringLiteral("clock-skewed: its timestamp %1 is %2 its neighbours' (%3); counted at their time")
                    .arg(Timestamp::toIso8601(e.eventTimeUs), apart(e.eventTimeUs, m_lastPlacedUs),
                        Timestamp::toIso8601(m_lastPlacedUs)));
        else if (e.timeUnreadable())
            skewed(i,
                QStringLiteral("its timestamp is not a time (ISO-8601 with a zone, or epoch milliseconds): "
                               "counted at its neighbours' time (%1)")
                    .arg(Timestamp::toIso8601(m_lastPlacedUs)));
        else
            skewed(i,
                QStringLiteral("no timestamp: counted at its neighbours' time (%1)")
                    .arg(Timestamp::toIso8601(m_lastPlacedUs)));
        // its session time is its neighbours'; its own time stays its timestamp (one it has none of, it
        // takes the session time for)
        e.receiveTimeUs = m_lastPlacedUs;
        if (!timed)
            e.eventTimeUs = m_lastPlacedUs;
    }
}

std::size_t CaptureReader::processLines(const char* data, std::size_t len, bool final, std::size_t padding, qint64 base)
{
    std::size_t pos = 0;
    if (!m_bomChecked && len >= 3) {
        m_bomChecked = true;
        if (std::memcmp(data, "\xEF\xBB\xBF", 3) == 0)
            pos = 3;
    }
    // A mapped file is read once, straight from memory: the hardware prefetcher stops at each 4 KiB
    // page, so the lines a few KiB ahead are requested here (a fifth less time in the line scan).
    constexpr std::size_t PrefetchAhead = 4096;
    std::size_t prefetched = pos;
    while (pos < len) {
        const char* nl = static_cast<const char*>(std::memchr(data + pos, '\n', len - pos));
        if (!nl && m_skipLine)
            return len; // the over-long line goes on past what is here: all of it is skipped
        if (!nl && !final)
            break;
        const std::size_t end = nl ? std::size_t(nl - data) : len;
        for (const std::size_t until = std::min(len, end + PrefetchAhead); prefetched < until; prefetched += 64)
            __builtin_prefetch(data + prefetched);
        if (m_skipLine) { // the rest of an over-long line
            m_skipLine = false;
            pos = end + 1;
            continue;
        }
        ++m_lineNumber;
        std::size_t b = pos, e = end;
        trim(data, b, e);
        if (e > b) {
            const SourcePosition where { m_fileOrigin, SourcePosition::Line, m_lineNumber, base + qint64(pos) };
            decode(data + b, e - b, (len - e) + padding, where, 0, false);
            if (m_batch.events.size() >= m_options.batchEvents && m_mapped && !deliver(true))
                return len;
        }
        pos = end + 1;
    }
    return std::min(pos, len);
}

std::size_t CaptureReader::processRecords(
    const char* data, std::size_t len, bool final, std::size_t padding, qint64 base)
{
    std::size_t pos = 0;
    if (base == 0) {
        if (len < sizeof(CaptureFormat::Magic))
            return 0;
        pos = sizeof(CaptureFormat::Magic);
    }
    constexpr std::size_t overhead = CaptureFormat::RecordHeaderBytes + CaptureFormat::RecordTrailerBytes;
    while (!m_stopped && !m_cancelled) {
        const qint64 at = base + qint64(pos);
        const std::size_t left = len - pos;
        if (left == 0) {
            if (final && m_recordNumber == 0)
                stop(QStringLiteral("the capture ends after its 8-byte signature: it has no header record"), at);
            break;
        }
        if (left < CaptureFormat::RecordHeaderBytes) {
            if (final)
                stop(QStringLiteral("the file ends inside the header of record %1 (%2 of 16 bytes present)")
                         .arg(m_recordNumber + 1)
                         .arg(left),
                    at);
            break;
        }
        const uchar* h = reinterpret_cast<const uchar*>(data + pos);
        const quint32 length = qFromLittleEndian<quint32>(h);
        if (length > CaptureFormat::MaxBodyBytes) {
            stop(
                QStringLiteral("record %1 declares %2 bytes, more than the 64 MiB limit: the file is corrupt from here")
                    .arg(m_recordNumber + 1)
                    .arg(length),
                at);
            break;
        }
        const std::size_t total = overhead + length;
        if (left < total) {
            if (final)
                stop(QStringLiteral("the file ends inside record %1 (%2 of %3 bytes present)")
                         .arg(m_recordNumber + 1)
                         .arg(left)
                         .arg(total),
                    at);
            break;
        }
        const char* body = data + pos + CaptureFormat::RecordHeaderBytes;
        uLong crc = crc32(0L, h, CaptureFormat::RecordHeaderBytes);
        crc = crc32(crc, reinterpret_cast<const Bytef*>(body), length);
        if (quint32(crc) != qFromLittleEndian<quint32>(h + CaptureFormat::RecordHeaderBytes + length)) {
            stop(QStringLiteral("record %1 fails its checksum: the file is corrupt from here").arg(m_recordNumber + 1),
                at);
            break;
        }
        ++m_recordNumber;
        const quint8 kind = h[4];
        if (m_recordNumber == 1 && kind != CaptureFormat::Header) {
            stop(QStringLiteral("record 1 is not the capture's header record (its kind is %1): the start of the "
                                "file is lost, or it is not a capture")
                     .arg(kind),
                at, true);
            break;
        }
        const quint16 origin = qFromLittleEndian<quint16>(h + 6);
        const qint64 timeUs = qFromLittleEndian<qint64>(h + 8);
        switch (kind) {
        case CaptureFormat::Header: {
            const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromRawData(body, qsizetype(length))).object();
            m_source = o.value(QLatin1String("source")).toString();
            m_startedUs = timeUs;
            if (o.value(QLatin1String("version")).toInt() > CaptureFormat::Version) {
                stop(QStringLiteral("capture format version %1 is newer than this EventScope reads (%2)")
                         .arg(o.value(QLatin1String("version")).toInt())
                         .arg(CaptureFormat::Version),
                    at, true);
            }
            break;
        }
        case CaptureFormat::Origin: {
            const QJsonObject o = QJsonDocument::fromJson(QByteArray::fromRawData(body, qsizetype(length))).object();
            const QString protocol = o.value(QLatin1String("protocol")).toString(QStringLiteral("json"));
            if (protocol != QLatin1String("json") && protocol != QLatin1String("nats")
                && protocol != QLatin1String("mqtt")) {
                stop(QStringLiteral("origin %1 uses protocol \"%2\", which this EventScope cannot decode")
                         .arg(origin)
                         .arg(protocol),
                    at, true);
                break;
            }
            if (origin >= m_originMap.size()) {
                m_originMap.resize(std::size_t(origin) + 1, 0);
                m_originNames.resize(std::size_t(origin) + 1);
            }
            m_originNames[origin] = o.value(QLatin1String("name")).toString();
            m_originMap[origin] = m_sink->addOrigin(m_originNames[origin]) + 1;
            break;
        }
        case CaptureFormat::TextFrame:
        case CaptureFormat::BinaryFrame: {
            const quint16 mapped = mappedOrigin(origin);
            const SourcePosition where { mapped, SourcePosition::Record, m_recordNumber, at };
            decode(
                body, length, len - (pos + CaptureFormat::RecordHeaderBytes + length) + padding, where, timeUs, true);
            break;
        }
        case CaptureFormat::Message: {
            const quint16 mapped = mappedOrigin(origin);
            const SourcePosition where { mapped, SourcePosition::Record, m_recordNumber, at };
            const uchar* b = reinterpret_cast<const uchar*>(body);
            const quint32 subjectLength = length >= 2 ? qFromLittleEndian<quint16>(b) : 0;
            const quint32 headerAt = 2 + subjectLength;
            const quint32 headerLength = length >= headerAt + 4 ? qFromLittleEndian<quint32>(b + headerAt) : 0;
            if (length < 2 || length < headerAt + 4 || headerLength > length - headerAt - 4) {
                MalformedRecord m;
                m.position = where;
                m.receiveTimeUs = timeUs;
                m.reason = QStringLiteral("message record with inconsistent lengths skipped");
                m_batch.malformed.push_back(std::move(m));
                break;
            }
            BrokerMessage message;
            message.subject = QByteArrayView(body + 2, subjectLength);
            message.headers = QByteArrayView(body + headerAt + 4, headerLength);
            const quint32 bodyAt = headerAt + 4 + headerLength;
            message.body = QByteArrayView(body + bodyAt, length - bodyAt);
            const MessageContext context
                = message.context(h[5] & CaptureFormat::TopicSlashes, m_recordNumber, m_typeScratch);
            m_decoder.decodeMessage(message.body.data(), std::size_t(message.body.size()),
                len - (pos + CaptureFormat::RecordHeaderBytes + length) + padding, where, timeUs, context, m_batch);
            m_lastTimeUs = timeUs;
            break;
        }
        case CaptureFormat::Annotation:
            m_annotations.emplace_back(timeUs, QByteArray(body, qsizetype(length)));
            break;
        case CaptureFormat::Consumers: {
            const quint16 mapped = mappedOrigin(origin);
            if (!readConsumers(QByteArray::fromRawData(body, qsizetype(length)), mapped, timeUs)) {
                MalformedRecord m;
                m.position = { mapped, SourcePosition::Record, m_recordNumber, at };
                m.receiveTimeUs = timeUs;
                m.reason = QStringLiteral("consumers record is not a JSON object with a \"consumers\" array: skipped");
                m_batch.malformed.push_back(std::move(m));
            }
            break;
        }
        default: {
            MalformedRecord m;
            m.position = { m_fileOrigin, SourcePosition::Record, m_recordNumber, at };
            m.reason = QStringLiteral("record of unknown kind %1 skipped (written by a newer EventScope?)").arg(kind);
            m_batch.malformed.push_back(std::move(m));
            break;
        }
        }
        pos += total;
        if (m_batch.events.size() >= m_options.batchEvents && m_mapped && !deliver(true))
            break;
    }
    return pos;
}

quint16 CaptureReader::mappedOrigin(quint16 recorded) const
{
    // the session's id of an origin the capture declared; the file's own for one it did not
    return recorded < m_originMap.size() && m_originMap[recorded] > 0 ? quint16(m_originMap[recorded] - 1)
                                                                      : m_fileOrigin;
}

bool CaptureReader::readConsumers(const QByteArray& json, quint16 origin, qint64 timeUs)
{
    const QJsonValue list = QJsonDocument::fromJson(json).object().value(QLatin1String("consumers"));
    if (!list.isArray())
        return false;
    const auto count = [](const QJsonObject& o, const char* key) {
        return quint64(std::max<qint64>(0, o.value(QLatin1String(key)).toInteger()));
    };
    const QJsonArray consumers = list.toArray();
    for (qsizetype i = 0; i < std::min<qsizetype>(consumers.size(), CaptureFormat::MaxConsumersPerRecord); ++i) {
        const QJsonObject o = consumers.at(i).toObject();
        ConsumerSample s;
        s.timeUs = timeUs;
        s.origin = origin;
        s.stream = o.value(QLatin1String("stream")).toString().left(255).toStdString();
        s.name = o.value(QLatin1String("name")).toString().left(255).toStdString();
        if (s.name.empty())
            continue;
        s.pending = count(o, "pending");
        s.ackPending = count(o, "ackPending");
        s.redelivered = count(o, "redelivered");
        s.waiting = count(o, "waiting");
        s.deliveredSeq = count(o, "deliveredSeq");
        s.ackFloorSeq = count(o, "ackFloorSeq");
        s.lagUs = std::max<qint64>(-1, o.value(QLatin1String("lagUs")).toInteger(-1));
        m_batch.consumers.push_back(std::move(s));
    }
    return true;
}

void CaptureReader::processDocument(const char* data, std::size_t len, std::size_t padding)
{
    const std::size_t start = skipBomAndSpace(data, len);
    if (start < len && data[start] == '{') {
        // browser developer tools' export: the WebSocket messages each entry received
        std::vector<HarReader::Connection> connections;
        QString error;
        switch (HarReader::parse(data + start, len - start, connections, &error)) {
        case HarReader::Result::Har:
            readHar(connections);
            return;
        case HarReader::Result::Invalid:
            stop(QStringLiteral("HAR file: ") + error, qint64(start));
            return;
        case HarReader::Result::NotHar:
            break;
        }
    }
    const SourcePosition where { m_fileOrigin, SourcePosition::Document, 1, qint64(start) };
    decode(data + start, len - start, padding, where, 0, false);
}

bool CaptureReader::isArrayDocument(const char* data, std::size_t len)
{
    const std::size_t start = skipBomAndSpace(data, len);
    return start < len && data[start] == '[';
}

std::size_t CaptureReader::processArray(const char* data, std::size_t len, bool final, std::size_t padding, qint64 base)
{
    // A structural scan finds each element's bytes (strings skipped to their closing quote); each is
    // then decoded, and validated, on its own. Newlines outside strings are counted for positions (a
    // raw newline inside a JSON string is invalid anyway). m_lineNumber is the line `data` starts on.
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    std::size_t pos = 0;
    if (m_arrayStage == ArrayStage::Before && m_lineNumber == 0) {
        pos = skipBomAndSpace(data, len);
        m_lineNumber = 1;
        for (std::size_t i = 0; i < pos; ++i)
            m_lineNumber += data[i] == '\n';
    }
    if (m_skipElement) { // the rest of an over-long element
        std::size_t end = 0;
        if (!skipElement(data, len, &end))
            return len;
        pos = end;
    }
    while (pos < len) {
        const char c = data[pos];
        if (space(c) || (c == ',' && m_arrayStage == ArrayStage::Inside)) {
            m_lineNumber += c == '\n';
            ++pos;
            continue;
        }
        if (m_arrayStage != ArrayStage::Inside) {
            if (c == '[') { // the document's array (or the next of several, one after the other)
                m_arrayStage = ArrayStage::Inside;
                ++pos;
                continue;
            }
            stop(QStringLiteral("unexpected text after the JSON document's array"), base + qint64(pos));
            return len;
        }
        if (c == ']') {
            m_arrayStage = ArrayStage::After;
            ++pos;
            continue;
        }
        // an element: find its end
        const std::size_t begin = pos;
        const quint64 line = m_lineNumber;
        quint64 lines = 0;
        int depth = 0;
        std::size_t end = std::string_view::npos;
        std::size_t i = pos;
        while (i < len) {
            const char d = data[i];
            if (d == '"') {
                const std::size_t j = JsonScan::closingQuote(data, len, i);
                if (j == std::string_view::npos)
                    break; // the string goes on past what is here
                i = j + 1;
                if (depth == 0) {
                    end = i;
                    break;
                }
                continue;
            }
            if (d == '{' || d == '[') {
                ++depth;
            } else if (d == '}' || d == ']') {
                if (depth == 0) { // the array's end right after a scalar
                    end = i;
                    break;
                }
                if (--depth == 0) {
                    end = i + 1;
                    break;
                }
            } else if (d == ',' && depth == 0) {
                end = i;
                break;
            } else if (d == '\n') {
                ++lines;
            }
            ++i;
        }
        if (end == std::string_view::npos) {
            if (!final)
                return begin; // more is coming: this element again from its start
            end = len; // the file ends inside it: decoded as it is, it says why it is broken
        }
        if (end == begin)
            end = begin + 1; // a stray '}' where an element should start: malformed, and passed
        std::size_t trimmed = end;
        while (trimmed > begin && space(data[trimmed - 1]))
            --trimmed;
        const SourcePosition where { m_fileOrigin, SourcePosition::Line, line, base + qint64(begin) };
        decode(data + begin, trimmed - begin, (len - trimmed) + padding, where, 0, false);
        m_lineNumber += lines;
        pos = end;
        if (m_batch.events.size() >= m_options.batchEvents && m_mapped && !deliver(true))
            return len;
    }
    if (final && m_arrayStage == ArrayStage::Inside)
        stop(QStringLiteral("the file ends inside the JSON document's array (no closing ])"), base + qint64(len));
    return len;
}

void CaptureReader::readHar(const std::vector<HarReader::Connection>& connections)
{
    m_format = Format::Har;
    for (const HarReader::Connection& c : connections) {
        // each WebSocket of the page is an origin of its own, named by its URL (without credentials)
        const quint16 origin
            = m_sink->addOrigin(c.url.isEmpty() ? m_path : UrlRedaction::redacted(QUrl(c.url, QUrl::TolerantMode)));
        quint64 number = 0;
        for (const HarReader::Message& m : c.messages) {
            ++number;
            if (!m.received)
                continue; // what the page sent (subscribe messages): not the bus's events
            m_batch.frames.push_back(m.data);
            const QByteArray& held = m_batch.frames.back();
            const SourcePosition where { origin, SourcePosition::Message, number, -1 };
            decode(held.constData(), std::size_t(held.size()), 0, where, m.timeUs, m.timeUs > 0);
            if (m_batch.events.size() >= m_options.batchEvents && !deliver(true))
                return;
        }
    }
}

void CaptureReader::stop(const QString& reason, qint64 offset, bool inCurrent)
{
    m_stopped = true;
    MalformedRecord m;
    if (m_format == Format::Capture)
        m.position = { m_fileOrigin, SourcePosition::Record, m_recordNumber + (inCurrent ? 0 : 1), offset };
    else
        m.position = { m_fileOrigin, SourcePosition::Line, m_lineNumber + 1, offset };
    m.reason = reason;
    m_batch.malformed.push_back(std::move(m));
}

void CaptureReader::spoolRaw()
{
    // the events lie in order in the buffer: one write of the span they cover (with the few bytes
    // between them) keeps each at the same distance from the first
    const char* first = nullptr;
    const char* end = nullptr;
    for (const DecodedEvent& e : m_batch.events) {
        if (!e.rawExternal)
            continue;
        if (e.rawExternal < m_streamBegin || e.rawExternal + e.rawLength > m_streamEnd)
            return; // not the stream's bytes (a document held whole): the loader copies them
        if (!first)
            first = end = e.rawExternal;
        first = std::min(first, e.rawExternal);
        end = std::max(end, e.rawExternal + e.rawLength);
    }
    if (!first)
        return;
    const char* at = nullptr;
    auto block = m_byteSpool->write(first, std::size_t(end - first), Padding, &at);
    if (!block) {
        m_spoolError = m_byteSpool->error();
        qCWarning(lcConnectors).noquote()
            << m_path << "decompressed bytes kept in memory from here on:" << m_spoolError;
        m_byteSpool.reset();
        return;
    }
    for (DecodedEvent& e : m_batch.events) {
        if (e.rawExternal)
            e.rawExternal = at + (e.rawExternal - first);
    }
    m_batch.stableBlock = std::move(block);
}

bool CaptureReader::deliver(bool force)
{
    if (m_batch.isEmpty() || (!force && m_batch.events.size() < m_options.batchEvents))
        return !m_cancelled;
    if (m_byteSpool)
        spoolRaw();
    judgeClocks();
    m_places.clear();
    if (!m_sink->deliver(m_batch))
        m_cancelled = true;
    const auto block = m_batch.stableBlock;
    m_batch.clear();
    m_batch.stableBlock = block;
    return !m_cancelled;
}
