// SPDX-License-Identifier: MIT
#include "bustimetracker.h"

#include "figurearchive.h"

#include <QtAlgorithms>
#include <algorithm>
#include <cmath>

int BusTimeTracker::bucketOf(quint64 magnitude)
{
    if (magnitude < quint64(Exact))
        return int(magnitude);
    const int power = 63 - int(qCountLeadingZeroBits(magnitude));
    if (power > MaxPower)
        return PerSign - 1;
    return Exact + (power - 4) * SubBuckets + int((magnitude >> (power - 3)) & (SubBuckets - 1));
}

qint64 BusTimeTracker::valueOf(int bucket)
{
    if (bucket < Exact)
        return bucket;
    const int power = 4 + (bucket - Exact) / SubBuckets;
    const int sub = (bucket - Exact) % SubBuckets;
    const qint64 low = (qint64(1) << power) + qint64(sub) * (qint64(1) << (power - 3));
    return low + (qint64(1) << (power - 3)) / 2; // the bucket's middle
}

void BusTimeTracker::addBusTime(quint16 source, qint64 busTimeUs)
{
    Source& s = grow(source);
    if (!s.histogram)
        s.histogram = std::make_unique<Histogram>();
    Histogram& h = *s.histogram;
    ++h.total;
    if (busTimeUs < 0)
        ++h.ahead[std::size_t(bucketOf(quint64(-(busTimeUs + 1)) + 1))];
    else
        ++h.behind[std::size_t(bucketOf(quint64(busTimeUs)))];
}

quint64 BusTimeTracker::samples(quint16 source) const
{
    return source < m_sources.size() && m_sources[source].histogram ? m_sources[source].histogram->total : 0;
}

qint64 BusTimeTracker::quantileUs(quint16 source, double q) const
{
    if (source >= m_sources.size() || !m_sources[source].histogram)
        return 0;
    const Histogram& h = *m_sources[source].histogram;
    // the rank of the quantile among the samples, from the most negative up
    const quint64 rank = std::clamp<quint64>(quint64(std::ceil(std::clamp(q, 0.0, 1.0) * double(h.total))), 1, h.total);
    quint64 seen = 0;
    for (int b = PerSign - 1; b >= 0; --b) {
        seen += h.ahead[std::size_t(b)];
        if (seen >= rank)
            return -valueOf(b);
    }
    for (int b = 0; b < PerSign; ++b) {
        seen += h.behind[std::size_t(b)];
        if (seen >= rank)
            return valueOf(b);
    }
    return valueOf(PerSign - 1);
}

template<class Archive, class Self>
void BusTimeTracker::figures(Archive& a, Self& t)
{
    a.tag("BUST");
    figureList(a, t.m_sources, 9, std::size_t(1) << 16, [&a](auto& s) {
        a.value(s.events);
        // the histogram: an optional item of a list of one
        quint8 present = s.histogram != nullptr;
        a.value(present);
        if constexpr (Archive::Reading) {
            if (!a.ok() || !present)
                return;
            s.histogram = std::make_unique<Histogram>();
        }
        if (s.histogram) {
            a.value(s.histogram->total);
            a.array(s.histogram->ahead.data(), s.histogram->ahead.size());
            a.array(s.histogram->behind.data(), s.histogram->behind.size());
        }
    });
}

void BusTimeTracker::writeFigures(FigureWriter& out) const { figures(out, *this); }

bool BusTimeTracker::readFigures(FigureReader& in, const FigureLimits& limits)
{
    figures(in, *this);
    in.check(m_sources.size() <= limits.sources, "bus times: more sources than names");
    for (const Source& s : m_sources) {
        if (!s.histogram)
            continue;
        // quantileUs() ranks within the total: the buckets hold exactly it, and a histogram is made by a sample
        quint64 sum = 0;
        for (const quint32 n : s.histogram->ahead)
            sum += n;
        for (const quint32 n : s.histogram->behind)
            sum += n;
        in.check(sum == s.histogram->total && sum > 0 && sum <= s.events, "bus times: a histogram does not add up");
    }
    return in.ok();
}
