// SPDX-License-Identifier: MIT
#include "natsprotocol.h"

#include "connectorslogging.h"
#include "timestamp.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <algorithm>
#include <charconv>
#include <cstring>

namespace {
bool sameOp(QByteArrayView a, const char* b)
{
    const std::size_t n = std::strlen(b);
    if (std::size_t(a.size()) != n)
        return false;
    for (std::size_t i = 0; i < n; ++i) {
        char c = a[qsizetype(i)];
        if (c >= 'a' && c <= 'z')
            c = char(c - 'a' + 'A');
        if (c != b[i])
            return false;
    }
    return true;
}

bool parseSize(QByteArrayView text, std::size_t& out)
{
    if (text.isEmpty() || text.size() > 19)
        return false;
    const auto res = std::from_chars(text.data(), text.data() + text.size(), out);
    return res.ec == std::errc() && res.ptr == text.data() + text.size();
}

/// Splits a control line's arguments on spaces and tabs (at most `max`; more makes the line invalid).
int split(QByteArrayView line, QByteArrayView* parts, int max)
{
    int n = 0;
    qsizetype i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t'))
            ++i;
        if (i >= line.size())
            break;
        const qsizetype start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t')
            ++i;
        if (n == max)
            return max + 1;
        parts[n++] = line.sliced(start, i - start);
    }
    return n;
}

QString printable(QByteArrayView text, qsizetype max = 120)
{
    QString s = QString::fromUtf8(text.first(std::min(max, text.size())));
    for (QChar& ch : s) {
        if (ch.unicode() < 0x20)
            ch = u'?';
    }
    return text.size() > max ? s + QStringLiteral("...") : s;
}
} // namespace

namespace {
constexpr quint64 ApiSid = 2; ///< the JetStream API's replies, <inbox>.r.*
constexpr quint64 FirstDeliverSid = 100; ///< consumer generation g delivers to sid 100 + g
constexpr qint64 ApiTimeoutMs = 5000; ///< as nats.go waits for a JetStream API reply
/// Consumer creations tried on one server before another is tried: a cluster electing its leaders
/// answers late or "temporarily unavailable" for a few seconds, and any of its servers forwards.
constexpr int MaxCreateAttempts = 4;

qint64 nowMs() { return QDateTime::currentMSecsSinceEpoch(); }
} // namespace

NatsProtocol::NatsProtocol(Options options)
    : m_options(std::move(options))
{
    // an inbox of this reader's own: nobody else's replies or deliveries reach it
    m_inbox = m_options.inbox;
    if (m_inbox.isEmpty())
        m_inbox = "_INBOX.eventscope." + QByteArray::number(QRandomGenerator::global()->generate64(), 16);
}

void NatsProtocol::opened(Connection&)
{
    discard();
    m_pending = {};
    m_lastError.clear();
    m_connectSent = false;
    m_ready = false;
    m_createSentMs = 0;
    m_createRetryAtMs = 0;
    m_createFailures = 0;
    m_lastConsumerSeq = 0;
    m_readySent = false;
    m_halted = false;
    m_listSentMs = 0;
    m_listSamples.clear();
    m_getsAwaited = 0;
}

void NatsProtocol::keepAlive(Connection& c)
{
    if (!m_connectSent)
        return;
    c.send(QByteArrayLiteral("PING\r\n"));
}

void NatsProtocol::createFailed(Connection& c, const QString& why)
{
    if (++m_createFailures >= MaxCreateAttempts) {
        halt(c, why, false); // another server, after the connection's backoff
        return;
    }
    // asked again on this connection: 0.5 s, 1 s, then every 2 s
    const qint64 delay = std::min<qint64>(2000, 250LL << m_createFailures);
    m_createRetryAtMs = nowMs() + delay;
    qCInfo(lcConnectors, "JetStream stream \"%s\": %s; asking for the consumer again in %lld ms",
        m_options.stream.constData(), qPrintable(why), delay);
}

