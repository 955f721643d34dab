// SPDX-License-Identifier: MIT
#include "flowtracker.h"

#include "eventstore.h"
#include "figurearchive.h"
#include "stringpool.h"

#include <algorithm>

quint16 FlowTracker::Node::mainSource() const
{
    const auto most = std::max_element(sources.begin(), sources.end(),
        [](const std::pair<quint16, quint64>& a, const std::pair<quint16, quint64>& b) { return a.second < b.second; });
    return most == sources.end() ? 0 : most->first;
}

FlowTracker::Node& FlowTracker::node(quint16 type)
{
    if (type >= m_nodes.size())
        m_nodes.resize(std::size_t(type) + 1);
    return m_nodes[type];
}

int FlowTracker::find(quint16 from, quint16 to) const
{
    if (from >= m_out.size())
        return -1;
    const auto& out = m_out[from];
    if (out.size() < ScanLimit) {
        for (const auto& [effect, index] : out)
            if (effect == to)
                return int(index);
        return -1;
    }
    const auto found = m_edgeIndex.find((quint32(from) << 16) | to);
    return found == m_edgeIndex.end() ? -1 : int(found->second);
}

int FlowTracker::edge(quint16 from, quint16 to)
{
    if (const int found = find(from, to); found >= 0)
        return found;
    if (m_edges.size() >= MaxEdges)
        return -1;
    if (from >= m_out.size())
        m_out.resize(std::size_t(from) + 1);
    m_out[from].emplace_back(to, quint32(m_edges.size()));
    m_edgeIndex.emplace((quint32(from) << 16) | to, quint32(m_edges.size()));
    Edge& e = m_edges.emplace_back();
    e.from = from;
    e.to = to;
    m_edgePtr.push_back(&e);
    return int(m_edges.size() - 1);
}

void FlowTracker::addEventSlow(quint16 type, quint16 source)
{
    Node& n = node(type);
    ++n.events;
    for (auto& s : n.sources) {
        if (s.first == source) {
            ++s.second;
            return;
        }
    }
    if (n.sources.size() < MaxSourcesPerNode)
        n.sources.emplace_back(source, 1);
    else
        ++n.otherSources;
}

void FlowTracker::addLinkSlow(quint16 from, quint16 to, qint64 hopUs, bool failed)
{
    const int index = edge(from, to);
    if (index < 0) {
        ++m_droppedLinks;
        return;
    }
    if (from >= m_lastEdge.size())
        m_lastEdge.resize(std::size_t(from) + 1);
    m_lastEdge[from] = { to, quint32(index) + 1 };
    countLink(*m_edgePtr[std::size_t(index)], hopUs, failed);
}

void FlowTracker::addFailure(quint16 type, int cause)
{
    ++m_links;
    ++node(type).failed;
    if (cause < 0)
        return;
    if (const int found = find(quint16(cause), type); found >= 0)
        ++m_edgePtr[std::size_t(found)]->failed;
}

bool FlowTracker::markFailed(quint32 event, quint32 storeFirst)
{
    if (m_failedBlocks.empty())
        m_failedFirst = storeFirst;
    const quint32 offset = event - m_failedFirst;
    if (offset >= 0x80000000u)
        return false; // before the first event kept (cannot be: the caller checks it is stored)
    const std::size_t block = offset >> BlockShift;
    if (block >= m_failedBlocks.size())
        m_failedBlocks.resize(block + 1);
    auto& bits = m_failedBlocks[block];
    if (!bits)
        bits = std::make_unique<std::array<quint64, 64>>(std::array<quint64, 64> {});
    quint64& word = (*bits)[(offset >> 6) & 63];
    const quint64 bit = quint64(1) << (offset & 63);
    if (word & bit)
        return false;
    word |= bit;
    return true;
}

void FlowTracker::dropEvicted(const EventStore& store)
{
    while (!m_failedBlocks.empty() && quint32(store.first() - m_failedFirst) >= (1u << BlockShift)) {
        m_failedBlocks.erase(m_failedBlocks.begin());
        m_failedFirst += 1u << BlockShift;
    }
}

std::size_t FlowTracker::heapBytes() const
{
    std::size_t bytes = m_nodes.capacity() * sizeof(Node) + m_edges.size() * sizeof(Edge)
        + m_out.capacity() * sizeof(m_out[0]) + m_edges.size() * sizeof(std::pair<quint16, quint32>)
        + m_edgeIndex.size() * (sizeof(std::pair<quint32, quint32>) + 2 * sizeof(void*))
        + m_failedBlocks.size() * sizeof(void*);
    for (const auto& b : m_failedBlocks)
        bytes += b ? sizeof(*b) : 0;
    for (const Edge& e : m_edges)
        bytes += e.hop.heapBytes();
    for (const Node& n : m_nodes)
        bytes += n.sources.capacity() * sizeof(std::pair<quint16, quint64>);
    return bytes;
}

template<class Archive, class Self>
void FlowTracker::figures(Archive& a, Self& t)
{
    a.tag("FLOW");
    figureList(a, t.m_nodes, 32, std::size_t(1) << 16, [&a](auto& n) {
        a.fields(n.events, n.failed, n.otherSources);
        figureList(a, n.sources, 10, MaxSourcesPerNode, [&a](auto& s) { a.fields(s.first, s.second); });
    });
    figureList(a, t.m_edges, 44, MaxEdges, [&a](auto& e) {
        a.fields(e.from, e.to, e.count, e.failed, e.early);
        LatencyHistogram::figures(a, e.hop);
    });
    a.value(t.m_failedFirst);
    figureOptionals(
        a, t.m_failedBlocks, std::size_t(1) << (32 - BlockShift),
        [] { return std::make_unique<std::array<quint64, 64>>(); },
        [](Archive& ar, auto& bits) { ar.array(bits.data(), bits.size()); });
    a.fields(t.m_droppedLinks, t.m_links);
}

void FlowTracker::writeFigures(FigureWriter& out) const { figures(out, *this); }

bool FlowTracker::readFigures(FigureReader& in, const FigureLimits& limits)
{
    figures(in, *this);
    const std::size_t types = limits.types->size();
    in.check(m_nodes.size() <= types, "flow: more nodes than types");
    for (const Node& n : m_nodes) {
        for (const auto& [source, events] : n.sources)
            in.check(source < limits.sources, "flow: a node's source is not one");
    }
    // the failed events are the session's (one bit each, from its first)
    in.check(m_failedFirst == 0 && m_failedBlocks.size() <= (limits.events >> BlockShift) + 1,
        "flow: failed events past the session's");
    // each (cause, effect) pair once, as edge() makes them, with its lookups made again
    for (std::size_t i = 0; i < m_edges.size() && in.ok(); ++i) {
        Edge& e = m_edges[i];
        in.check(e.from < types && e.to < types && find(e.from, e.to) < 0 && e.hop.figuresValid(),
            "flow: an edge cannot be");
        if (!in.ok())
            break;
        if (e.from >= m_out.size())
            m_out.resize(std::size_t(e.from) + 1);
        m_out[e.from].emplace_back(e.to, quint32(i));
        m_edgeIndex.emplace((quint32(e.from) << 16) | e.to, quint32(i));
        m_edgePtr.push_back(&e);
    }
    return in.ok();
}
