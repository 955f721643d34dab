// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>
#include <map>
#include <string>
#include <vector>

class Session;

/// What a breaker's trips cost: for each period a breaker was not closed, the chains that had a
/// handler failure, a retry or a dead letter behind that breaker during the period or within a grace
/// time after it.
///
/// Which handler is behind which breaker, for each report: the breaker the report names itself (its
/// payload's `breaker`); else the one learned from the session: a handler whose failures fall mostly
/// (more than half, and at least three) inside one breaker's periods of the same origin; else the
/// user's mapping. A retry or dead letter that names no handler has the handler (and breaker) of the
/// failures about the same event.
class BlastRadius
{
public:
    enum class Association { None, Field, Learned, Mapping };
    struct Options
    {
        qint64 graceUs = 5000000; ///< reports this long after a period still count for it
        std::map<std::string, std::string> mapping; ///< handler -> breaker name, the user's
    };
    /// A chain by slot and opener: the same slot may hold another chain later. The opener (the event
    /// that started it) alone names it: a chain the memory cap dropped and its events continued has
    /// another slot (Session::Config::exactBeyondCap).
    struct ChainRef
    {
        quint32 slot = 0, opener = 0;
        bool operator<(const ChainRef& o) const { return opener < o.opener; }
        bool operator==(const ChainRef& o) const { return opener == o.opener; }
    };
    struct Period
    {
        qint64 fromUs = 0, toUs = 0; ///< session time; an ongoing period ends at the session's latest
        bool ongoing = false;
        std::vector<ChainRef> chains; ///< affected, each once, in the order they started
        quint64 failures = 0, retries = 0, deadLetters = 0;
    };
    struct Handler
    {
        std::string name;
        Association association = Association::None;
        quint64 failures = 0; ///< its failures of the breaker's origin
        quint64 inside = 0; ///< of them, inside the breaker's periods (or their grace)
    };
    struct Breaker
    {
        std::size_t index = 0; ///< in Session::breakers()
        std::vector<Period> periods;
        std::vector<Handler> handlers; ///< behind it, by name
        std::size_t affectedChains = 0; ///< distinct over every period
    };

    BlastRadius(const Session& session, const Options& options);
    explicit BlastRadius(const Session& session)
        : BlastRadius(session, Options {})
    { }

    /// Every breaker of one origin (none of the merged ones), in Session::breakers() order.
    const std::vector<Breaker>& breakers() const { return m_breakers; }
    /// The breaker of Session::breakers() index `index`, or nullptr (a merged one).
    const Breaker* find(std::size_t index) const;
    /// The period of breaker `index` that holds `timeUs` (its grace time included), or -1.
    int periodAt(std::size_t index, qint64 timeUs) const;
    /// Every chain affected by a period of breaker `index` (all periods when `period` is -1).
    std::vector<ChainRef> chains(std::size_t index, int period = -1) const;

    static QString associationName(Association a);
    /// `affectedChains`, `openPeriods` and `handlers` for one breaker in `summary --json`.
    QJsonObject toJson(const Session& session, std::size_t index) const;

private:
    std::vector<Breaker> m_breakers;
    std::vector<int> m_byIndex; ///< Session::breakers() index -> m_breakers position, -1 for merged
    qint64 m_graceUs;
};
