// SPDX-License-Identifier: MIT
#include "demobus.h"

#include <QDateTime>
#include <algorithm>

DemoBus::DemoBus(Options options, QObject* parent)
    : QObject(parent)
    , m_options(options)
    , m_server(options.server, this)
    , m_generator(options.generator)
    , m_timer(this) // a child, so moveToThread() takes it along
{
    m_options.eventsPerSecond = std::clamp(m_options.eventsPerSecond, 1.0, 500000.0);
    m_timer.setInterval(5);
    connect(&m_timer, &QTimer::timeout, this, &DemoBus::tick);
}

DemoBus::~DemoBus() = default;

QUrl DemoBus::url() const { return m_publisher ? m_options.brokerUrl : m_server.url(); }

bool DemoBus::start(QString* error)
{
    if (!m_options.brokerUrl.isEmpty()) {
        m_publisher = new BrokerPublisher(m_options.brokerUrl, this);
        if (!m_options.jetStream.isEmpty()) {
            m_publisher->subjectPrefix = "bus.";
            DemoJetStream::Options o;
            o.stream = m_options.jetStream;
            o.eventsPerSecond = m_options.eventsPerSecond;
            o.incident = m_options.generator.scenario == DemoGenerator::Scenario::Incident;
            o.incidentStartSeconds = m_options.generator.incidentStartSeconds;
            o.incidentSeconds = m_options.generator.incidentSeconds;
            m_jetStream = new DemoJetStream(*m_publisher, o, this);
        }
        if (!m_publisher->start(error))
            return false;
    } else if (!m_server.listen(error)) {
        return false;
    }
    m_startUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    m_clock.start();
    m_timer.start();
    return true;
}

void DemoBus::tick()
{
    const double elapsed = double(m_clock.nsecsElapsed()) / 1e9;
    if (m_options.durationSeconds > 0 && elapsed >= m_options.durationSeconds) {
        m_timer.stop();
        Q_EMIT finished();
        return;
    }
    const quint64 due = quint64(elapsed * m_options.eventsPerSecond);
    // at most half a second's worth per tick, so a stalled loop does not come back with a burst
    const quint64 target = std::min<quint64>(due, m_due + quint64(m_options.eventsPerSecond / 2) + 1);
    while (m_generator.count() < target) {
        const qint64 at = m_startUs + qint64(double(m_generator.count()) * 1e6 / m_options.eventsPerSecond);
        m_lines.clear();
        m_generator.next(at, m_lines);
        // one call may produce several events (a failure, its retry, a breaker transition): one per line
        qsizetype from = 0;
        while (from < m_lines.size()) {
            qsizetype nl = m_lines.indexOf('\n', from);
            if (nl < 0)
                nl = m_lines.size();
            const QByteArray line = m_lines.mid(from, nl - from);
            const qsizetype t = line.indexOf("\"type\":\"");
            const qsizetype te = t < 0 ? -1 : line.indexOf('"', t + 8);
            const QByteArrayView type
                = t < 0 || te < 0 ? QByteArrayView() : QByteArrayView(line).sliced(t + 8, te - t - 8);
            if (m_publisher)
                m_publisher->publish(type.isEmpty() ? QByteArrayView("demo") : type, line);
            else
                m_server.publish(line, type);
            from = nl + 1;
        }
    }
    m_due = target;
}
