// SPDX-License-Identifier: MIT
#include "demojetstream.h"

#include "brokerpublisher.h"
#include "jetstream.h"
#include "natsprotocol.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <algorithm>

namespace {
constexpr int TickMs = 100;
constexpr double AckWaitSeconds = 5;

QByteArray request(const QByteArray& subject, const QByteArray& reply, const QJsonObject& body)
{
    const QByteArray json = QJsonDocument(body).toJson(QJsonDocument::Compact);
    return "PUB " + subject + ' ' + reply + ' ' + QByteArray::number(json.size()) + "\r\n" + json + "\r\n";
}
} // namespace

DemoJetStream::DemoJetStream(BrokerPublisher& publisher, Options options, QObject* parent)
    : QObject(parent)
    , m_publisher(publisher)
    , m_options(std::move(options))
    , m_inbox("_INBOX.eventscope-demo")
{
    // the shares of the demo's traffic their subjects carry (notification.created: about 7 %)
    m_handlers = { { "notification-email", "bus.notification.created", 0.07 },
        { "notification-sms", "bus.notification.created", 0.07 }, { "booking-projector", "bus.booking.>", 0.45 },
        { "staff-scheduler", "bus.staff.>", 0.05 } };
    m_publisher.onMessage = [this](const BrokerMessage& m) { received(m); };
    connect(&m_publisher, &BrokerPublisher::ready, this, &DemoJetStream::setUp);
    m_timer.setInterval(TickMs);
    connect(&m_timer, &QTimer::timeout, this, &DemoJetStream::tick);
    if (m_publisher.isReady())
        setUp();
}

DemoJetStream::~DemoJetStream() = default;

void DemoJetStream::setUp()
{
    // (again after a reconnect: a stream or consumer that exists is left as it is)
    m_ready = false;
    m_consumersMade = 0;
    for (Handler& h : m_handlers)
        h.pulling = false;
    const QJsonObject stream { { QStringLiteral("name"), QString::fromLatin1(m_options.stream) },
        { QStringLiteral("subjects"), QJsonArray { QStringLiteral("bus.>") } },
        { QStringLiteral("storage"), QStringLiteral("file") }, { QStringLiteral("max_age"), 3600e9 } };
    m_publisher.sendRaw("SUB " + m_inbox + ".> 1\r\n"
        + request("$JS.API.STREAM.CREATE." + m_options.stream, m_inbox + ".stream", stream));
}

double DemoJetStream::pace(const Handler& h, double elapsed) const
{
    const double input = m_options.eventsPerSecond * h.share;
    const bool incident = m_options.incident && elapsed >= m_options.incidentStartSeconds
        && elapsed < m_options.incidentStartSeconds + m_options.incidentSeconds;
    // the email gateway is in trouble: its handler gets through a fifth of its traffic
    if (incident && h.durable == "notification-email")
        return input * 0.2;
    return input * 3 + 50; // keeps up, with room to catch up
}

void DemoJetStream::received(const BrokerMessage& m)
{
    if (m.subject == QByteArray(m_inbox + ".stream")) {
        // made (or there already): the consumers now
        QByteArray out;
        for (const Handler& h : m_handlers) {
            const QJsonObject config { { QStringLiteral("durable_name"), QString::fromLatin1(h.durable) },
                { QStringLiteral("ack_policy"), QStringLiteral("explicit") },
                { QStringLiteral("ack_wait"), AckWaitSeconds * 1e9 },
                { QStringLiteral("filter_subject"), QString::fromLatin1(h.filter) },
                { QStringLiteral("deliver_policy"), QStringLiteral("new") },
                { QStringLiteral("max_ack_pending"), 100000 } };
            out += request("$JS.API.CONSUMER.DURABLE.CREATE." + m_options.stream + '.' + h.durable,
                m_inbox + ".consumer",
                QJsonObject { { QStringLiteral("stream_name"), QString::fromLatin1(m_options.stream) },
                    { QStringLiteral("config"), config } });
        }
        m_publisher.sendRaw(out);
        return;
    }
    if (m.subject == QByteArray(m_inbox + ".consumer")) {
        if (++m_consumersMade == int(m_handlers.size())) {
            m_ready = true;
            m_clock.start();
            m_timer.start();
        }
        return;
    }
    // the status that ends a pull comes on handler N's inbox (404 no messages, 408 request expired)
    const QByteArray prefix = m_inbox + ".pull.";
    if (m.subject.startsWith(prefix)) {
        bool ok = false;
        const int index = QByteArray(m.subject.sliced(prefix.size()).toByteArray()).toInt(&ok);
        if (ok && index >= 0 && index < int(m_handlers.size()) && JetStream::headerStatus(m.headers) != 0)
            m_handlers[std::size_t(index)].pulling = false;
        return;
    }
    // a pulled message keeps its own subject: its consumer is named in its $JS.ACK reply subject
    // ($JS.ACK.<stream>.<consumer>.<...>)
    const QByteArray head = "$JS.ACK." + m_options.stream + '.';
    if (!m.reply.startsWith(head) || m.reply.size() <= head.size())
        return;
    const QByteArrayView rest = m.reply.sliced(head.size());
    const qsizetype dot = rest.indexOf('.');
    const QByteArrayView durable = dot < 0 ? rest : rest.first(dot);
    const auto found = std::find_if(
        m_handlers.begin(), m_handlers.end(), [&](const Handler& x) { return QByteArrayView(x.durable) == durable; });
    if (found == m_handlers.end())
        return;
    Handler& h = *found;
    h.budget -= 1;
    if (--h.outstanding <= 0)
        h.pulling = false;
    const double elapsed = double(m_clock.elapsed()) / 1000.0;
    const bool failing = h.durable == "notification-email" && m_options.incident
        && elapsed >= m_options.incidentStartSeconds
        && elapsed < m_options.incidentStartSeconds + m_options.incidentSeconds;
    // while its gateway fails, one in four is not acknowledged: it comes back after the ack wait
    if (failing && (++m_dropCounter % 4) == 0) {
        ++h.unacked;
        return;
    }
    ++h.acked;
    m_publisher.sendRaw(NatsProtocol::publish(m.reply, {}));
}

void DemoJetStream::tick()
{
    const double elapsed = double(m_clock.elapsed()) / 1000.0;
    const qint64 now = m_clock.elapsed();
    QByteArray out;
    for (std::size_t i = 0; i < m_handlers.size(); ++i) {
        Handler& h = m_handlers[i];
        h.budget = std::min(h.budget + pace(h, elapsed) * TickMs / 1000.0, pace(h, elapsed));
        if (h.pulling && now - h.pulledAtMs < 2000)
            continue;
        const int batch = int(std::min(h.budget, 5000.0));
        if (batch < 1)
            continue;
        h.pulling = true;
        h.outstanding = batch;
        h.pulledAtMs = now;
        out += request("$JS.API.CONSUMER.MSG.NEXT." + m_options.stream + '.' + h.durable,
            m_inbox + ".pull." + QByteArray::number(qsizetype(i)),
            QJsonObject { { QStringLiteral("batch"), batch }, { QStringLiteral("expires"), (TickMs - 10) * 1e6 } });
    }
    if (!out.isEmpty())
        m_publisher.sendRaw(out);
}