void NatsProtocol::createConsumer(Connection& c)
{
    // the consumer before it (if any) is of no use: its subscription goes, and so does it
    QByteArray out;
    if (m_consumerGeneration)
        out += "UNSUB " + QByteArray::number(FirstDeliverSid + m_consumerGeneration) + "\r\n";
    if (!m_consumerName.isEmpty()) {
        out += publish(QByteArray("$JS.API.CONSUMER.DELETE." + m_options.stream + '.' + m_consumerName), {});
        m_consumerName.clear();
    }
    ++m_consumerGeneration;
    const QByteArray deliver = m_inbox + ".d." + QByteArray::number(m_consumerGeneration);
    out += "SUB " + deliver + ' ' + QByteArray::number(FirstDeliverSid + m_consumerGeneration) + "\r\n";
    // from the start asked, or on from the last message delivered
    JetStream::Start start = m_options.start;
    if (m_lastStreamSeq) {
        start.kind = JetStream::Start::Sequence;
        start.sequence = m_lastStreamSeq + 1;
    }
    const QByteArray body = JetStream::orderedConsumerRequest(
        m_options.stream, deliver, start, m_options.subject.toUtf8(), nowMs() * 1000, m_options.idleHeartbeatMs);
    const QByteArray subject = "$JS.API.CONSUMER.CREATE." + m_options.stream;
    const QByteArray reply = m_inbox + ".r." + QByteArray::number(m_consumerGeneration);
    out += "PUB " + subject + ' ' + reply + ' ' + QByteArray::number(body.size()) + "\r\n" + body + "\r\n";
    m_lastConsumerSeq = 0;
    m_caughtUp = false;
    m_createRetryAtMs = 0;
    m_createSentMs = nowMs();
    m_lastDeliveryMs = m_createSentMs;
    c.send(out);
}

void NatsProtocol::tick(Connection& c)
{
    if (m_options.stream.isEmpty() || !m_ready || m_done || m_halted)
        return;
    const qint64 now = nowMs();
    if (m_createSentMs && now - m_createSentMs > ApiTimeoutMs) {
        m_createSentMs = 0;
        createFailed(c, QStringLiteral("no reply from the JetStream API within %1 s").arg(ApiTimeoutMs / 1000));
        return;
    }
    if (m_createRetryAtMs) {
        if (now >= m_createRetryAtMs)
            createConsumer(c);
        return;
    }
    // an ordered consumer sends a heartbeat when idle: none for three of them, and it is gone
    if (!m_createSentMs && now - m_lastDeliveryMs > 3 * m_options.idleHeartbeatMs) {
        createConsumer(c);
        return;
    }
    const JetStream::End& end = m_options.end;
    const qint64 serverNow = m_serverClockKnown ? now + m_serverAheadMs - EndTimeMarginMs : now - EndTimeGraceMs;
    const bool listAwaited = m_listSentMs && now - m_listSentMs < ApiTimeoutMs; // the read's consumers first
    if (end.kind == JetStream::End::Time && m_caughtUp && !m_createSentMs && !listAwaited
        && serverNow > end.timeUs / 1000) {
        finish(c, QStringLiteral("read to the end of the range (nothing later in it)"));
        return;
    }
    if (!m_readySent)
        return;
    if (!m_listSamples.empty() && now - m_listAnsweredMs >= 1000)
        reportConsumers(c); // a lag the stream did not tell in time stays unknown
    if (now - m_lastListMs < 1000 || (m_listSentMs && now - m_listSentMs < ApiTimeoutMs))
        return;
    askConsumers(c);
}

void NatsProtocol::askConsumers(Connection& c)
{
    m_lastListMs = m_listSentMs = nowMs();
    QByteArray out = publish(QByteArray("$JS.API.CONSUMER.LIST." + m_options.stream), "{\"offset\":0}");
    // as a request: the reply subject goes between the subject and the size
    out.insert(out.indexOf(' ', 4), ' ' + m_inbox + ".r.list");
    c.send(out);
}

