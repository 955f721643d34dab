// SPDX-License-Identifier: MIT
#pragma once

#include "rateseries.h"
#include "stringpool.h"

#include <deque>
#include <memory>
#include <vector>

/// Rates per event type, per domain (the part of the type before the first dot) and overall.
/// Per-type series are created on first use; types are bounded by the session's type pool.
class FigureReader;
class FigureWriter;
struct FigureLimits;

class RateTracker
{
public:
    explicit RateTracker(int seconds = 3600);

    /// Counts an event of interned type `type` (whose text is `typeText`) at `timeUs`.
    void add(StringPool::Id type, std::string_view typeText, qint64 timeUs);

    const RateSeries& all() const { return m_all; }
    /// nullptr when no event of that type was counted.
    const RateSeries* type(StringPool::Id type) const;
    const RateSeries* domain(StringPool::Id domain) const;
    const StringPool& domains() const { return m_domains; }
    /// The domain id of a counted type.
    StringPool::Id domainOf(StringPool::Id type) const;

    /// At least SteadyEvents events over at least SteadySeconds of the session clock: only such a type
    /// can go silent.
    static bool isSteady(const RateSeries& series);
    static constexpr quint64 SteadyEvents = 20;
    static constexpr qint64 SteadySeconds = 60;
    /// A steady type that went quiet for at least MinQuietUs and came back, as its events came (not as
    /// a refresh happened to see it): what "went silent" and "recovered" alerts are judged on, the same
    /// whether a capture is read at once or a part at a time. Only a type that averaged at least
    /// MinQuietRate events/s over the minute before (the least AlertRules::silentMinRate) is noted.
    struct Quiet
    {
        qint64 fromUs; ///< its last event before
        qint64 toUs; ///< its first event after
        float rateBefore; ///< events/s over the minute up to fromUs's second
        StringPool::Id type;
    };
    static constexpr qint64 MinQuietUs = 5000000;
    static constexpr double MinQuietRate = 0.01;
    /// The latest MaxQuiets kept; quiet id = firstQuiet() + position.
    static constexpr std::size_t MaxQuiets = 65536;
    const std::deque<Quiet>& quiets() const { return m_quiets; }
    quint64 firstQuiet() const { return m_firstQuiet; }

    /// Its figures to or from a saved index (figurearchive.h). readFigures() checks what it read against
    /// `limits`: false (and better replaced) when it cannot be.
    void writeFigures(FigureWriter& out) const;
    bool readFigures(FigureReader& in, const FigureLimits& limits);

private:
    template<class Archive, class Self>
    static void figures(Archive& a, Self& t);
    int m_seconds;
    RateSeries m_all;
    std::vector<std::unique_ptr<RateSeries>> m_types;
    std::vector<StringPool::Id> m_typeDomain;
    std::vector<std::unique_ptr<RateSeries>> m_domainSeries;
    StringPool m_domains;
    std::deque<Quiet> m_quiets;
    quint64 m_firstQuiet = 0;
    void noteQuiet(StringPool::Id type, const RateSeries& series, qint64 timeUs);
};
