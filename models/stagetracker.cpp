// SPDX-License-Identifier: MIT
#include "stagetracker.h"

#include <algorithm>

int StageTracker::newStage(quint16 root, quint16 type)
{
    if (root >= m_roots.size())
        m_roots.resize(std::size_t(root) + 1);
    Root& r = m_roots[root];
    if (type < r.direct.size() && r.direct[type] >= 0)
        return r.direct[type];
    if (type >= DirectTypes) {
        for (const auto& [t, index] : r.stages)
            if (t == type)
                return int(index);
    }
    if (m_stages.size() >= MaxPairs)
        return -1;
    r.stages.emplace_back(type, quint32(m_stages.size()));
    if (type < DirectTypes) {
        if (type >= r.direct.size())
            r.direct.resize(std::size_t(type) + 1, -1);
        r.direct[type] = qint32(m_stages.size());
    }
    Stage& s = m_stages.emplace_back();
    s.root = root;
    s.type = type;
    m_stagePtr.push_back(&s);
    return int(m_stages.size() - 1);
}

void StageTracker::ChainState::addMore(quint16 type)
{
    if (!more)
        more = std::make_unique<std::vector<quint16>>();
    more->push_back(type);
}

StageTracker::ChainState& StageTracker::newChainState(quint32 chain)
{
    const std::size_t chunk = chain >> ChunkShift;
    if (chunk >= m_chains.size())
        m_chains.resize(chunk + 1);
    if (!m_chains[chunk])
        m_chains[chunk] = std::make_unique<std::array<ChainState, 1 << ChunkShift>>();
    return (*m_chains[chunk])[chain & ((1u << ChunkShift) - 1)];
}

void StageTracker::add(quint32 chain, quint32 opener, quint16 type, qint64 timeUs)
{
    ChainState& c = chainState(chain);
    if (c.opener != opener) { // a new chain (or a slot the chain tracker reuses): this is its root
        if (c.more)
            m_reachedCount -= c.more->size();
        c.more.reset();
        c.count = 0;
        c.mask = 0;
        c.last = -1;
        c.opener = opener;
        c.root = type;
        c.rootUs = c.lastUs = timeUs;
        c.add(type);
        if (type >= m_roots.size())
            m_roots.resize(std::size_t(type) + 1);
        ++m_roots[type].chains;
        c.last = stage(type, type);
        if (c.last >= 0) {
            Stage& s = *m_stagePtr[std::size_t(c.last)];
            ++s.reached; // its times are 0: not counted in its histograms, which stay empty
            ++s.endedHere;
        }
        return;
    }
    if (c.reached(type))
        return;
    if (c.count >= MaxStagesPerChain) {
        ++m_dropped;
        return;
    }
    c.add(type);
    if (c.count > InlineTypes)
        ++m_reachedCount;
    const int index = stage(c.root, type);
    if (index < 0) {
        ++m_dropped;
        return;
    }
    Stage& s = *m_stagePtr[std::size_t(index)];
    ++s.reached;
    s.fromRoot.add(timeUs - c.rootUs);
    s.fromPrevious.add(timeUs - c.lastUs);
    // the latest new stage is where the chain has got to (an event out of order does not move it back)
    if (timeUs >= c.lastUs) {
        if (c.last >= 0)
            --m_stagePtr[std::size_t(c.last)]->endedHere;
        ++s.endedHere;
        c.lastUs = timeUs;
        c.last = index;
    }
}

int StageTracker::commonRoot() const
{
    int best = -1;
    for (std::size_t r = 0; r < m_roots.size(); ++r)
        if (m_roots[r].chains > 0 && (best < 0 || m_roots[r].chains > m_roots[std::size_t(best)].chains))
            best = int(r);
    return best;
}

void StageTracker::compact()
{
    if (m_compacted)
        return;
    m_lastOf.assign(m_chains.size() << ChunkShift, -1);
    for (std::size_t chunk = 0; chunk < m_chains.size(); ++chunk) {
        if (!m_chains[chunk])
            continue;
        for (std::size_t i = 0; i < (std::size_t(1) << ChunkShift); ++i)
            m_lastOf[(chunk << ChunkShift) + i] = (*m_chains[chunk])[i].last;
    }
    decltype(m_chains)().swap(m_chains);
    m_reachedCount = 0;
    m_compacted = true;
}

void StageTracker::restore(quint32 chain, quint32 opener, const std::vector<std::pair<quint16, qint64>>& events)
{
    if (events.empty())
        return;
    ChainState& c = chainState(chain);
    c.more.reset();
    c.count = 0;
    c.mask = 0;
    c.opener = opener;
    c.last = chain < m_lastOf.size() ? m_lastOf[chain] : -1;
    // the root as counted then (its first event may have left the store since)
    c.root = c.last >= 0 ? m_stages[std::size_t(c.last)].root : events.front().first;
    c.rootUs = c.lastUs = events.front().second;
    for (const auto& [type, timeUs] : events) {
        if (!c.reached(type) && c.count < MaxStagesPerChain) {
            c.add(type);
            if (c.count > InlineTypes)
                ++m_reachedCount;
        }
        if (c.last >= 0 && m_stages[std::size_t(c.last)].type == type)
            c.lastUs = std::max(c.lastUs, timeUs);
    }
}

void StageTracker::restored()
{
    std::vector<qint32>().swap(m_lastOf);
    m_compacted = false;
}

std::pair<int, int> StageTracker::chainStage(quint32 chain, quint32 opener) const
{
    if (m_compacted) {
        if (chain >= m_lastOf.size() || m_lastOf[chain] < 0)
            return { -1, -1 };
        const Stage& s = m_stages[std::size_t(m_lastOf[chain])];
        return { s.root, s.type };
    }
    const std::size_t chunk = chain >> ChunkShift;
    if (chunk >= m_chains.size() || !m_chains[chunk])
        return { -1, -1 };
    const ChainState& c = (*m_chains[chunk])[chain & ((1u << ChunkShift) - 1)];
    if (c.opener != opener || c.last < 0)
        return { -1, -1 };
    return { c.root, m_stages[std::size_t(c.last)].type };
}

std::size_t StageTracker::heapBytes() const
{
    // per chain: its state, and the reached types beyond those in place (counted, not walked: this is
    // asked for every batch)
    std::size_t bytes
        = std::size_t(std::count_if(m_chains.begin(), m_chains.end(), [](const auto& c) { return bool(c); }))
            * sizeof(ChainState) * (1u << ChunkShift)
        + m_reachedCount * (sizeof(quint16) + 8) + m_stages.size() * sizeof(Stage) + m_roots.capacity() * sizeof(Root);
    for (const Root& r : m_roots)
        bytes += r.direct.capacity() * sizeof(qint32);
    for (const Stage& s : m_stages)
        bytes += s.fromRoot.heapBytes() + s.fromPrevious.heapBytes();
    for (const Root& r : m_roots)
        bytes += r.stages.capacity() * sizeof(std::pair<quint16, quint32>);
    return bytes;
}
