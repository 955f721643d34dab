// SPDX-License-Identifier: MIT
#pragma once

#include "rateseries.h"
#include "stringpool.h"

#include <memory>
#include <vector>

/// Rates per event type, per domain (the part of the type before the first dot) and overall.
/// Per-type series are created on first use; types are bounded by the session's type pool.
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

private:
    int m_seconds;
    RateSeries m_all;
    std::vector<std::unique_ptr<RateSeries>> m_types;
    std::vector<StringPool::Id> m_typeDomain;
    std::vector<std::unique_ptr<RateSeries>> m_domainSeries;
    StringPool m_domains;
};