void NatsProtocol::consumerList(const BrokerMessage& m, Connection& c)
{
    m_listSentMs = 0;
    if (!m_listSamples.empty())
        reportConsumers(c);
    const QJsonObject reply = QJsonDocument::fromJson(m.body.toByteArray()).object();
    const QJsonArray list = reply.value(QLatin1String("consumers")).toArray();
    std::vector<ConsumerSample> samples;
    QByteArray gets;
    const qint64 nowUs = nowMs() * 1000;
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        const QJsonObject config = o.value(QLatin1String("config")).toObject();
        // durable consumers only: the services' own (ephemeral ones, this reader's among them, come and go)
        const QString durable = config.value(QLatin1String("durable_name")).toString();
        if (durable.isEmpty() || durable.size() > 255 || samples.size() >= 256)
            continue;
        // counts and sequences as the integers they are (past 2^53 a double would round them)
        const auto number = [](const QJsonValue& x) { return quint64(std::max<qint64>(0, x.toInteger())); };
        ConsumerSample s;
        s.timeUs = nowUs;
        s.stream = m_options.stream.toStdString();
        s.name = durable.toStdString();
        s.pending = number(o.value(QLatin1String("num_pending")));
        s.ackPending = number(o.value(QLatin1String("num_ack_pending")));
        s.redelivered = number(o.value(QLatin1String("num_redelivered")));
        s.waiting = number(o.value(QLatin1String("num_waiting")));
        s.deliveredSeq = number(o.value(QLatin1String("delivered")).toObject().value(QLatin1String("stream_seq")));
        s.ackFloorSeq = number(o.value(QLatin1String("ack_floor")).toObject().value(QLatin1String("stream_seq")));
        // its lag: the age of the message after the ack floor, asked of the stream when that changes
        const QByteArray name = durable.toUtf8();
        auto at = std::find_if(m_oldest.begin(), m_oldest.end(), [&](const Oldest& x) { return x.consumer == name; });
        if (at == m_oldest.end() && m_oldest.size() < 256) {
            m_oldest.push_back({ name, 0, -1 });
            at = m_oldest.end() - 1;
        }
        if (s.pending == 0 && s.ackPending == 0) {
            s.lagUs = 0;
        } else if (at != m_oldest.end()) {
            const quint64 first = s.ackFloorSeq + 1;
            if (at->seq == first && at->timeUs >= 0) {
                s.lagUs = std::max<qint64>(0, nowUs - at->timeUs);
            } else if (at->seq != first) {
                at->seq = first;
                at->timeUs = -1;
                ++m_getsAwaited;
                QString filter = config.value(QLatin1String("filter_subject")).toString();
                if (filter.isEmpty())
                    filter = QStringLiteral(">");
                const QByteArray body = QJsonDocument(
                    QJsonObject { { QStringLiteral("seq"), double(first) },
                        { QStringLiteral("next_by_subj"),
                            filter } }).toJson(QJsonDocument::Compact);
                QByteArray get = publish(QByteArray("$JS.API.STREAM.MSG.GET." + m_options.stream), body);
                get.insert(
                    get.indexOf(' ', 4), ' ' + m_inbox + ".r.g" + QByteArray::number(qsizetype(at - m_oldest.begin())));
                gets += get;
            }
        }
        samples.push_back(std::move(s));
    }
    m_listSamples = std::move(samples);
    m_listAnsweredMs = nowMs();
    if (!gets.isEmpty())
        c.send(gets);
    else
        reportConsumers(c);
}

void NatsProtocol::reportConsumers(Connection& c)
{
    // the lags the stream has told since
    for (ConsumerSample& s : m_listSamples) {
        if (s.lagUs >= 0)
            continue;
        const auto at = std::find_if(m_oldest.begin(), m_oldest.end(),
            [&](const Oldest& x) { return x.consumer == QByteArrayView(s.name.data(), qsizetype(s.name.size())); });
        if (at != m_oldest.end() && at->seq == s.ackFloorSeq + 1 && at->timeUs >= 0)
            s.lagUs = std::max<qint64>(0, s.timeUs - at->timeUs);
    }
    m_getsAwaited = 0;
    std::vector<ConsumerSample> samples;
    samples.swap(m_listSamples);
    if (c.consumers && !samples.empty())
        c.consumers(std::move(samples));
}

