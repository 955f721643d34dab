// SPDX-License-Identifier: MIT
#include "stagetracker.h"

#include "figurearchive.h"
#include "stringpool.h"

#include <algorithm>

qint32 StageTracker::findWideStage(const Root& r, quint16 type)
{
    for (std::size_t place = 0; place < r.stages.size(); ++place)
        if (r.stages[place].first == type)
            return qint32(r.stages[place].second | place << 16);
    return -1;
}

qint32 StageTracker::stage(quint16 root, quint16 type)
{
    const qint32 found = findStage(root, type);
    if (found >= 0)
        return found;
    if (m_stages.size() >= MaxPairs)
        return -1;
    if (root >= m_roots.size())
        m_roots.resize(std::size_t(root) + 1);
    Root& r = m_roots[root];
    const qint32 packed = qint32(m_stages.size() | r.stages.size() << 16);
    r.stages.emplace_back(type, quint32(m_stages.size()));
    if (type < DirectTypes) {
        if (type >= r.direct.size())
            r.direct.resize(std::size_t(type) + 1, -1);
        r.direct[type] = packed;
    }
    Stage& s = m_stages.emplace_back();
    s.root = root;
    s.type = type;
    m_stagePtr.push_back(&s);
    return packed;
}

bool StageTracker::spilledReached(quint32 chain, quint16 type) const
{
    const auto it = m_spilled.find(chain);
    return it != m_spilled.end() && std::find(it->second.begin(), it->second.end(), type) != it->second.end();
}

