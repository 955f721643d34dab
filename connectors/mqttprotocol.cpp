// SPDX-License-Identifier: MIT
#include "mqttprotocol.h"

#include <QRandomGenerator>

namespace {
enum PacketType : quint8 {
    Connect = 1,
    ConnAck = 2,
    Publish = 3,
    PubAck = 4,
    PubRec = 5,
    PubRel = 6,
    PubComp = 7,
    Subscribe = 8,
    SubAck = 9,
    UnsubAck = 11,
    PingReq = 12,
    PingResp = 13,
};

void appendLength(QByteArray& out, std::size_t n)
{
    do {
        quint8 byte = quint8(n % 128);
        n /= 128;
        if (n > 0)
            byte |= 0x80;
        out.append(char(byte));
    } while (n > 0);
}

void appendString(QByteArray& out, QByteArrayView s)
{
    out.append(char((s.size() >> 8) & 0xFF)).append(char(s.size() & 0xFF)).append(s);
}

QByteArray packetOf(quint8 header, const QByteArray& body)
{
    QByteArray out;
    out.reserve(body.size() + 5);
    out.append(char(header));
    appendLength(out, std::size_t(body.size()));
    out.append(body);
    return out;
}

QByteArray ackOf(quint8 header, quint16 packetId)
{
    const char bytes[4] = { char(header), 2, char(packetId >> 8), char(packetId & 0xFF) };
    return QByteArray(bytes, 4);
}

quint16 u16(const char* p) { return quint16((quint16(quint8(p[0])) << 8) | quint8(p[1])); }

QString connAckReason(int code)
{
    switch (code) {
    case 1:
        return QStringLiteral("the broker does not accept MQTT 3.1.1");
    case 2:
        return QStringLiteral("the broker rejected the client identifier");
    case 3:
        return QStringLiteral("the MQTT service is unavailable");
    case 4:
        return QStringLiteral("bad user name or password");
    case 5:
        return QStringLiteral("not authorized");
    default:
        return QStringLiteral("refused with code %1").arg(code);
    }
}
} // namespace

MqttProtocol::MqttProtocol(Options options)
    : m_options(std::move(options))
{
    // 23 characters: the longest client id every 3.1.1 broker must accept
    m_clientId = QStringLiteral("eventscope-%1%2")
                     .arg(QRandomGenerator::system()->generate(), 8, 16, QLatin1Char('0'))
                     .arg(QRandomGenerator::system()->generate() & 0xFFFF, 4, 16, QLatin1Char('0'));
}

QByteArray MqttProtocol::publish(QByteArrayView topic, QByteArrayView payload)
{
    QByteArray body;
    body.reserve(topic.size() + payload.size() + 2);
    appendString(body, topic);
    body.append(payload);
    return packetOf(Publish << 4, body);
}

void MqttProtocol::opened(Connection& c)
{
    discard();
    m_lastError.clear();
    m_connected = false;
    QByteArray body;
    appendString(body, "MQTT");
    body.append(char(4)); // protocol level: 3.1.1
    // a clean session: a persistent one would make the broker queue messages for us forever after we go
    quint8 flags = 0x02;
    if (!m_options.user.isEmpty()) {
        flags |= 0x80;
        if (!m_options.password.isEmpty())
            flags |= 0x40;
    }
    body.append(char(flags));
    const int keepAlive = std::clamp(m_options.keepAliveSeconds, 0, 65535);
    body.append(char(keepAlive >> 8)).append(char(keepAlive & 0xFF));
    appendString(body, m_clientId.toUtf8());
    if (flags & 0x80)
        appendString(body, m_options.user.toUtf8().left(65535));
    if (flags & 0x40)
        appendString(body, m_options.password.toUtf8().left(65535));
    c.send(packetOf(Connect << 4, body));
}

void MqttProtocol::keepAlive(Connection& c)
{
    if (m_connected)
        c.send(QByteArray("\xC0\x00", 2));
}

void MqttProtocol::fail(Connection& c, const QString& why, bool fatal)
{
    m_lastError = why;
    c.fail(why, fatal);
}

