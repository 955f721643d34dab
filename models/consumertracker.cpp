// SPDX-License-Identifier: MIT
#include "consumertracker.h"

#include <algorithm>

int ConsumerTracker::find(quint16 origin, const std::string& stream, const std::string& name) const
{
    for (std::size_t i = 0; i < m_consumers.size(); ++i) {
        const ConsumerSample& s = m_consumers[i].last;
        if (s.origin == origin && s.stream == stream && s.name == name)
            return int(i);
    }
    return -1;
}

void ConsumerTracker::add(const ConsumerSample& sample)
{
    if (m_shownUntilUs != NoLimit)
        showUntil(NoLimit); // taken in: everything is shown again
    ++m_samples;
    ++m_changes;
    int i = find(sample.origin, sample.stream, sample.name);
    if (i < 0) {
        if (m_consumers.size() >= MaxConsumers) {
            ++m_overflowed;
            return;
        }
        m_consumers.emplace_back();
        i = int(m_consumers.size()) - 1;
    }
    Consumer& c = m_consumers[std::size_t(i)];
    // a sample older than the last (a replayed or reordered one) keeps the latest as the state shown
    if (sample.timeUs >= c.last.timeUs || c.history.empty())
        c.last = sample;
    c.history.push_back({ sample.timeUs, sample.lagUs, sample.pending, sample.ackPending, sample.redelivered,
        sample.waiting, sample.deliveredSeq, sample.ackFloorSeq });
    while (c.history.size() > MaxHistory)
        c.history.pop_front();
}

void ConsumerTracker::showUntil(qint64 timeUs)
{
    if (timeUs == m_shownUntilUs)
        return;
    m_shownUntilUs = timeUs;
    ++m_changes;
    for (Consumer& c : m_consumers) {
        while (!c.history.empty() && c.history.back().timeUs > timeUs) {
            c.later.push_front(c.history.back());
            c.history.pop_back();
        }
        while (!c.later.empty() && c.later.front().timeUs <= timeUs) {
            c.history.push_back(c.later.front());
            c.later.pop_front();
        }
        ConsumerSample& s = c.last;
        const Point p = c.history.empty() ? Point { 0, -1, 0, 0, 0, 0, 0, 0 } : c.history.back();
        s.timeUs = p.timeUs;
        s.lagUs = p.lagUs;
        s.pending = p.pending;
        s.ackPending = p.ackPending;
        s.redelivered = p.redelivered;
        s.waiting = p.waiting;
        s.deliveredSeq = p.deliveredSeq;
        s.ackFloorSeq = p.ackFloorSeq;
    }
}

qint64 ConsumerTracker::worstLagUs(const Consumer& c)
{
    qint64 worst = -1;
    for (const Point& p : c.history)
        worst = std::max(worst, p.lagUs);
    return worst;
}

std::size_t ConsumerTracker::heapBytes() const
{
    std::size_t bytes = m_consumers.capacity() * sizeof(Consumer);
    for (const Consumer& c : m_consumers)
        bytes
            += (c.history.size() + c.later.size()) * sizeof(Point) + c.last.stream.capacity() + c.last.name.capacity();
    return bytes;
}