void NatsProtocol::oldestUnacked(const BrokerMessage& m, Connection& c)
{
    bool ok = false;
    const QByteArrayView tail = m.subject.sliced(m_inbox.size() + 4); // after "<inbox>.r.g"
    const qsizetype index = QByteArray(tail.data(), tail.size()).toLongLong(&ok);
    if (!ok || index < 0 || std::size_t(index) >= m_oldest.size())
        return;
    // {"message": {"subject", "seq", "time": RFC 3339, ...}}: when the stream stored it
    const QJsonObject message
        = QJsonDocument::fromJson(m.body.toByteArray()).object().value(QLatin1String("message")).toObject();
    const QByteArray time = message.value(QLatin1String("time")).toString().toLatin1();
    qint64 us = 0;
    if (!time.isEmpty() && time.size() < 64
        && Timestamp::parseIso8601(std::string_view(time.constData(), std::size_t(time.size())), us))
        m_oldest[std::size_t(index)].timeUs = us;
    // every time asked for has come: the list is complete
    if (m_getsAwaited > 0 && --m_getsAwaited == 0 && !m_listSamples.empty())
        reportConsumers(c);
}

void NatsProtocol::apiReply(const BrokerMessage& m, Connection& c)
{
    if (m.subject == QByteArray(m_inbox + ".r.list")) {
        consumerList(m, c);
        return;
    }
    if (m.subject.startsWith(QByteArray(m_inbox + ".r.g"))) {
        oldestUnacked(m, c);
        return;
    }
    // only the reply to the consumer being made counts
    const QByteArray expected = m_inbox + ".r." + QByteArray::number(m_consumerGeneration);
    if (m.subject != expected || !m_createSentMs)
        return;
    const qint64 sentMs = m_createSentMs;
    m_createSentMs = 0;
    QByteArrayView status;
    if (JetStream::headerStatus(m.headers, &status) == 503) {
        // no responders: nothing serves the JetStream API here
        const QString why = QStringLiteral("the NATS server has no JetStream (no responder for the JetStream API)");
        if (m_everCreated)
            createFailed(c, why); // it had: a server starting again, or a cluster between leaders
        else
            halt(c, why + QStringLiteral(": not retrying"), true);
        return;
    }
    const JetStream::Reply r = JetStream::parseReply(m.body);
    if (!r.ok) {
        const QString stream = QString::fromUtf8(m_options.stream);
        QString why = r.errorCode == 10059
            ? QStringLiteral("JetStream stream \"%1\" not found on the server").arg(stream)
            : QStringLiteral("JetStream refused the consumer on stream \"%1\": %2 (code %3, error %4)")
                  .arg(stream, r.description)
                  .arg(r.code)
                  .arg(r.errorCode);
        // what asking again cannot change: no such stream, a bad request, no permission
        if (r.code == 400 || r.code == 403 || r.code == 404 || r.errorCode == 10059)
            halt(c, why + QStringLiteral(" (not retrying)"), true);
        else
            createFailed(c, why);
        return;
    }
    m_createFailures = 0;
    if (r.createdUs > 0) {
        // made between the request and this reply: its time against the middle of the two
        const qint64 now = nowMs();
        m_serverAheadMs = r.createdUs / 1000 - (now + sentMs) / 2;
        m_serverClockKnown = true;
    }
    m_consumerName = r.consumerName.toUtf8();
    if (!JetStream::isValidName(m_consumerName))
        m_consumerName.clear();
    m_lastDeliveryMs = nowMs();
    m_everCreated = true;
    m_caughtUp = r.pending == 0;
    if (!m_readySent) {
        m_readySent = true;
        c.ready();
        askConsumers(c); // at once: a short read still says who consumes the stream
    }
}