qint64 MqttProtocol::parse(const char* data, std::size_t len, Connection& c)
{
    std::size_t pos = 0;
    while (len - pos >= 2) {
        std::size_t remaining = 0;
        std::size_t lengthBytes = 0;
        bool complete = false;
        for (std::size_t i = 0; i < 4 && pos + 1 + i < len; ++i) {
            const quint8 byte = quint8(data[pos + 1 + i]);
            remaining |= std::size_t(byte & 0x7F) << (7 * i);
            lengthBytes = i + 1;
            if (!(byte & 0x80)) {
                complete = true;
                break;
            }
        }
        if (!complete) {
            if (lengthBytes == 4) {
                fail(c, QStringLiteral("MQTT protocol error: a remaining length longer than 4 bytes"), false);
                return -1;
            }
            return qint64(pos); // the length continues in the next frame
        }
        if (remaining > m_options.maxPacketBytes) {
            fail(c,
                QStringLiteral("an MQTT packet of %1 bytes exceeds the %2-byte limit")
                    .arg(remaining)
                    .arg(m_options.maxPacketBytes),
                false);
            return -1;
        }
        const std::size_t total = 1 + lengthBytes + remaining;
        if (len - pos < total)
            return qint64(pos);
        if (!packet(quint8(data[pos]), data + pos + 1 + lengthBytes, remaining, c))
            return -1;
        pos += total;
    }
    return qint64(pos);
}

bool MqttProtocol::packet(quint8 header, const char* body, std::size_t len, Connection& c)
{
    const quint8 type = header >> 4;
    auto protocolError = [&](const char* what) {
        fail(c, QStringLiteral("MQTT protocol error: %1").arg(QLatin1String(what)), false);
        return false;
    };
    switch (type) {
    case ConnAck: {
        if (len != 2)
            return protocolError("CONNACK of the wrong size");
        const int code = quint8(body[1]);
        if (code != 0) {
            // a refused identity or credentials will be refused again
            fail(c, QStringLiteral("the MQTT broker refused the connection: %1").arg(connAckReason(code)),
                code == 2 || code == 4 || code == 5);
            return false;
        }
        m_connected = true;
        if (m_options.topic.isEmpty()) {
            c.ready();
            return true;
        }
        QByteArray sub;
        sub.append(char(0)).append(char(1)); // packet id 1
        appendString(sub, m_options.topic.toUtf8().left(65535));
        sub.append(char(1)); // QoS 1: the broker may send at QoS 0 or 1
        c.send(packetOf((Subscribe << 4) | 0x02, sub));
        return true;
    }
    case SubAck: {
        if (len < 3)
            return protocolError("SUBACK too short");
        if (quint8(body[2]) == 0x80) {
            fail(c,
                QStringLiteral("the MQTT broker refused the subscription to \"%1\" (not retrying)")
                    .arg(m_options.topic),
                true);
            return false;
        }
        c.ready();
        return true;
    }
    case Publish: {
        const int qos = (header >> 1) & 3;
        if (qos == 3)
            return protocolError("PUBLISH with QoS 3");
        if (len < 2)
            return protocolError("PUBLISH too short");
        const std::size_t topicLength = u16(body);
        std::size_t offset = 2 + topicLength;
        if (offset + (qos > 0 ? 2 : 0) > len)
            return protocolError("PUBLISH topic longer than the packet");
        quint16 packetId = 0;
        if (qos > 0) {
            packetId = u16(body + offset);
            offset += 2;
        }
        // acknowledge first: the message is ours once it has arrived whole
        if (qos == 1)
            c.send(ackOf(PubAck << 4, packetId));
        else if (qos == 2)
            c.send(ackOf(PubRec << 4, packetId));
        BrokerMessage m;
        m.subject = QByteArrayView(body + 2, qsizetype(topicLength));
        m.body = QByteArrayView(body + offset, qsizetype(len - offset));
        c.message(m);
        return true;
    }
    case PubRel:
        if (len < 2)
            return protocolError("PUBREL too short");
        c.send(ackOf(PubComp << 4, u16(body)));
        return true;
    case PingResp:
    case UnsubAck:
    case PubAck:
    case PubComp:
        return true;
    default:
        return protocolError("a packet a broker does not send to a client");
    }
}
