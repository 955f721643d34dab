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

/// One breaker as one origin (bus, broker, file) reports it; or, when several origins report a breaker
/// of the same name, all of them together (`merged`).
struct Breaker
{
    std::string name; ///< as reported
    quint16 origin = 0; ///< the origin reporting it (none for a merged breaker)
    bool sharedName = false; ///< another origin reports a breaker of this name too
    bool merged = false; ///< every origin's breaker of this name: `members`, their transitions in `history`
    std::vector<std::size_t> members; ///< a merged breaker's per-origin breakers
    std::vector<BreakerTransition> history; ///< sorted by time; every transition ever reported
    quint64 droppedHistory = 0; ///< transitions beyond the history cap (counted, not kept)
    quint64 transitionCount = 0;
    BreakerTransition::State mergedState = BreakerTransition::Unknown;
    qint64 mergedSinceUs = 0;

    /// The current state; of a merged breaker, the worst of its members' (open, half open, closed).
    BreakerTransition::State state() const
    {
        return merged ? mergedState : history.empty() ? BreakerTransition::Unknown : history.back().to;
    }
    /// When the breaker entered its current state (a merged one: the member longest in it).
    qint64 sinceUs() const { return merged ? mergedSinceUs : history.empty() ? 0 : history.back().timeUs; }
    /// Total time spent open within [fromUs, toUs], from the transitions themselves.
    qint64 openTimeUs(qint64 fromUs, qint64 toUs) const;
};

/// Circuit breakers rebuilt from system.circuit_breaker.state_changed events: the state history comes
/// from the transitions, not from sampling, so no OPEN period is lost however short.
///
/// A breaker is known by its origin and its name: two services behind two buses may both guard an
/// "email-gateway" and each has its own state. When a second origin reports a name, a merged breaker
/// of that name is added too (every origin's transitions), for the view across origins.
class BreakerTracker
{
public:
    explicit BreakerTracker(std::size_t maxHistoryPerBreaker = 100000, std::size_t maxBreakers = 4096);

    void apply(quint16 origin, std::string_view name, BreakerTransition transition);

    std::size_t size() const { return m_breakers.size(); }
    const Breaker& at(std::size_t i) const { return m_breakers[i]; }
    /// Index of the breaker of that name: the merged one when several origins report it, or -1.
    int find(std::string_view name) const;
    /// Index of one origin's breaker of that name, or -1.
    int find(quint16 origin, std::string_view name) const;
    quint64 overflowed() const { return m_overflowed; }

private:
    static std::string keyOf(quint16 origin, std::string_view name);
    static void insert(Breaker& b, BreakerTransition t, std::size_t maxHistory);
    void updateMerged(Breaker& merged);

    std::vector<Breaker> m_breakers;
    std::unordered_map<std::string, std::size_t> m_index; ///< by origin and name
    struct Named
    {
        std::vector<std::size_t> perOrigin;
        int merged = -1;
    };
    std::unordered_map<std::string, Named> m_byName;
    std::size_t m_maxHistory;
    std::size_t m_maxBreakers;
    quint64 m_overflowed = 0;
};
