// SPDX-License-Identifier: MIT
// Live over WebSocket: the demo bus at increasing rates over loopback into a WebSocketSource, and
// into the GUI's ingest path (Session + every tracker) on the main thread. For each rate it reports
// what arrived per second, the backlog at the end (events the bus published that had not arrived),
// drops, CPU time per event of this process (client side) and its memory.
//   usage: eventscope-bench-live [SECONDS_PER_RATE] [RATE...]
//          eventscope-bench-live --soak RATE EVENTS      memory after EVENTS with the default cap
//          eventscope-bench-live --url URL SECONDS       against a bus in another process (eventscope-cli demo-bus)
//          eventscope-bench-live --history URL           a bounded read (JetStream ?stream=...&to=...), timed
#include "benchutil.h"
#include "busurl.h"
#include "decodedbatch.h"
#include "demobus.h"
#include "session.h"
#include "websocketsource.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QThread>
#include <QTimer>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/resource.h>

namespace {

/// Starts a demo bus on its own thread; returns its URL.
QUrl startBus(QThread& thread, const DemoBus::Options& options, DemoBus*& bus)
{
    bus = new DemoBus(options);
    bus->moveToThread(&thread);
    QObject::connect(&thread, &QThread::finished, bus, &QObject::deleteLater);
    thread.start();
    QUrl url;
    DemoBus* b = bus;
    QMetaObject::invokeMethod(
        b,
        [b, &url]() {
            b->start();
            url = b->url();
        },
        Qt::BlockingQueuedConnection);
    return url;
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    // the figures in docs/benchmarks.md are for a 1 GiB cap, whatever the machine's default
    setDefaultMemoryCap(std::size_t(1) << 30);
    if (argc == 4 && std::string(argv[1]) == "--soak") {
        const double rate = std::atof(argv[2]);
        const quint64 target = std::strtoull(argv[3], nullptr, 10);
        QThread busThread;
        DemoBus::Options o;
        o.eventsPerSecond = rate;
        DemoBus* bus = nullptr;
        const QUrl url = startBus(busThread, o, bus);
        Session session; // the default configuration, with the 1 GiB cap set above
        ConnectionSettings s;
        s.url = url;
        WebSocketSource source(s, session.addOrigin(QStringLiteral("soak")));
        QObject::connect(&source, &WebSocketSource::batchReady, &app,
            [&session](const std::shared_ptr<DecodedBatch>& b) { session.ingest(*b); });
        QElapsedTimer clock;
        clock.start();
        QTimer check;
        QObject::connect(&check, &QTimer::timeout, &app, [&]() {
            if (session.eventCount() >= target)
                QCoreApplication::quit();
        });
        check.start(100);
        source.start();
        QCoreApplication::exec();
        std::printf("after %llu events in %.1f s: RSS %ld MiB, session heap %.0f MiB (cap %zu MiB), retained %llu, "
                    "dropped by the cap %llu, dropped by the queue %llu\n",
            static_cast<unsigned long long>(session.eventCount()), clock.elapsed() / 1000.0, rssMiB(),
            double(session.heapBytes()) / 1048576.0, session.config().memoryCapBytes >> 20,
            static_cast<unsigned long long>(session.retainedCount()),
            static_cast<unsigned long long>(session.evictedCount()),
            static_cast<unsigned long long>(source.status().dropped));
        source.stop();
        busThread.quit();
        busThread.wait();
        return 0;
    }
    if (argc == 3 && std::string(argv[1]) == "--history") {
        // a bounded read (a JetStream range): from start() to the source's end, every event ingested
        Session session;
        ConnectionSettings s;
        s.url = BusUrl::fromText(QString::fromLocal8Bit(argv[2]));
        WebSocketSource source(s, session.addOrigin(QStringLiteral("bench")));
        QObject::connect(&source, &WebSocketSource::batchReady, &app,
            [&session](const std::shared_ptr<DecodedBatch>& b) { session.ingest(*b); });
        QObject::connect(&source, &WebSocketSource::statusChanged, &app, [](const ConnectionStatus& st) {
            if (st.state == ConnectionStatus::Finished || st.state == ConnectionStatus::Failed)
                QTimer::singleShot(0, qApp, &QCoreApplication::quit); // after the batches queued before it
        });
        QElapsedTimer clock;
        clock.start();
        const double cpu0 = cpuSeconds();
        source.start();
        QCoreApplication::exec();
        const double elapsed = clock.elapsed() / 1000.0;
        std::printf("history: %llu events in %.3f s, %.0f events/s; gaps %llu, malformed %llu; CPU %.2f us/event; "
                    "RSS %ld MiB; %s\n",
            static_cast<unsigned long long>(session.eventCount()), elapsed, double(session.eventCount()) / elapsed,
            static_cast<unsigned long long>(session.gaps().totalGaps()),
            static_cast<unsigned long long>(session.malformedCount()),
            (cpuSeconds() - cpu0) * 1e6 / double(std::max<quint64>(1, session.eventCount())), rssMiB(),
            qPrintable(source.status().describe()));
        const bool finished = source.status().state == ConnectionStatus::Finished;
        source.stop();
        return finished ? 0 : 1;
    }
    if (argc == 4 && std::string(argv[1]) == "--url") {
        const double seconds = std::atof(argv[3]);
        Session session;
        ConnectionSettings s;
        s.url = QUrl(QString::fromLocal8Bit(argv[2]));
        WebSocketSource source(s, session.addOrigin(QStringLiteral("bench")));
        QObject::connect(&source, &WebSocketSource::batchReady, &app,
            [&session](const std::shared_ptr<DecodedBatch>& b) { session.ingest(*b); });
        // measure from the first event on, so connecting does not count
        QElapsedTimer clock;
        double cpu0 = 0;
        quint64 first = 0;
        QTimer check;
        QObject::connect(&check, &QTimer::timeout, &app, [&]() {
            if (!clock.isValid() && session.eventCount() > 0) {
                clock.start();
                cpu0 = cpuSeconds();
                first = session.eventCount();
            }
            if (clock.isValid() && clock.elapsed() >= seconds * 1000)
                QCoreApplication::quit();
        });
        check.start(10);
        source.start();
        QCoreApplication::exec();
        const double elapsed = clock.elapsed() / 1000.0;
        const quint64 received = session.eventCount() - first;
        std::printf("received %.0f events/s over %.1f s; gaps %llu, dropped %llu, malformed %llu; CPU %.2f us/event; "
                    "RSS %ld MiB\n",
            double(received) / elapsed, elapsed, static_cast<unsigned long long>(session.gaps().totalGaps()),
            static_cast<unsigned long long>(source.status().dropped),
            static_cast<unsigned long long>(session.malformedCount()), (cpuSeconds() - cpu0) * 1e6 / double(received),
            rssMiB());
        source.stop();
        return 0;
    }
    const double seconds = argc > 1 ? std::atof(argv[1]) : 10;
    std::vector<double> rates;
    for (int i = 2; i < argc; ++i)
        rates.push_back(std::atof(argv[i]));
    if (rates.empty())
        rates = { 50000, 100000, 250000, 400000 };

    std::printf("%10s %12s %12s %10s %10s %12s %10s %12s\n", "offered/s", "received/s", "published", "backlog",
        "dropped", "cpu us/event", "rss MiB", "session B/ev");
    for (double rate : rates) {
        QThread busThread;
        DemoBus::Options o;
        o.eventsPerSecond = rate;
        o.generator.seed = 3;
        o.server.storeCapacity = 1000000;
        DemoBus* bus = nullptr;
        const QUrl url = startBus(busThread, o, bus);

        Session session;
        ConnectionSettings s;
        s.url = url;
        WebSocketSource source(s, session.addOrigin(QStringLiteral("bench")));
        QObject::connect(&source, &WebSocketSource::batchReady, &app,
            [&session](const std::shared_ptr<DecodedBatch>& b) { session.ingest(*b); });
        const double cpu0 = cpuSeconds();
        QElapsedTimer clock;
        clock.start();
        source.start();
        QTimer::singleShot(int(seconds * 1000), &app, &QCoreApplication::quit);
        QCoreApplication::exec();
        const double elapsed = clock.elapsed() / 1000.0;
        quint64 published = 0;
        QMetaObject::invokeMethod(
            bus, [&]() { published = bus->published(); }, Qt::BlockingQueuedConnection);
        const quint64 received = session.eventCount();
        const ConnectionStatus st = source.status();
        const double cpu = cpuSeconds() - cpu0;
        std::printf("%10.0f %12.0f %12llu %10lld %10llu %12.2f %10ld %12.1f\n", rate, double(received) / elapsed,
            static_cast<unsigned long long>(published),
            static_cast<long long>(published) - static_cast<long long>(received),
            static_cast<unsigned long long>(st.dropped), received ? cpu * 1e6 / double(received) : 0.0, rssMiB(),
            received ? double(session.heapBytes()) / double(received) : 0.0);
        std::fflush(stdout);
        source.stop();
        busThread.quit();
        busThread.wait();
    }
    return 0;
}
