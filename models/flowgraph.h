// SPDX-License-Identifier: MIT
#pragma once

#include "latencyhistogram.h"

#include <QString>
#include <QStringList>
#include <deque>
#include <unordered_map>
#include <utility>
#include <vector>

class Session;

/// The flow map's graph, made from the session's FlowTracker for one refresh: nodes are event types
/// (or, grouped, the services producing them), edges the causation links between them, laid out in
/// layers by causation depth (longest path from a node nothing leads to, cycles broken where a
/// depth-first walk from the busiest nodes meets them) and ordered in each layer to keep edges short.
struct FlowGraph
{
    struct Options
    {
        bool byService = false; ///< one node per service (a type's main source) instead of per type
        quint64 minCount = 1; ///< edges with fewer links are left out (and counted in hiddenEdges)
    };
    struct Node
    {
        QString label; ///< the type, or the service
        QStringList sources; ///< producing services (a service node: its types)
        quint64 events = 0;
        quint64 failed = 0;
        double ratePerSecond = 0; ///< over the last minute of session time
        int layer = 0;
        int order = 0; ///< position in its layer, from the top
        std::vector<quint16> types;
        double failedPercent() const { return events ? 100.0 * double(failed) / double(events) : 0.0; }
    };
    struct Edge
    {
        int from = 0;
        int to = 0;
        quint64 count = 0;
        quint64 failed = 0;
        quint64 early = 0;
        double ratePerSecond = 0; ///< over the last minute of session time (or the whole session)
        LatencyHistogram hop;
        std::vector<std::pair<quint16, quint16>> typePairs; ///< the (cause, effect) type pairs it stands for
        double failedPercent() const { return count ? 100.0 * double(failed) / double(count) : 0.0; }
    };

    std::vector<Node> nodes;
    std::vector<Edge> edges;
    int layers = 0;
    quint64 hiddenEdges = 0; ///< below Options::minCount
    quint64 hiddenLinks = 0;
    quint64 droppedLinks = 0; ///< FlowTracker::droppedLinks()

    /// Each edge's link counts as of the last builds, for its rate over the last minute: a view that builds
    /// its graph again and again keeps one. Without one, an edge's rate is over the whole session.
    struct History
    {
        std::deque<std::pair<qint64, std::unordered_map<quint32, quint64>>> snapshots; ///< oldest first
    };
    /// The graph of `session` as of `nowUs` on its session clock (for the rates); `history` is updated.
    static FlowGraph build(const Session& session, const Options& options, qint64 nowUs, History* history = nullptr);
    /// Lays the nodes out in layers (build() does it).
    void layOut();
};
