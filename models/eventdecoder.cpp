// SPDX-License-Identifier: MIT
// Decoding events from any envelope: the native one on the hot path (keys matched a word at a time,
// ids and timestamps parsed in place), the foreign profiles (CloudEvents, EventStoreDB, Axon, prooph,
// Dapr, mapped by hand) off it, and batch arrays. One file so that the hot loop and the fallbacks
// share their key tables and stay inlined together.
#include "eventdecoder.h"

#include "eventrecord.h"
#include "jsonscan.h"
#include "jsonschema_p.h"
#include "modelslogging.h"
#include "sametext.h"
#include "schemaregistry.h"
#include "shape_p.h"
#include "timestamp.h"

#include <QStringList>
#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <simdjson.h>

namespace {
using namespace simdjson;

enum class Role : quint8 {
    None,
    Id,
    Type,
    Time,
    Correlation,
    Causation,
    Source,
    Seq,
    Sequence,
    Payload,
    SpecVersion,
    TraceParent
};

/// Where a foreign profile finds each field: dotted paths, the first present wins. A path may go into
/// a string that holds JSON (EventStoreDB's metadata as text).
struct ProfileSpec
{
    EventProfile profile;
    std::vector<std::string> id, type, time, source, correlation, causation, payload;
    bool urnType = false; ///< MassTransit: type is an array of urn:message:Namespace:Type, the first wins
    bool zonelessIsUtc = false; ///< prooph writes created_at without a zone, in UTC
};

const std::vector<ProfileSpec>& foreignSpecs()
{
    static const std::vector<ProfileSpec> specs {
        // a recorded event as clients and exports write it, a stream page entry (?embed=body) and a
        // single event read as Atom JSON (the event under "content")
        { EventProfile::EventStoreDb, { "eventId", "content.eventId" }, { "eventType", "content.eventType" },
            { "created", "updated" }, { "streamId", "eventStreamId", "content.eventStreamId" },
            { "metadata.$correlationId", "metaData.$correlationId", "content.metadata.$correlationId" },
            { "metadata.$causationId", "metaData.$causationId", "content.metadata.$causationId" },
            { "data", "content.data" }, false, false },
        { EventProfile::MassTransit, { "messageId" }, { "messageType" }, { "sentTime" }, { "sourceAddress" },
            { "conversationId", "correlationId" }, { "initiatorId" }, { "message" }, true, false },
        // the event message, or a row of its event store table (eventIdentifier, timeStamp)
        { EventProfile::Axon, { "identifier", "eventIdentifier" }, { "payloadType" }, { "timestamp", "timeStamp" },
            { "aggregateIdentifier" }, { "metaData.traceId" }, { "metaData.correlationId" }, { "payload" }, false,
            false },
        { EventProfile::Prooph, { "uuid" }, { "message_name" }, { "created_at" }, { "metadata._aggregate_id" },
            { "metadata._correlation_id", "metadata.correlation_id" },
            { "metadata._causation_id", "metadata.causation_id" }, { "payload" }, false, true },
    };
    return specs;
}

/// Where a W3C traceparent may be, when an event names no correlation id.
constexpr const char* TraceParentPaths[] = { "traceparent", "metadata.traceparent", "metaData.traceparent",
    "headers.traceparent", "extensions.traceparent", "traceid" };

struct Alias
{
    std::string key; ///< top-level key
    std::string pointer; ///< JSON pointer inside it ("" for the key itself)
    Role role;
    int priority; ///< lower wins
};

/// The (offset, length) of each top-level element of a JSON array text that is known to be valid.
/// String contents are skipped with memchr (most bytes of an event are inside strings).
bool splitArray(const char* data, std::size_t len, std::vector<std::pair<std::size_t, std::size_t>>& spans)
{
    spans.clear();
    auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
    std::size_t i = 0;
    while (i < len && space(data[i]))
        ++i;
    if (i >= len || data[i] != '[')
        return false;
    ++i;
    int depth = 0;
    std::size_t start = std::string_view::npos;
    while (i < len) {
        const char c = data[i];
        if (c == '"') {
            if (start == std::string_view::npos)
                start = i;
            const std::size_t j = JsonScan::closingQuote(data, len, i);
            if (j == std::string_view::npos)
                return false;
            i = j + 1;
            continue;
        }
        ++i;
        if (space(c))
            continue;
        if (start == std::string_view::npos && c != ',' && !(depth == 0 && c == ']'))
            start = i - 1;
        if (c == '{' || c == '[') {
            ++depth;
        } else if (c == '}' || (c == ']' && depth > 0)) {
            --depth;
        } else if (depth == 0 && (c == ',' || c == ']')) {
            if (start != std::string_view::npos) {
                std::size_t end = i - 1;
                while (end > start && space(data[end - 1]))
                    --end;
                spans.emplace_back(start, end - start);
            }
            start = std::string_view::npos;
            if (c == ']')
                return true;
        }
    }
    return false;
}

/// "00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>" -> the trace id as canonical UUID text.
std::string traceIdOf(std::string_view traceparent)
{
    if (traceparent.size() < 55 || traceparent[2] != '-' || traceparent[35] != '-')
        return {};
    const std::string_view hex = traceparent.substr(3, 32);
    std::string text;
    text.reserve(36);
    for (std::size_t i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            text += '-';
        text += hex[i];
    }
    Uuid u;
    return Uuid::parse(text, u) && !u.isNull() ? text : std::string();
}
QString jsonError(error_code code)
{
    return QStringLiteral("not valid JSON (%1)").arg(QString::fromUtf8(error_message(code)));
}

bool parseUnsigned(std::string_view s, uint64_t& out)
{
    if (s.empty())
        return false;
    const auto res = std::from_chars(s.data(), s.data() + s.size(), out);
    return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

std::string stringField(dom::object obj, const char* key)
{
    std::string_view v;
    if (obj[key].get_string().get(v) == SUCCESS)
        return std::string(v);
    return {};
}

qint64 intField(dom::object obj, const char* key)
{
    dom::element e;
    if (obj[key].get(e) != SUCCESS)
        return -1;
    int64_t i;
    if (e.get_int64().get(i) == SUCCESS)
        return i;
    double d;
    if (e.get_double().get(d) == SUCCESS && d >= 0 && d < 9e15)
        return qint64(d);
    return -1;
}

/// Up to 16 bytes of a key as two words, for comparing keys without a loop: the first and the last
/// eight bytes (overlapping), the first and the last four, or the bytes one by one for shorter keys.
/// Two keys of one length are equal exactly when their words are.
struct KeyWords
{
    quint64 w0 = 0, w1 = 0;
    quint32 length = 0;
    static constexpr std::size_t MaxLength = 16;

    explicit KeyWords(std::string_view k)
        : length(quint32(k.size()))
    {
        const char* p = k.data();
        const std::size_t n = k.size();
        if (n >= 8) {
            std::memcpy(&w0, p, 8);
            std::memcpy(&w1, p + n - 8, 8);
        } else if (n >= 4) {
            quint32 a, b;
            std::memcpy(&a, p, 4);
            std::memcpy(&b, p + n - 4, 4);
            w0 = quint64(a) | (quint64(b) << 32);
        } else if (n > 0) {
            w0 = quint64(quint8(p[0])) | (quint64(quint8(p[n / 2])) << 8) | (quint64(quint8(p[n - 1])) << 16);
        }
    }
    KeyWords() = default;
    bool operator==(const KeyWords& o) const { return w0 == o.w0 && w1 == o.w1 && length == o.length; }
};
} // namespace

struct EventDecoder::Private
{
    dom::parser parser;
    /// The aliases, grouped by their top-level key (several may share one: "metadata" for both
    /// metadata.correlationId and metadata.causationId).
    struct KeyGroup
    {
        std::string key;
        std::vector<Alias> aliases;
    };
    std::vector<KeyGroup> groups;
    /// Groups by a hash of their key's length, first and last byte: a key finds its one candidate
    /// (or none) with a single comparison instead of scanning every alias.
    std::vector<int> byKeyHash[256];
    static unsigned keyHash(std::string_view k) { return shortTextHash(k) & 255u; }
    int findGroup(std::string_view key) const
    {
        for (int g : byKeyHash[keyHash(key)]) {
            if (sameText(groups[std::size_t(g)].key, key))
                return g;
        }
        return -1;
    }
    /// The key found at each place of the previous object and its group (-1: no alias). A stream's
    /// events mostly share one layout, so a key is usually the one the last event had in its place:
    /// one comparison of words that the CPU predicts, where the lookup's loads (hash, table, the
    /// alias's key) waited on one another, and were the hottest instructions of decoding.
    struct Remembered
    {
        KeyWords key;
        int group = -1;
        /// when the group is one plain alias (no JSON pointer), its role and priority, read from here
        Role role = Role::None;
        int priority = 0;
    };
    void remember(Remembered& r, std::string_view key, const KeyWords& words) const
    {
        r.key = words;
        r.group = findGroup(key);
        r.role = Role::None;
        if (r.group >= 0) {
            const std::vector<Alias>& aliases = groups[std::size_t(r.group)].aliases;
            if (aliases.size() == 1 && aliases.front().pointer.empty()) {
                r.role = aliases.front().role;
                r.priority = aliases.front().priority;
            }
        }
    }
    std::array<Remembered, 16> layout {};
    std::vector<char> padded;
    std::string scratch;
    std::string wrapped;
    std::vector<std::pair<std::size_t, std::size_t>> spans;
    Timestamp::MinuteCache minuteCache;

