// SPDX-License-Identifier: MIT
#include "chaintracker.h"

#include "eventstore.h"
#include "recentids.h"

#include <algorithm>

QString ChainTracker::idText(quint32 i) const
{
    const auto it = m_texts.find(i);
    return it == m_texts.end() ? m_chains[i].correlation.toString() : QString::fromStdString(it->second);
}

std::vector<quint32> ChainTracker::members(quint32 chain, const EventStore& store) const
{
    std::vector<quint32> out;
    out.reserve(m_chains[chain].size);
    // a replay shows the first events only: the links go on to later ones
    for (quint32 e = m_chains[chain].first; e != Chain::End && store.contains(e); e = store.link(e))
        out.push_back(e);
    return out;
}

void ChainTracker::dropOldest(quint32 chain, quint32 index, const EventStore& store)
{
    Chain& c = m_chains[chain];
    if (c.first != index)
        return;
    c.first = store.link(index);
    // start and end stay: the chain did start then, even if its first events are no longer stored
    if (--c.size == 0) {
        m_index.erase(c.correlation, chain);
        if (m_recent) {
            m_recent->add(RecentIds::keyIn(c.correlation, m_recentSpace));
        } else if (m_rememberDropped) {
            // its id stays, naming the chain's opener
            quint32 place = quint32(m_droppedChains.size());
            if (!m_droppedFree.empty()) {
                place = m_droppedFree.back();
                m_droppedFree.pop_back();
            } else {
                m_droppedChains.emplace_back();
            }
            m_droppedChains[place] = { c.correlation, c.opener };
            m_index.insert(c.correlation, Dropped + place, idOf());
            ++m_droppedCount;
        }
        m_texts.erase(chain);
        c = Chain {};
        m_free.push_back(chain);
        --m_live;
    }
}

void ChainTracker::forgetDropped(RecentIds* seen, quint64 space)
{
    m_recent = seen;
    m_recentSpace = space;
    for (quint32 place = 0; place < m_droppedChains.size(); ++place) {
        const DroppedChain& d = m_droppedChains[place];
        if (d.opener != Chain::End) // a free place is cleared
            seen->add(RecentIds::keyIn(d.correlation, space));
    }
    m_droppedChains = {};
    m_droppedFree = {};
    m_droppedCount = 0;
    m_rememberDropped = false;
    // the index named the dropped chains too: add() builds it again from the chains alone
    m_index = TaggedIndex();
    m_indexDropped = true;
}

void ChainTracker::rewind()
{
    for (Chain& c : m_chains) {
        c.startUs = std::numeric_limits<qint64>::max();
        c.endUs = std::numeric_limits<qint64>::min();
        c.first = c.last = Chain::End;
        c.size = c.failures = c.retries = c.deadLetters = 0;
        c.orphans = c.ends = 0;
    }
    m_live = 0;
    m_created = 0;
}

void ChainTracker::restore(const Uuid& correlation, quint32 opener, std::string hashedText)
{
    const quint32 slot = quint32(m_chains.size());
    Chain& c = m_chains.emplace_back();
    c.correlation = correlation;
    c.opener = opener;
    if (!hashedText.empty())
        m_texts.emplace(slot, std::move(hashedText));
    if (!m_indexDropped)
        dropIndex();
}

std::shared_ptr<void> ChainTracker::dropIndex()
{
    if (m_droppedCount > 0)
        return {}; // the dropped chains are found only through it
    auto held = std::make_shared<TaggedIndex>(std::move(m_index));
    m_index = TaggedIndex();
    m_indexDropped = true;
    return held;
}

