// SPDX-License-Identifier: MIT
#include "natsprotocol.h"

#include <QJsonDocument>
#include <QJsonObject>
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

NatsProtocol::NatsProtocol(Options options)
    : m_options(std::move(options))
{ }

void NatsProtocol::opened(Connection&)
{
    discard();
    m_pending = {};
    m_lastError.clear();
    m_connectSent = false;
    m_ready = false;
}

void NatsProtocol::keepAlive(Connection& c)
{
    if (m_connectSent)
        c.send(QByteArrayLiteral("PING\r\n"));
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
        { QStringLiteral("headers"), true }, { QStringLiteral("no_responders"), false },
        { QStringLiteral("echo"), false } };
    if (!m_options.token.isEmpty())
        connect[QStringLiteral("auth_token")] = m_options.token;
    if (!m_options.user.isEmpty()) {
        connect[QStringLiteral("user")] = m_options.user;
        connect[QStringLiteral("pass")] = m_options.password;
    }
    QByteArray out = "CONNECT " + QJsonDocument(connect).toJson(QJsonDocument::Compact) + "\r\n";
    if (!m_options.subject.isEmpty())
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
            m_pending.active = false;
            pos += need;
            ++m_messages;
            c.message(m);
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
        m_line = line.toByteArray();
        m_pending.active = true;
        m_pending.subjectOffset = std::size_t(parts[0].data() - line.data());
        m_pending.subjectLength = std::size_t(parts[0].size());
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
            c.ready();
        }
        return true;
    }
    if (sameOp(op, "+OK"))
        return true;
    if (sameOp(op, "INFO")) {
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
