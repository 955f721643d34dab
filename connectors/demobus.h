// SPDX-License-Identifier: MIT
#pragma once

#include "brokerpublisher.h"
#include "busserver.h"
#include "demogenerator.h"
#include "demojetstream.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

/// The embedded demo bus: the demo generator's traffic served over a real WebSocket by a BusServer,
/// at a steady rate, with an event store that answers subscribe/since.
class DemoBus : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        DemoGenerator::Options generator;
        double eventsPerSecond = 400; ///< 1 to 500,000
        double durationSeconds = 0; ///< 0: until stopped
        BusServer::Options server;
        /// Publish through this broker (nats+ws://, mqtt+ws://) instead of serving a WebSocket.
        QUrl brokerUrl;
        /// NATS: into this JetStream stream (made when missing; subjects bus.TYPE), its services as
        /// durable consumers (DemoJetStream).
        QByteArray jetStream;
    };

    explicit DemoBus(Options options, QObject* parent = nullptr);
    ~DemoBus() override;

    bool start(QString* error = nullptr);
    /// Where to watch it: the bus's own URL, or the broker's.
    QUrl url() const;
    BusServer& server() { return m_server; }
    quint64 published() const { return m_generator.count(); }
    /// Publishing through a broker: events the broker did not take in time (the publisher's buffer was full).
    quint64 brokerDropped() const { return m_publisher ? m_publisher->dropped() : 0; }

Q_SIGNALS:
    void finished();

private:
    void tick();

    Options m_options;
    BusServer m_server;
    BrokerPublisher* m_publisher = nullptr;
    DemoJetStream* m_jetStream = nullptr;
    DemoGenerator m_generator;
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_startUs = 0;
    quint64 m_due = 0;
    QByteArray m_lines;
};