    struct Fields
    {
        std::string_view id, type, source, correlation, causation, traceparent;
        dom::element time, seq, sequence, payload, traceparentValue;
        bool hasTime = false, hasSeq = false, hasSequence = false, hasPayload = false, specVersion = false;
        bool zonelessIsUtc = false;
        int correlationPriority = INT_MAX, causationPriority = INT_MAX, traceparentPriority = INT_MAX;
        QString error;
    };
    /// Parses JSON held in a string (EventStoreDB's metadata as text); the last one is kept, so paths
    /// into the same string parse it once.
    dom::parser nestedParser;
    const char* nestedText = nullptr;
    std::size_t nestedLength = 0;
    dom::element nestedRoot;
    /// Copies of a foreign event's texts (they may come from a nested parse that the next one replaces).
    std::string ownId, ownType, ownSource, ownCorrelation, ownCausation, ownTraceparent;
    std::vector<ProfileSpec> specs; ///< the foreign profiles tried, in order
    std::optional<ProfileSpec> custom;
    std::optional<EventProfile> forced;

    bool lookup(dom::object root, std::string_view path, dom::element& out);
    bool lookupString(dom::object root, const std::vector<std::string>& paths, std::string& out, bool urn);
    /// Fills `f` from `spec`'s paths; false (with `f.error` when a field is of the wrong kind) when the
    /// event has no id or no type there.
    bool matchSpec(dom::object obj, const ProfileSpec& spec, Fields& f);
    /// The record from the fields found (inlined: the native path's fields stay in registers).
    Q_ALWAYS_INLINE QString finish(
        Fields& f, EventProfile profile, qint64 receiveTimeUs, DecodedEvent& ev, DecodedBatch& out);
    QString noProfileFits(const QString& nativeReason) const;
    /// Whether a message body is an event of a profile this decoder reads (else a broker message is
    /// wrapped as one): a non-empty id and type where one of them has them.
    bool isEvent(dom::element e);
    /// The event as a foreign profile's (forced, or the first that fits); out of the native path's way.
    Q_NEVER_INLINE Q_DECL_COLD_FUNCTION QString decodeForeign(
        dom::object obj, const QString& nativeReason, qint64 receiveTimeUs, DecodedEvent& ev, DecodedBatch& out);

