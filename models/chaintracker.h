// SPDX-License-Identifier: MIT
#pragma once

#include "taggedindex.h"
#include "uuid.h"

#include <algorithm>
#include <deque>
#include <limits>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

class EventStore;
class RecentIds;

/// One correlation chain: every event sharing a correlation id, and what went wrong in it.
struct Chain
{
    static constexpr quint32 End = std::numeric_limits<quint32>::max(); ///< EventStore::NotFound
    Uuid correlation;
    qint64 startUs = std::numeric_limits<qint64>::max();
    qint64 endUs = std::numeric_limits<qint64>::min();
    quint32 first = End; ///< first event (arrival order); ChainTracker::next() walks the rest
    quint32 last = End;
    quint32 opener = End; ///< the event that started the chain (stays when it leaves the store): with the
                          ///< slot, it names the chain across slot reuse
    quint32 size = 0;
    quint32 failures = 0; ///< system.handler.failed about this chain
    quint32 retries = 0;
    quint32 deadLetters = 0;
    quint16 orphans = 0; ///< events whose cause has not been seen (saturates at 65535)
    quint16 ends = 0; ///< events of a terminal type (Session::Config::terminalTypes), saturating: it finished

    qint64 durationUs() const { return size == 0 ? 0 : endUs - startUs; }
};

static_assert(sizeof(Chain) == 64, "a chain stays in one cache line");

/// A node of a chain's causation tree.
struct ChainNode
{
    quint32 event;
    int depth;
};

/// Groups events by correlation id.
class ChainTracker
{
public:
    static constexpr quint32 None = std::numeric_limits<quint32>::max();

    /// Events must be added in arrival order; the chain links live in the store, beside the records.
    /// Adds event `index` (produced at timeUs) to the chain of `correlation`; returns the chain's index.
    /// Chains follow producer time, as trace waterfalls do, whatever drives the rates.
    quint32 add(const Uuid& correlation, std::string_view hashedText, quint32 index, qint64 timeUs, EventStore& store);
    /// Event `index`, the oldest of its chain, is about to leave the store: the chain starts at its
    /// next event, or goes away with its last one.
    void dropOldest(quint32 chain, quint32 index, const EventStore& store);

