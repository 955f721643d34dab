// SPDX-License-Identifier: MIT
#include "jetstream.h"

#include "timestamp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>
#include <charconv>
#include <limits>

namespace {

bool parseNumber(QByteArrayView text, quint64& out)
{
    if (text.isEmpty() || text.size() > 20)
        return false;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), out);
    return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

/// "1h30m", "15m", "90s", "2d": microseconds, or -1.
qint64 parseDuration(const QString& text)
{
    const QByteArray t = text.toLatin1();
    if (t.isEmpty() || t.size() > 32)
        return -1;
    qint64 total = 0;
    qsizetype i = 0;
    while (i < t.size()) {
        const qsizetype start = i;
        while (i < t.size() && t[i] >= '0' && t[i] <= '9')
            ++i;
        quint64 n = 0;
        if (i == start || i >= t.size() || !parseNumber(QByteArrayView(t).sliced(start, i - start), n))
            return -1;
        qint64 unit = 0;
        switch (t[i]) {
        case 's':
            unit = 1'000'000;
            break;
        case 'm':
            unit = 60'000'000;
            break;
        case 'h':
            unit = 3'600'000'000;
            break;
        case 'd':
            unit = 86'400'000'000;
            break;
        default:
            return -1;
        }
        ++i;
        // at most about a century, checked before multiplying: no overflow on the way
        constexpr qint64 Century = qint64(36600) * 86'400'000'000;
        if (n > quint64(Century / unit))
            return -1;
        total += qint64(n) * unit;
        if (total > Century)
            return -1;
    }
    return total;
}

bool parseTime(const QString& text, qint64* us)
{
    const QByteArray t = text.toLatin1();
    return t.size() < 64 && text.size() == t.size() && t.contains('T')
        && Timestamp::parseIso8601(std::string_view(t.constData(), std::size_t(t.size())), *us);
}

QString rfc3339Nanos(qint64 us)
{
    // JetStream wants RFC 3339 to the nanosecond; Timestamp gives milliseconds: the microseconds and
    // three zeros follow
    QString text = Timestamp::toIso8601(us); // 2026-11-29T13:01:03.250Z
    text.chop(1);
    const qint64 micros = ((us % 1000) + 1000) % 1000;
    return text + QString::number(micros).rightJustified(3, u'0') + QStringLiteral("000Z");
}

} // namespace

bool JetStream::parseStart(const QString& text, Start* out, QString* error)
{
    Start s;
    quint64 n = 0;
    const QByteArray latin = text.toLatin1();
    if (text.isEmpty() || text == QLatin1String("first") || text == QLatin1String("all")) {
        s.kind = Start::First;
    } else if (text == QLatin1String("new")) {
        s.kind = Start::New;
    } else if (text.size() == latin.size() && parseNumber(latin, n)) {
        if (n == 0) {
            if (error)
                *error = QStringLiteral("from=0: stream sequences start at 1");
            return false;
        }
        s.kind = Start::Sequence;
        s.sequence = n;
    } else if (parseTime(text, &s.timeUs)) {
        s.kind = Start::Time;
    } else if (const qint64 ago = parseDuration(text); ago > 0) {
        s.kind = Start::Ago;
        s.timeUs = ago;
    } else {
        if (error)
            *error = QStringLiteral("from=\"%1\" is not first, new, a stream sequence, an RFC 3339 time "
                                    "(2026-12-05T14:00:00Z) or a duration (15m, 1h)")
                         .arg(text.left(64));
        return false;
    }
    *out = s;
    return true;
}

bool JetStream::parseEnd(const QString& text, End* out, QString* error)
{
    End e;
    quint64 n = 0;
    const QByteArray latin = text.toLatin1();
    if (text.size() == latin.size() && parseNumber(latin, n) && n > 0) {
        e.kind = End::Sequence;
        e.sequence = n;
    } else if (parseTime(text, &e.timeUs)) {
        e.kind = End::Time;
    } else {
        if (error)
            *error = QStringLiteral("to=\"%1\" is not a stream sequence or an RFC 3339 time (2026-12-05T14:20:00Z)")
                         .arg(text.left(64));
        return false;
    }
    *out = e;
    return true;
}

