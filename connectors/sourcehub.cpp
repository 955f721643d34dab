// SPDX-License-Identifier: MIT
#include "sourcehub.h"

#include "session.h"
#include "urlredaction.h"

#include <QTimer>

SourceHub::SourceHub(Session& session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_tick(new QTimer(this))
{
    m_busThread.setObjectName(QStringLiteral("demo-bus"));
    // the reconnect countdown moves even when no status arrives
    m_tick->setInterval(500);
    connect(m_tick, &QTimer::timeout, this, &SourceHub::updateStatus);
    m_tick->start();
}

SourceHub::~SourceHub() { stopAll(); }

bool SourceHub::startDemo(const DemoBus::Options& options, QString* error)
{
    if (m_bus) {
        *error = tr("the demo bus is already running");
        return false;
    }
    m_bus = new DemoBus(options);
    m_bus->moveToThread(&m_busThread);
    connect(&m_busThread, &QThread::finished, m_bus, &QObject::deleteLater);
    m_busThread.start();
    bool started = false;
    ConnectionSettings settings;
    QMetaObject::invokeMethod(
        m_bus,
        [&]() {
            started = m_bus->start(error);
            settings.url = m_bus->url();
        },
        Qt::BlockingQueuedConnection);
    if (!started) {
        m_busThread.quit();
        m_busThread.wait();
        m_bus = nullptr;
        return false;
    }
    connectTo(settings);
    m_sources.back()->demo = true;
    updateStatus();
    return true;
}

void SourceHub::connectTo(const ConnectionSettings& settings)
{
    auto s = std::make_unique<Source>();
    s->name = UrlRedaction::redacted(settings.url);
    s->source = std::make_unique<WebSocketSource>(settings, m_session.addOrigin(s->name));
    Source* raw = s.get();
    connect(raw->source.get(), &WebSocketSource::batchReady, this, &SourceHub::batchReady);
    connect(raw->source.get(), &WebSocketSource::statusChanged, this, [this, raw](const ConnectionStatus& status) {
        raw->status = status;
        updateStatus();
    });
    raw->source->start();
    m_sources.push_back(std::move(s));
    Q_EMIT sourceAdded();
    updateStatus();
}

void SourceHub::updateStatus()
{
    QStringList parts;
    quint64 dropped = 0;
    for (const auto& s : m_sources) {
        dropped += s->status.dropped;
        parts << (s->demo ? tr("Demo bus at %1: %2") : tr("%1: %2")).arg(s->name, s->status.describe());
    }
    Q_EMIT statusTextChanged(parts.isEmpty() ? tr("Not connected") : parts.join(QStringLiteral("  |  ")));
    Q_EMIT droppedChanged(dropped);
}

void SourceHub::stopAll()
{
    for (auto& s : m_sources)
        s->source->stop();
    m_sources.clear();
    if (m_busThread.isRunning()) {
        m_busThread.quit();
        m_busThread.wait();
    }
    m_bus = nullptr;
}
