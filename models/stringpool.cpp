// SPDX-License-Identifier: MIT
#include "stringpool.h"

#include "sametext.h"

#define XXH_INLINE_ALL
#include <algorithm>
#include <xxhash.h>

namespace {
quint64 hashOf(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }
} // namespace

StringPool::StringPool(std::size_t capacity)
    : m_capacity(std::clamp<std::size_t>(capacity, 2, 65535))
    , m_overflowId(1)
{
    add({});
    add("(other)");
    rebuild(64);
}

StringPool::Id StringPool::add(std::string_view text)
{
    const std::string& s = m_strings.emplace_back(text);
    m_entries.push_back({ hashOf(s), s.data(), s.size() });
    return Id(m_strings.size() - 1);
}

void StringPool::rebuild(std::size_t slots)
{
    m_slots.assign(slots, 0);
    const std::size_t mask = slots - 1;
    for (std::size_t id = 0; id < m_strings.size(); ++id) {
        std::size_t i = m_entries[id].hash & mask;
        while (m_slots[i] != 0)
            i = (i + 1) & mask;
        m_slots[i] = quint16(id + 1);
    }
}

int StringPool::find(std::string_view text) const
{
    const quint64 h = hashOf(text);
    const std::size_t mask = m_slots.size() - 1;
    for (std::size_t i = h & mask;; i = (i + 1) & mask) {
        const quint16 v = m_slots[i];
        if (v == 0)
            return -1;
        const Entry& e = m_entries[v - 1u];
        if (e.hash == h && sameText(std::string_view(e.data, e.size), text))
            return v - 1;
    }
}

StringPool::Id StringPool::intern(std::string_view text)
{
    if (text.empty())
        return 0;
    Id& recent = m_recent[shortTextHash(text) % m_recent.size()];
    if (recent != 0 && sameText(std::string_view(m_entries[recent].data, m_entries[recent].size), text))
        return recent;
    const int found = find(text);
    if (found >= 0) {
        recent = Id(found);
        return Id(found);
    }
    if (m_strings.size() >= m_capacity) {
        ++m_overflowed;
        return m_overflowId;
    }
    const Id id = add(text);
    if (m_strings.size() * 2 > m_slots.size()) {
        rebuild(m_slots.size() * 2);
    } else {
        const std::size_t mask = m_slots.size() - 1;
        std::size_t i = m_entries.back().hash & mask;
        while (m_slots[i] != 0)
            i = (i + 1) & mask;
        m_slots[i] = quint16(id + 1);
    }
    return id;
}

QString StringPool::string(Id id) const
{
    const std::string& s = m_strings[id];
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
