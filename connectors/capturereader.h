// SPDX-License-Identifier: MIT
#pragma once

#include "decodedbatch.h"
#include "harreader.h"
#include "sessionindex.h"

#include <QString>
#include <array>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

class ByteSpool;
class EventDecoder;
class QTemporaryFile;

/// Reads every file format EventScope opens: its own capture format, NDJSON (one event or batch array
/// per line) and whole JSON documents (an array of events), each plain or compressed with gzip or zstd
/// (recognised by content, not by name). Plain files are memory-mapped and their bytes are handed to
/// the Session in place. A torn or corrupt file yields every complete record before the damage and a
/// malformed record saying where and why reading stopped.
class CaptureReader
{
public:
    enum class Format { Unknown, Capture, NdJson, JsonDocument, Har };
    enum class Compression { None, Gzip, Zstd };

    struct Options
    {
        std::size_t batchEvents = 1024;
        std::size_t maxDocumentBytes = std::size_t(1) << 30; ///< a whole-document JSON file larger is refused
        /// Where a compressed file's decompressed bytes are spooled (ByteSpool); empty: the cache's.
        QString spoolDirectory;
        std::size_t spoolSegmentBytes = std::size_t(64) << 20;
        /// Off: a compressed file's events keep their bytes in the session's heap.
        bool spool = true;
        /// A plain file is read up to here (0: to its end): a capture being recorded, up to its last
        /// complete record.
        quint64 maxBytes = 0;
    };
    /// Where batches go. addOrigin maps an origin name (file name, or a capture's connection) to an id.
    struct Sink
    {
        std::function<quint16(const QString&)> addOrigin;
        std::function<bool(DecodedBatch&)> deliver; ///< return false to cancel reading
        std::function<void(qint64 done, qint64 total)> progress; ///< optional, in input bytes
    };

    explicit CaptureReader(EventDecoder& decoder);
    CaptureReader(EventDecoder& decoder, Options options);
    ~CaptureReader();

    /// Opens and recognises a file. False when it cannot be read or is not a capture at all
    /// (errorString() names the file and says why).
    bool open(const QString& path);
    bool read(const Sink& sink);

    QString errorString() const { return m_error; }
    Format format() const { return m_format; }
    Compression compression() const { return m_compression; }
    /// From a capture's header: the (redacted) source URL and start time.
    QString source() const { return m_source; }
    qint64 startedUs() const { return m_startedUs; }
    /// Annotations (comments, bookmarks) stored in a capture, as JSON with their times.
    const std::vector<std::pair<qint64, QByteArray>>& annotations() const { return m_annotations; }

    static QString formatName(Format f);

    /// Reads an EventScope capture on from `offset`, where a read that stood as `state` says ended (a
    /// saved index's end: SessionIndex::Restore::readOnFrom()), instead of from its beginning; its bytes
    /// are read from `capture`, a mapping of the file, which the events then point into. Before read();
    /// ignored, and the file read whole, for other formats and compressed files.
    void setReadOn(const SessionIndex::Extra::ReadOn& state, quint64 offset, std::shared_ptr<const RawBlock> capture);
    /// After read() of a plain EventScope capture that went to its end undamaged: where it stood, for an
    /// index of it to be read on from (records 0 otherwise).
    SessionIndex::Extra::ReadOn readOnState() const;
    /// For a compressed file: why its decompressed bytes could not be spooled to disk, and were kept
    /// in memory from that point on; empty when they were (or the file is not compressed).
    QString spoolError() const { return m_spoolError; }

private:
    class Input;
    class PipeInput;
    class GzipInput;
    class ZstdInput;
    class MappedFile;

