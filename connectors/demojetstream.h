// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>
#include <vector>

class BrokerPublisher;
struct BrokerMessage;

/// The demo bus's services as a JetStream stream's durable pull consumers: on the demo's NATS
/// connection it makes the stream (subjects `bus.>`, file storage, an hour of history) when it is
/// missing, and a durable consumer per simulated handler, each pulling and acknowledging at its own
/// pace. During the incident the email handler slows to a fraction of its traffic and leaves some
/// messages unacknowledged, so its lag and its redeliveries really grow (and recover after).
class DemoJetStream : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        QByteArray stream = "EVENTS";
        double eventsPerSecond = 400; ///< the demo's rate, to pace the handlers by
        bool incident = false; ///< the incident scenario: the email handler falls behind
        double incidentStartSeconds = 20;
        double incidentSeconds = 30;
    };
    DemoJetStream(BrokerPublisher& publisher, Options options, QObject* parent = nullptr);
    ~DemoJetStream() override;

    /// Messages each handler acknowledged, in the order of handlers().
    struct Handler
    {
        QByteArray durable;
        QByteArray filter;
        double share; ///< of the demo's rate its subjects carry, about
        double budget = 0; ///< messages it may take now
        bool pulling = false; ///< a pull request awaits its messages
        int outstanding = 0; ///< of them
        qint64 pulledAtMs = 0;
        quint64 acked = 0;
        quint64 unacked = 0;
    };
    const std::vector<Handler>& handlers() const { return m_handlers; }
    /// The stream and its consumers exist.
    bool isReady() const { return m_ready; }

private:
    void setUp();
    void received(const BrokerMessage& m);
    void tick();
    /// How many messages a second handler `h` takes now.
    double pace(const Handler& h, double elapsed) const;

    BrokerPublisher& m_publisher;
    Options m_options;
    std::vector<Handler> m_handlers;
    QTimer m_timer;
    QElapsedTimer m_clock;
    QByteArray m_inbox;
    quint64 m_dropCounter = 0;
    int m_consumersMade = 0;
    bool m_ready = false;
};
