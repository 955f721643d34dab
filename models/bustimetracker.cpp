// SPDX-License-Identifier: MIT
#include "bustimetracker.h"

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