    Q_ALWAYS_INLINE void assign(Fields& f, Role role, int priority, dom::element value)
    {
        switch (role) {
        case Role::Id:
        case Role::Type:
        case Role::Source: {
            std::string_view s;
            if (value.get_string().get(s) != SUCCESS) {
                const char* name = role == Role::Id ? "id" : role == Role::Type ? "type" : "source";
                f.error = QStringLiteral("\"%1\" is not a string").arg(QLatin1String(name));
                return;
            }
            (role == Role::Id ? f.id : role == Role::Type ? f.type : f.source) = s;
            return;
        }
        case Role::Correlation:
        case Role::Causation: {
            // the name first in the configured list wins wherever it is in the event; null is present
            // (no id), and clears what a later name gave
            int& best = role == Role::Correlation ? f.correlationPriority : f.causationPriority;
            if (priority >= best)
                return;
            std::string_view s;
            if (!value.is_null() && value.get_string().get(s) != SUCCESS) {
                f.error = QStringLiteral("%1 is not a string")
                              .arg(role == Role::Correlation ? QStringLiteral("correlation id")
                                                             : QStringLiteral("causation id"));
                return;
            }
            best = priority;
            (role == Role::Correlation ? f.correlation : f.causation) = s;
            return;
        }
        case Role::Time:
            f.time = value;
            f.hasTime = true;
            return;
        case Role::Seq:
            f.seq = value;
            f.hasSeq = true;
            return;
        case Role::Sequence:
            f.sequence = value;
            f.hasSequence = true;
            return;
        case Role::Payload:
            if (!f.hasPayload) {
                f.payload = value;
                f.hasPayload = true;
            }
            return;
        case Role::TraceParent:
            // read only if the event names no correlation id (finish())
            if (priority < f.traceparentPriority) {
                f.traceparentValue = value;
                f.traceparentPriority = priority;
            }
            return;
        case Role::SpecVersion:
            f.specVersion = true;
            return;
        case Role::None:
            return;
        }
    }

