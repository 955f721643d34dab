// SPDX-License-Identifier: MIT
// The dashboard under load: the demo bus at a high rate feeding the real MainWindow (offscreen), against a
// baseline in the same run: the same bus feeding a bare Session with no window. Reports event-loop
// stalls (how late a 10 ms timer fires), the time each ingested batch holds the GUI thread, the time
// to build the charts' series and to paint each chart, events taken in and dropped, and memory.
//   usage: QT_QPA_PLATFORM=offscreen eventscope-bench-gui [--url URL] [RATE] [SECONDS] [CAP_MIB]
//   --url watches a bus in another process (eventscope-cli demo-bus) instead of the embedded one: the
//   bus then competes for the cores as a separate, lower-priority process would, rather than as a
//   thread of the window's own process. RATE is then only printed.
#include "benchutil.h"
#include "breakertimelineview.h"
#include "chartspanel.h"
#include "mainwindow.h"
#include "serieschartview.h"
#include "session.h"
#include "sessionfeed.h"
#include "sourcehub.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>
#include <cstdio>
#include <ctime>
#include <vector>

namespace {

struct Stats
{
    std::vector<double> v;
    void add(double x) { v.push_back(x); }
    double pct(double p)
    {
        if (v.empty())
            return 0;
        std::sort(v.begin(), v.end());
        return v[std::min(v.size() - 1, std::size_t(p / 100.0 * double(v.size())))];
    }
    double max() { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); }
    QString line(const char* unit)
    {
        return QStringLiteral("median %1 %4, p99 %2 %4, max %3 %4 (n=%5)")
            .arg(pct(50), 0, 'f', 2)
            .arg(pct(99), 0, 'f', 2)
            .arg(max(), 0, 'f', 2)
            .arg(QLatin1String(unit))
            .arg(v.size());
    }
};

struct Result
{
    Stats stalls, stallCpu, batches, flush, chartBuild, paintRates, paintProblems, paintBreakers;
    Stats paintCpu; ///< the GUI thread's CPU time per chart paint, all three charts
    Stats refresh[8]; ///< the window's refresh, per part and in total
    quint64 events = 0, dropped = 0;
    std::size_t heap = 0;
    long rss = 0;
};

QUrl g_externalBus; ///< --url: a bus in another process instead of the embedded demo bus

Result run(bool withWindow, double rate, int seconds, std::size_t capBytes)
{
    Result r;
    Session::Config config;
    config.memoryCapBytes = capBytes;
    Session session(config);
    std::unique_ptr<MainWindow> window;
    if (withWindow) {
        window = std::make_unique<MainWindow>(session);
        window->showDashboard();
        window->show();
    }
    SourceHub hub(session);
    QObject::connect(&hub, &SourceHub::batchReady, &hub, [&](const std::shared_ptr<DecodedBatch>& batch) {
        QElapsedTimer t;
        t.start();
        if (window)
            window->feed().ingest(batch);
        else
            session.ingest(*batch);
        r.batches.add(double(t.nsecsElapsed()) / 1e6);
    });
    QObject::connect(&hub, &SourceHub::droppedChanged, &hub, [&](quint64 d) { r.dropped = d; });
    DemoBus::Options options;
    options.eventsPerSecond = rate;
    options.generator.scenario = DemoGenerator::Scenario::Incident;
    options.generator.incidentStartSeconds = 5;
    QString error;
    if (g_externalBus.isValid()) {
        ConnectionSettings settings;
        settings.url = g_externalBus;
        hub.connectTo(settings);
    } else if (!hub.startDemo(options, &error)) {
        std::fprintf(stderr, "cannot start the demo bus: %s\n", qPrintable(error));
        std::exit(1);
    }

    // the probe: a 10 ms timer; whatever delays it is a stall of the event loop
    QElapsedTimer clock;
    clock.start();
    qint64 last = clock.nsecsElapsed();
    qint64 lastCpu = threadCpuNs();
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    probe.setInterval(10);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        const double stall = std::max(0.0, double(now - last) / 1e6 - 10.0);
        r.stalls.add(stall);
        // how much of a stall this thread spent running (the rest it waited for a core)
        if (stall > 0)
            r.stallCpu.add(std::min(stall, double(cpu - lastCpu) / 1e6));
        last = now;
        lastCpu = cpu;
    });
    probe.start();
    // each chart painted on its own, timed, four times a second (as the window's refresh does)
    QTimer painter;
    painter.setInterval(250);
    if (window) {
        QObject::connect(&painter, &QTimer::timeout, [&] {
            r.chartBuild.add(double(window->charts()->lastUpdateUs()) / 1000.0);
            const MainWindow::RefreshCost c = window->lastRefreshCost();
            const qint64 parts[8]
                = { c.board, c.charts, c.breakers, c.log, c.explorer, c.deadLetters, c.alerts, c.total };
            for (int i = 0; i < 8; ++i)
                r.refresh[i].add(double(parts[i]) / 1000.0);
            const std::pair<QWidget*, Stats*> charts[]
                = { { window->charts()->problemChart()->viewport(), &r.paintProblems },
                      { window->charts()->rateChart()->viewport(), &r.paintRates },
                      { window->charts()->breakerTimeline()->viewport(), &r.paintBreakers } };
            // whatever else is pending (layouts, other widgets' updates) is paid here, not by the first chart
            QElapsedTimer flush;
            flush.start();
            QCoreApplication::sendPostedEvents();
            r.flush.add(double(flush.nsecsElapsed()) / 1e6);
            for (const auto& [w, stats] : charts) {
                QElapsedTimer t;
                t.start();
                const long long cpu = threadCpuNs();
                w->repaint();
                stats->add(double(t.nsecsElapsed()) / 1e6);
                r.paintCpu.add(double(threadCpuNs() - cpu) / 1e6);
            }
        });
        painter.start();
    }
    QTimer::singleShot(seconds * 1000, qApp, &QCoreApplication::quit);
    QApplication::exec();
    r.events = session.eventCount();
    r.heap = session.heapBytes();
    r.rss = rssMiB();
    hub.stopAll();
    return r;
}

