// SPDX-License-Identifier: MIT
#include "brokerprotocol.h"

#include "mqttprotocol.h"
#include "natsprotocol.h"

#include <QUrlQuery>
#include <algorithm>
#include <charconv>

namespace {
std::string_view view(QByteArrayView v) { return std::string_view(v.data(), std::size_t(v.size())); }

QByteArrayView firstHeader(QByteArrayView block, std::initializer_list<const char*> names)
{
    for (const char* name : names) {
        const QByteArrayView v = NatsProtocol::header(block, QByteArrayView(name));
        if (!v.isEmpty())
            return v;
    }
    return {};
}
} // namespace

MessageContext BrokerMessage::context(bool slashesAreDots, quint64 sequence, std::string& typeScratch) const
{
    MessageContext c;
    c.subject = view(subject);
    c.sequence = sequence;
    c.brokerSequence = streamSequence;
    if (!c.brokerSequence && !headers.isEmpty()) {
        // a recorded JetStream message keeps its stream sequence in this header (as JetStream's direct
        // get names it)
        const QByteArrayView seq = NatsProtocol::header(headers, "Nats-Sequence");
        quint64 n = 0;
        if (!seq.isEmpty() && std::from_chars(seq.data(), seq.data() + seq.size(), n).ec == std::errc())
            c.brokerSequence = n;
    }
    if (slashesAreDots) {
        typeScratch.assign(subject.data(), std::size_t(subject.size()));
        std::replace(typeScratch.begin(), typeScratch.end(), '/', '.');
        c.type = typeScratch;
    } else {
        c.type = c.subject;
    }
    if (!headers.isEmpty()) {
        c.id = view(NatsProtocol::header(headers, "Nats-Msg-Id"));
        c.correlation = view(firstHeader(headers, { "Correlation-Id", "X-Correlation-Id", "correlationId" }));
        c.causation = view(firstHeader(headers, { "Causation-Id", "X-Causation-Id", "causationId" }));
        c.traceparent = view(NatsProtocol::header(headers, "traceparent"));
    }
    return c;
}

QString BrokerEndpoint::protocolName(Protocol p)
{
    switch (p) {
    case Bus:
        return QStringLiteral("json");
    case Nats:
        return QStringLiteral("nats");
    case Mqtt:
        return QStringLiteral("mqtt");
    }
    return {};
}

bool BrokerEndpoint::parse(const QUrl& url, BrokerEndpoint& out, QString* error)
{
    auto refuse = [&](const QString& why) {
        if (error)
            *error = why;
        return false;
    };
    out = BrokerEndpoint();
    if (!url.isValid())
        return refuse(QStringLiteral("not a valid URL (%1)").arg(url.errorString()));
    const QString scheme = url.scheme().toLower();
    if (url.host().isEmpty())
        return refuse(QStringLiteral("the URL names no host"));
    if (scheme == QLatin1String("ws") || scheme == QLatin1String("wss")) {
        out.socketUrl = url;
        return true;
    }
    const qsizetype plus = scheme.indexOf(u'+');
    const QString protocol = scheme.left(plus);
    const QString transport = scheme.mid(plus + 1);
    if (plus < 0 || (protocol != QLatin1String("nats") && protocol != QLatin1String("mqtt"))
        || (transport != QLatin1String("ws") && transport != QLatin1String("wss")))
        return refuse(
            QStringLiteral("unsupported scheme \"%1\": use ws://, wss://, nats+ws://, nats+wss://, mqtt+ws:// "
                           "or mqtt+wss://")
                .arg(url.scheme()));
    out.protocol = protocol == QLatin1String("nats") ? Nats : Mqtt;
    out.user = url.userName(QUrl::FullyDecoded);
    out.password = url.password(QUrl::FullyDecoded);

    const QString filterKey = out.protocol == Nats ? QStringLiteral("subject") : QStringLiteral("topic");
    QUrlQuery query(url);
    QUrlQuery rest;
    bool haveFilter = false;
    QString from, to;
    QStringList servers;
    bool haveStream = false;
    const auto items = query.queryItems(QUrl::FullyDecoded);
    for (const auto& [key, value] : items) {
        if (key == filterKey) {
            out.filter = value;
            haveFilter = true;
        } else if (out.protocol == Nats && key == QLatin1String("stream")) {
            out.stream = value.toUtf8();
            haveStream = true;
        } else if (out.protocol == Nats && key == QLatin1String("from")) {
            from = value;
        } else if (out.protocol == Nats && key == QLatin1String("to")) {
            to = value;
        } else if (out.protocol == Nats && key == QLatin1String("servers")) {
            servers = value.split(u',', Qt::SkipEmptyParts);
        } else if (key == QLatin1String("token")) {
            out.token = value;
        } else {
            rest.addQueryItem(key, value);
        }
    }
    // "?topic=bus/#" typed as is: the '#' began a fragment; it belongs to the topic
    if (out.protocol == Mqtt && url.hasFragment())
        out.filter += u'#' + url.fragment(QUrl::FullyDecoded);
    if (!haveFilter && out.filter.isEmpty())
        out.filter = out.protocol == Nats ? QStringLiteral(">") : QStringLiteral("#");
    if (out.filter.isEmpty())
        return refuse(QStringLiteral("the %1 is empty").arg(filterKey));
    if (out.protocol == Nats
        && (out.filter.contains(u' ') || out.filter.contains(u'\t') || out.filter.contains(u'\r')
            || out.filter.contains(u'\n')))
        return refuse(QStringLiteral("a NATS subject cannot contain white space"));
    if (out.filter.toUtf8().size() > 65535)
        return refuse(QStringLiteral("the %1 is too long").arg(filterKey));
    if (haveStream && !JetStream::isValidName(out.stream))
        return refuse(QStringLiteral("\"%1\" is not a JetStream stream name (1 to 255 printable characters, no "
                                     "white space, '.', '*', '>', '/' or '\\')")
                          .arg(QString::fromUtf8(out.stream.left(64))));
    if ((!from.isEmpty() || !to.isEmpty()) && !haveStream)
        return refuse(QStringLiteral("from= and to= read a JetStream stream's history: name it with stream="));
    if (!from.isEmpty() && !JetStream::parseStart(from, &out.start, error))
        return false;
    if (!to.isEmpty() && !JetStream::parseEnd(to, &out.end, error))
        return false;
    if (out.start.kind == JetStream::Start::New && out.end.kind != JetStream::End::None)
        return refuse(QStringLiteral("from=new reads only what comes from now on: it has no history to end with to="));
    if (out.start.kind == JetStream::Start::Sequence && out.end.kind == JetStream::End::Sequence
        && out.end.sequence < out.start.sequence)
        return refuse(QStringLiteral("to=%1 comes before from=%2").arg(out.end.sequence).arg(out.start.sequence));

    QUrl socket;
    socket.setScheme(transport);
    socket.setHost(url.host());
    socket.setPort(url.port());
    socket.setPath(url.path(QUrl::FullyEncoded).isEmpty() ? QStringLiteral("/") : url.path());
    if (!rest.isEmpty())
        socket.setQuery(rest);
    out.socketUrl = socket;
    out.servers = { socket };
    if (servers.size() > 31)
        return refuse(QStringLiteral("servers= names %1 servers: at most 32 in all").arg(servers.size() + 1));
    for (const QString& hostPort : std::as_const(servers)) {
        QUrl other;
        if (!otherServer(socket, hostPort, &other))
            return refuse(QStringLiteral("\"%1\" in servers= is not host:port").arg(hostPort.left(80)));
        out.servers.append(other);
    }
    return true;
}