    /// Flattened: simdjson's small accessors (get_string() on each field) stay inline in the hot loop,
    /// which GCC stopped doing by itself once the foreign profiles' code was here.
    __attribute__((flatten)) QString decodeObject(
        dom::object obj, qint64 receiveTimeUs, DecodedEvent& ev, DecodedBatch& out);
    /// The payload of the event decodeObject() decoded last, and whether it had one.
    dom::element lastPayload;
    bool lastHasPayload = false;
    std::vector<SchemaViolation> violations; ///< reused
    /// Checks the payload of the batch's last event against its type's schema, if it has one.
    void checkSchema(const SchemaRegistry& schemas, DecodedBatch& out);
    /// The shape of the batch's last event's payload, described the first time the batch has it.
    void learnShape(DecodedBatch& out);
    std::vector<quint64> described; ///< the shape hashes the batch being filled has described
    std::vector<ShapeTracker::ShapeField> shapeFields; ///< reused
};

EventDecoder::EventDecoder(DecoderConfig config)
    : d(std::make_unique<Private>())
    , m_config(std::move(config))
{
    m_config.maxEventBytes = std::min<std::size_t>(m_config.maxEventBytes, EventRecord::MaxRawLength);
    m_config.maxFrameBytes = std::max(m_config.maxFrameBytes, m_config.maxEventBytes);
    std::vector<Alias> aliases;
    auto add = [&aliases](const std::string& key, Role role, int priority) {
        const auto dot = key.find('.');
        std::string pointer;
        if (dot != std::string::npos) {
            pointer = key.substr(dot);
            std::replace(pointer.begin(), pointer.end(), '.', '/');
        }
        aliases.push_back({ key.substr(0, dot), pointer, role, priority });
    };
    add("id", Role::Id, 0);
    add("type", Role::Type, 0);
    add("timestamp", Role::Time, 0);
    add("time", Role::Time, 1);
    add("source", Role::Source, 0);
    add("seq", Role::Seq, 0);
    add("sequence", Role::Sequence, 0);
    add("payload", Role::Payload, 0);
    add("data", Role::Payload, 1);
    add("specversion", Role::SpecVersion, 0);
    for (std::size_t i = 0; i < std::size(TraceParentPaths); ++i)
        add(TraceParentPaths[i], Role::TraceParent, int(i));
    for (std::size_t i = 0; i < m_config.correlationFields.size(); ++i)
        add(m_config.correlationFields[i], Role::Correlation, int(i));
    for (std::size_t i = 0; i < m_config.causationFields.size(); ++i)
        add(m_config.causationFields[i], Role::Causation, int(i));
    for (const Alias& a : aliases) {
        if (a.key.empty())
            continue;
        int g = d->findGroup(a.key);
        if (g < 0) {
            g = int(d->groups.size());
            d->groups.push_back({ a.key, {} });
            d->byKeyHash[Private::keyHash(a.key)].push_back(g);
        }
        d->groups[std::size_t(g)].aliases.push_back(a);
    }
    if (d->parser.allocate(std::min<std::size_t>(m_config.maxEventBytes, 1 << 16)) != simdjson::SUCCESS)
        qCWarning(lcModels, "EventDecoder: cannot allocate the parser");

    d->forced = m_config.profile;
    if (!m_config.fields.empty()) {
        // by hand: the native names for what is not mapped
        ProfileSpec c { EventProfile::Custom, { "id" }, { "type" }, { "timestamp", "time" }, { "source" },
            m_config.correlationFields, m_config.causationFields, { "payload", "data" }, false, false };
        for (const auto& [role, path] : m_config.fields) {
            std::vector<std::string>* slot = role == "id" ? &c.id
                : role == "type"                          ? &c.type
                : role == "time"                          ? &c.time
                : role == "source"                        ? &c.source
                : role == "correlation"                   ? &c.correlation
                : role == "causation"                     ? &c.causation
                : role == "payload"                       ? &c.payload
                                                          : nullptr;
            if (slot)
                *slot = { path };
        }
        d->custom = std::move(c);
        d->forced = EventProfile::Custom;
    }
    for (const ProfileSpec& spec : foreignSpecs()) {
        if (!d->forced || *d->forced == spec.profile)
            d->specs.push_back(spec);
    }
}

bool EventDecoder::isFieldRole(std::string_view role)
{
    for (const char* r : { "id", "type", "time", "source", "correlation", "causation", "payload" }) {
        if (role == r)
            return true;
    }
    return false;
}

EventDecoder::~EventDecoder() = default;

QString EventDecoder::Private::decodeObject(dom::object obj, qint64 receiveTimeUs, DecodedEvent& ev, DecodedBatch& out)
{
    Fields f;
    const bool nativeOnly = forced && (*forced == EventProfile::Native || *forced == EventProfile::CloudEvents);
    if (forced && !nativeOnly)
        return decodeForeign(obj, QString(), receiveTimeUs, ev, out);
    std::size_t place = 0;
    for (dom::key_value_pair kv : obj) {
        if (kv.key.empty())
            continue;
        int group;
        if (kv.key.size() <= KeyWords::MaxLength) {
            const KeyWords words(kv.key);
            Remembered& seen = layout[place++ % layout.size()];
            if (!(seen.key == words))
                remember(seen, kv.key, words);
            if (seen.role != Role::None) {
                assign(f, seen.role, seen.priority, kv.value);
                if (!f.error.isEmpty())
                    return f.error;
                continue;
            }
            group = seen.group;
        } else {
            group = findGroup(kv.key);
        }
        if (group < 0)
            continue;
        for (const Alias& a : groups[std::size_t(group)].aliases) {
            if (a.pointer.empty()) {
                assign(f, a.role, a.priority, kv.value);
            } else if (kv.value.is_object()) {
                dom::element nested;
                if (kv.value.at_pointer(a.pointer).get(nested) == SUCCESS)
                    assign(f, a.role, a.priority, nested);
            }
            if (!f.error.isEmpty())
                return f.error;
        }
    }
    if (f.id.empty() || f.type.empty()) {
        const QString reason = f.id.empty() ? QStringLiteral("missing \"id\" (a non-empty string is required)")
                                            : QStringLiteral("missing \"type\" (a non-empty string is required)");
        if (nativeOnly)
            return reason;
        return decodeForeign(obj, reason, receiveTimeUs, ev, out);
    }
    return finish(f,
        forced              ? *forced
            : f.specVersion ? EventProfile::CloudEvents
                            : EventProfile::Native,
        receiveTimeUs, ev, out);
}

QString EventDecoder::Private::decodeForeign(
    dom::object obj, const QString& nativeReason, qint64 receiveTimeUs, DecodedEvent& ev, DecodedBatch& out)
{
    if (forced) {
        const ProfileSpec& spec = *forced == EventProfile::Custom ? *custom : specs.front();
        Fields f;
        if (!matchSpec(obj, spec, f))
            return !f.error.isEmpty()
                ? f.error
                : QStringLiteral("not a %1 event: looked for %2 and %3")
                      .arg(EventProfiles::title(spec.profile), QString::fromStdString(spec.id.front()),
                          QString::fromStdString(spec.type.front()));
        return finish(f, spec.profile, receiveTimeUs, ev, out);
    }
    // another bus's envelope? The first profile whose id and type are there wins.
    for (const ProfileSpec& spec : specs) {
        Fields f;
        if (matchSpec(obj, spec, f))
            return finish(f, spec.profile, receiveTimeUs, ev, out);
        if (!f.error.isEmpty())
            return f.error;
    }
    return noProfileFits(nativeReason);
}

bool EventDecoder::Private::isEvent(dom::element e)
{
    dom::object obj;
    if (e.get_object().get(obj) != SUCCESS)
        return false;
    const bool nativeOnly = forced && (*forced == EventProfile::Native || *forced == EventProfile::CloudEvents);
    if (!forced || nativeOnly) {
        std::string_view id, type;
        if (obj["id"].get_string().get(id) == SUCCESS && !id.empty() && obj["type"].get_string().get(type) == SUCCESS
            && !type.empty())
            return true;
        if (nativeOnly)
            return false;
    }
    nestedText = nullptr;
    if (forced && *forced == EventProfile::Custom)
        return lookupString(obj, custom->id, ownId, false) && lookupString(obj, custom->type, ownType, false);
    return std::any_of(specs.begin(), specs.end(), [&](const ProfileSpec& spec) {
        return lookupString(obj, spec.id, ownId, false) && lookupString(obj, spec.type, ownType, spec.urnType);
    });
}

QString EventDecoder::Private::noProfileFits(const QString& nativeReason) const
{
    QStringList looked;
    for (const ProfileSpec& spec : specs)
        looked << QStringLiteral("%1+%2 (%3)")
                      .arg(QString::fromStdString(spec.id.front()), QString::fromStdString(spec.type.front()),
                          EventProfiles::title(spec.profile));
    return nativeReason + QStringLiteral("; fits no other profile either: looked for ")
        + looked.join(QStringLiteral(", "));
}

bool EventDecoder::Private::lookup(dom::object root, std::string_view path, dom::element& out)
{
    const std::size_t firstDot = path.find('.');
    dom::element cur;
    if (root.at_key(path.substr(0, firstDot)).get(cur) != SUCCESS)
        return false;
    if (firstDot == std::string_view::npos) {
        out = cur;
        return true;
    }
    std::size_t pos = firstDot + 1;
    for (;;) {
        const std::size_t dot = path.find('.', pos);
        const std::string_view segment = path.substr(pos, dot == std::string_view::npos ? path.npos : dot - pos);
        std::string_view text;
        if (cur.get_string().get(text) == SUCCESS) {
            // an object written as a JSON string (EventStoreDB's metadata): parsed once per event
            if (text.data() != nestedText || text.size() != nestedLength) {
                nestedText = nullptr;
                if (text.size() > (std::size_t(1) << 20)
                    || nestedParser.parse(text.data(), text.size(), true).get(nestedRoot) != SUCCESS)
                    return false;
                nestedText = text.data();
                nestedLength = text.size();
            }
            cur = nestedRoot;
        }
        dom::object obj;
        if (cur.get_object().get(obj) != SUCCESS || obj.at_key(segment).get(cur) != SUCCESS)
            return false;
        if (dot == std::string_view::npos) {
            out = cur;
            return true;
        }
        pos = dot + 1;
    }
}

bool EventDecoder::Private::lookupString(
    dom::object root, const std::vector<std::string>& paths, std::string& out, bool urn)
{
    out.clear();
    for (const std::string& path : paths) {
        dom::element e;
        if (!lookup(root, path, e) || e.is_null())
            continue;
        dom::array array;
        if (urn && e.get_array().get(array) == SUCCESS) {
            // MassTransit lists the message's types, most specific first
            for (dom::element first : array) {
                e = first;
                break;
            }
        }
        std::string_view s;
        if (e.get_string().get(s) != SUCCESS || s.empty())
            continue;
        if (urn && s.compare(0, 12, "urn:message:") == 0)
            s = s.substr(s.rfind(':') + 1);
        out.assign(s);
        return true;
    }
    return false;
}

bool EventDecoder::Private::matchSpec(dom::object obj, const ProfileSpec& spec, Fields& f)
{
    nestedText = nullptr;
    const dom::object root = obj;
    if (!lookupString(root, spec.id, ownId, false) || !lookupString(root, spec.type, ownType, spec.urnType))
        return false;
    f.id = ownId;
    f.type = ownType;
    if (lookupString(root, spec.source, ownSource, false))
        f.source = ownSource;
    if (lookupString(root, spec.correlation, ownCorrelation, false))
        f.correlation = ownCorrelation;
    if (lookupString(root, spec.causation, ownCausation, false))
        f.causation = ownCausation;
    if (f.correlation.empty()) {
        static const std::vector<std::string> paths(std::begin(TraceParentPaths), std::end(TraceParentPaths));
        if (lookupString(root, paths, ownTraceparent, false))
            f.traceparent = ownTraceparent;
    }
    for (const std::string& path : spec.time) {
        if (lookup(root, path, f.time) && !f.time.is_null()) {
            f.hasTime = true;
            break;
        }
    }
    for (const std::string& path : spec.payload) {
        if (lookup(root, path, f.payload)) {
            f.hasPayload = true;
            break;
        }
    }
    f.zonelessIsUtc = spec.zonelessIsUtc;
    return true;
}

QString EventDecoder::Private::finish(
    Fields& f, EventProfile profile, qint64 receiveTimeUs, DecodedEvent& ev, DecodedBatch& out)
{
    // W3C trace context: the trace id is the chain of an event that names none (Dapr, OpenTelemetry)
    std::string traceId;
    if (f.correlation.empty() && f.traceparentPriority != INT_MAX)
        if (f.traceparentValue.get_string().get(f.traceparent) != SUCCESS)
            f.traceparent = {};
    if (f.correlation.empty() && !f.traceparent.empty()) {
        traceId = traceIdOf(f.traceparent);
        f.correlation = traceId;
    }
    ev.setProfile(quint8(profile));
    bool hashed = false;
    ev.id = Uuid::fromText(f.id, &hashed);
    if (hashed)
        ev.flags |= EventRecord::IdHashed;
    ev.type = out.store(f.type);
    if (!f.source.empty())
        ev.source = out.store(f.source);
    if (!f.correlation.empty()) {
        bool textual = false;
        ev.correlation = Uuid::fromText(f.correlation, &textual);
        ev.setCorrelationHashed(textual);
        if (textual)
            ev.correlationText = out.store(f.correlation);
        ev.flags |= EventRecord::HasCorrelation;
    }
    // an event naming itself as its cause is a root (EventStoreDB and Axon set both ids on the first
    // message of a conversation to its own id), not an orphan
    if (!f.causation.empty() && f.causation != f.id) {
        ev.causation = Uuid::fromText(f.causation, nullptr);
        ev.flags |= EventRecord::HasCausation;
    }

    ev.receiveTimeUs = receiveTimeUs;
    ev.eventTimeUs = receiveTimeUs;
    if (f.hasTime && !f.time.is_null()) {
        // a time that cannot be read is the producer's problem, not the event's: it is kept, with the
        // receive time standing in (a file's reader places it at its neighbours' time)
        std::string_view text;
        double millis;
        qint64 micros = 0;
        bool parsed = false;
        if (f.time.get_string().get(text) == SUCCESS) {
            parsed = Timestamp::parseIso8601(text, micros, minuteCache);
            if (!parsed && f.zonelessIsUtc && text.size() < 64) {
                char zoned[72];
                std::memcpy(zoned, text.data(), text.size());
                zoned[text.size()] = 'Z';
                parsed = Timestamp::parseIso8601(std::string_view(zoned, text.size() + 1), micros, minuteCache);
            }
        } else if (f.time.get_double().get(millis) == SUCCESS) {
            parsed = Timestamp::fromEpochMillis(millis, micros);
        }
        if (parsed) {
            ev.eventTimeUs = micros;
            ev.flags |= EventRecord::HasEventTime;
        } else {
            ev.setTimeUnreadable();
        }
    }

    if (f.hasSeq && !f.seq.is_null()) {
        uint64_t seq = 0;
        std::string_view text;
        if (f.seq.get_uint64().get(seq) != SUCCESS
            && !(f.seq.get_string().get(text) == SUCCESS && parseUnsigned(text, seq)))
            return QStringLiteral("\"seq\" must be a non-negative integer");
        if (seq > EventRecord::MaxSeq)
            return QStringLiteral("\"seq\" %1 is larger than 2^48-1").arg(seq);
        ev.seq = seq;
        ev.flags |= EventRecord::HasSeq;
    } else if (f.hasSequence) {
        // CloudEvents' sequence is a string compared lexically; only a numeric one is a seq.
        uint64_t seq = 0;
        std::string_view text;
        if ((f.sequence.get_string().get(text) == SUCCESS && parseUnsigned(text, seq))
            || f.sequence.get_uint64().get(seq) == SUCCESS) {
            if (seq <= EventRecord::MaxSeq) {
                ev.seq = seq;
                ev.flags |= EventRecord::HasSeq;
            }
        }
    }

    // The bus's resilience events: their fields live in payload (native) or data (CloudEvents).
    if (f.type.size() > 7 && f.type.compare(0, 7, "system.") == 0) {
        Telemetry t;
        bool known = true;
        if (f.type == "system.circuit_breaker.state_changed")
            t.kind = Telemetry::BreakerStateChanged;
        else if (f.type == "system.event.retry_scheduled")
            t.kind = Telemetry::RetryScheduled;
        else if (f.type == "system.event.dead_lettered")
            t.kind = Telemetry::DeadLettered;
        else if (f.type == "system.handler.failed")
            t.kind = Telemetry::HandlerFailed;
        else
            known = false;
        if (known) {
            dom::object p;
            if (f.hasPayload && f.payload.get_object().get(p) == SUCCESS) {
                t.breaker = stringField(p, "breaker");
                t.from = stringField(p, "from");
                t.to = stringField(p, "to");
                t.handler = stringField(p, "handler");
                t.eventType = stringField(p, "eventType");
                t.reason = stringField(p,
                    t.kind == Telemetry::BreakerStateChanged || t.kind == Telemetry::DeadLettered ? "reason" : "error");
                if (t.reason.empty())
                    t.reason = stringField(p, t.kind == Telemetry::DeadLettered ? "error" : "reason");
                const std::string target = stringField(p, "eventId");
                if (!target.empty()) {
                    t.target = Uuid::fromText(target, nullptr);
                    t.hasTarget = true;
                }
                t.attempt = intField(p, t.kind == Telemetry::DeadLettered ? "attempts" : "attempt");
                t.delayMs = intField(p, "delayMs");
                t.failureCount = intField(p, "failureCount");
            }
            ev.telemetry = qint32(out.telemetry.size());
            ev.flags |= EventRecord::Telemetry;
            out.telemetry.push_back(std::move(t));
        }
    }
    lastPayload = f.payload;
    lastHasPayload = f.hasPayload;
    return {};
}

void EventDecoder::Private::learnShape(DecodedBatch& out)
{
    if (out.shapes.size() + 1 != out.events.size()) { // a batch filled partly without shapes: none for it
        out.shapes.clear();
        return;
    }
    if (out.shapes.empty())
        described.clear(); // a new batch
    const quint64 hash = lastHasPayload ? Shape::of(lastPayload, nullptr) : Shape::NoPayload;
    out.shapes.push_back(hash);
    if (std::find(described.begin(), described.end(), hash) != described.end())
        return;
    described.push_back(hash);
    DecodedBatch::ShapeDescription d { hash, {} };
    if (lastHasPayload) {
        shapeFields.clear();
        Shape::of(lastPayload, &shapeFields);
        for (ShapeTracker::ShapeField& f : shapeFields)
            d.fields.emplace_back(std::move(f.path), f.types);
    }
    out.shapeDescriptions.push_back(std::move(d));
}

void EventDecoder::Private::checkSchema(const SchemaRegistry& schemas, DecodedBatch& out)
{
    DecodedEvent& ev = out.events.back();
    const int schema = schemas.schemaFor(out.view(ev.type));
    if (schema < 0)
        return;
    ev.setSchemaChecked();
    violations.clear();
    if (!lastHasPayload)
        violations.push_back({ std::string(), "payload missing" });
    else if (validateElement(schemas.set(), schema, lastPayload, &violations))
        return;
    const quint32 index = quint32(out.events.size() - 1);
    for (const SchemaViolation& v : violations)
        out.schemaBreaches.push_back({ index, v.key() });
}

namespace {
MalformedRecord makeMalformed(const char* data, std::size_t len, const SourcePosition& position, qint64 receiveTimeUs,
    QString reason, int element)
{
    MalformedRecord m;
    m.position = position;
    m.element = element;
    m.receiveTimeUs = receiveTimeUs;
    m.reason = std::move(reason);
    m.excerpt = QByteArray(data, qsizetype(std::min<std::size_t>(len, 120)));
    return m;
}

void appendJsonString(std::string& out, std::string_view s)
{
    out += '"';
    for (const char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", unsigned(static_cast<unsigned char>(c)));
            out += buf;
        } else {
            out += c;
        }
    }
    out += '"';
}

} // namespace

