// SPDX-License-Identifier: MIT
#include "latencyhistogram.h"

#include <QtAlgorithms>
#include <algorithm>
#include <cmath>

LatencyHistogram::LatencyHistogram(const LatencyHistogram& other) { *this = other; }

LatencyHistogram& LatencyHistogram::operator=(const LatencyHistogram& other)
{
    if (this == &other)
        return *this;
    m_blocks.clear();
    m_blocks.resize(other.m_blocks.size());
    for (std::size_t b = 0; b < other.m_blocks.size(); ++b) {
        if (other.m_blocks[b])
            m_blocks[b] = std::make_unique<Block>(*other.m_blocks[b]);
    }
    m_count = other.m_count;
    m_min = other.m_min;
    m_max = other.m_max;
    return *this;
}

LatencyHistogram::~LatencyHistogram() = default;

quint64 LatencyHistogram::widthOf(int block) { return block < 2 ? 1 : quint64(1) << (block - 1); }

quint64 LatencyHistogram::lowOf(int block, int sub)
{
    if (block < 2)
        return quint64(block * Sub + sub);
    return (quint64(1) << (block + SubBits - 1)) + quint64(sub) * widthOf(block);
}

void LatencyHistogram::addToNewBlock(quint64 us, int block)
{
    if (std::size_t(block) >= m_blocks.size())
        m_blocks.resize(std::size_t(block) + 1);
    auto& b = m_blocks[std::size_t(block)];
    if (!b)
        b = std::make_unique<Block>(Block {});
    ++(*b)[std::size_t(subOf(us, block))];
}

void LatencyHistogram::merge(const LatencyHistogram& other)
{
    if (other.m_count == 0)
        return;
    if (m_blocks.size() < other.m_blocks.size())
        m_blocks.resize(other.m_blocks.size());
    for (std::size_t b = 0; b < other.m_blocks.size(); ++b) {
        if (!other.m_blocks[b])
            continue;
        if (!m_blocks[b])
            m_blocks[b] = std::make_unique<Block>(Block {});
        for (int s = 0; s < Sub; ++s)
            (*m_blocks[b])[std::size_t(s)] += (*other.m_blocks[b])[std::size_t(s)];
    }
    m_count += other.m_count;
    m_min = std::min(m_min, other.m_min);
    m_max = std::max(m_max, other.m_max);
}

qint64 LatencyHistogram::quantileUs(double q) const
{
    if (m_count == 0)
        return 0;
    const quint64 rank = std::clamp<quint64>(quint64(std::ceil(std::clamp(q, 0.0, 1.0) * double(m_count))), 1, m_count);
    quint64 seen = 0;
    for (std::size_t b = 0; b < m_blocks.size(); ++b) {
        if (!m_blocks[b])
            continue;
        for (int s = 0; s < Sub; ++s) {
            seen += (*m_blocks[b])[std::size_t(s)];
            if (seen >= rank) {
                const quint64 low = lowOf(int(b), s);
                const qint64 middle = qint64(low + (widthOf(int(b)) - 1) / 2);
                return std::clamp(middle, m_min, m_max);
            }
        }
    }
    return m_max;
}

bool LatencyHistogram::figuresValid() const
{
    if (m_count == 0)
        return m_min == std::numeric_limits<qint64>::max() && m_max == 0
            && std::none_of(m_blocks.begin(), m_blocks.end(), [](const auto& b) { return bool(b); });
    quint64 sum = 0;
    for (const auto& b : m_blocks) {
        for (std::size_t s = 0; b && s < b->size(); ++s)
            sum += (*b)[s];
    }
    return sum == m_count && m_min >= 0 && m_min <= m_max;
}

std::size_t LatencyHistogram::heapBytes() const
{
    std::size_t bytes = m_blocks.capacity() * sizeof(std::unique_ptr<Block>);
    for (const auto& b : m_blocks)
        bytes += b ? sizeof(Block) : 0;
    return bytes;
}
