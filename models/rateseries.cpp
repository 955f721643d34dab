// SPDX-License-Identifier: MIT
#include "rateseries.h"

#include <algorithm>
#include <limits>

namespace {
// rounded down, for every qint64 (no negation that INT64_MIN would overflow)
qint64 floorDiv(qint64 a, qint64 b) { return a / b - (a % b < 0 ? 1 : 0); }
qint64 secondOf(qint64 us) { return floorDiv(us, 1000000); }
qint64 minuteOf(qint64 second) { return floorDiv(second, 60); }
std::size_t slotOf(qint64 i, std::size_t size) { return std::size_t((i % qint64(size) + qint64(size)) % qint64(size)); }
} // namespace

RateSeries::RateSeries(int seconds)
    : m_buckets(std::size_t(std::max(seconds, 2)), 0)
    , m_head(std::numeric_limits<qint64>::min())
    , m_first(std::numeric_limits<qint64>::max())
    , m_lastSeenUs(std::numeric_limits<qint64>::min())
    , m_minuteHead(std::numeric_limits<qint64>::min())
    , m_firstMinute(std::numeric_limits<qint64>::max())
{ }

void RateSeries::addElsewhere(qint64 timeUs, quint32 count)
{
    const qint64 second = secondOf(timeUs);
    if (second == m_head) { // in the head second, though add() could not tell (its range overflowed)
        addToHead(count);
        return;
    }
    m_first = std::min(m_first, second);
    addMinute(minuteOf(second), count);
    const qint64 size = qint64(m_buckets.size());
    if (m_head == std::numeric_limits<qint64>::min()) {
        m_head = second;
    } else if (second > m_head) {
        // clear the seconds the ring moves over
        const qint64 steps = std::min(second - m_head, size);
        for (qint64 s = 1; s <= steps; ++s)
            m_buckets[slotOf(m_head + s, std::size_t(size))] = 0;
        m_head = second;
    } else if (second <= m_head - size) {
        m_tooOld += count;
        return;
    }
    m_headBucket = slotOf(m_head, std::size_t(size));
    qint64 start, end;
    if (__builtin_mul_overflow(m_head, qint64(1000000), &start) || __builtin_add_overflow(start, 1000000, &end)) {
        m_headStartUs = std::numeric_limits<qint64>::max();
        m_headEndUs = std::numeric_limits<qint64>::min();
    } else {
        m_headStartUs = start;
        m_headEndUs = end;
    }
    quint32& bucket = m_buckets[slotOf(second, std::size_t(size))];
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

double RateSeries::rate(qint64 nowSecond, int window, qint64 watchedFromSecond) const
{
    if (window <= 0 || m_first == std::numeric_limits<qint64>::max())
        return 0;
    window = int(std::clamp<qint64>(nowSecond - std::min(watchedFromSecond, m_first), 1, window));
    quint64 sum = 0;
    for (qint64 s = nowSecond - window; s < nowSecond; ++s)
        sum += countAt(s);
    return double(sum) / window;
}

void RateSeries::growMinutes(std::size_t size)
{
    std::vector<quint32> grown(size, 0);
    const qint64 old = qint64(m_minutes.size());
    for (qint64 m = m_minuteHead - old + 1; m <= m_minuteHead; ++m)
        grown[slotOf(m, size)] = m_minutes[slotOf(m, std::size_t(old))];
    m_minutes.swap(grown);
}

void RateSeries::addMinute(qint64 minute, quint32 count)
{
    if (minute == m_minuteHead) { // nearly always: the minute being filled
        m_minutes[m_headSlot] += count;
        return;
    }
    if (m_minutes.empty()) {
        m_minutes.assign(16, 0);
        m_minuteHead = minute;
    }
    // the span from the earliest minute seen to the newest, as far as the ring may grow
    const qint64 newest = std::max(m_minuteHead, minute);
    const qint64 oldest = std::min(m_firstMinute, minute);
    const qint64 want = std::min<qint64>(newest - oldest + 1, MinuteBuckets);
    if (qint64(m_minutes.size()) < want) {
        std::size_t size = m_minutes.size();
        while (qint64(size) < want)
            size = std::min<std::size_t>(size * 2, MinuteBuckets);
        growMinutes(size);
    }
    m_firstMinute = oldest;
    const qint64 size = qint64(m_minutes.size());
    if (minute > m_minuteHead) {
        const qint64 steps = std::min(minute - m_minuteHead, size);
        for (qint64 m = 1; m <= steps; ++m)
            m_minutes[slotOf(m_minuteHead + m, std::size_t(size))] = 0;
        m_minuteHead = minute;
    } else if (minute <= m_minuteHead - size) {
        return; // older than the minutes kept (still in total())
    }
    m_headSlot = slotOf(m_minuteHead, std::size_t(size));
    m_minutes[slotOf(minute, std::size_t(size))] += count;
}

quint32 RateSeries::countInMinute(qint64 minute) const
{
    const qint64 size = qint64(m_minutes.size());
    if (size == 0 || minute > m_minuteHead || minute <= m_minuteHead - size || minute < m_firstMinute)
        return 0;
    return m_minutes[slotOf(minute, std::size_t(size))];
}

qint64 RateSeries::firstMinuteKept() const
{
    if (m_minutes.empty())
        return std::numeric_limits<qint64>::max();
    return std::max(m_firstMinute, m_minuteHead - qint64(m_minutes.size()) + 1);
}