    void setSmoothGrowth(bool smooth) { m_index.setSmoothGrowth(smooth); }
    /// A chain whose events have all been dropped keeps its correlation id and opener (beside the chains,
    /// 24 bytes, its index slot naming them), so that a later event of that id continues it (the same
    /// chain, not a new one: Session::Config::exactBeyondCap).
    void setRememberDropped(bool remember) { m_rememberDropped = remember; }
    /// Ends setRememberDropped(): the correlation id of every chain it kept, and of each chain whose
    /// events have all been dropped from now on, goes into `seen` (in key space `space`), and a chain
    /// whose id the set holds is a new slot but not a new chain (createdCount()). `seen` outlives
    /// this tracker's use of it.
    void forgetDropped(RecentIds* seen, quint64 space);
    /// About `count` chains will come in all (see EventStore::expectIds()).
    void expect(std::size_t count) { m_index.expect(count); }
    /// Frees the index by correlation id, for a session that takes in no more events: find() then
    /// scans the chains, and add() builds it again. The index is handed back, for the caller to free
    /// where it likes (null: none was held).
    std::shared_ptr<void> dropIndex();
    quint32 find(const Uuid& correlation) const;
    /// Finds a chain by id text (a UUID in any case, or the exact text of a non-UUID id).
    quint32 find(std::string_view text) const;
    /// Chain slots (some may be free: alive() says); iterate 0..size().
    std::size_t size() const { return m_chains.size(); }
    bool alive(quint32 i) const { return m_chains[i].size > 0; }
    /// Chains that hold at least one stored (and shown) event.
    std::size_t liveCount() const { return m_live; }
    /// Every chain ever started, including those whose events have all been dropped.
    quint64 createdCount() const { return m_created; }
    /// The chains and their index (8 bytes a slot: each chain holds its id), but for the index's share
    /// of dropped chains (droppedHeapBytes()).
    std::size_t heapBytes() const
    {
        return m_index.heapBytes() - droppedIndexBytes() + m_chains.size() * sizeof(Chain);
    }
    /// What chains whose events have all been dropped keep (setRememberDropped()): their ids and
    /// openers, and their share of the index.
    std::size_t droppedHeapBytes() const
    {
        return droppedIndexBytes() + m_droppedChains.size() * sizeof(DroppedChain)
            + m_droppedFree.capacity() * sizeof(quint32);
    }
    std::size_t growthBytes() const
    {
        return m_index.size() ? std::size_t(
                   double(m_index.growthBytes()) * double(m_index.size() - m_droppedCount) / double(m_index.size()))
                              : m_index.growthBytes();
    }
    void prefetch(const Uuid& correlation) const { m_index.prefetch(correlation); }
    void prefetchChain(quint32 chain) const { __builtin_prefetch(&m_chains[chain]); }
    /// The second step of prefetch(), a few events later: the chain its index slot names.
    Q_ALWAYS_INLINE void prefetchChainOf(const Uuid& correlation) const
    {
        const quint32 chain = m_index.peekHome(correlation);
        if (chain < m_chains.size())
            __builtin_prefetch(&m_chains[chain]);
    }
    /// The chain slot a correlation id's index slot names (maybe another id's): for prefetching only.
    quint32 peekChain(const Uuid& correlation) const
    {
        const quint32 chain = m_index.peekHome(correlation);
        return chain < m_chains.size() ? chain : None;
    }
    const Chain& at(quint32 i) const { return m_chains[i]; }
    Chain& at(quint32 i) { return m_chains[i]; }
    /// The id as received: canonical UUID text, or the original text of a non-UUID id.
    QString idText(quint32 i) const;
    /// Replay (Session::replayTo()): every chain emptied of its events but kept in its slot, under its
    /// id, with its links in the store; then count() takes the events again in order.
    void rewind();
    /// The original text of a non-UUID chain id, or nullptr (the id is its UUID).
    const std::string* hashedText(quint32 i) const
    {
        const auto it = m_texts.find(i);
        return it == m_texts.end() ? nullptr : &it->second;
    }
    /// A saved session's chain again (SessionIndex), in slot order, without events, as rewind() leaves
    /// one: count() takes its events, whose links the caller sets in the store. The index by correlation
    /// id is left to be built by the next add().
    void restore(const Uuid& correlation, quint32 opener, std::string hashedText);
    /// Takes event `index` of chain `chain` again (it had been added to it before the rewind).
    void count(quint32 chain, quint32 index, qint64 timeUs)
    {
        Chain& c = m_chains[chain];
        if (c.size == 0) {
            c.first = index;
            ++m_live;
            ++m_created;
        }
        c.last = index;
        ++c.size;
        c.startUs = std::min(c.startUs, timeUs);
        c.endUs = std::max(c.endUs, timeUs);
    }

    /// A chain's events in arrival order (those shown).
    std::vector<quint32> members(quint32 chain, const EventStore& store) const;

    /// The causation tree of a chain in depth-first order, children by time. Roots are events whose
    /// cause is unknown or outside the chain; several roots are possible.
    std::vector<ChainNode> tree(quint32 chain, const EventStore& store) const;
    /// Events of the chain whose causation id names no known event.
    int orphans(quint32 chain, const EventStore& store) const;

private:
    std::deque<Chain> m_chains; ///< a deque: growing never copies (a vector's doubling froze the window)
    /// chains by correlation id: a chain slot, or Dropped + the place of a dropped chain in
    /// m_droppedChains; a tag's match is confirmed by the id kept there
    TaggedIndex m_index;
    auto idOf() const
    {
        return [this](quint32 value) -> const Uuid& {
            return value >= Dropped ? m_droppedChains[value - Dropped].correlation : m_chains[value].correlation;
        };
    }
    struct DroppedChain
    {
        Uuid correlation;
        quint32 opener = Chain::End;
    };
    /// a deque: at 100 M events 15 M of them, and a vector's doubling would hold three times their size
    std::deque<DroppedChain> m_droppedChains;
    std::vector<quint32> m_droppedFree; ///< places in m_droppedChains to reuse
    std::size_t droppedIndexBytes() const
    {
        return m_index.size()
            ? std::size_t(double(m_index.heapBytes()) * double(m_droppedCount) / double(m_index.size()))
            : 0;
    }
    std::vector<quint32> m_free; ///< chain slots to reuse
    quint64 m_created = 0;
    std::size_t m_live = 0;
    bool m_indexDropped = false;
    bool m_rememberDropped = false;
    RecentIds* m_recent = nullptr; ///< forgetDropped()
    quint64 m_recentSpace = 0;
    /// In the index, a chain whose events have all been dropped (setRememberDropped()): Dropped + its
    /// place in m_droppedChains. Chain slots stay below it.
    static constexpr quint32 Dropped = 0x80000000u;
    std::size_t m_droppedCount = 0;
    std::unordered_map<quint32, std::string> m_texts; ///< chain -> original text, for non-UUID ids only
};
