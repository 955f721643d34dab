// SPDX-License-Identifier: MIT
// What Session::replayTo() keeps between steps: for session.cpp and the index (SessionIndex) only.
#pragma once

#include "session.h"

#include <queue>

/// A cause, or the event a retry report is about, that arrives after what waits for it: at its arrival
/// (`at`) the live session resolved the wait, and so does a replay.
struct Session::Wait
{
    quint32 at;
    quint32 event; ///< the waiting effect (a cause), or the report's entry id (a target)
    bool target;
    bool operator>(const Wait& o) const { return at != o.at ? at > o.at : event > o.event; }
};

/// What replayTo() rebuilds the figures from: the whole session's reports, which the records do not
/// hold, and where the replay has got to.
struct Session::Replay
{
    /// The whole session's reports and breakers (once a replay has gone back: before, the session's own)
    RetryTracker retries;
    BreakerTracker breakers;
    bool whole = false;
    struct Transition
    {
        quint32 event;
        quint32 breaker;
        quint32 position;
    };
    std::vector<Transition> transitions; ///< every breaker transition, in arrival order
    std::vector<MalformedRecord> firstMalformed;
    std::deque<MalformedRecord> recentMalformed;
    quint64 malformedCount = 0;
    quint32 shown = 0; ///< events shown (taken in again)
    std::size_t nextTransition = 0;
    std::size_t nextEntry = 0;
    std::size_t nextBreach = 0; ///< in Session::m_breachLog
    std::priority_queue<Wait, std::vector<Wait>, std::greater<Wait>> waits;
};
