// SPDX-License-Identifier: MIT
#pragma once

#include "latencyhistogram.h"

#include <QtGlobal>
#include <algorithm>
#include <array>
#include <deque>
#include <limits>
#include <memory>
#include <unordered_map>
#include <utility>
#include <vector>

/// How far chains get: each chain's root is its first event to arrive, and each event type it reaches
/// afterwards is a stage of that root. Per (root type, stage type) it counts the chains that reached the
/// stage, their time from the root to the first event of the stage and from the stage reached just
/// before it, and the chains whose latest new stage it is (where they ended, so far). Kept as events
/// come; times are session times (receive times).
class FigureReader;
class FigureWriter;
struct FigureLimits;

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
        /// by type, for types below DirectTypes: index in stages() | place in `stages` << 16 (-1: none)
        std::vector<qint32> direct;
        bool spills = false; ///< a chain of this root has types in m_spilled
    };
    static constexpr std::size_t DirectTypes = 256;

    /// Event `type` at `timeUs` joined chain slot `chain`, whose first event is `opener`.
    void add(quint32 chain, quint32 opener, quint16 type, qint64 timeUs);
    void clear() { *this = StageTracker(); }
    /// No more events are expected (Session::compact()): each chain's state (32 B) is freed, keeping only
    /// where it has got to (4 B) for chainStage(); add() then needs restore() for every chain first. The
    /// states are handed back, for the caller to free where it likes.
    std::shared_ptr<void> compact();
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

    /// Its figures to or from a saved index (figurearchive.h), as compact() leaves them: the stages, each
    /// root's chains, and where each chain slot has got to. A tracker that read them is compacted (add()
    /// needs restore() first). readFigures() checks what they name (types, one stage per pair, stages
    /// within MaxPairs) and makes the roots' lookups again: false when they cannot be.
    void writeFigures(FigureWriter& out) const;
    bool readFigures(FigureReader& in, const FigureLimits& limits);

private:
    template<class Archive, class Self>
    static void figures(Archive& a, Self& t);
    /// Per chain slot: index in m_stages of its latest stage, or -1 (compact()'s m_lastOf).
    std::vector<qint32> lastStages() const;
    /// A chain's progress (32 B: a chain's event costs at most one cache miss here). The types it reached
    /// are bits over its root's stages in the order the root met them (Root::stages): the first 64 of
    /// them, which is every stage of most roots; the rest spill to m_spilled.
    struct alignas(32) ChainState
    {
        quint32 opener = std::numeric_limits<quint32>::max();
        quint16 root = 0;
        quint16 last = NoStage; ///< index in m_stages of its latest new stage
        quint64 reached = 0; ///< bit i: the root's stage i was reached
        qint64 rootUs = 0;
        qint64 lastUs = 0;
    };
    static constexpr quint16 NoStage = 0xffff;
    static_assert(MaxPairs < NoStage);
    static constexpr int MaskStages = 64;
    /// Chain states in chunks of 128 (4 KiB, made as the chain slots come, so a new chain's state is still
    /// in the cache when it is first used): growing never moves them.
    static constexpr int ChunkShift = 7;
    static_assert(sizeof(ChainState) == 32);
    ChainState& chainState(quint32 chain)
    {
        const std::size_t chunk = chain >> ChunkShift;
        if (chunk < m_chains.size() && m_chains[chunk])
            return (*m_chains[chunk])[chain & ((1u << ChunkShift) - 1)];
        return newChainState(chain);
    }
    ChainState& newChainState(quint32 chain);
    /// (root, type) as its index in m_stages (low 16 bits) and its place among the root's stages (high
    /// 16 bits); -1 when the pair has no stage yet.
    qint32 findStage(quint16 root, quint16 type) const
    {
        if (root < m_roots.size()) {
            const Root& r = m_roots[root];
            if (type < r.direct.size())
                return r.direct[type];
            if (type >= DirectTypes)
                return findWideStage(r, type);
        }
        return -1;
    }
    static qint32 findWideStage(const Root& r, quint16 type);
    /// findStage(), making the pair when new; -1 past MaxPairs.
    qint32 stage(quint16 root, quint16 type);
    /// Whether a chain whose root's stages spilled reached `type` there; its spilled types.
    bool spilledReached(quint32 chain, quint16 type) const;
    quint32 spilledCount(quint32 chain) const;
    void startChain(ChainState& c, quint32 chain, quint32 opener, quint16 type, qint64 timeUs);

    std::vector<std::unique_ptr<std::array<ChainState, 1 << ChunkShift>>> m_chains; ///< per chain slot
    /// Types reached beyond a chain's mask (a root with more than 64 stages, or a pair past MaxPairs), per
    /// chain slot; only for roots whose Root::spills is set
    std::unordered_map<quint32, std::vector<quint16>> m_spilled;
    std::deque<Stage> m_stages;
    /// m_stages' elements by index: they never move, and a deque's index is a division by its (odd)
    /// elements per block, paid several times an event
    std::vector<Stage*> m_stagePtr;
    std::vector<Root> m_roots;
    quint64 m_dropped = 0;
    bool m_compacted = false;
    std::vector<qint32> m_lastOf; ///< per chain slot once compacted: index in m_stages of its latest stage
};
