// SPDX-License-Identifier: MIT
#include "flowtracker.h"

#include "eventstore.h"

#include <algorithm>

quint16 FlowTracker::Node::mainSource() const
{
    const auto most = std::max_element(sources.begin(), sources.end(),
        [](const std::pair<quint16, quint64>& a, const std::pair<quint16, quint64>& b) { return a.second < b.second; });
    return most == sources.end() ? 0 : most->first;
}

double FlowTracker::Edge::recentRate(qint64 nowUs) const
{
    const qint64 now = nowUs / 1000000;
    quint64 sum = 0;
    for (qint64 s = now - RecentSeconds + 1; s <= now; ++s) {
        if (s <= lastSecond && s > lastSecond - RecentSeconds)
            sum += perSecond[std::size_t(((s % RecentSeconds) + RecentSeconds) % RecentSeconds)];
    }
    return double(sum) / RecentSeconds;
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

FlowTracker::Edge* FlowTracker::edge(quint16 from, quint16 to)
{
    if (const int found = find(from, to); found >= 0)
        return &m_edges[std::size_t(found)];
    if (m_edges.size() >= MaxEdges)
        return nullptr;
    if (from >= m_out.size())
        m_out.resize(std::size_t(from) + 1);
    m_out[from].emplace_back(to, quint32(m_edges.size()));
    m_edgeIndex.emplace((quint32(from) << 16) | to, quint32(m_edges.size()));
    Edge& e = m_edges.emplace_back();
    e.from = from;
    e.to = to;
    return &e;
}

void FlowTracker::addEvent(quint16 type, quint16 source)
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

void FlowTracker::addLink(quint16 from, quint16 to, qint64 hopUs, qint64 effectUs, bool failed)
{
    Edge* e = edge(from, to);
    if (!e) {
        ++m_droppedLinks;
        return;
    }
    ++m_links;
    ++e->count;
    if (failed)
        ++e->failed;
    if (hopUs < 0)
        ++e->early;
    e->hop.add(hopUs);
    // the per-second ring: seconds since the last link are emptied
    const qint64 second = effectUs >= 0 ? effectUs / 1000000 : (effectUs - 999999) / 1000000;
    if (second > e->lastSecond) {
        const qint64 cleared = e->lastSecond == std::numeric_limits<qint64>::min()
            ? RecentSeconds
            : std::min<qint64>(second - e->lastSecond, RecentSeconds);
        for (qint64 s = second - cleared + 1; s <= second; ++s)
            e->perSecond[std::size_t(((s % RecentSeconds) + RecentSeconds) % RecentSeconds)] = 0;
        e->lastSecond = second;
    }
    if (second > e->lastSecond - RecentSeconds)
        ++e->perSecond[std::size_t(((second % RecentSeconds) + RecentSeconds) % RecentSeconds)];
}

void FlowTracker::addFailure(quint16 type, int cause)
{
    ++m_links;
    ++node(type).failed;
    if (cause < 0)
        return;
    if (const int found = find(quint16(cause), type); found >= 0)
        ++m_edges[std::size_t(found)].failed;
}

void FlowTracker::dropEvicted(const EventStore& store)
{
    for (auto it = m_failedEvents.begin(); it != m_failedEvents.end();) {
        if (store.contains(*it))
            ++it;
        else
            it = m_failedEvents.erase(it);
    }
}

std::size_t FlowTracker::heapBytes() const
{
    std::size_t bytes = m_nodes.capacity() * sizeof(Node) + m_edges.size() * sizeof(Edge)
        + m_out.capacity() * sizeof(m_out[0]) + m_edges.size() * sizeof(std::pair<quint16, quint32>)
        + m_edgeIndex.size() * (sizeof(std::pair<quint32, quint32>) + 2 * sizeof(void*))
        + m_failedEvents.size() * (sizeof(quint32) + 2 * sizeof(void*));
    for (const Edge& e : m_edges)
        bytes += e.hop.heapBytes();
    for (const Node& n : m_nodes)
        bytes += n.sources.capacity() * sizeof(std::pair<quint16, quint64>);
    return bytes;
}
