// SPDX-License-Identifier: MIT
#include "ratetracker.h"

#include "figurearchive.h"

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

template<class Archive, class Self>
void RateTracker::figures(Archive& a, Self& t)
{
    const auto series = [&t](Archive& ar, auto& list) {
        figureOptionals(
            ar, list, std::size_t(1) << 16, [&t] { return std::make_unique<RateSeries>(t.m_seconds); },
            [&t](Archive& ar2, auto& r) { RateSeries::figures(ar2, r, t.m_seconds); });
    };
    a.tag("RATE");
    RateSeries::figures(a, t.m_all, t.m_seconds);
    series(a, t.m_types);
    a.values(t.m_typeDomain, std::size_t(1) << 16);
    series(a, t.m_domainSeries);
    // field by field: no padding
    figureList(a, t.m_quiets, 22, MaxQuiets, [&a](auto& q) { a.fields(q.fromUs, q.toUs, q.rateBefore, q.type); });
    a.value(t.m_firstQuiet);
}

void RateTracker::writeFigures(FigureWriter& out) const
{
    figures(out, *this);
    // the domains' names, in the order they came (their ids)
    out.value(quint64(m_domains.size()));
    for (std::size_t d = 2; d < m_domains.size(); ++d)
        out.text(m_domains.view(StringPool::Id(d)));
}

bool RateTracker::readFigures(FigureReader& in, const FigureLimits& limits)
{
    figures(in, *this);
    const std::size_t domains = in.size(0, 4, std::size_t(1) << 16);
    for (std::size_t d = 2; d < domains && in.ok(); ++d)
        in.check(m_domains.intern(in.text(1 << 16)) == d, "rates: a domain repeats");
    if (!in.ok())
        return false;
    const std::size_t types = limits.types->size();
    in.check(
        m_types.size() <= types && m_typeDomain.size() == m_types.size() && m_domainSeries.size() <= m_domains.size(),
        "rates: more series than names");
    for (std::size_t t = 0; t < m_types.size() && in.ok(); ++t) {
        if (!m_types[t])
            continue;
        // add() counts a type's every event in its domain's series too
        const StringPool::Id d = m_typeDomain[t];
        in.check(d < m_domainSeries.size() && m_domainSeries[d], "rates: a type's series cannot be");
    }
    for (const Quiet& q : m_quiets)
        in.check(q.type < types && FigureLimits::isTime(q.fromUs) && FigureLimits::isTime(q.toUs),
            "rates: a quiet spell cannot be");
    return in.ok();
}