QString JetStream::describe(const Start& start)
{
    switch (start.kind) {
    case Start::First:
        return QStringLiteral("first");
    case Start::New:
        return QStringLiteral("new");
    case Start::Sequence:
        return QString::number(start.sequence);
    case Start::Time:
        return Timestamp::toIso8601(start.timeUs);
    case Start::Ago:
        return QStringLiteral("%1s").arg(start.timeUs / 1'000'000);
    }
    return {};
}

bool JetStream::parseAckSubject(QByteArrayView subject, Delivery* out)
{
    // $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ns>.<pending>            (9 tokens)
    // $JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ns>.<pending>[.<random>]
    QByteArrayView tokens[13];
    int n = 0;
    qsizetype start = 0;
    for (qsizetype i = 0; i <= subject.size(); ++i) {
        if (i == subject.size() || subject[i] == '.') {
            if (n == 13)
                return false;
            tokens[n++] = subject.sliced(start, i - start);
            start = i + 1;
        }
    }
    if (n < 9 || tokens[0] != "$JS" || tokens[1] != "ACK")
        return false;
    int numbers = 0; // where the five numbers begin
    if (n == 9)
        numbers = 4;
    else if (n == 11 || n == 12)
        numbers = 6;
    else
        return false;
    for (int i = 2; i < numbers; ++i)
        if (tokens[i].isEmpty())
            return false;
    quint64 v[5];
    for (int i = 0; i < 5; ++i)
        if (!parseNumber(tokens[numbers + i], v[i]))
            return false;
    if (v[1] == 0 || v[3] > quint64(std::numeric_limits<qint64>::max()))
        return false;
    out->delivered = v[0];
    out->streamSequence = v[1];
    out->consumerSequence = v[2];
    out->timeUs = qint64(v[3] / 1000);
    out->pending = v[4];
    return true;
}

bool JetStream::isValidName(QByteArrayView name)
{
    if (name.isEmpty() || name.size() > 255)
        return false;
    for (const char c : name)
        if (c <= ' ' || c > '~' || c == '.' || c == '*' || c == '>' || c == '/' || c == '\\')
            return false;
    return true;
}

QByteArray JetStream::orderedConsumerRequest(const QByteArray& stream, const QByteArray& deliverSubject,
    const Start& start, const QByteArray& filter, qint64 nowUs, qint64 idleHeartbeatMs)
{
    QJsonObject config { { QStringLiteral("deliver_subject"), QString::fromLatin1(deliverSubject) },
        { QStringLiteral("ack_policy"), QStringLiteral("none") }, { QStringLiteral("max_deliver"), 1 },
        { QStringLiteral("replay_policy"), QStringLiteral("instant") }, { QStringLiteral("flow_control"), true },
        { QStringLiteral("idle_heartbeat"), double(idleHeartbeatMs) * 1e6 }, // nanoseconds
        { QStringLiteral("mem_storage"), true }, { QStringLiteral("num_replicas"), 1 },
        // the server removes it once nobody has listened for this long (a lost connection)
        { QStringLiteral("inactive_threshold"), 30e9 } };
    switch (start.kind) {
    case Start::First:
        config[QStringLiteral("deliver_policy")] = QStringLiteral("all");
        break;
    case Start::New:
        config[QStringLiteral("deliver_policy")] = QStringLiteral("new");
        break;
    case Start::Sequence:
        config[QStringLiteral("deliver_policy")] = QStringLiteral("by_start_sequence");
        config[QStringLiteral("opt_start_seq")] = double(start.sequence);
        break;
    case Start::Time:
    case Start::Ago:
        config[QStringLiteral("deliver_policy")] = QStringLiteral("by_start_time");
        config[QStringLiteral("opt_start_time")]
            = rfc3339Nanos(start.kind == Start::Time ? start.timeUs : nowUs - start.timeUs);
        break;
    }
    if (!filter.isEmpty() && filter != ">")
        config[QStringLiteral("filter_subject")] = QString::fromUtf8(filter);
    const QJsonObject request { { QStringLiteral("stream_name"), QString::fromLatin1(stream) },
        { QStringLiteral("config"), config } };
    return QJsonDocument(request).toJson(QJsonDocument::Compact);
}