int EventDecoder::decode(const char* data, std::size_t len, std::size_t readableAfter, const SourcePosition& position,
    qint64 receiveTimeUs, DecodedBatch& out)
{
    if (len > m_config.maxFrameBytes) {
        out.malformed.push_back(makeMalformed(data, len, position, receiveTimeUs,
            QStringLiteral("%1 bytes exceed the %2-byte limit").arg(len).arg(m_config.maxFrameBytes), -1));
        return 0;
    }
    dom::element root;
    if (!parse(data, len, readableAfter, position, receiveTimeUs, out, root))
        return 0;
    return decodeParsed(root, data, len, position, receiveTimeUs, out);
}

bool EventDecoder::parse(const char* data, std::size_t len, std::size_t readableAfter, const SourcePosition& position,
    qint64 receiveTimeUs, DecodedBatch& out, simdjson::dom::element& root)
{
    const char* parseFrom = data;
    if (readableAfter < SIMDJSON_PADDING) {
        d->padded.resize(len + SIMDJSON_PADDING);
        std::copy(data, data + len, d->padded.begin());
        parseFrom = d->padded.data();
    }
    const error_code err = d->parser.parse(reinterpret_cast<const uint8_t*>(parseFrom), len, false).get(root);
    if (err != SUCCESS) {
        out.malformed.push_back(makeMalformed(data, len, position, receiveTimeUs, jsonError(err), -1));
        return false;
    }
    return true;
}

