// SPDX-License-Identifier: MIT
#include "sourcehub.h"

#include "capturerecorder.h"
#include "credentialstore.h"
#include "handover.h"
#include "rememberedconnection.h"
#include "session.h"
#include "urlredaction.h"

#include <QDateTime>
#include <QTimer>

SourceHub::SourceHub(Session& session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_tick(new QTimer(this))
    , m_credentials(new CredentialStore(QStringLiteral("EventScope"), this))
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
    // the bus starts on its thread; what it says comes back through a Handover (see there why), made
    // before the thread starts so that its own making is ordered before the thread uses it
    struct Started
    {
        bool ok = false;
        QUrl url;
        QString error;
    };
    auto started = std::make_shared<Handover<Started>>();
    m_bus = new DemoBus(options);
    m_bus->moveToThread(&m_busThread);
    connect(&m_busThread, &QThread::finished, m_bus, &QObject::deleteLater);
    m_busThread.start();
    QMetaObject::invokeMethod(
        m_bus,
        [bus = m_bus, started]() {
            Started s;
            s.ok = bus->start(&s.error);
            s.url = bus->url();
            started->put(std::move(s));
        },
        Qt::QueuedConnection);
    const Started result = started->wait();
    ConnectionSettings settings;
    settings.url = result.url;
    if (!result.ok) {
        *error = result.error;
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

void SourceHub::setSchemas(std::shared_ptr<const SchemaRegistry> schemas)
{
    m_schemas = std::move(schemas);
    for (const auto& s : m_sources)
        s->source->setSchemas(m_schemas);
}

void SourceHub::connectTo(const ConnectionSettings& given)
{
    ConnectionSettings settings = given;
    settings.decoder.learnShapes = true; // the Schemas view shows them
    if (m_schemas)
        settings.decoder.schemas = m_schemas;
    auto s = std::make_unique<Source>();
    s->name = UrlRedaction::redacted(settings.url);
    s->origin = m_session.addOrigin(s->name);
    // connecting again to a bus disconnected before: its origin (and events) continue, one entry
    m_sources.erase(std::remove_if(m_sources.begin(), m_sources.end(),
                        [&](const auto& o) { return o->origin == s->origin && o->disconnectedAtMs != 0; }),
        m_sources.end());
    s->source = std::make_unique<WebSocketSource>(settings, s->origin);
    Source* raw = s.get();
    connect(raw->source.get(), &WebSocketSource::batchReady, this, &SourceHub::batchReady);
    connect(raw->source.get(), &WebSocketSource::statusChanged, this, [this, raw](const ConnectionStatus& status) {
        raw->status = status;
        updateStatus();
    });
    connect(raw->source.get(), &WebSocketSource::recordingFailed, this, [this](const QString& error) {
        if (m_recorder) {
            Q_EMIT recordingFailed(error);
            QString ignored;
            stopRecording(&ignored);
        }
    });
    raw->source->start();
    if (m_recorder)
        raw->source->startRecording(m_recorder);
    m_sources.push_back(std::move(s));
    Q_EMIT sourceAdded();
    updateStatus();
}

void SourceHub::connectRemembering(ConnectionSettings settings, bool remember)
{
    const QUrl url = settings.url;
    QList<QPair<QString, QString>> secretHeaders;
    for (const auto& [name, value] : settings.headers)
        if (RememberedConnection::isSecretHeader(QString::fromLatin1(name)))
            secretHeaders.append({ QString::fromLatin1(name), QString::fromUtf8(value) });
    const bool typed = !settings.token.isEmpty() || !url.password().isEmpty() || !secretHeaders.isEmpty();
    if (typed) {
        if (remember) {
            ConnectionSecrets secrets { settings.token, url.userName(), url.password(), secretHeaders };
            m_credentials->save(url, secrets);
            // one answer per request: the lambda goes with the first signal for its key
            auto* context = new QObject(this);
            connect(m_credentials, &CredentialStore::saved, context,
                [this, context, key = CredentialStore::keyFor(url)](const QString& k, const QString& error) {
                    if (k != key)
                        return;
                    QObject::disconnect(m_credentials, nullptr, context, nullptr); // once, however many answers come
                    context->deleteLater();
                    if (!error.isEmpty())
                        Q_EMIT notice(tr("The secrets for %1 were not remembered: %2").arg(key, error));
                });
        }
        connectTo(settings);
        return;
    }
    auto* context = new QObject(this);
    connect(m_credentials, &CredentialStore::loaded, context,
        [this, context, settings, key = CredentialStore::keyFor(url)](
            const QString& k, const ConnectionSecrets& secrets, const QString& error) mutable {
            if (k != key)
                return;
            QObject::disconnect(m_credentials, nullptr, context, nullptr);
            context->deleteLater();
            // an unreachable keychain is no news here: nothing was asked to be remembered just now, so
            // the connection goes ahead as typed (the bus asks for credentials if it needs them)
            Q_UNUSED(error);
            settings.token = secrets.token;
            for (const auto& [name, value] : secrets.headers)
                settings.headers.append({ name.toLatin1(), value.toUtf8() });
            if (!secrets.password.isEmpty()) {
                settings.url.setUserName(secrets.user);
                settings.url.setPassword(secrets.password);
            }
            connectTo(settings);
        });
    m_credentials->load(url);
}

void SourceHub::updateStatus()
{
    QStringList parts;
    quint64 dropped = 0;
    const qint64 second = QDateTime::currentMSecsSinceEpoch() / 1000;
    for (const auto& s : m_sources) {
        dropped += s->status.dropped;
        const QString state = s->disconnectedAtMs
            ? tr("disconnected at %1 (%L2 events)")
                  .arg(QDateTime::fromMSecsSinceEpoch(s->disconnectedAtMs).toString(QStringLiteral("HH:mm:ss")))
                  .arg(s->status.events)
            : s->status.describe();
        QString text = (s->demo ? tr("Demo bus at %1: %2") : tr("%1: %2")).arg(UrlRedaction::readable(s->name), state);
        // with several buses, each says how much it brings (rates are kept per origin)
        const RateSeries* rate = m_session.originRate(s->origin);
        if (m_sources.size() > 1 && s->status.state == ConnectionStatus::Live)
            text += tr(", %L1 events/s").arg(rate ? rate->rate(second, 1) : 0.0, 0, 'f', 0);
        parts << text;
    }
    Q_EMIT statusTextChanged(parts.isEmpty() ? tr("Not connected") : parts.join(QStringLiteral("  |  ")));
    Q_EMIT droppedChanged(dropped);
}

bool SourceHub::startRecording(const QString& path, QString* error)
{
    if (m_recorder)
        stopRecording(error);
    auto recorder = std::make_shared<CaptureRecorder>();
    // the header names the first connection (credentials removed); each connection declares itself
    const QUrl source = m_sources.empty() ? QUrl() : m_sources.front()->source->settings().url;
    if (!recorder->open(path, source, QDateTime::currentMSecsSinceEpoch() * 1000)) {
        *error = recorder->errorString();
        return false;
    }
    m_recorder = recorder;
    for (auto& s : m_sources)
        s->source->startRecording(m_recorder);
    return true;
}

bool SourceHub::stopRecording(QString* error)
{
    if (!m_recorder)
        return true;
    // each connection hands over what it holds; the last to let go closes the file
    for (auto& s : m_sources)
        s->source->stopRecording();
    m_recorder->close();
    const bool ok = !m_recorder->hasFailed();
    if (!ok)
        *error = m_recorder->errorString();
    m_recorder.reset();
    return ok;
}

std::vector<SourceHub::Connection> SourceHub::connections() const
{
    std::vector<Connection> out;
    for (const auto& s : m_sources)
        out.push_back({ s->origin, s->name, s->demo, s->disconnectedAtMs == 0,
            s->disconnectedAtMs == 0
                && (s->status.state == ConnectionStatus::Reconnecting
                    || s->status.state == ConnectionStatus::Connecting) });
    return out;
}

void SourceHub::disconnectOrigin(quint16 origin)
{
    for (auto& s : m_sources) {
        if (s->origin != origin || s->disconnectedAtMs != 0)
            continue;
        s->source->stop(); // what arrived before stays: stop() hands it over
        s->disconnectedAtMs = QDateTime::currentMSecsSinceEpoch();
        if (s->demo)
            stopDemoBus();
    }
    updateStatus();
}

void SourceHub::disconnectAll()
{
    for (const Connection& c : connections())
        if (c.active)
            disconnectOrigin(c.origin);
}

void SourceHub::retryNow()
{
    for (auto& s : m_sources)
        if (s->disconnectedAtMs == 0)
            s->source->retryNow();
}

void SourceHub::stopDemoBus()
{
    if (!m_bus)
        return;
    m_busThread.quit();
    m_busThread.wait();
    m_bus = nullptr;
}

QString SourceHub::recordingPath() const { return m_recorder ? m_recorder->fileName() : QString(); }

quint64 SourceHub::framesRecorded() const { return m_recorder ? m_recorder->framesWritten() : 0; }

void SourceHub::stopAll()
{
    QString ignored;
    stopRecording(&ignored);
    for (auto& s : m_sources)
        s->source->stop();
    m_sources.clear();
    if (m_busThread.isRunning()) {
        m_busThread.quit();
        m_busThread.wait();
    }
    m_bus = nullptr;
}
