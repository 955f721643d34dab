// SPDX-License-Identifier: MIT
#include "rateseries.h"

#include "figurearchive.h"

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

namespace {
/// The last `n` slots of a ring ending at `head`: those of head - n + 1 .. head, in that order.
template<typename Visit>
void lastSlots(qint64 head, std::size_t n, std::size_t size, Visit visit)
{
    for (std::size_t k = n; k > 0; --k)
        visit(slotOf(head - qint64(k - 1), size));
}
/// How many of a ring's slots from `first` to `head` hold counts.
std::size_t liveSlots(qint64 first, qint64 head, std::size_t size)
{
    if (size == 0 || first > head)
        return 0;
    return std::size_t(std::min<quint64>(quint64(head) - quint64(first), size - 1)) + 1;
}
} // namespace

void RateSeries::writeFigures(FigureWriter& out) const
{
    out.value(m_head);
    out.value(m_first);
    out.value(m_total);
    out.value(m_tooOld);
    out.value(m_peak);
    out.value(m_lastSeenUs);
    out.value(m_minuteHead);
    out.value(m_firstMinute);
    out.value(quint64(m_minutes.size()));
    const std::size_t seconds
        = m_head == std::numeric_limits<qint64>::min() ? 0 : liveSlots(m_first, m_head, m_buckets.size());
    out.value(quint64(seconds));
    lastSlots(m_head, seconds, m_buckets.size(), [&](std::size_t slot) { out.value(m_buckets[slot]); });
    const std::size_t minutes = liveSlots(m_firstMinute, m_minuteHead, m_minutes.size());
    out.value(quint64(minutes));
    lastSlots(m_minuteHead, minutes, m_minutes.size(), [&](std::size_t slot) { out.value(m_minutes[slot]); });
}

bool RateSeries::readFigures(FigureReader& in, int seconds)
{
    constexpr qint64 Unset = std::numeric_limits<qint64>::min();
    constexpr qint64 MaxSecond = FigureLimits::MaxTimeUs / 1000000;
    const auto isSecond = [](qint64 s) { return s >= -MaxSecond && s <= MaxSecond; };
    *this = RateSeries(seconds);
    in.value(m_head);
    in.value(m_first);
    in.value(m_total);
    in.value(m_tooOld);
    in.value(m_peak);
    in.value(m_lastSeenUs);
    in.value(m_minuteHead);
    in.value(m_firstMinute);
    quint64 minuteSlots = 0;
    in.value(minuteSlots);
    if (!in.ok())
        return false;
    // the sizes the minutes' ring doubles through
    const bool minuteRing = minuteSlots == 0 || minuteSlots == MinuteBuckets
        || (minuteSlots >= 16 && minuteSlots < MinuteBuckets && (minuteSlots & (minuteSlots - 1)) == 0);
    if (!minuteRing)
        return false;
    if (m_head == Unset) {
        // empty: as made
        if (m_total != 0 || m_tooOld != 0 || m_peak != 0 || minuteSlots != 0
            || m_first != std::numeric_limits<qint64>::max() || m_minuteHead != Unset
            || m_firstMinute != std::numeric_limits<qint64>::max() || m_lastSeenUs != Unset)
            return false;
    } else if (minuteSlots == 0 || !isSecond(m_head) || !isSecond(m_first) || m_first > m_head
        || m_minuteHead != minuteOf(m_head) || m_firstMinute != minuteOf(m_first)) {
        return false;
    }
    m_minutes.assign(std::size_t(minuteSlots), 0);
    const std::size_t size = m_buckets.size();
    const std::size_t live = in.size(0, sizeof(quint32), m_head == Unset ? 0 : liveSlots(m_first, m_head, size));
    lastSlots(m_head, live, size, [&](std::size_t slot) { in.value(m_buckets[slot]); });
    const std::size_t liveMinutes
        = in.size(0, sizeof(quint32), liveSlots(m_firstMinute, m_minuteHead, m_minutes.size()));
    lastSlots(m_minuteHead, liveMinutes, m_minutes.size(), [&](std::size_t slot) { in.value(m_minutes[slot]); });
    if (!in.ok())
        return false;
    // what is kept beside the fields: where the head second lies
    m_headBucket = m_head == Unset ? 0 : slotOf(m_head, size);
    m_headSlot = m_minutes.empty() ? 0 : slotOf(m_minuteHead, m_minutes.size());
    if (m_head != Unset) {
        m_headStartUs = m_head * 1000000;
        m_headEndUs = m_headStartUs + 1000000;
    }
    return true;
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
