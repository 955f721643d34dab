// SPDX-License-Identifier: MIT
// What one long name costs the window: a session of short events plus one event whose type (and a
// breaker's name and reason, a dead letter's reason) is NAME_BYTES long, shown in every view of the
// real window (offscreen): the time from ingest to every view built, painted and the event's detail
// open, the window's own memory growth (RssAnon; the part the session takes to store the events is
// printed apart: a long name's own bytes), and the window's minimum size. One measurement per process;
// benchmarks/bench-names.sh runs a short name and a long one in turn.
//   usage: eventscope-bench-names NAME_BYTES
#include "decodedbatch.h"
#include "eventdecoder.h"
#include "eventlogmodel.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "mainwindow.h"
#include "session.h"
#include "sessionfeed.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QFile>
#include <QTableView>
#include <QTest>
#include <QTreeView>
#include <cstdio>

namespace {
qint64 rssAnonKiB()
{
    QFile f(QStringLiteral("/proc/self/status"));
    if (!f.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : f.readAll().split('\n'))
        if (line.startsWith("RssAnon:"))
            return line.mid(8).trimmed().split(' ').value(0).toLongLong();
    return -1;
}

QByteArray event(const QByteArray& id, const QByteArray& type, int ms, const QByteArray& payload = {})
{
    QByteArray j = "{\"id\":\"" + id + "\",\"type\":\"" + type
        + "\",\"timestamp\":\"2026-11-29T10:00:" + QByteArray::number(10 + ms / 1000) + '.'
        + QByteArray::number(100 + ms % 1000).right(3) + "Z\",\"correlationId\":\"k\"";
    if (!payload.isEmpty())
        j += ",\"payload\":" + payload;
    return j + '}';
}
/// The lines decoded into one batch, each event placed at its own time (a file of producer times).
std::shared_ptr<DecodedBatch> decodeLines(const QByteArrayList& lines)
{
    EventDecoder decoder;
    auto batch = std::make_shared<DecodedBatch>();
    quint64 n = 0;
    for (const QByteArray& line : lines) {
        batch->frames.push_back(line);
        const QByteArray& held = batch->frames.back();
        decoder.decode(held.constData(), std::size_t(held.size()), 0, { 0, SourcePosition::Line, ++n, -1 }, 0, *batch);
    }
    for (DecodedEvent& e : batch->events) {
        e.receiveTimeUs = e.eventTimeUs;
        e.setReceivePlaced();
    }
    return batch;
}

/// A window over a fresh session on a recording's clock, shown.
struct ShownWindow
{
    ShownWindow()
        : session(config())
        , window(session)
    {
        window.showDashboard();
        window.show();
    }
    static Session::Config config()
    {
        Session::Config c;
        c.clock = Session::Clock::Recorded;
        return c;
    }
    Session session;
    MainWindow window;
};

/// A chain of `depth` events, each caused by the one before, opened in the correlation explorer: the
/// time from choosing it to its causation tree and waterfall painted, and the memory that took.
int deepChain(int depth)
{
    if (depth <= 0)
        return 2;
    QByteArrayList lines;
    for (int i = 0; i < depth; ++i) {
        QByteArray line = "{\"id\":\"d" + QByteArray::number(i)
            + "\",\"type\":\"step\",\"timestamp\":\"2026-11-29T10:00:00Z\",\"correlationId\":\"deep\"";
        if (i > 0)
            line += ",\"causationId\":\"d" + QByteArray::number(i - 1) + '"';
        lines << line + '}';
    }
    const std::shared_ptr<DecodedBatch> batch = decodeLines(lines);
    ShownWindow shown;
    Session& session = shown.session;
    MainWindow& window = shown.window;
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    window.feed().ingest(batch);
    window.feed().drain();
    window.raiseView(MainWindow::View::Explorer);
    window.refresh();
    QCoreApplication::processEvents();
    const quint32 chain = session.store().at(0).chain;
    const qint64 before = rssAnonKiB();
    QElapsedTimer clock;
    clock.start();
    window.explorer()->showChain(chain);
    window.repaint();
    QCoreApplication::processEvents();
    const qint64 treeMs = clock.elapsed();
    window.explorer()->treeView()->window()->repaint();
    for (int i = 0; i < 3; ++i)
        window.refresh();
    window.repaint();
    QCoreApplication::processEvents();
    std::printf("chain of %d events: shown in %lld ms, refreshed 3 times by %lld ms, window memory +%.1f MiB\n", depth,
        treeMs, clock.elapsed(), double(rssAnonKiB() - before) / 1024.0);
    return 0;
}
} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    if (app.arguments().value(1) == QLatin1String("--chain"))
        return deepChain(app.arguments().value(2).toInt());
    const int bytes = app.arguments().value(1).toInt();
    if (bytes <= 0 || bytes > 1000000) {
        std::fprintf(stderr,
            "usage: eventscope-bench-names NAME_BYTES (1 to 1000000)\n"
            "       eventscope-bench-names --chain DEPTH\n");
        return 2;
    }
    const QByteArray name(bytes, 'n');
    QByteArrayList lines;
    for (int i = 0; i < 2000; ++i)
        lines << event("e" + QByteArray::number(i), "booking.step" + QByteArray::number(i % 8), i * 10);
    lines << event("big", "huge." + name, 20000);
    lines << event("t1", "system.circuit_breaker.state_changed", 20100,
        "{\"breaker\":\"" + name.left(bytes / 2) + "\",\"from\":\"closed\",\"to\":\"open\",\"reason\":\""
            + name.left(bytes / 2) + "\"}");
    lines << event("d1", "system.event.dead_lettered", 20200, "{\"eventId\":\"big\",\"reason\":\"" + name + "\"}");
    const std::shared_ptr<DecodedBatch> batch = decodeLines(lines);
    ShownWindow shown;
    MainWindow& window = shown.window;
    if (!QTest::qWaitForWindowExposed(&window))
        return 1;
    QCoreApplication::processEvents();
    const qint64 before = rssAnonKiB();
    QElapsedTimer clock;
    clock.start();
    window.feed().ingest(batch);
    window.feed().drain();
    const qint64 sessionKiB = rssAnonKiB() - before; // the events stored: their own bytes
    for (MainWindow::View v : { MainWindow::View::Board, MainWindow::View::Charts, MainWindow::View::Log,
             MainWindow::View::Explorer, MainWindow::View::Breakers, MainWindow::View::DeadLetters,
             MainWindow::View::Alerts, MainWindow::View::Sources }) {
        window.raiseView(v);
        for (int i = 0; i < 3; ++i)
            window.refresh();
        window.repaint();
        QCoreApplication::processEvents();
    }
    const qint64 viewsMs = clock.elapsed();
    const qint64 viewsKiB = rssAnonKiB() - before;
    EventLogPanel* log = window.eventLog();
    log->setFilterText(QStringLiteral("id == \"big\""));
    while (log->model()->isFilling() || log->model()->rowCount() != 1)
        QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    log->table()->selectRow(0);
    window.repaint();
    QCoreApplication::processEvents();
    const qint64 ms = clock.elapsed();
    const QSize minimum = window.minimumSizeHint();
    std::printf("name %d bytes: %lld ms, window memory +%.1f MiB (the session storing the events +%.1f MiB; "
                "every view: %lld ms, +%.1f MiB; then the event's detail; minimum window %dx%d)\n",
        bytes, ms, double(rssAnonKiB() - before) / 1024.0, double(sessionKiB) / 1024.0, viewsMs,
        double(viewsKiB) / 1024.0, minimum.width(), minimum.height());
    return 0;
}
