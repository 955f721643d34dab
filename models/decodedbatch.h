// SPDX-License-Identifier: MIT
#pragma once

#include "consumertracker.h"
#include "uuid.h"

#include <QByteArray>
#include <QMetaType>
#include <QString>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

/// Where a record came from: which origin, and which line, frame or capture record of it.
struct SourcePosition
{
    enum Unit : quint8 { Line, Frame, Record, Document, Message };
    quint16 origin = 0;
    Unit unit = Line;
    quint64 number = 0; ///< 1-based line, frame, record or broker message number
    qint64 byteOffset = -1; ///< offset in the (decompressed) input, when known
};

/// A line, frame or record that could not be decoded, with why and where.
struct MalformedRecord
{
    SourcePosition position;
    qint32 element = -1; ///< index inside a batch array, or -1
    qint64 receiveTimeUs = 0;
    QString reason;
    QByteArray excerpt; ///< the first bytes of the offending input, for display

    QString describe(const QString& originName) const;
};

/// The fields of the bus's resilience events (system.circuit_breaker.state_changed, ...).
struct Telemetry
{
    enum Kind : quint8 { BreakerStateChanged, RetryScheduled, DeadLettered, HandlerFailed };
    Kind kind = BreakerStateChanged;
    std::string breaker, from, to; ///< breaker transitions
    std::string reason; ///< breaker reason, dead-letter reason, retry or handler error
    std::string handler;
    std::string eventType; ///< type of the event the retry/dead letter/failure is about, when given
    Uuid target; ///< payload.eventId
    bool hasTarget = false;
    qint64 attempt = -1; ///< retry attempt, or dead-letter attempts
    qint64 delayMs = -1;
    qint64 failureCount = -1;
};

/// A (position, length) pair into DecodedBatch::text.
struct TextRef
{
    quint32 offset = 0;
    quint32 length = 0;
};

/// One decoded event before it is stored; the Session turns it into an EventRecord.
struct DecodedEvent
{
    Uuid id, correlation, causation;
    qint64 eventTimeUs = 0;
    qint64 receiveTimeUs = 0;
    quint64 seq = 0;
    TextRef type, source;
    TextRef correlationText; ///< only when the correlation id is not a UUID
    const char* rawExternal = nullptr; ///< raw JSON outside the batch's text (a line, frame or mapped file)
    quint32 rawTextOffset = 0; ///< raw JSON inside text (minified batch-array elements), when rawExternal is null
    quint32 rawLength = 0;
    qint32 telemetry = -1; ///< index into DecodedBatch::telemetry
    quint16 origin = 0;
    quint8 flags = 0; ///< EventRecord::Flag bits
    /// Bit 0: the correlation id is not a UUID (correlationText holds it); bits 1-4: the EventProfile
    /// the event was decoded as; bit 5: receiveTimeUs is where a file reader placed the event, not when
    /// it was received; bit 6: its payload was checked against a schema; bit 7: it has a timestamp that is
    /// not a time. One byte, so the event stays 120
    /// bytes (the decoder and the ingest loop copy and scan them by the thousand).
    quint8 traits = 0;

    bool correlationHashed() const { return traits & 1u; }
    void setCorrelationHashed(bool hashed) { traits = quint8((traits & ~1u) | (hashed ? 1u : 0u)); }
    quint8 profile() const { return quint8((traits >> 1) & 0x0Fu); }
    void setProfile(quint8 profile) { traits = quint8((traits & ~0x1Eu) | ((profile & 0x0Fu) << 1)); }
    /// A file of producer times: the receive time is the session time the reader gave the event.
    bool receivePlaced() const { return traits & 0x20u; }
    void setReceivePlaced() { traits |= 0x20u; }
    /// The producer gave a timestamp that is neither ISO-8601 with a zone nor epoch milliseconds.
    bool timeUnreadable() const { return traits & 0x80u; }
    void setTimeUnreadable() { traits |= 0x80u; }
    /// Its payload was checked against its type's schema (DecodedBatch::schemaBreaches says how it broke it).
    bool schemaChecked() const { return traits & 0x40u; }
    void setSchemaChecked() { traits |= 0x40u; }
};

/// A block of raw bytes that outlives the batch, such as a memory-mapped capture file. When a batch's
/// events point into one, the Session keeps a reference to it instead of copying the bytes.
class RawBlock
{
public:
    virtual ~RawBlock() = default;
    virtual const char* data() const = 0;
    virtual std::size_t size() const = 0;
    /// The bytes are a compressed file's, decompressed (ByteSpool), not the file's own.
    virtual bool isDecompressed() const { return false; }
};

static_assert(sizeof(DecodedEvent) == 120, "a decoded event is copied and scanned by the thousand: keep it small");

/// What a source hands to Session::ingest(): decoded events and malformed records, in arrival order.
struct DecodedBatch
{
    std::vector<DecodedEvent> events;
    std::vector<Telemetry> telemetry;
    std::vector<MalformedRecord> malformed;
    /// Events whose producer clock could not be trusted (clock-skewed), with where and why: they are in
    /// `events` too, placed at their neighbours' time (CaptureReader judges a file's clocks).
    std::vector<MalformedRecord> skewed;
    /// How payloads broke their schemas: per breaking event (its index in `events`, ascending), its
    /// breaches as "POINTER: RULE" (SchemaViolation::key()).
    struct SchemaBreach
    {
        quint32 event;
        std::string key;
    };
    std::vector<SchemaBreach> schemaBreaches;
    /// Per event, when the decoder learns shapes (DecoderConfig::learnShapes): its payload's shape hash
    /// (Shape::of()); and each hash of the batch once, with its fields (path, ShapeTracker::TypeBit set).
    std::vector<quint64> shapes;
    struct ShapeDescription
    {
        quint64 hash;
        std::vector<std::pair<std::string, quint8>> fields;
    };
    std::vector<ShapeDescription> shapeDescriptions;
    /// What a broker said of its consumers while the batch was filled (JetStream), oldest first.
    std::vector<ConsumerSample> consumers;
    std::string text; ///< storage for TextRefs
    std::vector<QByteArray> frames; ///< keeps the frames that rawExternal points into alive
    std::shared_ptr<const RawBlock> stableBlock; ///< set when rawExternal points into this block

    std::string_view view(TextRef r) const { return std::string_view(text).substr(r.offset, r.length); }
    std::string_view raw(const DecodedEvent& e) const;
    TextRef store(std::string_view s);
    bool isEmpty() const { return events.empty() && malformed.empty() && consumers.empty(); }
    void clear();
    /// Copies into text the raw bytes of events that point outside the batch, its frames and its stable
    /// block (into a reader's buffer that is about to be reused), so the batch may be kept for later.
    void ownExternalBytes();
};
Q_DECLARE_METATYPE(std::shared_ptr<DecodedBatch>)