bool BrokerEndpoint::otherServer(const QUrl& like, const QString& hostPort, QUrl* out)
{
    const qsizetype colon = hostPort.lastIndexOf(u':');
    bool portOk = false;
    const int port = colon > 0 ? hostPort.mid(colon + 1).toInt(&portOk) : 0;
    QString host = hostPort.left(colon);
    if (host.startsWith(u'[') && host.endsWith(u']'))
        host = host.mid(1, host.size() - 2);
    QUrl url = like;
    url.setHost(host, QUrl::StrictMode);
    if (!portOk || port < 1 || port > 65535 || !url.isValid() || url.host().isEmpty())
        return false;
    url.setPort(port);
    *out = url;
    return true;
}

void BrokerProtocol::received(const char* data, std::size_t len, Connection& c)
{
    // parse in place; only the unfinished tail of a frame is copied, to meet the next one
    // after a protocol error (-1) nothing of this connection's stream is kept
    if (m_carry.empty()) {
        const qint64 used = parse(data, len, c);
        if (used >= 0)
            m_carry.assign(data + used, data + len);
        return;
    }
    m_carry.insert(m_carry.end(), data, data + len);
    const qint64 used = parse(m_carry.data(), m_carry.size(), c);
    if (used < 0)
        m_carry.clear();
    else if (used > 0)
        m_carry.erase(m_carry.begin(), m_carry.begin() + used);
}

std::unique_ptr<BrokerProtocol> BrokerProtocol::create(const BrokerEndpoint& endpoint, std::size_t maxMessageBytes)
{
    switch (endpoint.protocol) {
    case BrokerEndpoint::Bus:
        return nullptr;
    case BrokerEndpoint::Nats: {
        NatsProtocol::Options o;
        o.subject = endpoint.filter;
        o.user = endpoint.user;
        o.password = endpoint.password;
        o.token = endpoint.token;
        o.maxPayloadBytes = maxMessageBytes;
        o.stream = endpoint.stream;
        o.start = endpoint.start;
        o.end = endpoint.end;
        return std::make_unique<NatsProtocol>(o);
    }
    case BrokerEndpoint::Mqtt: {
        MqttProtocol::Options o;
        o.topic = endpoint.filter;
        o.user = endpoint.user;
        o.password = endpoint.password;
        if (!endpoint.token.isEmpty()) {
            // MQTT has no token: it travels as the password (3.1.1 needs a user name beside a password)
            o.password = endpoint.token;
            if (o.user.isEmpty())
                o.user = QStringLiteral("eventscope");
        }
        o.maxPacketBytes = maxMessageBytes + 65536 + 16; // the body plus the longest topic and the header
        return std::make_unique<MqttProtocol>(o);
    }
    }
    return nullptr;
}
