// SPDX-License-Identifier: MIT
#include "gaptracker.h"

#include "figurearchive.h"

#include <limits>

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

void GapTracker::writeFigures(FigureWriter& out) const
{
    out.tag("GAPS");
    out.size(m_origins.size(), 0, 0);
    for (const auto& [origin, o] : m_origins) {
        out.value(origin);
        out.value(o.covered);
        out.size(o.intervals.size(), 0, 0);
        for (const auto& [first, last] : o.intervals) {
            out.value(first);
            out.value(last);
        }
    }
}

bool GapTracker::readFigures(FigureReader& in, const FigureLimits& limits)
{
    in.tag("GAPS");
    const std::size_t origins = in.size(0, 18, limits.origins);
    for (std::size_t k = 0; k < origins && in.ok(); ++k) {
        quint16 id = 0;
        quint64 covered = 0;
        in.value(id);
        in.value(covered);
        in.check(id < limits.origins && !m_origins.count(id), "gaps: an origin is not one");
        Origin& o = m_origins[id];
        o.covered = covered;
        const std::size_t intervals = in.size(0, 16, std::numeric_limits<std::size_t>::max());
        quint64 sum = 0;
        for (std::size_t i = 0; i < intervals && in.ok(); ++i) {
            quint64 first = 0, last = 0;
            in.value(first);
            in.value(last);
            // ordered, each apart from the one before (add() merges adjacent ones), adding up to `covered`
            const bool apart = o.intervals.empty() || (o.intervals.rbegin()->second < first - 1 && first > 0);
            in.check(first <= last && apart && !__builtin_add_overflow(sum, last - first + 1, &sum) && sum <= covered,
                "gaps: an interval cannot be");
            o.intervals.emplace_hint(o.intervals.end(), first, last);
        }
        in.check(sum == covered, "gaps: the intervals do not add up");
    }
    m_last = nullptr;
    return in.ok();
}