void NatsProtocol::delivered(const BrokerMessage& m, QByteArrayView reply, quint64 sid, Connection& c)
{
    if (m_done || sid != FirstDeliverSid + m_consumerGeneration)
        return; // an earlier consumer's
    m_lastDeliveryMs = nowMs();
    QByteArrayView status;
    const int code = JetStream::headerStatus(m.headers, &status);
    if (code == 100) {
        if (!reply.isEmpty()) // flow control: answered, or the server stops sending
            c.send(publish(reply, {}));
        if (const QByteArrayView stalled = header(m.headers, "Nats-Consumer-Stalled"); !stalled.isEmpty())
            c.send(publish(stalled, {}));
        // a heartbeat says what the consumer last sent: more than came means something was lost
        quint64 last = 0;
        const QByteArrayView lastConsumer = header(m.headers, "Nats-Last-Consumer");
        if (!lastConsumer.isEmpty()
            && std::from_chars(lastConsumer.data(), lastConsumer.data() + lastConsumer.size(), last).ec == std::errc()
            && last > m_lastConsumerSeq) {
            createConsumer(c);
            return;
        }
        // an idle heartbeat (no reply subject) comes only when the consumer has nothing to send
        if (reply.isEmpty())
            m_caughtUp = true;
        return;
    }
    if (code != 0) {
        // 408, 409 (consumer deleted, ...): this consumer is done for; another one goes on
        createConsumer(c);
        return;
    }
    JetStream::Delivery d;
    if (!JetStream::parseAckSubject(reply, &d)) {
        halt(c,
            QStringLiteral("NATS protocol error: a JetStream message came without its $JS.ACK reply subject (\"%1\")")
                .arg(printable(reply)),
            false);
        return;
    }
    // an ordered consumer's messages come one after another: a skip means one was lost on the way
    if (d.consumerSequence != m_lastConsumerSeq + 1) {
        createConsumer(c);
        return;
    }
    m_lastConsumerSeq = d.consumerSequence;
    if (d.streamSequence <= m_lastStreamSeq)
        return; // delivered already (by the consumer before this one)
    const JetStream::End& end = m_options.end;
    if ((end.kind == JetStream::End::Time && d.timeUs > end.timeUs)
        || (end.kind == JetStream::End::Sequence && d.streamSequence > end.sequence)) {
        finish(c, QStringLiteral("read to the end of the range"));
        return;
    }
    BrokerMessage out = m;
    // the stream's sequence is the bus's order only when every subject of it is read
    out.streamSequence = m_options.subject.isEmpty() || m_options.subject == QLatin1String(">") ? d.streamSequence : 0;
    out.timeUs = d.timeUs;
    m_lastStreamSeq = d.streamSequence;
    m_caughtUp = d.pending == 0;
    ++m_messages;
    c.message(out);
    if (end.kind == JetStream::End::Sequence && d.streamSequence >= end.sequence)
        finish(c, QStringLiteral("read to the end of the range"));
}

void NatsProtocol::halt(Connection& c, const QString& why, bool fatal)
{
    m_halted = true;
    c.fail(why, fatal);
}

void NatsProtocol::finish(Connection& c, const QString& what)
{
    if (m_done)
        return;
    m_done = true;
    m_halted = true;
    c.send("UNSUB " + QByteArray::number(FirstDeliverSid + m_consumerGeneration) + "\r\n");
    if (!m_listSamples.empty())
        reportConsumers(c); // what the list said, with the lags known by now
    if (c.finished)
        c.finished(what);
}

QByteArray NatsProtocol::publish(QByteArrayView subject, QByteArrayView body, QByteArrayView headers)
{
    QByteArray out;
    out.reserve(subject.size() + body.size() + headers.size() + 40);
    if (headers.isEmpty()) {
        out.append("PUB ").append(subject).append(' ').append(QByteArray::number(body.size())).append("\r\n");
    } else {
        out.append("HPUB ").append(subject).append(' ').append(QByteArray::number(headers.size())).append(' ');
        out.append(QByteArray::number(headers.size() + body.size())).append("\r\n").append(headers);
    }
    out.append(body).append("\r\n");
    return out;
}

QByteArrayView NatsProtocol::header(QByteArrayView block, QByteArrayView name)
{
    qsizetype pos = block.indexOf('\n'); // the first line is "NATS/1.0[ status]"
    while (pos >= 0 && pos + 1 < block.size()) {
        const qsizetype start = pos + 1;
        qsizetype end = block.indexOf('\n', start);
        if (end < 0)
            end = block.size();
        QByteArrayView line = block.sliced(start, end - start);
        if (line.endsWith('\r'))
            line.chop(1);
        const qsizetype colon = line.indexOf(':');
        if (colon > 0 && line.first(colon).trimmed().compare(name, Qt::CaseInsensitive) == 0)
            return line.sliced(colon + 1).trimmed();
        pos = end;
    }
    return {};
}

