// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <deque>
#include <limits>
#include <string>
#include <vector>

/// A durable consumer of a stream as its server reported it (JetStream's CONSUMER.LIST), at one time.
struct ConsumerSample
{
    qint64 timeUs = 0; ///< when the server was asked (the session's clock)
    quint16 origin = 0;
    std::string stream, name;
    quint64 pending = 0; ///< messages not yet delivered to it
    quint64 ackPending = 0; ///< delivered, not yet acknowledged
    quint64 redelivered = 0; ///< delivered again (not acknowledged in time), now outstanding
    quint64 waiting = 0; ///< pull requests waiting
    quint64 deliveredSeq = 0; ///< stream sequence last delivered
    quint64 ackFloorSeq = 0; ///< stream sequence up to which everything is acknowledged
    /// How old the oldest message not yet acknowledged is (the one after the ack floor): 0 when it has
    /// nothing outstanding, -1 when not known.
    qint64 lagUs = -1;
};

/// Each durable consumer's latest state and its history (one point per sample, the last MaxHistory),
/// for the Consumers view, its chart and the alerts on consumers that fall behind. Bounded:
/// MaxConsumers consumers (more are counted, not kept). A replay shows them as at its playhead
/// (showUntil()): the samples after it are set aside, and each consumer's state is its last one before.
class ConsumerTracker
{
public:
    static constexpr std::size_t MaxConsumers = 256;
    static constexpr std::size_t MaxHistory = 3600; ///< an hour at one sample a second
    struct Point
    {
        qint64 timeUs;
        qint64 lagUs;
        quint64 pending, ackPending, redelivered, waiting, deliveredSeq, ackFloorSeq;
    };
    struct Consumer
    {
        ConsumerSample last; ///< as of the time shown (all zero, lag unknown, before its first sample)
        std::deque<Point> history; ///< up to the time shown
        std::deque<Point> later; ///< a replay's: the samples after its playhead
    };

    void add(const ConsumerSample& sample);
    const std::vector<Consumer>& consumers() const { return m_consumers; }
    /// The consumer of `origin`, `stream` and `name`, or -1.
    int find(quint16 origin, const std::string& stream, const std::string& name) const;
    quint64 samples() const { return m_samples; }
    /// The largest lag among the samples shown (-1: none known).
    static qint64 worstLagUs(const Consumer& c);
    /// Counts every change to what is shown (a sample taken in, the time shown moved): to redraw on.
    quint64 changes() const { return m_changes; }
    /// Shows each consumer as it was at `timeUs` (the samples up to it); NoLimit shows every sample.
    void showUntil(qint64 timeUs);
    static constexpr qint64 NoLimit = std::numeric_limits<qint64>::max();
    quint64 overflowed() const { return m_overflowed; }
    void clear() { *this = ConsumerTracker(); }
    std::size_t heapBytes() const;

private:
    std::vector<Consumer> m_consumers;
    quint64 m_samples = 0;
    quint64 m_changes = 0;
    quint64 m_overflowed = 0;
    qint64 m_shownUntilUs = NoLimit;
};
