// SPDX-License-Identifier: MIT
#include "schematracker.h"

#include <algorithm>

void SchemaTracker::violated(
    quint16 type, quint16 source, qint64 timeUs, quint32 event, const std::vector<std::string_view>& keys)
{
    if (type >= m_types.size())
        m_types.resize(std::size_t(type) + 1);
    Type& t = m_types[type];
    if (t.violating == 0)
        t.firstUs = timeUs;
    t.firstUs = std::min(t.firstUs, timeUs);
    t.lastUs = std::max(t.lastUs, timeUs);
    ++t.violating;
    ++m_violating;
    const auto s = std::find_if(t.sources.begin(), t.sources.end(), [&](const auto& e) { return e.first == source; });
    if (s != t.sources.end())
        ++s->second;
    else if (t.sources.size() < MaxSources)
        t.sources.emplace_back(source, 1);
    else
        ++t.otherSources;
    for (const std::string_view key : keys) {
        const auto g = std::find_if(t.groups.begin(), t.groups.end(), [&](const Group& e) { return e.key == key; });
        if (g != t.groups.end())
            ++g->events;
        else if (t.groups.size() < MaxGroups)
            t.groups.push_back({ std::string(key), 1, event });
        else
            ++t.otherGroups;
    }
}

bool SchemaTracker::anyChecked() const
{
    return std::any_of(m_types.begin(), m_types.end(), [](const Type& t) { return t.checked > 0; });
}

std::size_t SchemaTracker::heapBytes() const
{
    std::size_t bytes = m_types.capacity() * sizeof(Type);
    for (const Type& t : m_types) {
        bytes += t.sources.capacity() * sizeof(t.sources[0]) + t.groups.capacity() * sizeof(Group);
        for (const Group& g : t.groups)
            bytes += g.key.capacity();
    }
    return bytes;
}
