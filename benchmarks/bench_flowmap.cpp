// SPDX-License-Identifier: MIT
// The flow map at 200 event types: the time to build its graph from the session (FlowGraph::build),
// to redraw it (FlowMapView, offscreen, 1600x900, rendered into an image) and to lay out and draw a new
// graph, each the median of ROUNDS runs; beside them, in the same run, the same session grouped by
// service (20 boxes) and filling the image alone, as baselines.
//   usage: eventscope-bench-flowmap [ROUNDS]
#include "decodedbatch.h"
#include "eventdecoder.h"
#include "flowgraph.h"
#include "flowmapview.h"
#include "session.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <algorithm>
#include <cstdio>
#include <functional>
#include <vector>

namespace {
/// 20 services of 10 steps each: every chain walks one service's steps, some steps skip one, some of
/// the first ten services hand over to another's first step, and a few fail.
std::shared_ptr<DecodedBatch> busOf200Types(int chains)
{
    EventDecoder decoder;
    auto batch = std::make_shared<DecodedBatch>();
    quint64 n = 0;
    qint64 us = qint64(1795946400) * 1000000;
    const auto add = [&](const QByteArray& id, const QByteArray& type, const QByteArray& source,
                         const QByteArray& correlation, const QByteArray& cause) {
        QByteArray j = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"source\":\"" + source
            + "\",\"correlationId\":\"" + correlation + '"';
        if (!cause.isEmpty())
            j += ",\"causationId\":\"" + cause + '"';
        j += '}';
        batch->frames.push_back(j);
        const QByteArray& held = batch->frames.back();
        us += 700 + qint64(n % 13) * 50;
        decoder.decode(
            held.constData(), std::size_t(held.size()), 0, { 0, SourcePosition::Frame, ++n, -1 }, us, *batch);
    };
    for (int c = 0; c < chains; ++c) {
        const int service = c % 20;
        const QByteArray k = "k" + QByteArray::number(c);
        const QByteArray source = "service-" + QByteArray::number(service);
        QByteArray previous;
        for (int step = 0; step < 10; ++step) {
            if (step > 0 && step < 9 && (c / 20 + step) % 4 == 0)
                continue; // a skipped step: an edge from step - 1 to step + 1
            const QByteArray id = k + '.' + QByteArray::number(step);
            add(id, "svc" + QByteArray::number(service) + ".step" + QByteArray::number(step), source, k, previous);
            previous = id;
            if (step == 5 && c % 3 == 0 && service < 10) {
                const int next = service + 10;
                add(k + ".h", "svc" + QByteArray::number(next) + ".step0", "service-" + QByteArray::number(next), k,
                    id);
            }
            if (step == 7 && c % 10 == 0)
                add(k + ".f", "system.handler.failed", "event-bus", k,
                    {}); // (a failure report without a target: a node)
        }
    }
    return batch;
}

double medianMs(int rounds, const std::function<void()>& work)
{
    std::vector<double> ms;
    for (int i = 0; i < rounds; ++i) {
        QElapsedTimer t;
        t.start();
        work();
        ms.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(ms.begin(), ms.end());
    return ms[ms.size() / 2];
}
} // namespace

int main(int argc, char** argv)
{
    qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    const int rounds = argc > 1 ? std::max(1, atoi(argv[1])) : 51;
    Session session;
    session.ingest(*busOf200Types(20000));
    const qint64 now = session.lastEventTimeUs();

    FlowGraph::Options byType;
    FlowGraph::Options byService;
    byService.byService = true;
    const FlowGraph graph = FlowGraph::build(session, byType, now);
    const double buildMs = medianMs(rounds, [&] { FlowGraph::build(session, byType, now); });

    FlowMapView view;
    view.resize(1600, 900);
    QImage image(view.size(), QImage::Format_ARGB32_Premultiplied);
    view.setGraph(graph);
    view.render(&image);
    const double paintMs = medianMs(rounds, [&] { view.render(&image); });
    const double refreshMs = medianMs(rounds, [&] {
        view.setGraph(graph);
        view.render(&image);
    });
    const double layoutMs = medianMs(rounds, [&] { view.setGraph(graph); });
    FlowMapView services;
    services.resize(1600, 900);
    services.setGraph(FlowGraph::build(session, byService, now));
    const FlowGraph serviceGraph = FlowGraph::build(session, byService, now);
    const double serviceMs = medianMs(rounds, [&] {
        services.setGraph(serviceGraph);
        services.render(&image);
    });
    const double fillMs = medianMs(rounds, [&] { image.fill(Qt::white); });

    std::printf("flow map: %zu events, %zu boxes, %zu links in %d columns; medians of %d runs\n",
        std::size_t(session.eventCount()), graph.nodes.size(), graph.edges.size(), graph.layers, rounds);
    std::printf("  build the graph (FlowGraph::build): %.2f ms\n", buildMs);
    std::printf("  lay it out (setGraph): %.2f ms\n", layoutMs);
    std::printf("  redraw 1600x900 (hover, scroll, expose), %zu boxes: %.2f ms\n", graph.nodes.size(), paintMs);
    std::printf("  a new graph laid out and drawn, curves included: %.2f ms\n", refreshMs);
    std::printf("  baseline: a new graph by service, %zu boxes, drawn: %.2f ms; fill the image alone: %.2f ms\n",
        services.graph().nodes.size(), serviceMs, fillMs);
    return 0;
}
