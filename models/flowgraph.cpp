// SPDX-License-Identifier: MIT
#include "flowgraph.h"

#include "session.h"

#include <algorithm>
#include <numeric>
#include <unordered_map>

namespace {
QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
} // namespace

FlowGraph FlowGraph::build(const Session& session, const Options& options, qint64 nowUs, History* history)
{
    FlowGraph g;
    const FlowTracker& flow = session.flow();
    const qint64 nowSecond = nowUs / 1000000;
    std::vector<int> nodeOfType(flow.nodes().size(), -1);
    std::unordered_map<quint16, int> nodeOfService;
    for (std::size_t t = 0; t < flow.nodes().size(); ++t) {
        const FlowTracker::Node& n = flow.nodes()[t];
        if (n.events == 0)
            continue;
        int index = -1;
        if (options.byService) {
            const quint16 service = n.mainSource();
            const auto found = nodeOfService.find(service);
            if (found == nodeOfService.end()) {
                index = int(g.nodes.size());
                nodeOfService.emplace(service, index);
                g.nodes.emplace_back().label = text(session.sources().view(service));
            } else {
                index = found->second;
            }
            g.nodes[std::size_t(index)].sources << text(session.types().view(quint16(t)));
        } else {
            index = int(g.nodes.size());
            Node& node = g.nodes.emplace_back();
            node.label = text(session.types().view(quint16(t)));
            for (const auto& s : n.sources)
                node.sources << text(session.sources().view(s.first));
        }
        Node& node = g.nodes[std::size_t(index)];
        node.events += n.events;
        node.failed += n.failed;
        node.types.push_back(quint16(t));
        if (const RateSeries* rate = session.rates().type(quint16(t)))
            node.ratePerSecond += rate->rate(nowSecond, 60);
        nodeOfType[t] = index;
    }

    // edge rates: links since the oldest count kept of the last minute, else over the whole session
    std::unordered_map<quint32, quint64> counts;
    const std::unordered_map<quint32, quint64>* then = nullptr;
    double seconds = std::max(1.0, double(session.lastEventTimeUs() - session.firstEventTimeUs()) / 1e6);
    if (history) {
        auto& snapshots = history->snapshots;
        if (!snapshots.empty() && snapshots.back().first > nowUs)
            snapshots.clear(); // the clock went back (a replay seeking back)
        while (snapshots.size() > 1 && nowUs - snapshots[1].first >= 60'000'000)
            snapshots.pop_front();
        if (!snapshots.empty() && nowUs > snapshots.front().first) {
            then = &snapshots.front().second;
            seconds = double(nowUs - snapshots.front().first) / 1e6;
        }
    }
    std::unordered_map<quint64, int> edgeOfPair;
    for (const FlowTracker::Edge& e : flow.edges()) {
        const quint32 pair = (quint32(e.from) << 16) | e.to;
        if (history)
            counts.emplace(pair, e.count);
        if (e.from >= nodeOfType.size() || e.to >= nodeOfType.size() || nodeOfType[e.from] < 0 || nodeOfType[e.to] < 0)
            continue;
        const int from = nodeOfType[e.from];
        const int to = nodeOfType[e.to];
        const quint64 key = (quint64(quint32(from)) << 32) | quint32(to);
        auto found = edgeOfPair.find(key);
        if (found == edgeOfPair.end()) {
            found = edgeOfPair.emplace(key, int(g.edges.size())).first;
            Edge& edge = g.edges.emplace_back();
            edge.from = from;
            edge.to = to;
        }
        Edge& edge = g.edges[std::size_t(found->second)];
        edge.count += e.count;
        edge.failed += e.failed;
        edge.early += e.early;
        quint64 links = e.count;
        if (then) {
            const auto before = then->find(pair);
            links -= before == then->end() ? 0 : std::min(before->second, e.count);
        }
        edge.ratePerSecond += double(links) / seconds;
        edge.hop.merge(e.hop);
        edge.typePairs.emplace_back(e.from, e.to);
    }
    // rare edges leave (their nodes stay)
    const quint64 minCount = std::max<quint64>(options.minCount, 1);
    std::vector<Edge> kept;
    kept.reserve(g.edges.size());
    for (Edge& e : g.edges) {
        if (e.count >= minCount) {
            kept.push_back(std::move(e));
        } else {
            ++g.hiddenEdges;
            g.hiddenLinks += e.count;
        }
    }
    g.edges = std::move(kept);
    g.droppedLinks = flow.droppedLinks();
    if (history)
        history->snapshots.emplace_back(nowUs, std::move(counts));
    g.layOut();
    return g;
}

