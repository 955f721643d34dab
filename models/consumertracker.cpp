// SPDX-License-Identifier: MIT
#include "consumertracker.h"

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
    ++m_samples;
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
    c.history.push_back({ sample.timeUs, sample.lagUs, sample.pending, sample.ackPending, sample.redelivered });
    while (c.history.size() > MaxHistory)
        c.history.pop_front();
}

std::size_t ConsumerTracker::heapBytes() const
{
    std::size_t bytes = m_consumers.capacity() * sizeof(Consumer);
    for (const Consumer& c : m_consumers)
        bytes += c.history.size() * sizeof(Point) + c.last.stream.capacity() + c.last.name.capacity();
    return bytes;
}
