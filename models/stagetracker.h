// SPDX-License-Identifier: MIT
#pragma once

#include "latencyhistogram.h"

#include <QtGlobal>
#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <memory>
#include <utility>
#include <vector>

/// How far chains get: each chain's root is its first event to arrive, and each event type it reaches
/// afterwards is a stage of that root. Per (root type, stage type) it counts the chains that reached the
/// stage, their time from the root to the first event of the stage and from the stage reached just
/// before it, and the chains whose latest new stage it is (where they ended, so far). Kept as events
/// come; times are session times (receive times).
class StageTracker
{
public:
    static constexpr std::size_t MaxPairs = 16384; ///< (root, stage) pairs kept
    static constexpr std::size_t MaxStagesPerChain = 64; ///< types followed per chain; more are not stages

    struct Stage
    {
        quint16 root = 0;
        quint16 type = 0;
        quint64 reached = 0;
        qint64 endedHere = 0;
        LatencyHistogram fromRoot;
        LatencyHistogram fromPrevious;
    };
    struct Root
    {
        quint64 chains = 0;
        std::vector<std::pair<quint16, quint32>> stages; ///< (type, index in stages())
        std::vector<qint32> direct; ///< index in stages() by type, for types below DirectTypes (-1: none)
    };
    static constexpr std::size_t DirectTypes = 256;

    /// Event `type` at `timeUs` joined chain slot `chain`, whose first event is `opener`.
    void add(quint32 chain, quint32 opener, quint16 type, qint64 timeUs);
    void clear() { *this = StageTracker(); }
    /// No more events are expected (Session::compact()): each chain's state (64 B) is freed, keeping only
    /// where it has got to (4 B) for chainStage(); add() then needs restore() for every chain first.
    void compact();
    bool compacted() const { return m_compacted; }
    /// After compact(), before add(): chain slot `chain` (opened by `opener`) took these events, in
    /// arrival order: (type, session time). Its state is made again without counting anything.
    void restore(quint32 chain, quint32 opener, const std::vector<std::pair<quint16, qint64>>& events);
    /// The end of restoring: add() may take events again.
    void restored();
    /// Fetches the state of chain slot `chain` into the cache (the ingest loop, a few events ahead).
    void prefetch(quint32 chain) const
    {
        const std::size_t chunk = chain >> ChunkShift;
        if (chunk < m_chains.size() && m_chains[chunk])
            __builtin_prefetch(&(*m_chains[chunk])[chain & ((1u << ChunkShift) - 1)]);
    }

    const std::deque<Stage>& stages() const { return m_stages; }
    /// Indexed by root type (types that started no chain have no chains).
    const std::vector<Root>& roots() const { return m_roots; }
    /// The root type with the most chains, or -1 when no chain has started.
    int commonRoot() const;
    /// Where chain slot `chain` has got to: its root and its latest new stage (-1, -1 when unknown, or when
    /// the slot now holds another chain than the one opened by `opener`).
    std::pair<int, int> chainStage(quint32 chain, quint32 opener) const;
    /// Stages not counted: (root, stage) pairs past MaxPairs, types past MaxStagesPerChain in a chain.
    quint64 dropped() const { return m_dropped; }
    std::size_t heapBytes() const;

private:
    static constexpr int InlineTypes = 12;
    /// A chain's progress; the types it reached are kept in place up to InlineTypes (most chains), the
    /// rest on the heap (a chain each would otherwise cost an allocation).
    struct alignas(64) ChainState // one cache line each: a chain's event costs one miss, not two
    {
        quint32 opener = std::numeric_limits<quint32>::max();
        qint32 last = -1; ///< index in m_stages of its latest new stage
        quint16 root = 0;
        quint16 count = 0;
        quint32 mask = 0; ///< bit (type % 32) of each type reached: most new types are told at once
        std::array<quint16, InlineTypes> types {};
        qint64 rootUs = 0;
        qint64 lastUs = 0;
        std::unique_ptr<std::vector<quint16>> more;
        bool reached(quint16 type) const
        {
            if (!(mask >> (type & 31) & 1))
                return false;
            const int inPlace = count < InlineTypes ? count : InlineTypes;
            for (int i = 0; i < inPlace; ++i)
                if (types[std::size_t(i)] == type)
                    return true;
            return more && std::find(more->begin(), more->end(), type) != more->end();
        }
        void add(quint16 type)
        {
            mask |= 1u << (type & 31);
            if (count < InlineTypes)
                types[count] = type;
            else
                addMore(type);
            ++count;
        }
        void addMore(quint16 type);
    };
    /// Chain states in chunks of 64 (4 KiB, made as the chain slots come, so a new chain's state is still in
    /// the cache when it is first used): growing never moves them.
    static constexpr int ChunkShift = 6;
    static_assert(sizeof(ChainState) == 64);
    ChainState& chainState(quint32 chain)
    {
        const std::size_t chunk = chain >> ChunkShift;
        if (chunk < m_chains.size() && m_chains[chunk])
            return (*m_chains[chunk])[chain & ((1u << ChunkShift) - 1)];
        return newChainState(chain);
    }
    ChainState& newChainState(quint32 chain);
    /// The index in m_stages of (root, type), made when new; -1 past MaxPairs.
    int stage(quint16 root, quint16 type)
    {
        if (root < m_roots.size()) {
            const Root& r = m_roots[root];
            if (type < r.direct.size() && r.direct[type] >= 0)
                return r.direct[type];
        }
        return newStage(root, type);
    }
    int newStage(quint16 root, quint16 type);

    std::vector<std::unique_ptr<std::array<ChainState, 1 << ChunkShift>>> m_chains; ///< per chain slot
    std::deque<Stage> m_stages;
    /// m_stages' elements by index: they never move, and a deque's index is a division by its (odd)
    /// elements per block, paid several times an event
    std::vector<Stage*> m_stagePtr;
    std::vector<Root> m_roots;
    quint64 m_dropped = 0;
    quint64 m_reachedCount = 0;
    bool m_compacted = false;
    std::vector<qint32> m_lastOf; ///< per chain slot once compacted: index in m_stages of its latest stage
};