int EventDecoder::decodeParsed(simdjson::dom::element root, const char* data, std::size_t len,
    const SourcePosition& position, qint64 receiveTimeUs, DecodedBatch& out)
{
    auto malformed = [&](QString reason, int element = -1) {
        out.malformed.push_back(makeMalformed(data, len, position, receiveTimeUs, std::move(reason), element));
        return 0;
    };
    auto decodeOne = [&](dom::object obj, const char* raw, std::size_t rawLen, bool rawInText, int element) {
        if (rawLen > m_config.maxEventBytes)
            return malformed(
                QStringLiteral("event of %1 bytes exceeds the %2-byte limit").arg(rawLen).arg(m_config.maxEventBytes),
                element);
        const std::size_t textMark = out.text.size();
        const std::size_t telemetryMark = out.telemetry.size();
        DecodedEvent& ev = out.events.emplace_back(); // decoded in place: an event is 120 bytes to copy
        QString error = d->decodeObject(obj, receiveTimeUs, ev, out);
        if (!error.isEmpty()) {
            out.events.pop_back();
            out.text.resize(textMark);
            out.telemetry.resize(telemetryMark);
            return malformed(std::move(error), element);
        }
        if (m_config.schemas)
            d->checkSchema(*m_config.schemas, out);
        if (m_config.learnShapes)
            d->learnShape(out);
        ev.origin = position.origin;
        ev.rawLength = quint32(rawLen);
        if (rawInText) {
            ev.rawTextOffset = quint32(out.text.size());
            out.text.append(raw, rawLen);
        } else {
            ev.rawExternal = raw;
        }
        return 1;
    };

    dom::object obj;
    if (root.get_object().get(obj) == SUCCESS) {
        if (len > m_config.maxEventBytes)
            return malformed(
                QStringLiteral("event of %1 bytes exceeds the %2-byte limit").arg(len).arg(m_config.maxEventBytes));
        return decodeOne(obj, data, len, false, -1);
    }
    dom::array array;
    if (root.get_array().get(array) != SUCCESS)
        return malformed(QStringLiteral("not a JSON object or array of objects"));
    // each element keeps its own bytes exactly as received: find their spans in the (valid) text
    // rather than re-serialising every element
    std::vector<std::pair<std::size_t, std::size_t>>& spans = d->spans;
    const bool haveSpans = splitArray(data, len, spans) && spans.size() == array.size();
    int decoded = 0;
    int index = 0;
    for (dom::element element : array) {
        dom::object item;
        if (element.get_object().get(item) != SUCCESS) {
            malformed(QStringLiteral("batch element is not a JSON object"), index++);
            continue;
        }
        if (haveSpans) {
            const auto [offset, length] = spans[std::size_t(index)];
            decoded += decodeOne(item, data + offset, length, false, index++);
        } else {
            d->scratch = simdjson::minify(element);
            decoded += decodeOne(item, d->scratch.data(), d->scratch.size(), true, index++);
        }
    }
    return decoded;
}