void NatsProtocol::sendConnect(Connection& c)
{
    QJsonObject connect { { QStringLiteral("verbose"), false }, { QStringLiteral("pedantic"), false },
        { QStringLiteral("tls_required"), false }, { QStringLiteral("name"), QStringLiteral("eventscope") },
        { QStringLiteral("lang"), QStringLiteral("cpp") },
        { QStringLiteral("version"), QStringLiteral(EVENTSCOPE_VERSION) }, { QStringLiteral("protocol"), 1 },
        { QStringLiteral("headers"),
            true }, // a request nobody serves is answered at once with a 503 status (a stream read, a stream list)
        { QStringLiteral("no_responders"), true }, { QStringLiteral("echo"), false } };
    if (!m_options.token.isEmpty())
        connect[QStringLiteral("auth_token")] = m_options.token;
    if (!m_options.user.isEmpty()) {
        connect[QStringLiteral("user")] = m_options.user;
        connect[QStringLiteral("pass")] = m_options.password;
    }
    QByteArray out = "CONNECT " + QJsonDocument(connect).toJson(QJsonDocument::Compact) + "\r\n";
    if (!m_options.stream.isEmpty())
        out += "SUB " + m_inbox + ".r.* " + QByteArray::number(ApiSid) + "\r\n"; // the consumer is made on PONG
    else if (!m_options.subject.isEmpty())
        out += "SUB " + m_options.subject.toUtf8() + " 1\r\n";
    out += "PING\r\n"; // its PONG says CONNECT and SUB were accepted
    c.send(out);
    m_connectSent = true;
}

qint64 NatsProtocol::parse(const char* data, std::size_t len, Connection& c)
{
    std::size_t pos = 0;
    while (pos < len) {
        if (m_pending.active) {
            const std::size_t need = m_pending.totalBytes + 2;
            if (len - pos < need)
                return qint64(pos);
            const char* p = data + pos;
            if (p[m_pending.totalBytes] != '\r' || p[m_pending.totalBytes + 1] != '\n') {
                c.fail(QStringLiteral("NATS protocol error: a message's payload is not followed by CRLF"), false);
                return -1;
            }
            BrokerMessage m;
            m.subject
                = QByteArrayView(m_line).sliced(qsizetype(m_pending.subjectOffset), qsizetype(m_pending.subjectLength));
            m.headers = QByteArrayView(p, qsizetype(m_pending.headerBytes));
            m.body = QByteArrayView(p + m_pending.headerBytes, qsizetype(m_pending.totalBytes - m_pending.headerBytes));
            m.reply = QByteArrayView(m_line).sliced(qsizetype(m_pending.replyOffset), qsizetype(m_pending.replyLength));
            m_pending.active = false;
            pos += need;
            if (m_options.stream.isEmpty()) {
                ++m_messages;
                c.message(m);
            } else if (m_pending.sid == ApiSid) {
                apiReply(m, c);
            } else {
                const QByteArrayView reply
                    = QByteArrayView(m_line).sliced(qsizetype(m_pending.replyOffset), qsizetype(m_pending.replyLength));
                delivered(m, reply, m_pending.sid, c);
            }
            if (m_halted)
                return -1; // failed, or finished, in the callback: nothing more of this connection
            continue;
        }
        const void* nl = std::memchr(data + pos, '\n', len - pos);
        if (!nl) {
            if (len - pos > m_options.maxControlLineBytes) {
                c.fail(QStringLiteral("NATS protocol error: a control line longer than %1 bytes")
                           .arg(m_options.maxControlLineBytes),
                    false);
                return -1;
            }
            return qint64(pos);
        }
        const std::size_t end = std::size_t(static_cast<const char*>(nl) - data);
        QByteArrayView line(data + pos, qsizetype(end - pos));
        if (line.endsWith('\r'))
            line.chop(1);
        pos = end + 1;
        if (!control(line, c))
            return -1;
    }
    return qint64(pos);
}