quint32 ChainTracker::add(
    const Uuid& correlation, std::string_view hashedText, quint32 index, qint64 timeUs, EventStore& store)
{
    if (m_indexDropped) {
        for (quint32 c = 0; c < m_chains.size(); ++c) {
            if (m_chains[c].opener != Chain::End) // a slot in use (a freed one is cleared)
                m_index.insert(m_chains[c].correlation, c, idOf());
        }
        m_indexDropped = false;
    }
    const quint32 slot = m_free.empty() ? quint32(m_chains.size()) : m_free.back();
    Q_ASSERT(slot < Dropped);
    quint32 chain = m_index.insert(correlation, slot, idOf());
    quint32 opener = index;
    if (chain >= Dropped) {
        // its events went, the chain goes on (setRememberDropped())
        const quint32 place = chain - Dropped;
        opener = m_droppedChains[place].opener;
        m_index.erase(correlation, chain);
        m_index.insert(correlation, slot, idOf());
        m_droppedChains[place] = {};
        m_droppedFree.push_back(place);
        --m_droppedCount;
        chain = slot;
    } else if (chain == slot && !(m_recent && m_recent->contains(RecentIds::keyIn(correlation, m_recentSpace)))) {
        ++m_created; // (a chain the set holds goes on, as a remembered one does)
    }
    if (chain == slot) {
        if (slot == m_chains.size())
            m_chains.emplace_back();
        else
            m_free.pop_back();
        m_chains[slot].correlation = correlation;
        m_chains[slot].opener = opener;
        if (!hashedText.empty())
            m_texts.emplace(chain, std::string(hashedText));
        ++m_live;
    }
    Chain& c = m_chains[chain];
    if (c.size > 0)
        store.setLink(c.last, index);
    else
        c.first = index;
    c.last = index;
    ++c.size;
    c.startUs = std::min(c.startUs, timeUs);
    c.endUs = std::max(c.endUs, timeUs);
    return chain;
}

quint32 ChainTracker::find(const Uuid& correlation) const
{
    if (m_indexDropped) {
        for (quint32 c = 0; c < m_chains.size(); ++c) {
            if (m_chains[c].opener != Chain::End && m_chains[c].correlation == correlation)
                return c;
        }
        return None;
    }
    const quint32 c = m_index.find(correlation, idOf());
    return c >= Dropped ? None : c;
}

quint32 ChainTracker::find(std::string_view text) const { return find(Uuid::fromText(text, nullptr)); }

std::vector<ChainNode> ChainTracker::tree(quint32 chainIndex, const EventStore& store) const
{
    std::vector<ChainNode> out;
    if (chainIndex >= m_chains.size())
        return out;
    const std::vector<quint32> events = members(chainIndex, store);
    std::unordered_map<quint32, std::vector<quint32>> children;
    std::vector<quint32> roots;
    for (quint32 e : events) {
        const EventRecord& r = store.at(e);
        const quint32 parent = e + quint32(r.parentDelta);
        if (r.parentDelta != 0 && store.contains(parent) && store.chainAt(parent) == chainIndex)
            children[parent].push_back(e);
        else
            roots.push_back(e);
    }
    auto byTime = [&store](quint32 a, quint32 b) {
        const qint64 ta = store.eventTimeAt(a), tb = store.eventTimeAt(b);
        return ta != tb ? ta < tb : a < b;
    };
    std::sort(roots.begin(), roots.end(), byTime);
    for (auto& [parent, list] : children)
        std::sort(list.begin(), list.end(), byTime);
    // iterative depth-first walk: a hostile chain may be a million events deep
    std::vector<ChainNode> stack;
    for (auto it = roots.rbegin(); it != roots.rend(); ++it)
        stack.push_back({ *it, 0 });
    std::unordered_map<quint32, bool> visited;
    while (!stack.empty()) {
        const ChainNode node = stack.back();
        stack.pop_back();
        if (!visited.emplace(node.event, true).second)
            continue;
        out.push_back(node);
        const auto c = children.find(node.event);
        if (c == children.end())
            continue;
        for (auto it = c->second.rbegin(); it != c->second.rend(); ++it)
            stack.push_back({ *it, node.depth + 1 });
    }
    // events inside a causation cycle are reachable from no root: list them at the top level
    for (quint32 e : events) {
        if (!visited.count(e))
            out.push_back({ e, 0 });
    }
    return out;
}

int ChainTracker::orphans(quint32 chainIndex, const EventStore& store) const
{
    int n = 0;
    for (quint32 e = m_chains[chainIndex].first; e != Chain::End && store.contains(e); e = store.link(e)) {
        const EventRecord& r = store.at(e);
        // a cause that arrived after its effect is not known yet in a replay before it
        n += r.has(EventRecord::HasCausation)
            && (r.parentDelta == 0 || (r.parentDelta > 0 && !store.contains(e + quint32(r.parentDelta))));
    }
    return n;
}
