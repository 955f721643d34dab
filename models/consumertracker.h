// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <deque>
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
/// MaxConsumers consumers (more are counted, not kept).
class ConsumerTracker
{
public:
    static constexpr std::size_t MaxConsumers = 256;
    static constexpr std::size_t MaxHistory = 3600; ///< an hour at one sample a second
    struct Point
    {
        qint64 timeUs;
        qint64 lagUs;
        quint64 pending, ackPending, redelivered;
    };
    struct Consumer
    {
        ConsumerSample last;
        std::deque<Point> history;
    };

    void add(const ConsumerSample& sample);
    const std::vector<Consumer>& consumers() const { return m_consumers; }
    /// The consumer of `origin`, `stream` and `name`, or -1.
    int find(quint16 origin, const std::string& stream, const std::string& name) const;
    quint64 samples() const { return m_samples; }
    quint64 overflowed() const { return m_overflowed; }
    void clear() { *this = ConsumerTracker(); }
    std::size_t heapBytes() const;

private:
    std::vector<Consumer> m_consumers;
    quint64 m_samples = 0;
    quint64 m_overflowed = 0;
};
