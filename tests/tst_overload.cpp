// SPDX-License-Identifier: MIT
// The real window under the heaviest flood one bus can send, for a minute (EVENTSCOPE_FLOOD_SECONDS,
// default 60): a sender that never waits but for the socket, unique events in frames of 1,024. Memory
// stays under the session's cap, the event loop keeps turning, the connection is never lost, and every
// event received is accounted for exactly: taken in, or dropped and counted by the connection's queue
// or the window's. (On 2 cores the connection decodes at most about a million events a second and the
// window keeps up with that; the queues' drop paths under a slow consumer are tested in
// tst_websocketsource and tst_brokersource.)
#include "livetestutil.h"
#include "mainwindow.h"
#include "rawwebsocketserver.h"
#include "session.h"
#include "websocketsource.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QTest>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <cstring>

class TestOverload : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theHeaviestFloodForAMinute()
    {
        const int seconds = qEnvironmentVariableIsSet("EVENTSCOPE_FLOOD_SECONDS")
            ? qEnvironmentVariableIntValue("EVENTSCOPE_FLOOD_SECONDS")
            : 60;
        // a bus on its own thread that sends as fast as the socket takes it: binary frames of 1,024
        // events each, prebuilt, so sending costs next to nothing and the receiving side is flooded
        // every id unique: each frame's number is written into its ids as it is sent
        const QByteArray event = QByteArrayLiteral("{\"id\":\"########-NNNN\",\"type\":\"booking.created\",\"source\":"
                                                   "\"flood\",\"correlationId\":\"c0000000-0000-4000-8000-00000000000"
                                                   "1\",\"payload\":{\"bookingId\":\"BK-1\",\"pad\":\"")
            + QByteArray(200, 'x') + "\"}}";
        QByteArray batch = "[";
        for (int i = 0; i < 1024; ++i)
            batch += (i ? "," : "") + QByteArray(event).replace("NNNN", QByteArray::number(i).rightJustified(4, '0'));
        batch += ']';
        QByteArray frame = RawWebSocketServer::frame(2, batch);
        std::vector<qsizetype> slots;
        for (qsizetype at = frame.indexOf("########"); at >= 0; at = frame.indexOf("########", at + 8))
            slots.push_back(at);
        QThread busThread;
        busThread.start();
        QObject context;
        context.moveToThread(&busThread);
        RawWebSocketServer* bus = nullptr;
        std::atomic<bool> flooding { true };
        std::atomic<quint64> framesSent { 0 };
        QMetaObject::invokeMethod(
            &context,
            [&]() {
                bus = new RawWebSocketServer;
                bus->afterHandshake = [&](QTcpSocket* socket) {
                    auto* pump = new QTimer(socket);
                    QObject::connect(pump, &QTimer::timeout, socket, [&, socket, pump]() {
                        while (flooding && socket->bytesToWrite() < (4 << 20)) {
                            const QByteArray number
                                = QByteArray::number(quint64(framesSent), 16).rightJustified(8, '0');
                            for (qsizetype at : slots)
                                std::memcpy(frame.data() + at, number.constData(), 8);
                            socket->write(frame);
                            ++framesSent;
                        }
                        if (!flooding)
                            pump->stop();
                    });
                    pump->start(1);
                };
            },
            Qt::BlockingQueuedConnection);
        const QUrl url = bus->url();
        auto stopBus = qScopeGuard([&]() {
            flooding = false;
            QMetaObject::invokeMethod(
                &context, [&]() { delete bus; }, Qt::BlockingQueuedConnection);
            busThread.quit();
            busThread.wait();
        });

        Session::Config config;
        config.memoryCapBytes = std::size_t(64) << 20;
        Session session(config);
        MainWindow window(session);
        window.setPersistent(false);
        WebSocketSource source(fastSettings(url), session.addOrigin(url.toString()));
        connect(&source, &WebSocketSource::batchReady, &window, &MainWindow::ingest);
        source.start();
        window.showDashboard();
        window.show();

        // the loop's own heartbeat: how late does a 10 ms timer come?
        QElapsedTimer beat;
        beat.start();
        qint64 worstLateMs = 0, lastBeatMs = 0, ticks = 0;
        QTimer heartbeat;
        connect(&heartbeat, &QTimer::timeout, this, [&]() {
            const qint64 now = beat.elapsed();
            if (ticks++ > 0)
                worstLateMs = std::max(worstLateMs, now - lastBeatMs - 10);
            lastBeatMs = now;
        });
        heartbeat.start(10);
        std::size_t worstHeap = 0;
        QTimer sampler;
        connect(&sampler, &QTimer::timeout, this, [&]() { worstHeap = std::max(worstHeap, session.heapBytes()); });
        sampler.start(200);

        QElapsedTimer clock;
        clock.start();
        QTest::qWait(seconds * 1000);
        const double elapsed = clock.elapsed() / 1000.0;
        const quint64 takenIn = session.eventCount();
        flooding = false;
        const quint64 published = framesSent * 1024;
        heartbeat.stop();
        source.stop(); // what the connection received is all handed over, and its counts are final
        window.drainPending();
        const ConnectionStatus status = source.status();
        qInfo("offered %.0f events/s, taken in %.0f/s (%.1fx); dropped: %llu by the connection, %llu by the window, "
              "%llu by the memory cap; worst heap %zu MiB (cap 64); event loop at most %lld ms late",
            double(published) / elapsed, double(takenIn) / elapsed, double(published) / std::max<double>(1, takenIn),
            static_cast<unsigned long long>(status.dropped), static_cast<unsigned long long>(window.windowDropped()),
            static_cast<unsigned long long>(session.evictedCount()), worstHeap >> 20, worstLateMs);

        QVERIFY(takenIn > 0);
        QVERIFY(worstHeap <= config.memoryCapBytes + (std::size_t(16) << 20)); // the cap, plus one slice
        QVERIFY2(worstLateMs < 250, qPrintable(QStringLiteral("%1 ms").arg(worstLateMs)));
        // every event received: taken in, or dropped and counted by the connection's queue or the window's
        QCOMPARE(status.events, session.eventCount() + window.windowDropped() + status.dropped);
        QCOMPARE(status.reconnects, quint64(0)); // the connection was never lost to the overload
        QVERIFY(status.events <= published);
    }
};

QTEST_MAIN(TestOverload)
#include "tst_overload.moc"
