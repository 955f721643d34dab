// SPDX-License-Identifier: MIT
#include "stagetracker.h"

#include <algorithm>

int StageTracker::stage(quint16 root, quint16 type)
{
    if (root >= m_roots.size())
        m_roots.resize(std::size_t(root) + 1);
    auto& stages = m_roots[root].stages;
    for (const auto& [t, index] : stages)
        if (t == type)
            return int(index);
    if (m_stages.size() >= MaxPairs)
        return -1;
    stages.emplace_back(type, quint32(m_stages.size()));
    Stage& s = m_stages.emplace_back();
    s.root = root;
    s.type = type;
    return int(m_stages.size() - 1);
}

void StageTracker::add(quint32 chain, quint32 opener, quint16 type, qint64 timeUs)
{
    if (chain >= m_chains.size())
        m_chains.resize(std::size_t(chain) + 1);
    ChainState& c = m_chains[chain];
    if (c.opener != opener) { // a new chain (or a slot the chain tracker reuses): this is its root
        m_reachedCount -= c.reached.size();
        c = ChainState();
        c.opener = opener;
        c.root = type;
        c.rootUs = c.lastUs = timeUs;
        c.reached.push_back(type);
        ++m_reachedCount;
        if (type >= m_roots.size())
            m_roots.resize(std::size_t(type) + 1);
        ++m_roots[type].chains;
        c.last = stage(type, type);
        if (c.last >= 0) {
            Stage& s = m_stages[std::size_t(c.last)];
            ++s.reached;
            ++s.endedHere;
            s.fromRoot.add(0);
            s.fromPrevious.add(0);
        }
        return;
    }
    if (std::find(c.reached.begin(), c.reached.end(), type) != c.reached.end())
        return;
    if (c.reached.size() >= MaxStagesPerChain) {
        ++m_dropped;
        return;
    }
    c.reached.push_back(type);
    ++m_reachedCount;
    const int index = stage(c.root, type);
    if (index < 0) {
        ++m_dropped;
        return;
    }
    Stage& s = m_stages[std::size_t(index)];
    ++s.reached;
    s.fromRoot.add(timeUs - c.rootUs);
    s.fromPrevious.add(timeUs - c.lastUs);
    // the latest new stage is where the chain has got to (an event out of order does not move it back)
    if (timeUs >= c.lastUs) {
        if (c.last >= 0)
            --m_stages[std::size_t(c.last)].endedHere;
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

std::pair<int, int> StageTracker::chainStage(quint32 chain, quint32 opener) const
{
    if (chain >= m_chains.size() || m_chains[chain].opener != opener || m_chains[chain].last < 0)
        return { -1, -1 };
    const ChainState& c = m_chains[chain];
    return { c.root, m_stages[std::size_t(c.last)].type };
}

std::size_t StageTracker::heapBytes() const
{
    // per chain: its state, and its reached types (counted, not walked: this is asked for every batch)
    std::size_t bytes = m_chains.size() * (sizeof(ChainState) + 16) + m_reachedCount * sizeof(quint16)
        + m_stages.size() * sizeof(Stage) + m_roots.capacity() * sizeof(Root);
    for (const Stage& s : m_stages)
        bytes += s.fromRoot.heapBytes() + s.fromPrevious.heapBytes();
    for (const Root& r : m_roots)
        bytes += r.stages.capacity() * sizeof(std::pair<quint16, quint32>);
    return bytes;
}
