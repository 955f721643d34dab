// SPDX-License-Identifier: MIT
#include "streamlister.h"

#include "jetstream.h"
#include "natsprotocol.h"

#include <QRandomGenerator>

namespace {
constexpr int MaxPages = 100; ///< 100 pages of JetStream's 256: more streams than anyone picks from
}

StreamLister::StreamLister(const QUrl& url, QObject* parent)
    : QObject(parent)
    , m_url(url)
    , m_publisher(url)
    , m_inbox("_INBOX.eventscope." + QByteArray::number(QRandomGenerator::global()->generate64(), 16))
{
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, [this]() {
        const QString why = m_publisher.lastError();
        done(m_publisher.isReady()
                ? QStringLiteral("no answer from the JetStream API within %1 s").arg(timeoutMs / 1000)
                : QStringLiteral("cannot reach the NATS server")
                    + (why.isEmpty() ? QString() : QStringLiteral(": ") + why));
    });
    m_publisher.onMessage = [this](const BrokerMessage& m) { received(m); };
}

bool StreamLister::start(QString* error)
{
    BrokerEndpoint endpoint;
    if (!BrokerEndpoint::parse(m_url, endpoint, error))
        return false;
    if (endpoint.protocol != BrokerEndpoint::Nats) {
        *error = QStringLiteral("streams are NATS JetStream's: use a nats+ws:// or nats+wss:// URL");
        return false;
    }
    if (!m_publisher.start(error))
        return false;
    m_timeout.start(timeoutMs);
    m_publisher.sendRaw("SUB " + m_inbox + ".> 1\r\n");
    ask(0);
    return true;
}

void StreamLister::ask(quint64 offset)
{
    ++m_pages;
    const QByteArray body = "{\"offset\":" + QByteArray::number(offset) + '}';
    QByteArray out = NatsProtocol::publish("$JS.API.STREAM.LIST", body);
    // as a request: the reply subject goes between the subject and the size
    out.insert(out.indexOf(' ', 4), ' ' + m_inbox + ".r");
    m_publisher.sendRaw(out);
}

void StreamLister::received(const BrokerMessage& m)
{
    if (m_done || m.subject != QByteArray(m_inbox + ".r"))
        return;
    if (JetStream::headerStatus(m.headers) == 503) {
        done(QStringLiteral("the NATS server has no JetStream (no responder for the JetStream API)"));
        return;
    }
    quint64 total = 0;
    QString error;
    const std::size_t before = m_streams.size();
    if (!JetStream::parseStreamList(m.body, &m_streams, &total, &error)) {
        done(QStringLiteral("JetStream refused to list its streams: ") + error);
        return;
    }
    // the next page, while the server says there are more and this page brought some
    if (m_streams.size() < total && m_streams.size() > before && m_pages < MaxPages) {
        m_timeout.start(timeoutMs);
        ask(m_streams.size());
        return;
    }
    done({});
}

void StreamLister::done(const QString& error)
{
    if (m_done)
        return;
    m_done = true;
    m_timeout.stop();
    if (!error.isEmpty())
        m_streams.clear();
    Q_EMIT finished(m_streams, error);
}
