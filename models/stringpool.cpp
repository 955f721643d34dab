// SPDX-License-Identifier: MIT
#include "stringpool.h"

#include <algorithm>

StringPool::StringPool(std::size_t capacity)
    : m_capacity(std::clamp<std::size_t>(capacity, 2, 65535))
{
    m_strings.emplace_back();
    m_index.emplace(std::string_view(m_strings.back()), Id(0));
    m_strings.emplace_back("(other)");
    m_overflowId = 1;
    m_index.emplace(std::string_view(m_strings.back()), m_overflowId);
}

StringPool::Id StringPool::intern(std::string_view text)
{
    const auto it = m_index.find(text);
    if (it != m_index.end())
        return it->second;
    if (m_strings.size() >= m_capacity) {
        ++m_overflowed;
        return m_overflowId;
    }
    m_strings.emplace_back(text);
    const Id id = Id(m_strings.size() - 1);
    m_index.emplace(std::string_view(m_strings.back()), id);
    return id;
}

int StringPool::find(std::string_view text) const
{
    const auto it = m_index.find(text);
    return it == m_index.end() ? -1 : it->second;
}

QString StringPool::string(Id id) const
{
    const std::string& s = m_strings[id];
    return QString::fromUtf8(s.data(), qsizetype(s.size()));
}