quint32 StageTracker::spilledCount(quint32 chain) const
{
    const auto it = m_spilled.find(chain);
    return it == m_spilled.end() ? 0 : quint32(it->second.size());
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

void StageTracker::startChain(ChainState& c, quint32 chain, quint32 opener, quint16 type, qint64 timeUs)
{
    if (c.opener != std::numeric_limits<quint32>::max() && c.root < m_roots.size() && m_roots[c.root].spills)
        m_spilled.erase(chain);
    c.opener = opener;
    c.root = type;
    c.rootUs = c.lastUs = timeUs;
    c.reached = 0;
    c.last = NoStage;
    if (type >= m_roots.size())
        m_roots.resize(std::size_t(type) + 1);
    ++m_roots[type].chains;
    const qint32 packed = stage(type, type);
    if (packed < 0 || packed >> 16 >= MaskStages) {
        m_roots[type].spills = true;
        m_spilled[chain].push_back(type);
        if (packed < 0)
            return;
    } else {
        c.reached = quint64(1) << (packed >> 16); // the root's first stage is itself, as a rule
    }
    c.last = quint16(packed);
    Stage& s = *m_stagePtr[c.last];
    ++s.reached; // its times are 0: not counted in its histograms, which stay empty
    ++s.endedHere;
}

void StageTracker::add(quint32 chain, quint32 opener, quint16 type, qint64 timeUs)
{
    ChainState& c = chainState(chain);
    if (c.opener != opener) { // a new chain (or a slot the chain tracker reuses): this is its root
        startChain(c, chain, opener, type, timeUs);
        return;
    }
    qint32 packed = findStage(c.root, type);
    const int place = packed >> 16;
    if (packed >= 0 && place < MaskStages && (c.reached >> place & 1))
        return;
    const bool spills = m_roots[c.root].spills;
    if (spills && spilledReached(chain, type))
        return;
    // a full mask is MaxStagesPerChain types; beyond it only a spilling root's chains count (no popcount
    // instruction in the baseline x86-64 this builds for)
    static_assert(MaxStagesPerChain == MaskStages);
    if (spills ? quint32(__builtin_popcountll(c.reached)) + spilledCount(chain) >= MaxStagesPerChain
               : c.reached == ~quint64(0)) {
        ++m_dropped;
        return;
    }
    if (packed < 0)
        packed = stage(c.root, type);
    if (packed < 0 || packed >> 16 >= MaskStages) {
        m_roots[c.root].spills = true;
        m_spilled[chain].push_back(type);
        if (packed < 0) {
            ++m_dropped;
            return;
        }
    } else {
        c.reached |= quint64(1) << (packed >> 16);
    }
    const quint16 index = quint16(packed);
    Stage& s = *m_stagePtr[index];
    ++s.reached;
    s.fromRoot.add(timeUs - c.rootUs);
    s.fromPrevious.add(timeUs - c.lastUs);
    // the latest new stage is where the chain has got to (an event out of order does not move it back)
    if (timeUs >= c.lastUs) {
        if (c.last != NoStage)
            --m_stagePtr[c.last]->endedHere;
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

std::vector<qint32> StageTracker::lastStages() const
{
    if (m_compacted)
        return m_lastOf;
    std::vector<qint32> last(m_chains.size() << ChunkShift, -1);
    for (std::size_t chunk = 0; chunk < m_chains.size(); ++chunk) {
        if (!m_chains[chunk])
            continue;
        for (std::size_t i = 0; i < (std::size_t(1) << ChunkShift); ++i) {
            const quint16 stage = (*m_chains[chunk])[i].last;
            last[(chunk << ChunkShift) + i] = stage == NoStage ? -1 : qint32(stage);
        }
    }
    return last;
}

std::shared_ptr<void> StageTracker::compact()
{
    if (m_compacted)
        return {};
    m_lastOf = lastStages();
    auto held = std::make_shared<std::pair<decltype(m_chains), decltype(m_spilled)>>();
    held->first.swap(m_chains);
    held->second.swap(m_spilled);
    for (Root& r : m_roots)
        r.spills = false;
    m_compacted = true;
    return held;
}

void StageTracker::restore(quint32 chain, quint32 opener, const std::vector<std::pair<quint16, qint64>>& events)
{
    if (events.empty())
        return;
    ChainState& c = chainState(chain);
    c.reached = 0;
    c.opener = opener;
    const qint32 last = chain < m_lastOf.size() ? m_lastOf[chain] : -1;
    c.last = last >= 0 ? quint16(last) : NoStage;
    // the root as counted then (its first event may have left the store since)
    c.root = last >= 0 ? m_stages[std::size_t(last)].root : events.front().first;
    if (c.root >= m_roots.size()) // a chain that reached no stage, its first event's type no root yet
        m_roots.resize(std::size_t(c.root) + 1);
    c.rootUs = c.lastUs = events.front().second;
    for (const auto& [type, timeUs] : events) {
        const qint32 packed = findStage(c.root, type);
        const int place = packed >> 16;
        if (packed >= 0 && place < MaskStages) {
            c.reached |= quint64(1) << place;
        } else if (!spilledReached(chain, type)
            && quint32(__builtin_popcountll(c.reached)) + spilledCount(chain) < MaxStagesPerChain) {
            m_roots[c.root].spills = true;
            m_spilled[chain].push_back(type);
        }
        if (last >= 0 && m_stages[std::size_t(last)].type == type)
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
    if (c.opener != opener || c.last == NoStage)
        return { -1, -1 };
    return { c.root, m_stages[c.last].type };
}

std::size_t StageTracker::heapBytes() const
{
    // per chain: its state, and an estimate for the chains with spilled types (not walked: this is asked
    // for every batch)
    std::size_t bytes
        = std::size_t(std::count_if(m_chains.begin(), m_chains.end(), [](const auto& c) { return bool(c); }))
            * sizeof(ChainState) * (1u << ChunkShift)
        + m_spilled.size() * 64 + m_stages.size() * sizeof(Stage) + m_roots.capacity() * sizeof(Root);
    for (const Root& r : m_roots)
        bytes += r.direct.capacity() * sizeof(qint32);
    for (const Stage& s : m_stages)
        bytes += s.fromRoot.heapBytes() + s.fromPrevious.heapBytes();
    for (const Root& r : m_roots)
        bytes += r.stages.capacity() * sizeof(std::pair<quint16, quint32>);
    return bytes;
}

template<class Archive, class Self>
void StageTracker::figures(Archive& a, Self& t)
{
    a.tag("STGS");
    figureList(a, t.m_stages, 22, MaxPairs, [&a](auto& s) {
        a.fields(s.root, s.type, s.reached, s.endedHere);
        LatencyHistogram::figures(a, s.fromRoot);
        LatencyHistogram::figures(a, s.fromPrevious);
    });
    figureList(a, t.m_roots, 8, std::size_t(1) << 16, [&a](auto& r) { a.value(r.chains); });
    a.value(t.m_dropped);
}

void StageTracker::writeFigures(FigureWriter& out) const
{
    figures(out, *this);
    out.values(lastStages(), 0);
}

bool StageTracker::readFigures(FigureReader& in, const FigureLimits& limits)
{
    figures(in, *this);
    in.values(m_lastOf, (limits.chains + (1u << ChunkShift) - 1) & ~std::size_t((1u << ChunkShift) - 1));
    const std::size_t types = limits.types->size();
    in.check(m_roots.size() <= types, "stages: more roots than types");
    // each root's stages in the order they came, and its lookups, as stage() makes them
    for (std::size_t i = 0; i < m_stages.size() && in.ok(); ++i) {
        Stage& s = m_stages[i];
        in.check(s.root < m_roots.size() && s.type < types && findStage(s.root, s.type) < 0 && s.fromRoot.figuresValid()
                && s.fromPrevious.figuresValid(),
            "stages: a stage cannot be");
        if (!in.ok())
            break;
        Root& r = m_roots[s.root];
        if (s.type < DirectTypes) {
            if (s.type >= r.direct.size())
                r.direct.resize(std::size_t(s.type) + 1, -1);
            r.direct[s.type] = qint32(i | r.stages.size() << 16);
        }
        r.stages.emplace_back(s.type, quint32(i));
        m_stagePtr.push_back(&s);
    }
    // one pass the compiler vectorises: at 100 M events 15.6 M chains, checked one by one in 18 ms
    const auto [lowest, highest] = std::minmax_element(m_lastOf.begin(), m_lastOf.end());
    in.check(m_lastOf.empty() || (*lowest >= -1 && *highest < qint32(m_stages.size())),
        "stages: a chain's stage is not one");
    m_compacted = true;
    return in.ok();
}