void FlowGraph::layOut()
{
    const int n = int(nodes.size());
    const std::size_t size = nodes.size();
    std::vector<std::vector<int>> out(size), in(size);
    for (const Edge& e : edges) {
        if (e.from == e.to)
            continue;
        out[std::size_t(e.from)].push_back(e.to);
        in[std::size_t(e.to)].push_back(e.from);
    }
    // the walk starts from nodes nothing leads to, then from the busiest of the rest (a cycle's way in)
    std::vector<int> starts(size);
    std::iota(starts.begin(), starts.end(), 0);
    std::stable_sort(starts.begin(), starts.end(), [&](int a, int b) {
        const bool rootA = in[std::size_t(a)].empty(), rootB = in[std::size_t(b)].empty();
        if (rootA != rootB)
            return rootA;
        return nodes[std::size_t(a)].events > nodes[std::size_t(b)].events;
    });
    // depth-first, iteratively (a hostile graph may be deep): an edge back to a node on the path is a
    // cycle's, and does not count for depth; the finishing order reversed is a topological order
    std::vector<char> state(size, 0); // 0 new, 1 on the path, 2 done
    std::vector<int> finished;
    finished.reserve(size);
    std::vector<std::vector<char>> forward(size);
    for (int i = 0; i < n; ++i)
        forward[std::size_t(i)].assign(out[std::size_t(i)].size(), 1);
    for (const int start : starts) {
        if (state[std::size_t(start)])
            continue;
        std::vector<std::pair<int, std::size_t>> stack { { start, 0 } };
        state[std::size_t(start)] = 1;
        while (!stack.empty()) {
            auto& [node, next] = stack.back();
            if (next < out[std::size_t(node)].size()) {
                const std::size_t k = next++;
                const int to = out[std::size_t(node)][k];
                if (state[std::size_t(to)] == 1)
                    forward[std::size_t(node)][k] = 0;
                else if (state[std::size_t(to)] == 0) {
                    state[std::size_t(to)] = 1;
                    stack.emplace_back(to, 0);
                }
                continue;
            }
            state[std::size_t(node)] = 2;
            finished.push_back(node);
            stack.pop_back();
        }
    }
    // longest path from a root, in topological order
    std::vector<int> layer(size, 0);
    for (auto it = finished.rbegin(); it != finished.rend(); ++it) {
        const int node = *it;
        for (std::size_t k = 0; k < out[std::size_t(node)].size(); ++k) {
            if (forward[std::size_t(node)][k])
                layer[std::size_t(out[std::size_t(node)][k])]
                    = std::max(layer[std::size_t(out[std::size_t(node)][k])], layer[std::size_t(node)] + 1);
        }
    }
    layers = n ? *std::max_element(layer.begin(), layer.end()) + 1 : 0;
    std::vector<std::vector<int>> columns(static_cast<std::size_t>(layers));
    for (int i = 0; i < n; ++i) {
        nodes[std::size_t(i)].layer = layer[std::size_t(i)];
        columns[std::size_t(layer[std::size_t(i)])].push_back(i);
    }
    // first the busiest on top, nodes without links last; then each node at the mean position of what
    // leads to it (two sweeps)
    for (auto& column : columns)
        std::stable_sort(column.begin(), column.end(), [&](int a, int b) {
            const bool linkedA = !in[std::size_t(a)].empty() || !out[std::size_t(a)].empty();
            const bool linkedB = !in[std::size_t(b)].empty() || !out[std::size_t(b)].empty();
            if (linkedA != linkedB)
                return linkedA;
            return nodes[std::size_t(a)].events > nodes[std::size_t(b)].events;
        });
    const auto number = [&] {
        for (auto& column : columns)
            for (std::size_t k = 0; k < column.size(); ++k)
                nodes[std::size_t(column[k])].order = int(k);
    };
    number();
    for (int sweep = 0; sweep < 2; ++sweep) {
        for (std::size_t c = 1; c < columns.size(); ++c) {
            std::vector<double> key(size, 0.0);
            for (const int node : columns[c]) {
                const auto& from = in[std::size_t(node)];
                double sum = 0;
                int counted = 0;
                for (const int f : from) {
                    if (nodes[std::size_t(f)].layer < nodes[std::size_t(node)].layer) {
                        sum += nodes[std::size_t(f)].order;
                        ++counted;
                    }
                }
                key[std::size_t(node)] = counted ? sum / counted : nodes[std::size_t(node)].order;
            }
            std::stable_sort(columns[c].begin(), columns[c].end(),
                [&](int a, int b) { return key[std::size_t(a)] < key[std::size_t(b)]; });
        }
        number();
    }
}
