// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <algorithm>
#include <limits>
#include <vector>

/// Counts of one series in 1-second buckets over a ring of the last `seconds` seconds, plus totals.
/// Events may arrive out of order: each lands in the bucket of its own second while that is in the ring.
/// Beside it, 1-minute buckets over the last MinuteBuckets minutes (two and a half days), for charts of a
/// whole session longer than the seconds' ring: that ring grows with the span the series covers, so a
/// short session pays for a few minutes, and never holds more than the seconds' ring's default.
class FigureReader;
class FigureWriter;

class RateSeries
{
public:
    static constexpr int MinuteBuckets = 3600;

    explicit RateSeries(int seconds = 3600);

    void add(qint64 timeUs, quint32 count = 1)
    {
        m_total += count;
        m_lastSeenUs = std::max(m_lastSeenUs, timeUs);
        if (timeUs >= m_headStartUs && timeUs < m_headEndUs) // most events: the second being filled
            addToHead(count);
        else
            addElsewhere(timeUs, count);
    }

    quint64 total() const { return m_total; }
    /// Highest count seen in any one second.
    quint32 peak() const { return m_peak; }
    qint64 lastSeenUs() const { return m_lastSeenUs; }
    /// The latest second that holds data, or INT64_MIN when empty.
    qint64 headSecond() const { return m_head; }
    /// The earliest second an event was counted in, or INT64_MAX when empty.
    qint64 firstSecond() const { return m_first; }
    /// Events older than the ring when they arrived (counted in total, not in any bucket).
    quint64 tooOld() const { return m_tooOld; }

    /// Count in one second (0 outside the ring).
    quint32 countAt(qint64 second) const;
    /// Mean events/s over the `window` complete seconds before `nowSecond` (or over the seconds since the
    /// first event, when that is shorter: a series 3 s old has no 10 s average yet).
    double rate(qint64 nowSecond, int window) const { return rate(nowSecond, window, m_first); }
    /// As above, the window shortened only to the seconds since `watchedFromSecond` (when the session
    /// began: a type first seen 25 s ago in a session watched for minutes had 0 events before, and
    /// its 60 s mean counts those seconds).
    double rate(qint64 nowSecond, int window, qint64 watchedFromSecond) const;
    int capacity() const { return int(m_buckets.size()); }
    /// Count in one minute (minute = second / 60, rounded down); 0 outside the minutes kept.
    quint32 countInMinute(qint64 minute) const;
    /// The earliest minute still counted in countInMinute(), or INT64_MAX when empty.
    qint64 firstMinuteKept() const;

    /// Its fields to or from a saved index (figurearchive.h): the seconds and minutes from the first to
    /// the head, as far as the rings reach (the rest are 0). readFigures() is false when they cannot be
    /// a series of `seconds` (the ring's size, the head, first second and minute out of a saved index's
    /// times or out of step).
    void writeFigures(FigureWriter& out) const;
    bool readFigures(FigureReader& in, int seconds);
    /// Either, by the archive's direction (a tracker's figures() template).
    template<class Archive, class Self>
    static void figures(Archive& a, Self& r, int seconds)
    {
        if constexpr (Archive::Reading)
            a.check(r.readFigures(a, seconds), "a rate series cannot be");
        else
            r.writeFigures(a);
    }

private:
    std::vector<quint32> m_buckets;
    qint64 m_head;
    qint64 m_first; ///< the earliest second seen
    quint64 m_total = 0;
    quint64 m_tooOld = 0;
    quint32 m_peak = 0;
    qint64 m_lastSeenUs;
    /// m_head's second in microseconds, [start, end): inline adds test it without a division (empty at first)
    qint64 m_headStartUs = std::numeric_limits<qint64>::max();
    qint64 m_headEndUs = std::numeric_limits<qint64>::min();
    std::vector<quint32> m_minutes; ///< a ring that doubles (up to MinuteBuckets) as the span grows
    qint64 m_minuteHead;
    qint64 m_firstMinute; ///< the earliest minute seen
    std::size_t m_headSlot = 0; ///< m_minuteHead's slot
    std::size_t m_headBucket = 0; ///< m_head's bucket
    void addToHead(quint32 count)
    {
        quint32& bucket = m_buckets[m_headBucket];
        bucket += count;
        m_peak = std::max(m_peak, bucket);
        m_minutes[m_headSlot] += count; // the head second's minute is the head minute
    }
    void addElsewhere(qint64 timeUs, quint32 count);
    void addMinute(qint64 minute, quint32 count);
    void growMinutes(std::size_t size);
};
