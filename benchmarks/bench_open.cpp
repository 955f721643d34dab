// SPDX-License-Identifier: MIT
// Opening and replaying one capture, in the real window (offscreen): the first paint and the fully
// built views after open, the memory it costs beyond the file, and replay seeks. One open per process
// (memory is measured from the process's own counters); benchmarks/bench-open.sh runs it in rounds
// beside the Node.js baseline.
//   usage: eventscope-bench-open FILE [SEEKS]
//          eventscope-bench-open --url URL EVENTS   a bus's history opened in the window (JetStream's
//                                                   ?stream=NAME&from=1h): the first paint with events,
//                                                   and the time until EVENTS events are in; with &to=,
//                                                   in a window of its own, until the range is read
#include "busurl.h"
#include "capturesession.h"
#include "capturewindows.h"
#include "healthboard.h"
#include "mainwindow.h"
#include "session.h"
#include "sessionfeed.h"
#include "websocketsource.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QRandomGenerator>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <algorithm>
#include <cstdio>

namespace {
/// A field of /proc/self/status in KiB (RssAnon: the process's own memory, not the mapped file).
qint64 statusKiB(const char* field)
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(qsizetype(qstrlen(field))).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

double median(std::vector<double> v)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}
} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() == 4 && args[1] == QLatin1String("--url")
        && CaptureSession::isHistoryRead(BusUrl::fromText(args[2]))) {
        // a range with an end, as File > Open bus history opens "the last hour": a window of its own,
        // shown as it comes, then a capture (replay ready) once the range is read
        ConnectionSettings settings;
        settings.url = BusUrl::fromText(args[2]);
        QTemporaryDir dir;
        CaptureWindows windows;
        windows.setHistoryDirectory(dir.path());
        QElapsedTimer clock;
        clock.start();
        QString error;
        CaptureWindow* capture = windows.openHistory(settings, &error);
        if (!capture) {
            std::fprintf(stderr, "bench-open: %s\n", qPrintable(error));
            return 1;
        }
        qint64 firstPaint = -1;
        while (clock.elapsed() < 120000 && !capture->isLoaded()) {
            QTest::qWait(1);
            if (firstPaint < 0 && capture->window()->healthBoard()->table()->model()->rowCount() > 0) {
                capture->window()->grab(); // painted, with the events' rows
                firstPaint = clock.elapsed();
            }
        }
        const quint64 events = capture->session().eventCount();
        std::printf("url: first paint %lld ms, %llu events in %lld ms (%.0f events/s), replay ready\n",
            static_cast<long long>(firstPaint), static_cast<unsigned long long>(events),
            static_cast<long long>(clock.elapsed()), double(events) / (double(clock.elapsed()) / 1000.0));
        return events >= args[3].toULongLong() ? 0 : 1;
    }
    if (args.size() == 4 && args[1] == QLatin1String("--url")) {
        // the window as `eventscope URL` makes it: the dashboard, fed by the connection, refreshed on its timer
        Session session;
        MainWindow window(session);
        window.showDashboard();
        window.show();
        ConnectionSettings settings;
        settings.url = BusUrl::fromText(args[2]);
        WebSocketSource source(settings, session.addOrigin(args[2]));
        QObject::connect(&source, &WebSocketSource::batchReady, &window.feed(), &SessionFeed::ingest);
        const quint64 wanted = args[3].toULongLong();
        QElapsedTimer clock;
        clock.start();
        source.start();
        qint64 firstPaint = -1;
        while (clock.elapsed() < 120000) {
            QTest::qWait(1);
            if (firstPaint < 0 && window.healthBoard()->table()->model()->rowCount() > 0) {
                window.grab(); // painted, with the events' rows
                firstPaint = clock.elapsed();
            }
            // a live session that cannot keep up drops whole batches (counted): they never come in
            if (session.eventCount() + window.feed().dropped() >= wanted)
                break;
        }
        std::printf("url: first paint %lld ms, %llu events in %lld ms (%.0f events/s), %llu dropped by the session\n",
            static_cast<long long>(firstPaint), static_cast<unsigned long long>(session.eventCount()),
            static_cast<long long>(clock.elapsed()), double(session.eventCount()) / (double(clock.elapsed()) / 1000.0),
            static_cast<unsigned long long>(window.feed().dropped()));
        source.stop();
        return session.eventCount() + window.feed().dropped() >= wanted ? 0 : 1;
    }
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: eventscope-bench-open FILE [SEEKS]\n");
        return 2;
    }
    const int seeks = args.size() > 2 ? args[2].toInt() : 20;
    const qint64 anonBefore = statusKiB("RssAnon:");

    CaptureWindows windows;
    QString error;
    CaptureWindow* capture = windows.open(args[1], &error);
    if (!capture) {
        std::fprintf(stderr, "bench-open: %s\n", qPrintable(error));
        return 1;
    }
    // the event loop's worst lateness while the file is read (a 10 ms heartbeat)
    QElapsedTimer beat;
    beat.start();
    qint64 last = 0, worstLate = 0, worstLateAfter = 0, anonPeak = anonBefore;
    struct
    {
        double events = 0, heap = 0, store = 0, chains = 0;
    } atPeak;
    QTimer heartbeat;
    QObject::connect(&heartbeat, &QTimer::timeout, [&] {
        const qint64 now = beat.elapsed();
        worstLate = std::max(worstLate, now - last - 10);
        if (capture->isLoaded())
            worstLateAfter = std::max(worstLateAfter, now - last - 10);
        const qint64 anon = statusKiB("RssAnon:"); // sampled: the peak while reading, and what held it
        if (anon > anonPeak) {
            anonPeak = anon;
            const Session& s = capture->session();
            atPeak = { double(s.eventCount()), double(s.heapBytes()), double(s.store().heapBytes()),
                double(s.chains().heapBytes()) };
        }
        last = now;
    });
    heartbeat.start(10);
    while (!capture->isLoaded())
        QTest::qWait(1);
    // what the window does in the turns after its last refresh (frees the reading's indexes on a thread,
    // saves the capture's index) counts too: until the memory stops falling
    QTest::qWait(300);
    for (qint64 before = statusKiB("RssAnon:"), waited = 0; waited < 10000; waited += 100) {
        QTest::qWait(100);
        const qint64 now = statusKiB("RssAnon:");
        if (before - now < 1024)
            break;
        before = now;
    }
    heartbeat.stop();
    const Session& s = capture->session();
    const double events = double(s.eventCount());
    const qint64 anonAfter = statusKiB("RssAnon:");
    std::printf(
        "open: %.0f events, first paint %lld ms, views built %lld ms (%.0f events/s), loop at most %lld ms late "
        "(%lld ms in the turns after the load)\n",
        events, static_cast<long long>(capture->firstPaintMs()), static_cast<long long>(capture->loadedMs()),
        events / (double(capture->loadedMs()) / 1000.0), static_cast<long long>(worstLate),
        static_cast<long long>(worstLateAfter));
    std::printf("memory: %.1f B/event beyond the file (anonymous RSS %+lld KiB), session heap %.1f B/event "
                "(records and chain links %.1f, chains %.1f, the rest %.1f)\n",
        double(anonAfter - anonBefore) * 1024.0 / events, static_cast<long long>(anonAfter - anonBefore),
        double(s.heapBytes()) / events, double(s.store().heapBytes()) / events, double(s.chains().heapBytes()) / events,
        double(s.heapBytes() - s.store().heapBytes() - s.chains().heapBytes()) / events);
    std::printf("held: %u events, %llu dropped by the memory cap\n", s.store().storedCount(),
        static_cast<unsigned long long>(s.evictedCount()));
    // the full chunks' records, in the record file: shared file pages, in the page cache, not anonymous
    std::printf("record file: %.1f B/event (%llu MiB; %lld MiB of its pages in the process)%s%s\n",
        double(s.store().recordFileBytes()) / events,
        static_cast<unsigned long long>(s.store().recordFileBytes() >> 20),
        static_cast<long long>(s.store().recordFileBytesInProcess() >> 20),
        s.store().recordFileError().isEmpty() ? "" : ", records on the heap: ",
        qPrintable(s.store().recordFileError()));
    std::printf("memory while reading: at most %.1f B/event beyond the file (sampled every 10 ms)\n",
        double(std::max(anonPeak, anonAfter) - anonBefore) * 1024.0 / events);
    if (anonPeak > anonAfter)
        std::printf("  at its most: %.0f events read, anonymous RSS %+lld MiB; the session's heap %.0f MiB (store with "
                    "its id index %.0f, chains with theirs %.0f, the rest %.0f)\n",
            atPeak.events, static_cast<long long>((anonPeak - anonBefore) >> 10), atPeak.heap / 1048576.0,
            atPeak.store / 1048576.0, atPeak.chains / 1048576.0,
            (atPeak.heap - atPeak.store - atPeak.chains) / 1048576.0);

    // seeks: anywhere, at random (a fixed seed), timed until every event up to the playhead is taken in
    // and every view shown is refreshed; first with the default layout (the event log in front), then
    // with the correlation explorer in front, whose chain list is rebuilt after a seek back
    const auto seekRound = [capture, seeks](const char* name, quint32 seed) {
        QRandomGenerator random(seed);
        std::vector<double> forward, backward;
        const qint64 span = capture->endUs() - capture->startUs();
        for (int i = 0; i < seeks; ++i) {
            const qint64 to = capture->startUs() + qint64(random.bounded(1.0) * double(span));
            const bool back = !capture->isReplaying() || to < capture->playheadUs();
            QElapsedTimer clock;
            clock.start();
            capture->seek(to);
            while (!capture->isAtPlayhead())
                QTest::qWait(1);
            capture->window()->refresh();
            (back ? backward : forward).push_back(double(clock.nsecsElapsed()) / 1e6);
        }
        const auto maxOf
            = [](const std::vector<double>& v) { return v.empty() ? 0 : *std::max_element(v.begin(), v.end()); };
        std::printf("%s: forward median %.1f ms, max %.1f ms (%zu); backward median %.1f ms, max %.1f ms (%zu)\n", name,
            median(forward), maxOf(forward), forward.size(), median(backward), maxOf(backward), backward.size());
    };
    seekRound("seek", 7);
    capture->window()->raiseView(MainWindow::View::Explorer);
    seekRound("seek, explorer shown", 8);
    return 0;
}
