// SPDX-License-Identifier: MIT
#pragma once

#include "demobus.h"
#include "websocketsource.h"

#include <QObject>
#include <QThread>
#include <memory>
#include <vector>

class QTimer;
class Session;

/// The sources feeding one session: the embedded demo bus (on its own thread, watched through the real
/// WebSocket path) and any number of bus connections, each with its own origin. Batches from every
/// source come out of batchReady(); the combined status text (reconnect countdowns included) and drop
/// count are kept current.
class SourceHub : public QObject
{
    Q_OBJECT
public:
    explicit SourceHub(Session& session, QObject* parent = nullptr);
    ~SourceHub() override;

    bool startDemo(const DemoBus::Options& options, QString* error);
    void connectTo(const ConnectionSettings& settings);
    void stopAll();
    std::size_t count() const { return m_sources.size(); }

Q_SIGNALS:
    void batchReady(const std::shared_ptr<DecodedBatch>& batch);
    void statusTextChanged(const QString& text);
    void droppedChanged(quint64 dropped);
    void sourceAdded();

private:
    struct Source
    {
        std::unique_ptr<WebSocketSource> source;
        QString name;
        quint16 origin = 0;
        ConnectionStatus status;
        bool demo = false;
    };
    void updateStatus();

    Session& m_session;
    QThread m_busThread;
    DemoBus* m_bus = nullptr;
    std::vector<std::unique_ptr<Source>> m_sources;
    QTimer* m_tick;
};
