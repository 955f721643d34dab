// SPDX-License-Identifier: MIT
#include "chaintracker.h"

#include "eventstore.h"

#include <algorithm>

QString Chain::idText() const
{
    return text.empty() ? correlation.toString() : QString::fromStdString(text);
}

quint32 ChainTracker::add(const Uuid& correlation, std::string_view hashedText, quint32 index, qint64 timeUs)
{
    const quint32 chain = m_index.insert(correlation, quint32(m_chains.size()));
    if (chain == m_chains.size()) {
        m_chains.emplace_back();
        m_chains.back().correlation = correlation;
        m_chains.back().text = std::string(hashedText);
    }
    Chain& c = m_chains[chain];
    c.events.push_back(index);
    c.startUs = std::min(c.startUs, timeUs);
    c.endUs = std::max(c.endUs, timeUs);
    return chain;
}

quint32 ChainTracker::find(const Uuid& correlation) const
{
    const quint32 c = m_index.find(correlation);
    return c == UuidIndex::NotFound ? None : c;
}

quint32 ChainTracker::find(std::string_view text) const
{
    return find(Uuid::fromText(text, nullptr));
}

std::vector<ChainNode> ChainTracker::tree(quint32 chainIndex, const EventStore& store) const
{
    std::vector<ChainNode> out;
    if (chainIndex >= m_chains.size())
        return out;
    const Chain& chain = m_chains[chainIndex];
    std::unordered_map<quint32, std::vector<quint32>> children;
    std::vector<quint32> roots;
    for (quint32 e : chain.events) {
        const EventRecord& r = store.at(e);
        const qint64 parent = qint64(e) + r.parentDelta;
        if (r.parentDelta != 0 && store.at(quint32(parent)).chain == chainIndex)
            children[quint32(parent)].push_back(e);
        else
            roots.push_back(e);
    }
    auto byTime = [&store](quint32 a, quint32 b) {
        const qint64 ta = store.at(a).eventTimeUs, tb = store.at(b).eventTimeUs;
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
    for (quint32 e : chain.events) {
        if (!visited.count(e))
            out.push_back({ e, 0 });
    }
    return out;
}

int ChainTracker::orphans(quint32 chainIndex, const EventStore& store) const
{
    int n = 0;
    for (quint32 e : m_chains[chainIndex].events) {
        const EventRecord& r = store.at(e);
        n += r.has(EventRecord::HasCausation) && r.parentDelta == 0;
    }
    return n;
}
