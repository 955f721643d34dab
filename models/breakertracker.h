// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

/// One state change of a circuit breaker, as the bus reported it.
struct BreakerTransition
{
    enum State : quint8 { Unknown, Closed, Open, HalfOpen };
    qint64 timeUs = 0;
    State from = Unknown;
    State to = Unknown;
    qint64 failureCount = -1;
    quint32 event = 0; ///< index of the state_changed event
    std::string reason;

    static State parseState(std::string_view text);
    static QString stateName(State s); ///< "closed", "open", "half_open", "unknown"
};

struct Breaker
{
    std::string name;
    std::vector<BreakerTransition> history; ///< sorted by time; every transition ever reported
    quint64 droppedHistory = 0; ///< transitions beyond the history cap (counted, not kept)
    quint64 transitionCount = 0;

    BreakerTransition::State state() const { return history.empty() ? BreakerTransition::Unknown : history.back().to; }
    /// When the breaker entered its current state.
    qint64 sinceUs() const { return history.empty() ? 0 : history.back().timeUs; }
    /// Total time spent open within [fromUs, toUs], from the transitions themselves.
    qint64 openTimeUs(qint64 fromUs, qint64 toUs) const;
};

/// Circuit breakers rebuilt from system.circuit_breaker.state_changed events: the state history comes
/// from the transitions, not from sampling, so no OPEN period is lost however short.
class BreakerTracker
{
public:
    explicit BreakerTracker(std::size_t maxHistoryPerBreaker = 100000, std::size_t maxBreakers = 4096);

    void apply(std::string_view name, BreakerTransition transition);

    std::size_t size() const { return m_breakers.size(); }
    const Breaker& at(std::size_t i) const { return m_breakers[i]; }
    /// Index of a breaker by name, or -1.
    int find(std::string_view name) const;
    quint64 overflowed() const { return m_overflowed; }

private:
    std::vector<Breaker> m_breakers;
    std::unordered_map<std::string, std::size_t> m_index;
    std::size_t m_maxHistory;
    std::size_t m_maxBreakers;
    quint64 m_overflowed = 0;
};
