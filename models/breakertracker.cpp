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

std::string BreakerTracker::keyOf(quint16 origin, std::string_view name)
{
    std::string key(name);
    key += '\0';
    key += char(origin >> 8);
    key += char(origin & 0xFF);
    return key;
}

void BreakerTracker::insert(Breaker& b, BreakerTransition t, std::size_t maxHistory)
{
    ++b.transitionCount;
    if (b.history.size() >= maxHistory) {
        // keep the newest history: the oldest transition goes, and is counted
        b.history.erase(b.history.begin());
        ++b.droppedHistory;
    }
    // transitions normally arrive in order; an out-of-order one is inserted where its time says
    auto pos = std::upper_bound(b.history.begin(), b.history.end(), t.timeUs,
        [](qint64 time, const BreakerTransition& x) { return time < x.timeUs; });
    b.history.insert(pos, std::move(t));
}

void BreakerTracker::updateMerged(Breaker& merged)
{
    // the worst state any origin's breaker is in, since the one longest in it
    const auto rank = [](BreakerTransition::State s) {
        return s == BreakerTransition::Open    ? 3
            : s == BreakerTransition::HalfOpen ? 2
            : s == BreakerTransition::Closed   ? 1
                                               : 0;
    };
    merged.mergedState = BreakerTransition::Unknown;
    merged.mergedSinceUs = 0;
    for (std::size_t m : merged.members) {
        const Breaker& b = m_breakers[m];
        if (b.history.empty())
            continue;
        if (rank(b.state()) > rank(merged.mergedState)) {
            merged.mergedState = b.state();
            merged.mergedSinceUs = b.sinceUs();
        } else if (b.state() == merged.mergedState) {
            merged.mergedSinceUs = std::min(merged.mergedSinceUs, b.sinceUs());
        }
    }
}

void BreakerTracker::apply(quint16 origin, std::string_view name, BreakerTransition t)
{
    const std::string reported = name.empty() ? std::string("(unnamed)") : std::string(name);
    const std::string key = keyOf(origin, reported);
    auto it = m_index.find(key);
    if (it == m_index.end()) {
        Named& named = m_byName[reported];
        // a second origin's breaker of a name adds the merged one too
        const std::size_t needed = named.perOrigin.size() == 1 ? 2 : 1;
        if (m_breakers.size() + needed > m_maxBreakers) {
            ++m_overflowed;
            if (named.perOrigin.empty())
                m_byName.erase(reported);
            return;
        }
        const std::size_t index = m_breakers.size();
        it = m_index.emplace(key, index).first;
        m_breakers.emplace_back();
        m_breakers.back().name = reported;
        m_breakers.back().origin = origin;
        named.perOrigin.push_back(index);
        if (named.perOrigin.size() == 2) {
            Breaker merged;
            merged.name = reported;
            merged.merged = true;
            const Breaker& first = m_breakers[named.perOrigin.front()];
            merged.history = first.history;
            merged.transitionCount = first.transitionCount;
            merged.droppedHistory = first.droppedHistory;
            named.merged = int(m_breakers.size());
            m_breakers.push_back(std::move(merged));
        }
        if (named.merged >= 0) {
            m_breakers[std::size_t(named.merged)].members = named.perOrigin;
            for (std::size_t b : named.perOrigin)
                m_breakers[b].sharedName = true;
        }
    }
    const std::size_t index = it->second;
    const int merged = m_breakers[index].sharedName ? m_byName[reported].merged : -1;
    if (merged >= 0)
        insert(m_breakers[std::size_t(merged)], t, m_maxHistory);
    insert(m_breakers[index], std::move(t), m_maxHistory);
    if (merged >= 0)
        updateMerged(m_breakers[std::size_t(merged)]);
}

int BreakerTracker::find(std::string_view name) const
{
    const auto it = m_byName.find(std::string(name));
    if (it == m_byName.end())
        return -1;
    return it->second.merged >= 0 ? it->second.merged : int(it->second.perOrigin.front());
}

int BreakerTracker::find(quint16 origin, std::string_view name) const
{
    const auto it = m_index.find(keyOf(origin, name));
    return it == m_index.end() ? -1 : int(it->second);
}
