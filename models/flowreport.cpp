// SPDX-License-Identifier: MIT
#include "flowreport.h"

#include "session.h"

#include <QJsonArray>
#include <algorithm>
#include <numeric>

namespace {
QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

double ms(qint64 us) { return double(us) / 1000.0; }

double percent(quint64 part, quint64 whole) { return whole ? 100.0 * double(part) / double(whole) : 0.0; }

/// Types with events, busiest first (ties by name, so the output is stable).
std::vector<quint16> typesByEvents(const Session& s)
{
    const auto& nodes = s.flow().nodes();
    std::vector<quint16> types;
    for (std::size_t t = 0; t < nodes.size(); ++t)
        if (nodes[t].events > 0)
            types.push_back(quint16(t));
    std::sort(types.begin(), types.end(), [&](quint16 a, quint16 b) {
        if (nodes[a].events != nodes[b].events)
            return nodes[a].events > nodes[b].events;
        return s.types().view(a) < s.types().view(b);
    });
    return types;
}

/// Edges, busiest first (ties by names).
std::vector<const FlowTracker::Edge*> edgesByCount(const Session& s)
{
    std::vector<const FlowTracker::Edge*> edges;
    for (const FlowTracker::Edge& e : s.flow().edges())
        edges.push_back(&e);
    std::sort(edges.begin(), edges.end(), [&](const FlowTracker::Edge* a, const FlowTracker::Edge* b) {
        if (a->count != b->count)
            return a->count > b->count;
        if (a->from != b->from)
            return s.types().view(a->from) < s.types().view(b->from);
        return s.types().view(a->to) < s.types().view(b->to);
    });
    return edges;
}

double rounded(double v) { return std::round(v * 1000.0) / 1000.0; }
} // namespace

QJsonObject FlowReport::toJson(const Session& s)
{
    QJsonArray nodes;
    for (const quint16 t : typesByEvents(s)) {
        const FlowTracker::Node& n = s.flow().nodes()[t];
        QJsonArray sources;
        for (const auto& source : n.sources)
            sources.append(text(s.sources().view(source.first)));
        QJsonObject o;
        o[QStringLiteral("type")] = text(s.types().view(t));
        o[QStringLiteral("sources")] = sources;
        o[QStringLiteral("events")] = qint64(n.events);
        o[QStringLiteral("failed")] = qint64(n.failed);
        o[QStringLiteral("failedPercent")] = rounded(percent(n.failed, n.events));
        if (n.otherSources)
            o[QStringLiteral("eventsFromOtherSources")] = qint64(n.otherSources);
        nodes.append(o);
    }
    QJsonArray edges;
    for (const FlowTracker::Edge* e : edgesByCount(s)) {
        QJsonObject o;
        o[QStringLiteral("from")] = text(s.types().view(e->from));
        o[QStringLiteral("to")] = text(s.types().view(e->to));
        o[QStringLiteral("count")] = qint64(e->count);
        o[QStringLiteral("p50Ms")] = ms(e->hop.quantileUs(0.50));
        o[QStringLiteral("p95Ms")] = ms(e->hop.quantileUs(0.95));
        o[QStringLiteral("p99Ms")] = ms(e->hop.quantileUs(0.99));
        o[QStringLiteral("maxMs")] = ms(e->hop.maxUs());
        o[QStringLiteral("failed")] = qint64(e->failed);
        o[QStringLiteral("failedPercent")] = rounded(percent(e->failed, e->count));
        if (e->early)
            o[QStringLiteral("beforeCause")] = qint64(e->early);
        edges.append(o);
    }
    QJsonObject o;
    o[QStringLiteral("nodes")] = nodes;
    o[QStringLiteral("edges")] = edges;
    if (s.flow().droppedLinks())
        o[QStringLiteral("droppedLinks")] = qint64(s.flow().droppedLinks());
    return o;
}

QString FlowReport::toText(const Session& s)
{
    const std::vector<const FlowTracker::Edge*> edges = edgesByCount(s);
    const std::size_t types = typesByEvents(s).size();
    QString out = QStringLiteral("%1 event type%2, %3 causation edge%4\n\n")
                      .arg(types)
                      .arg(types == 1 ? QString() : QStringLiteral("s"))
                      .arg(edges.size())
                      .arg(edges.size() == 1 ? QString() : QStringLiteral("s"));
    if (edges.empty()) {
        out += QStringLiteral("No event names a known cause (causation id), so there is no flow to show.\n");
        return out;
    }
    int width = 4;
    for (const FlowTracker::Edge* e : edges)
        width = std::max<int>(width, int(s.types().view(e->from).size() + s.types().view(e->to).size()) + 3);
    width = std::min(width, 72);
    out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7\n")
               .arg(QStringLiteral("edge"), -width)
               .arg(QStringLiteral("count"), 9)
               .arg(QStringLiteral("p50 ms"), 10)
               .arg(QStringLiteral("p95 ms"), 10)
               .arg(QStringLiteral("p99 ms"), 10)
               .arg(QStringLiteral("max ms"), 10)
               .arg(QStringLiteral("failed"), 7);
    for (const FlowTracker::Edge* e : edges) {
        const QString name = text(s.types().view(e->from)) + QStringLiteral(" → ") + text(s.types().view(e->to));
        out += QStringLiteral("%1 %2 %3 %4 %5 %6 %7%\n")
                   .arg(name, -width)
                   .arg(e->count, 9)
                   .arg(ms(e->hop.quantileUs(0.50)), 10, 'f', 1)
                   .arg(ms(e->hop.quantileUs(0.95)), 10, 'f', 1)
                   .arg(ms(e->hop.quantileUs(0.99)), 10, 'f', 1)
                   .arg(ms(e->hop.maxUs()), 10, 'f', 1)
                   .arg(percent(e->failed, e->count), 6, 'f', 1);
    }
    if (s.flow().droppedLinks())
        out += QStringLiteral("\n%1 links between further type pairs were not counted (at most %2 pairs are kept)\n")
                   .arg(s.flow().droppedLinks())
                   .arg(FlowTracker::MaxEdges);
    return out;
}
