// SPDX-License-Identifier: MIT
#pragma once

#include "decodedbatch.h"
#include "eventprofile.h"

class SchemaRegistry;

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace simdjson::dom {
class element;
}
#include <vector>

/// What the decoder accepts. Field names are configurable because buses name correlation differently.
struct DecoderConfig
{
    /// Where the correlation id may be, first match wins; "a.b" looks inside the object "a".
    std::vector<std::string> correlationFields { "correlationId", "correlationid", "$correlationId", "correlation_id",
        "metadata.correlationId", "metadata.$correlationId", "metadata.correlation_id" };
    std::vector<std::string> causationFields { "causationId", "causationid", "$causationId", "causation_id",
        "metadata.causationId", "metadata.$causationId", "metadata.causation_id" };
    /// The envelope every event must have; none: detected per event (docs/protocol.md, "Profiles").
    std::optional<EventProfile> profile;
    /// Fields mapped by hand, role -> dotted path ("correlation" -> "meta.corr"): roles id, type, time,
    /// source, correlation, causation, payload. Given, they make the Custom profile, forced; a role left
    /// out is read from the native names.
    std::vector<std::pair<std::string, std::string>> fields;
    /// In a file, a producer time this far from its neighbours' (or from its recorded receive time) is
    /// clock-skewed: counted and listed, and the event placed at its neighbours' time (CaptureReader).
    qint64 maxClockSkewUs = qint64(10) * 60 * 1000000;
    std::size_t maxEventBytes = 1 << 20; ///< a larger event is malformed (at most 16 MiB)
    /// Schemas to check each payload against (its type's, when it has one); null: none checked.
    std::shared_ptr<const SchemaRegistry> schemas;
    /// Learn each payload's shape (DecodedBatch::shapes; the session's ShapeTracker): the window and
    /// `eventscope-cli schemas` do; commands that do not show shapes leave the work out.
    bool learnShapes = false;
    std::size_t maxFrameBytes = 64 << 20; ///< a larger line/frame/batch array is malformed
};

/// What a broker said about a message beside its body (NATS subject and headers, MQTT topic).
struct MessageContext
{
    std::string_view subject; ///< as received: the NATS subject or MQTT topic
    std::string_view type; ///< the type of a body that is not an event: the subject with dots for slashes
    std::string_view id; ///< a message id from a header (Nats-Msg-Id), or empty
    std::string_view correlation, causation; ///< from headers, used when the body names none
    std::string_view traceparent; ///< W3C trace context: its trace id stands in for a missing correlation id
    quint64 sequence = 0; ///< the message's number on its connection, for generated ids
    /// The broker's own sequence of the message (a JetStream stream sequence), or 0: when given it is
    /// the event's sequence (the bus's order, for gap detection), whatever the body says.
    quint64 brokerSequence = 0;
};

/// Decodes the bus's native envelope, CloudEvents 1.0 structured JSON and the other buses' envelopes
/// (EventProfile), alone or as batch arrays, with simdjson (a full validating parse: ~3x faster than
/// QJsonDocument and no per-event allocation). The native mapping is tried first, on its fast path;
/// an event it does not fit (no "id" or no "type") is tried against the other profiles in order.
/// Not thread-safe: use one decoder per thread.
class EventDecoder
{
public:
    explicit EventDecoder(DecoderConfig config = {});
    ~EventDecoder();
    EventDecoder(const EventDecoder&) = delete;
    EventDecoder& operator=(const EventDecoder&) = delete;

    const DecoderConfig& config() const { return m_config; }
    /// Checks the payloads decoded from now on against `schemas` (null: none).
    void setSchemas(std::shared_ptr<const SchemaRegistry> schemas) { m_config.schemas = std::move(schemas); }

    /// Whether a role name of DecoderConfig::fields is known; false for a typo ("corelation").
    static bool isFieldRole(std::string_view role);

    /// Decodes one line or frame into `out` (appending events or one malformed record per bad part).
    /// `readableAfter` is how many bytes past data+len may be read; with fewer than 64 the input is copied.
    /// Returns the number of events appended.
    int decode(const char* data, std::size_t len, std::size_t readableAfter, const SourcePosition& position,
        qint64 receiveTimeUs, DecodedBatch& out);

    /// Decodes one broker message body: a native envelope, a CloudEvent or a batch array of them is
    /// decoded as such (headers fill in a missing correlation or causation id); any other JSON body
    /// becomes an event of type `context.type` with a generated id (or the header's), wrapped as
    /// {"id","type","subject","payload":BODY} so every view and filter sees one shape. Non-JSON is malformed.
    int decodeMessage(const char* data, std::size_t len, std::size_t readableAfter, const SourcePosition& position,
        qint64 receiveTimeUs, const MessageContext& context, DecodedBatch& out);

private:
    bool parse(const char* data, std::size_t len, std::size_t readableAfter, const SourcePosition& position,
        qint64 receiveTimeUs, DecodedBatch& out, simdjson::dom::element& root);
    int decodeParsed(simdjson::dom::element root, const char* data, std::size_t len, const SourcePosition& position,
        qint64 receiveTimeUs, DecodedBatch& out);

    struct Private;
    std::unique_ptr<Private> d;
    DecoderConfig m_config;
};
