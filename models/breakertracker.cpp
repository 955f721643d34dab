// SPDX-License-Identifier: MIT
#include "breakertracker.h"

#include <algorithm>
#include <cctype>

BreakerTransition::State BreakerTransition::parseState(std::string_view text)
{
    std::string s;
    s.reserve(text.size());
    for (char c : text)
        s += c == '-' || c == ' ' ? '_' : char(std::tolower(static_cast<unsigned char>(c)));
    if (s == "closed")
        return Closed;
    if (s == "open")
        return Open;
    if (s == "half_open" || s == "halfopen")
        return HalfOpen;
    return Unknown;
}

QString BreakerTransition::stateName(State s)
{
    switch (s) {
    case Closed:
        return QStringLiteral("closed");
    case Open:
        return QStringLiteral("open");
    case HalfOpen:
        return QStringLiteral("half_open");
    case Unknown:
        break;
    }
    return QStringLiteral("unknown");
}

qint64 Breaker::openTimeUs(qint64 fromUs, qint64 toUs) const
{
    qint64 total = 0;
    for (std::size_t i = 0; i < history.size(); ++i) {
        if (history[i].to != BreakerTransition::Open)
            continue;
        const qint64 start = std::max(history[i].timeUs, fromUs);
        const qint64 end = std::min(i + 1 < history.size() ? history[i + 1].timeUs : toUs, toUs);
        total += std::max<qint64>(0, end - start);
    }
    return total;
}

BreakerTracker::BreakerTracker(std::size_t maxHistoryPerBreaker, std::size_t maxBreakers)
    : m_maxHistory(maxHistoryPerBreaker)
    , m_maxBreakers(maxBreakers)
{ }

void BreakerTracker::apply(std::string_view name, BreakerTransition t)
{
    const std::string key = name.empty() ? std::string("(unnamed)") : std::string(name);
    auto it = m_index.find(key);
    if (it == m_index.end()) {
        if (m_breakers.size() >= m_maxBreakers) {
            ++m_overflowed;
            return;
        }
        it = m_index.emplace(key, m_breakers.size()).first;
        m_breakers.emplace_back();
        m_breakers.back().name = key;
    }
    Breaker& b = m_breakers[it->second];
    ++b.transitionCount;
    if (b.history.size() >= m_maxHistory) {
        // keep the newest history: the oldest transition goes, and is counted
        b.history.erase(b.history.begin());
        ++b.droppedHistory;
    }
    // transitions normally arrive in order; an out-of-order one is inserted where its time says
    auto pos = std::upper_bound(b.history.begin(), b.history.end(), t.timeUs,
        [](qint64 time, const BreakerTransition& x) { return time < x.timeUs; });
    b.history.insert(pos, std::move(t));
}

int BreakerTracker::find(std::string_view name) const
{
    const auto it = m_index.find(std::string(name));
    return it == m_index.end() ? -1 : int(it->second);
}
