// SPDX-License-Identifier: MIT
#include "rateseries.h"

#include <algorithm>
#include <limits>

namespace {
qint64 secondOf(qint64 us) { return us >= 0 ? us / 1000000 : -((-us + 999999) / 1000000); }
} // namespace

RateSeries::RateSeries(int seconds)
    : m_buckets(std::size_t(std::max(seconds, 2)), 0)
    , m_head(std::numeric_limits<qint64>::min())
    , m_first(std::numeric_limits<qint64>::max())
    , m_lastSeenUs(std::numeric_limits<qint64>::min())
{ }

void RateSeries::add(qint64 timeUs, quint32 count)
{
    m_total += count;
    m_lastSeenUs = std::max(m_lastSeenUs, timeUs);
    const qint64 second = secondOf(timeUs);
    m_first = std::min(m_first, second);
    const qint64 size = qint64(m_buckets.size());
    if (m_head == std::numeric_limits<qint64>::min()) {
        m_head = second;
    } else if (second > m_head) {
        // clear the seconds the ring moves over
        const qint64 steps = std::min(second - m_head, size);
        for (qint64 s = 1; s <= steps; ++s)
            m_buckets[std::size_t(((m_head + s) % size + size) % size)] = 0;
        m_head = second;
    } else if (second <= m_head - size) {
        m_tooOld += count;
        return;
    }
    quint32& bucket = m_buckets[std::size_t((second % size + size) % size)];
    bucket += count;
    m_peak = std::max(m_peak, bucket);
}

quint32 RateSeries::countAt(qint64 second) const
{
    const qint64 size = qint64(m_buckets.size());
    if (m_head == std::numeric_limits<qint64>::min() || second > m_head || second <= m_head - size)
        return 0;
    return m_buckets[std::size_t((second % size + size) % size)];
}

double RateSeries::rate(qint64 nowSecond, int window) const
{
    if (window <= 0 || m_first == std::numeric_limits<qint64>::max())
        return 0;
    window = int(std::clamp<qint64>(nowSecond - m_first, 1, window));
    quint64 sum = 0;
    for (qint64 s = nowSecond - window; s < nowSecond; ++s)
        sum += countAt(s);
    return double(sum) / window;
}
