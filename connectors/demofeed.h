// SPDX-License-Identifier: MIT
#pragma once

#include "demogenerator.h"
#include "eventdecoder.h"

#include <QObject>
#include <QTimer>

#include <memory>

struct DecodedBatch;

/// Runs the demo generator in-process at a steady rate and hands over decoded batches every 50 ms.
/// (The live issue replaces this with the demo bus served over a real WebSocket.)
class DemoFeed : public QObject
{
    Q_OBJECT
public:
    DemoFeed(DemoGenerator::Options options, double eventsPerSecond, quint16 origin, QObject* parent = nullptr);
    ~DemoFeed() override;

    void start();
    void stop();

Q_SIGNALS:
    void batchReady(std::shared_ptr<DecodedBatch> batch);

private:
    void tick();

    DemoGenerator m_generator;
    EventDecoder m_decoder;
    QTimer m_timer;
    double m_rate;
    quint16 m_origin;
    qint64 m_startUs = 0;
    quint64 m_emitted = 0;
    quint64 m_frame = 0;
};