    std::size_t processLines(const char* data, std::size_t len, bool final, std::size_t padding, qint64 base);
    std::size_t processRecords(const char* data, std::size_t len, bool final, std::size_t padding, qint64 base);
    /// The session's origin for a record's origin id.
    quint16 mappedOrigin(quint16 recorded) const;
    /// A consumers record (JetStream): its samples join the batch. False when it is not one.
    bool readConsumers(const QByteArray& json, quint16 origin, qint64 timeUs);
    void processDocument(const char* data, std::size_t len, std::size_t padding);
    /// A JSON document that is an array, element by element (any size, in bounded memory); returns the
    /// bytes consumed: up to the start of an element not yet complete in `data`.
    std::size_t processArray(const char* data, std::size_t len, bool final, std::size_t padding, qint64 base);
    static bool isArrayDocument(const char* data, std::size_t len);
    static bool looksLikeHar(const char* data, std::size_t len);
    /// Passes over the rest of an element too large to read, its structure followed across calls;
    /// true (and `end`, where processArray() goes on) once the element ends in `data`.
    bool skipElement(const char* data, std::size_t len, std::size_t* end = nullptr);
    void readHar(const std::vector<HarReader::Connection>& connections);
    /// Stops reading at `offset`: the record or line after the last one counted, or (`inCurrent`) the
    /// record just counted, whose contents are wrong.
    void stop(const QString& reason, qint64 offset, bool inCurrent = false);
    void decode(const char* data, std::size_t len, std::size_t readableAfter, const SourcePosition& pos,
        qint64 receiveTimeUs, bool receiveTimeKnown);
    bool deliver(bool force);
    /// A compressed file's batch: its events' bytes go to the spool and the events point there.
    void spoolRaw();
    /// Judges the batch's producer clocks before it goes (DecoderConfig::maxClockSkewUs): an event whose
    /// time is missing or too far from its neighbours' (or from its recorded receive time) is placed at
    /// their time and listed as clock-skewed, with its own time kept as its receive time.
    void judgeClocks();
    bool jumpsAhead(std::size_t index, qint64 limit) const;
    /// The median of the last trusted times becomes the reference.
    void updateClock();
    Format detect(const char* data, std::size_t len, bool final) const;
    bool readMapped();
    static std::unique_ptr<Input> openInput(Compression compression, const QString& path);
    bool readStream();

    EventDecoder& m_decoder;
    Options m_options;
    QString m_path;
    QString m_error;
    Format m_format = Format::Unknown;
    Compression m_compression = Compression::None;
    QString m_source;
    qint64 m_startedUs = 0;
    std::vector<std::pair<qint64, QByteArray>> m_annotations;

    std::shared_ptr<MappedFile> m_mapped;
    std::unique_ptr<QTemporaryFile> m_spool; ///< what a compressed pipe held, for reading like a file
    std::unique_ptr<Input> m_input;
    std::unique_ptr<ByteSpool> m_byteSpool; ///< while a compressed file is read
    QString m_spoolError;
    const char* m_streamBegin = nullptr; ///< readStream()'s buffer, which the events point into
    const char* m_streamEnd = nullptr;
    const Sink* m_sink = nullptr;
    DecodedBatch m_batch;
    std::vector<int> m_originMap; ///< capture origin id -> sink origin id + 1
    std::vector<QString> m_originNames; ///< capture origin id -> its name, as declared
    SessionIndex::Extra::ReadOn m_readOn; ///< setReadOn()
    quint64 m_readOnOffset = 0;
    std::shared_ptr<const RawBlock> m_readOnCapture;
    quint16 m_fileOrigin = 0;
    quint64 m_lineNumber = 0;
    enum class ArrayStage : quint8 { Before, Inside, After };
    ArrayStage m_arrayStage = ArrayStage::Before;
    quint64 m_recordNumber = 0;
    qint64 m_lastTimeUs = 0;
    bool m_stopped = false;
    bool m_cancelled = false;
    bool m_skipLine = false;
    struct SkipState
    {
        quint32 depth = 0;
        bool inString = false;
        bool escaped = false;
        bool wasNested = false;
    };
    std::optional<SkipState> m_skipElement; ///< set while passing over an over-long array element
    bool m_bomChecked = false;
    std::string m_typeScratch;
    /// Where an event came from, packed (a SourcePosition and a flag in 24 bytes, not 32: written for
    /// every event of a file)
    struct Place
    {
        quint64 number;
        qint64 byteOffset;
        quint16 origin;
        SourcePosition::Unit unit;
        bool receiveKnown;
        SourcePosition position() const { return { origin, unit, number, byteOffset }; }
    };
    std::vector<Place> m_places; ///< per event of m_batch: where it came from
    bool m_haveClock = false;
    qint64 m_clockUs = 0; ///< the running median of the file's trusted producer times
    qint64 m_lastPlacedUs = 0; ///< the latest trusted time: where a skewed event is placed
    static constexpr std::size_t RecentTimes = 32;
    std::array<qint64, RecentTimes> m_recentTimes {}; ///< the last trusted times (a ring), for the median
    std::size_t m_recentCount = 0; ///< trusted times seen since the reference was last set
};