bool NatsProtocol::control(QByteArrayView line, Connection& c)
{
    const qsizetype space = [&]() {
        for (qsizetype i = 0; i < line.size(); ++i) {
            if (line[i] == ' ' || line[i] == '\t')
                return i;
        }
        return line.size();
    }();
    const QByteArrayView op = line.first(space);
    const QByteArrayView rest = line.sliced(space);
    auto protocolError = [&](const QString& why) {
        c.fail(QStringLiteral("NATS protocol error: %1 in \"%2\"").arg(why, printable(line)), false);
        return false;
    };

    if (sameOp(op, "MSG") || sameOp(op, "HMSG")) {
        const bool withHeaders = op.size() == 4;
        QByteArrayView parts[5];
        const int n = split(rest, parts, 5);
        const int sizes = withHeaders ? 2 : 1;
        if (n < 2 + sizes || n > 3 + sizes)
            return protocolError(QStringLiteral("wrong number of arguments"));
        std::size_t headerBytes = 0, total = 0;
        if (!parseSize(parts[n - 1], total) || (withHeaders && !parseSize(parts[n - 2], headerBytes)))
            return protocolError(QStringLiteral("a size that is not a number"));
        if (headerBytes > total)
            return protocolError(QStringLiteral("headers larger than the message"));
        if (total > m_options.maxPayloadBytes) {
            c.fail(QStringLiteral("a NATS message of %1 bytes exceeds the %2-byte limit on subject \"%3\"")
                       .arg(total)
                       .arg(m_options.maxPayloadBytes)
                       .arg(printable(parts[0])),
                false);
            return false;
        }
        std::size_t sid = 0;
        if (!parseSize(parts[1], sid))
            return protocolError(QStringLiteral("a subscription id that is not a number"));
        m_line = line.toByteArray();
        m_pending.active = true;
        m_pending.sid = sid;
        m_pending.subjectOffset = std::size_t(parts[0].data() - line.data());
        m_pending.subjectLength = std::size_t(parts[0].size());
        const bool withReply = n == 3 + sizes;
        m_pending.replyOffset = withReply ? std::size_t(parts[2].data() - line.data()) : 0;
        m_pending.replyLength = withReply ? std::size_t(parts[2].size()) : 0;
        m_pending.headerBytes = headerBytes;
        m_pending.totalBytes = total;
        return true;
    }
    if (sameOp(op, "PING")) {
        c.send(QByteArrayLiteral("PONG\r\n"));
        return true;
    }
    if (sameOp(op, "PONG")) {
        if (m_connectSent && !m_ready) {
            m_ready = true;
            if (m_options.stream.isEmpty()) {
                c.ready();
            } else {
                if (c.handshakeDone)
                    c.handshakeDone();
                createConsumer(c); // ready once JetStream has made it
            }
        }
        return true;
    }
    if (sameOp(op, "+OK"))
        return true;
    if (sameOp(op, "INFO")) {
        // the cluster's other servers, as the server announces them (again whenever they change)
        const QJsonValue urls
            = QJsonDocument::fromJson(rest.trimmed().toByteArray()).object().value(QLatin1String("connect_urls"));
        if (urls.isArray()) {
            m_announced.clear();
            const QJsonArray list = urls.toArray();
            for (const QJsonValue& u : list)
                if (u.isString() && u.toString().size() <= 300 && m_announced.size() < 32)
                    m_announced << u.toString();
        }
        if (!m_connectSent)
            sendConnect(c);
        return true;
    }
    if (sameOp(op, "-ERR")) {
        QByteArrayView text = rest.trimmed();
        if (text.startsWith('\'') && text.endsWith('\'') && text.size() >= 2)
            text = text.sliced(1, text.size() - 2);
        m_lastError = QStringLiteral("the NATS server said: ") + printable(text, 200);
        const QByteArray lower = text.toByteArray().toLower();
        if (lower.startsWith("authorization violation") || lower.startsWith("user authentication")) {
            c.fail(m_lastError + QStringLiteral(" (credentials refused: not retrying)"), true);
            return false;
        }
        if (lower.startsWith("permissions violation")) {
            c.fail(m_lastError + QStringLiteral(" (not retrying)"), true);
            return false;
        }
        return true; // the server closes the connection after most errors; the close is explained by this
    }
    return protocolError(QStringLiteral("unknown operation"));
}