JetStream::Reply JetStream::parseReply(QByteArrayView body)
{
    Reply r;
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(body.toByteArray(), &parseError);
    if (!doc.isObject()) {
        r.description = QStringLiteral("the JetStream API sent a reply that is not a JSON object");
        return r;
    }
    const QJsonObject o = doc.object();
    const QJsonValue error = o.value(QLatin1String("error"));
    if (error.isObject()) {
        const QJsonObject e = error.toObject();
        r.code = e.value(QLatin1String("code")).toInt();
        r.errorCode = e.value(QLatin1String("err_code")).toInt();
        r.description = e.value(QLatin1String("description")).toString().left(300);
        if (r.description.isEmpty())
            r.description = QStringLiteral("error %1").arg(r.code);
        return r;
    }
    r.ok = true;
    r.consumerName = o.value(QLatin1String("name")).toString().left(255);
    const QJsonObject state = o.value(QLatin1String("state")).toObject();
    // sequences as the integers they are (past 2^53 a double would round them)
    r.lastSequence = quint64(std::max<qint64>(0, state.value(QLatin1String("last_seq")).toInteger()));
    r.firstSequence = quint64(std::max<qint64>(0, state.value(QLatin1String("first_seq")).toInteger()));
    if (const QJsonValue pending = o.value(QLatin1String("num_pending")); pending.isDouble())
        r.pending = std::max<qint64>(0, pending.toInteger());
    const QByteArray created = o.value(QLatin1String("created")).toString().left(64).toLatin1();
    if (qint64 us = 0; !created.isEmpty()
        && Timestamp::parseIso8601(std::string_view(created.constData(), std::size_t(created.size())), us))
        r.createdUs = us;
    return r;
}

bool JetStream::parseStreamList(QByteArrayView body, std::vector<StreamInfo>* out, quint64* total, QString* error)
{
    const Reply reply = parseReply(body);
    if (!reply.ok) {
        *error = reply.description;
        return false;
    }
    const QJsonObject o = QJsonDocument::fromJson(body.toByteArray()).object();
    const QJsonValue streams = o.value(QLatin1String("streams"));
    if (!streams.isArray() && !streams.isNull()) { // an empty list comes as null
        *error = QStringLiteral("the JetStream API's stream list has no \"streams\" array");
        return false;
    }
    const auto count = [](const QJsonValue& v) { return quint64(std::max<qint64>(0, v.toInteger())); };
    *total = count(o.value(QLatin1String("total")));
    const QJsonArray list = streams.toArray();
    for (qsizetype i = 0; i < std::min<qsizetype>(list.size(), 1000); ++i) {
        const QJsonObject s = list.at(i).toObject();
        const QJsonObject config = s.value(QLatin1String("config")).toObject();
        const QJsonObject state = s.value(QLatin1String("state")).toObject();
        StreamInfo info;
        info.name = config.value(QLatin1String("name")).toString();
        if (!isValidName(info.name.toUtf8()))
            continue;
        for (const QJsonValue& subject : config.value(QLatin1String("subjects")).toArray())
            if (info.subjects.size() < 100 && subject.isString())
                info.subjects << subject.toString().left(255);
        info.messages = count(state.value(QLatin1String("messages")));
        info.bytes = count(state.value(QLatin1String("bytes")));
        info.firstSeq = count(state.value(QLatin1String("first_seq")));
        info.lastSeq = count(state.value(QLatin1String("last_seq")));
        info.consumers = count(state.value(QLatin1String("consumer_count")));
        // an empty stream says "0001-01-01T00:00:00Z": no time
        qint64 us = 0;
        if (info.messages > 0 && parseTime(state.value(QLatin1String("first_ts")).toString(), &us) && us > 0)
            info.firstTimeUs = us;
        if (info.messages > 0 && parseTime(state.value(QLatin1String("last_ts")).toString(), &us) && us > 0)
            info.lastTimeUs = us;
        out->push_back(std::move(info));
    }
    return true;
}

int JetStream::headerStatus(QByteArrayView headers, QByteArrayView* description)
{
    // "NATS/1.0 100 Idle Heartbeat\r\n..."
    qsizetype end = headers.indexOf('\n');
    QByteArrayView line = end < 0 ? headers : headers.first(end);
    if (line.endsWith('\r'))
        line.chop(1);
    if (!line.startsWith("NATS/1.0"))
        return 0;
    line = line.sliced(8).trimmed();
    if (line.size() < 3)
        return 0;
    quint64 code = 0;
    if (!parseNumber(line.first(3), code))
        return 0;
    if (description)
        *description = line.sliced(3).trimmed();
    return int(code);
}
