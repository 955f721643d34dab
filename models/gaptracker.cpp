// SPDX-License-Identifier: MIT
#include "gaptracker.h"

bool GapTracker::add(quint16 origin, quint64 seq)
{
    if (!m_last || m_lastOrigin != origin) {
        m_last = &m_origins[origin]; // std::map nodes stay put
        m_lastOrigin = origin;
    }
    Origin& o = *m_last;
    auto& iv = o.intervals;
    if (!iv.empty()) {
        auto last = std::prev(iv.end());
        if (last->second + 1 == seq) { // the common case: the next seq
            ++last->second;
            ++o.covered;
            return true;
        }
    }
    auto next = iv.upper_bound(seq);
    if (next != iv.begin()) {
        auto prev = std::prev(next);
        if (prev->second >= seq)
            return false;
        if (prev->second + 1 == seq) {
            prev->second = seq;
            if (next != iv.end() && next->first == seq + 1) {
                prev->second = next->second;
                iv.erase(next);
            }
            ++o.covered;
            return true;
        }
    }
    if (next != iv.end() && next->first == seq + 1) {
        const quint64 end = next->second;
        iv.erase(next);
        iv.emplace(seq, end);
    } else {
        iv.emplace(seq, seq);
    }
    ++o.covered;
    return true;
}

quint64 GapTracker::gaps(quint16 origin) const
{
    const auto it = m_origins.find(origin);
    if (it == m_origins.end() || it->second.intervals.empty())
        return 0;
    const auto& iv = it->second.intervals;
    return (std::prev(iv.end())->second - iv.begin()->first + 1) - it->second.covered;
}

quint64 GapTracker::totalGaps() const
{
    quint64 sum = 0;
    for (const auto& [origin, o] : m_origins)
        sum += gaps(origin);
    return sum;
}

qint64 GapTracker::highest(quint16 origin) const
{
    const auto it = m_origins.find(origin);
    if (it == m_origins.end() || it->second.intervals.empty())
        return -1;
    return qint64(std::prev(it->second.intervals.end())->second);
}

std::vector<std::pair<quint64, quint64>> GapTracker::missing(quint16 origin, std::size_t limit) const
{
    std::vector<std::pair<quint64, quint64>> out;
    const auto it = m_origins.find(origin);
    if (it == m_origins.end())
        return out;
    const auto& iv = it->second.intervals;
    for (auto a = iv.begin(); a != iv.end() && out.size() < limit; ++a) {
        const auto b = std::next(a);
        if (b == iv.end())
            break;
        out.emplace_back(a->second + 1, b->first - 1);
    }
    return out;
}

std::vector<quint16> GapTracker::origins() const
{
    std::vector<quint16> out;
    for (const auto& [origin, o] : m_origins)
        out.push_back(origin);
    return out;
}