int EventDecoder::decodeMessage(const char* data, std::size_t len, std::size_t readableAfter,
    const SourcePosition& position, qint64 receiveTimeUs, const MessageContext& context, DecodedBatch& out)
{
    auto subjectNote = [&]() {
        return QStringLiteral(" (subject \"%1\")")
            .arg(QString::fromUtf8(
                context.subject.data(), qsizetype(std::min<std::size_t>(context.subject.size(), 80))));
    };
    if (len > m_config.maxFrameBytes) {
        out.malformed.push_back(makeMalformed(data, len, position, receiveTimeUs,
            QStringLiteral("message body of %1 bytes exceeds the %2-byte limit").arg(len).arg(m_config.maxFrameBytes)
                + subjectNote(),
            -1));
        return 0;
    }
    dom::element root;
    if (!parse(data, len, readableAfter, position, receiveTimeUs, out, root)) {
        out.malformed.back().reason = QStringLiteral("message body is ") + out.malformed.back().reason + subjectNote();
        return 0;
    }
    bool envelope = d->isEvent(root);
    if (!envelope && root.is_array()) {
        dom::array array = root.get_array().value_unsafe();
        envelope = array.size() > 0;
        for (dom::element e : array)
            envelope = envelope && d->isEvent(e);
    }
    const std::size_t first = out.events.size();
    int decoded = 0;
    if (envelope) {
        const std::size_t malformedBefore = out.malformed.size();
        decoded = decodeParsed(root, data, len, position, receiveTimeUs, out);
        for (std::size_t i = malformedBefore; i < out.malformed.size(); ++i)
            out.malformed[i].reason += subjectNote();
    } else {
        // not an event: wrap the body as one, typed by its subject
        std::string idText;
        if (!context.id.empty()) {
            idText = std::string(context.id);
        } else {
            std::string seed(context.subject);
            seed.append(reinterpret_cast<const char*>(&receiveTimeUs), sizeof receiveTimeUs);
            seed.append(reinterpret_cast<const char*>(&context.sequence), sizeof context.sequence);
            seed.append(data, len);
            Uuid u = Uuid::hash(seed);
            u.hi = (u.hi & ~quint64(0xF000)) | 0x8000; // version 8: made here, not by the producer
            u.lo = (u.lo & ~(quint64(0xC) << 60)) | (quint64(0x8) << 60);
            idText = u.toString().toStdString();
        }
        if (len > m_config.maxEventBytes) {
            out.malformed.push_back(makeMalformed(data, len, position, receiveTimeUs,
                QStringLiteral("message body of %1 bytes exceeds the %2-byte limit")
                        .arg(len)
                        .arg(m_config.maxEventBytes)
                    + subjectNote(),
                -1));
            return 0;
        }
        std::string& w = d->wrapped;
        w.clear();
        w += "{\"id\":";
        appendJsonString(w, idText);
        w += ",\"type\":";
        appendJsonString(w, context.type.empty() ? std::string_view("message") : context.type);
        w += ",\"subject\":";
        appendJsonString(w, context.subject);
        w += ",\"payload\":";
        std::size_t b = 0, e = len;
        while (b < e && (data[b] == ' ' || data[b] == '\t' || data[b] == '\r' || data[b] == '\n'))
            ++b;
        while (e > b && (data[e - 1] == ' ' || data[e - 1] == '\t' || data[e - 1] == '\r' || data[e - 1] == '\n'))
            --e;
        w.append(data + b, e - b);
        w += '}';
        dom::element wrappedRoot;
        if (!parse(w.data(), w.size(), 0, position, receiveTimeUs, out, wrappedRoot))
            return 0;
        decoded = decodeParsed(wrappedRoot, w.data(), w.size(), position, receiveTimeUs, out);
        for (std::size_t i = first; i < out.events.size(); ++i) {
            DecodedEvent& ev = out.events[i];
            if (ev.rawExternal) {
                ev.rawTextOffset = quint32(out.text.size());
                out.text.append(ev.rawExternal, ev.rawLength);
                ev.rawExternal = nullptr;
            }
        }
    }
    // headers carry what the body may lack
    const std::string traceId = context.correlation.empty() ? traceIdOf(context.traceparent) : std::string();
    const std::string_view correlation = context.correlation.empty() ? std::string_view(traceId) : context.correlation;
    // a message that is one event takes the broker's sequence (a batch's events cannot share one)
    if (context.brokerSequence && out.events.size() == first + 1) {
        DecodedEvent& ev = out.events[first];
        ev.seq = context.brokerSequence;
        ev.flags |= EventRecord::HasSeq;
    }
    for (std::size_t i = first; i < out.events.size(); ++i) {
        DecodedEvent& ev = out.events[i];
        if (!(ev.flags & EventRecord::HasCorrelation) && !correlation.empty()) {
            bool hashed = false;
            ev.correlation = Uuid::fromText(correlation, &hashed);
            ev.setCorrelationHashed(hashed);
            if (hashed)
                ev.correlationText = out.store(correlation);
            ev.flags |= EventRecord::HasCorrelation;
        }
        if (!(ev.flags & EventRecord::HasCausation) && !context.causation.empty()) {
            ev.causation = Uuid::fromText(context.causation, nullptr);
            ev.flags |= EventRecord::HasCausation;
        }
    }
    return decoded;
}
