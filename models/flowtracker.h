// SPDX-License-Identifier: MIT
#pragma once

#include "latencyhistogram.h"

#include <QtGlobal>
#include <array>
#include <deque>
#include <memory>
#include <unordered_map>
#include <vector>

class EventStore;

/// The flow between event types, from causation links: an edge runs from a cause's type to its
/// effect's type and counts the links, their hop times (the effect's session time minus the cause's,
/// a negative one counted as 0 and also as "early") and the effects that failed. An event failed when a
/// handler failure or a dead letter names it, whenever that report comes. Each type (a node) counts its
/// events, its failed ones and the sources producing it. Kept as events come, for the session's types,
/// so a refresh reads it without looking at the events again.
class FigureReader;
class FigureWriter;
struct FigureLimits;

class FlowTracker
{
public:
    static constexpr std::size_t MaxEdges = 16384; ///< distinct (cause type, effect type) pairs kept
    static constexpr std::size_t MaxSourcesPerNode = 8;

    struct Node
    {
        quint64 events = 0;
        quint64 failed = 0;
        /// Producing sources (StringPool ids) with their event counts, the first MaxSourcesPerNode of
        /// them; events of further ones are counted in otherSources.
        std::vector<std::pair<quint16, quint64>> sources;
        quint64 otherSources = 0;
        /// The source producing most of its events.
        quint16 mainSource() const;
    };
    struct Edge
    {
        quint16 from = 0;
        quint16 to = 0;
        quint64 count = 0;
        quint64 failed = 0; ///< effects that failed or were dead-lettered
        quint64 early = 0; ///< effects that came before their cause on the session clock
        LatencyHistogram hop;
    };

    /// An event of `type` from `source`. (Inline, as is addLink()'s common case: both run for every event.)
    void addEvent(quint16 type, quint16 source)
    {
        if (type < m_nodes.size()) {
            Node& n = m_nodes[type];
            if (!n.sources.empty() && n.sources.front().first == source) {
                ++n.events;
                ++n.sources.front().second;
                return;
            }
        }
        addEventSlow(type, source);
    }
    /// The cause of an event of type `to` is known to be an event of type `from`; `hopUs` apart, the
    /// `failed` when the effect is known to have failed.
    void addLink(quint16 from, quint16 to, qint64 hopUs, bool failed)
    {
        // a type's links mostly go where its last one did
        if (from < m_lastEdge.size() && m_lastEdge[from].first == to && m_lastEdge[from].second > 0)
            countLink(*m_edgePtr[m_lastEdge[from].second - 1], hopUs, failed);
        else
            addLinkSlow(from, to, hopUs, failed);
    }
    /// Event `event` failed: returns false when it was already known to have. `storeFirst` is the oldest
    /// stored event's index (failed events are kept as one bit per stored event from there on).
    bool markFailed(quint32 event, quint32 storeFirst);
    bool hasFailed(quint32 event) const
    {
        const quint32 block = (event - m_failedFirst) >> BlockShift;
        return block < m_failedBlocks.size()
            && ((*m_failedBlocks[block])[(event - m_failedFirst) >> 6 & 63] >> ((event - m_failedFirst) & 63) & 1);
    }
    /// An event of `type` that had not failed before has; `cause` is its cause's type if its link is
    /// counted (-1: not known yet, or none).
    void addFailure(quint16 type, int cause);
    /// Forgets the failed events the store no longer holds (their counts stay).
    void dropEvicted(const EventStore& store);

    /// Indexed by type id (types without events have a default node).
    const std::vector<Node>& nodes() const { return m_nodes; }
    const std::deque<Edge>& edges() const { return m_edges; }
    /// Links between types not kept because MaxEdges pairs already were.
    quint64 droppedLinks() const { return m_droppedLinks; }
    /// Links counted in all, and effects counted as failed: together with the edges, what changed.
    quint64 linkCount() const { return m_links; }
    std::size_t heapBytes() const;

    /// Its figures to or from a saved index (figurearchive.h). readFigures() checks what they name (types,
    /// sources, one edge per pair, failed events among the session's) and makes the edges' lookups
    /// again: false when they cannot be.
    void writeFigures(FigureWriter& out) const;
    bool readFigures(FigureReader& in, const FigureLimits& limits);

private:
    template<class Archive, class Self>
    static void figures(Archive& a, Self& t);
    void addEventSlow(quint16 type, quint16 source);
    void addLinkSlow(quint16 from, quint16 to, qint64 hopUs, bool failed);
    void countLink(Edge& e, qint64 hopUs, bool failed)
    {
        ++m_links;
        ++e.count;
        e.failed += failed;
        e.early += hopUs < 0;
        e.hop.add(hopUs);
    }
    Node& node(quint16 type);
    /// The index in m_edges of (from, to), made when new; -1 past MaxEdges.
    int edge(quint16 from, quint16 to);

    std::vector<Node> m_nodes;
    std::deque<Edge> m_edges;
    std::vector<Edge*> m_edgePtr; ///< m_edges' elements by index (they never move; no division by block)
    static constexpr std::size_t ScanLimit = 32;
    /// Per cause type: (effect type, index in m_edges), scanned while a type has fewer than ScanLimit
    /// effect types (cheaper than a hash lookup, which does the rest: a hostile fan-out stays fast)
    std::vector<std::vector<std::pair<quint16, quint32>>> m_out;
    std::unordered_map<quint32, quint32> m_edgeIndex; ///< (from << 16 | to) -> index in m_edges
    /// Per cause type: its last edge (effect type, index in m_edges + 1; 0: none). A type's links mostly
    /// go where its last one did (the next step of a saga), so most links need no search.
    std::vector<std::pair<quint16, quint32>> m_lastEdge;
    int find(quint16 from, quint16 to) const;
    static constexpr int BlockShift = 12; ///< 4,096 events a block of failed bits
    std::vector<std::unique_ptr<std::array<quint64, 64>>> m_failedBlocks; ///< null: none failed in it
    quint32 m_failedFirst = 0; ///< the event index of the first block's first bit
    quint64 m_droppedLinks = 0;
    quint64 m_links = 0;
};
