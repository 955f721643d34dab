// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <vector>

/// Counts of one series in 1-second buckets over a ring of the last `seconds` seconds, plus totals.
/// Events may arrive out of order: each lands in the bucket of its own second while that is in the ring.
class RateSeries
{
public:
    explicit RateSeries(int seconds = 3600);

    void add(qint64 timeUs, quint32 count = 1);

    quint64 total() const { return m_total; }
    /// Highest count seen in any one second.
    quint32 peak() const { return m_peak; }
    qint64 lastSeenUs() const { return m_lastSeenUs; }
    /// The latest second that holds data, or INT64_MIN when empty.
    qint64 headSecond() const { return m_head; }
    /// Events older than the ring when they arrived (counted in total, not in any bucket).
    quint64 tooOld() const { return m_tooOld; }

    /// Count in one second (0 outside the ring).
    quint32 countAt(qint64 second) const;
    /// Mean events/s over the `window` complete seconds before `nowSecond` (or over the seconds since the
    /// first event, when that is shorter: a series 3 s old has no 10 s average yet).
    double rate(qint64 nowSecond, int window) const;
    int capacity() const { return int(m_buckets.size()); }

private:
    std::vector<quint32> m_buckets;
    qint64 m_head;
    qint64 m_first; ///< the earliest second seen
    quint64 m_total = 0;
    quint64 m_tooOld = 0;
    quint32 m_peak = 0;
    qint64 m_lastSeenUs;
};
