// SPDX-License-Identifier: MIT
#include "ratetracker.h"

RateTracker::RateTracker(int seconds)
    : m_seconds(seconds)
    , m_all(seconds)
{ }

void RateTracker::add(StringPool::Id type, std::string_view typeText, qint64 timeUs)
{
    m_all.add(timeUs);
    if (type >= m_types.size()) {
        m_types.resize(std::size_t(type) + 1);
        m_typeDomain.resize(std::size_t(type) + 1, 0);
    }
    if (!m_types[type]) {
        m_types[type] = std::make_unique<RateSeries>(m_seconds);
        const auto dot = typeText.find('.');
        const StringPool::Id domain = m_domains.intern(typeText.substr(0, dot));
        m_typeDomain[type] = domain;
        if (domain >= m_domainSeries.size())
            m_domainSeries.resize(std::size_t(domain) + 1);
        if (!m_domainSeries[domain])
            m_domainSeries[domain] = std::make_unique<RateSeries>(m_seconds);
    }
    RateSeries& series = *m_types[type];
    // unsigned: times may be anywhere in qint64
    if (series.total() > 0 && timeUs > series.lastSeenUs()
        && quint64(timeUs) - quint64(series.lastSeenUs()) >= quint64(MinQuietUs))
        noteQuiet(type, series, timeUs);
    series.add(timeUs);
    m_domainSeries[m_typeDomain[type]]->add(timeUs);
}

void RateTracker::noteQuiet(StringPool::Id type, const RateSeries& series, qint64 timeUs)
{
    if (!isSteady(series))
        return;
    // busy before it went quiet: the minute up to its last second
    const double before = series.rate(series.lastSeenUs() / 1000000 + 1, 60);
    if (before < MinQuietRate)
        return;
    if (m_quiets.size() >= MaxQuiets) {
        m_quiets.pop_front();
        ++m_firstQuiet;
    }
    m_quiets.push_back({ series.lastSeenUs(), timeUs, float(before), type });
}

bool RateTracker::isSteady(const RateSeries& series)
{
    return series.total() >= SteadyEvents && series.lastSeenUs() / 1000000 - series.firstSecond() >= SteadySeconds;
}

const RateSeries* RateTracker::type(StringPool::Id type) const
{
    return type < m_types.size() ? m_types[type].get() : nullptr;
}

const RateSeries* RateTracker::domain(StringPool::Id domain) const
{
    return domain < m_domainSeries.size() ? m_domainSeries[domain].get() : nullptr;
}

StringPool::Id RateTracker::domainOf(StringPool::Id type) const
{
    return type < m_typeDomain.size() ? m_typeDomain[type] : 0;
}
