// SPDX-License-Identifier: MIT
// A test-only WebSocket server written on a bare QTcpServer, so it can misbehave in ways a correct
// server cannot: refuse the upgrade, answer with a bad accept key, never answer, ignore pings, send
// oversize, fragmented, reserved or invalid frames.
#pragma once

#include <QCryptographicHash>
#include <QTcpServer>
#include <QTcpSocket>
#include <functional>

class RawWebSocketServer : public QObject
{
public:
    enum class Handshake { Accept, BadAcceptKey, Status401, Status403, Status404, Silent };

    Handshake handshake = Handshake::Accept;
    /// Called with the connection after a successful handshake: send frames, close, or do nothing.
    std::function<void(QTcpSocket*)> afterHandshake;
    QByteArray lastRequest; ///< the HTTP upgrade request as received
    int connections = 0;

    RawWebSocketServer()
    {
        m_server.listen(QHostAddress::LocalHost, 0);
        connect(&m_server, &QTcpServer::newConnection, this, [this]() {
            while (QTcpSocket* s = m_server.nextPendingConnection()) {
                ++connections;
                connect(s, &QTcpSocket::readyRead, this, [this, s]() { onRead(s); });
            }
        });
    }
    QUrl url() const { return QUrl(QStringLiteral("ws://127.0.0.1:%1/events").arg(m_server.serverPort())); }

    /// One unmasked server frame.
    static QByteArray frame(int opcode, const QByteArray& payload, bool fin = true)
    {
        QByteArray f;
        f.append(char((fin ? 0x80 : 0) | (opcode & 0x0F)));
        const quint64 n = quint64(payload.size());
        if (n < 126) {
            f.append(char(n));
        } else if (n < 65536) {
            f.append(char(126));
            f.append(char(n >> 8));
            f.append(char(n & 0xFF));
        } else {
            f.append(char(127));
            for (int i = 7; i >= 0; --i)
                f.append(char((n >> (8 * i)) & 0xFF));
        }
        return f + payload;
    }
    static QByteArray text(const QByteArray& payload) { return frame(1, payload); }

private:
    void onRead(QTcpSocket* s)
    {
        if (s->property("upgraded").toBool()) {
            s->readAll(); // client frames (subscribe, pings) are read and ignored
            return;
        }
        QByteArray request = s->property("request").toByteArray() + s->readAll();
        s->setProperty("request", request);
        if (!request.contains("\r\n\r\n"))
            return;
        lastRequest = request;
        QByteArray key;
        for (const QByteArray& line : request.split('\n')) {
            if (line.toLower().startsWith("sec-websocket-key:"))
                key = line.mid(18).trimmed();
        }
        const QByteArray accept = QCryptographicHash::hash(
            QByteArray(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"), QCryptographicHash::Sha1)
                                      .toBase64();
        switch (handshake) {
        case Handshake::Silent:
            return;
        case Handshake::Status401:
            s->write("HTTP/1.1 401 Unauthorized\r\nContent-Length: 0\r\n\r\n");
            return;
        case Handshake::Status403:
            s->write("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");
            return;
        case Handshake::Status404:
            s->write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
            return;
        case Handshake::BadAcceptKey:
        case Handshake::Accept:
            break;
        }
        s->write(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: "
            + (handshake == Handshake::BadAcceptKey ? QByteArray("AAAAAAAAAAAAAAAAAAAAAAAAAAA=") : accept)
            + "\r\n\r\n");
        s->setProperty("upgraded", true);
        if (afterHandshake && handshake == Handshake::Accept)
            afterHandshake(s);
    }

    QTcpServer m_server;
};