void report(const char* name, Result& r, int seconds)
{
    std::printf("%s\n", name);
    std::printf("  ingested %llu events (%.0f/s), dropped by the connection %llu\n", (unsigned long long)r.events,
        double(r.events) / seconds, (unsigned long long)r.dropped);
    std::printf("  event-loop stalls: %s\n", qPrintable(r.stalls.line("ms")));
    std::printf("  ... of which the GUI thread was running: %s\n", qPrintable(r.stallCpu.line("ms")));
    std::printf("  GUI thread per ingested batch: %s\n", qPrintable(r.batches.line("ms")));
    if (!r.paintRates.v.empty()) {
        std::printf("  charts' series built per tick: %s\n", qPrintable(r.chartBuild.line("ms")));
        const char* parts[8] = { "health board", "charts", "breakers", "event log", "explorer", "dead letters",
            "alerts", "whole refresh" };
        for (int i = 0; i < 8; ++i)
            std::printf("  refresh, %s: %s\n", parts[i], qPrintable(r.refresh[i].line("ms")));
        std::printf("  posted events before painting: %s\n", qPrintable(r.flush.line("ms")));
        std::printf("  paint, events/s chart: %s\n", qPrintable(r.paintRates.line("ms")));
        std::printf("  paint, problems chart: %s\n", qPrintable(r.paintProblems.line("ms")));
        std::printf("  paint, breaker timeline: %s\n", qPrintable(r.paintBreakers.line("ms")));
        std::printf("  paint, any chart, GUI thread CPU time: %s\n", qPrintable(r.paintCpu.line("ms")));
    }
    std::printf("  session heap %.0f MiB, RSS %ld MiB\n", double(r.heap) / (1 << 20), r.rss);
}
} // namespace

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    if (argc > 2 && QByteArray(argv[1]) == "--url") {
        g_externalBus = QUrl(QString::fromLocal8Bit(argv[2]));
        argv += 2;
        argc -= 2;
    }
    const double rate = argc > 1 ? std::atof(argv[1]) : 250000;
    const int seconds = argc > 2 ? std::atoi(argv[2]) : 30;
    const std::size_t cap = std::size_t(argc > 3 ? std::atol(argv[3]) : 1024) << 20;
    std::printf("demo bus at %.0f events/s for %d s per run, memory cap %zu MiB\n", rate, seconds, cap >> 20);
    if (!qEnvironmentVariableIsSet("EVENTSCOPE_BENCH_SKIP_BASELINE")) {
        Result baseline = run(false, rate, seconds, cap);
        report("baseline: bare Session, no window", baseline, seconds);
    }
    Result gui = run(true, rate, seconds, cap);
    report("MainWindow (offscreen), every view refreshing", gui, seconds);
    return 0;
}
