// SPDX-License-Identifier: MIT
#pragma once

#include "figurearchive.h"

#include <QtGlobal>
#include <array>
#include <limits>
#include <memory>
#include <vector>

/// Durations (microseconds, never negative) counted in log-spaced buckets, 64 per power of two, so a
/// quantile read back is within 1/128 of the true value (below 128 µs: exact). Buckets are allocated a
/// power of two at a time as values reach it: a few hundred bytes for durations that stay within a few
/// powers of two, at most 15 KiB whatever the values. Quantiles are by nearest rank, like
/// a sorted list's element ceil(q * n), with the bucket's middle standing in for the value; the exact
/// minimum and maximum bound it.
class LatencyHistogram
{
public:
    LatencyHistogram() = default;
    LatencyHistogram(const LatencyHistogram& other);
    LatencyHistogram& operator=(const LatencyHistogram& other);
    LatencyHistogram(LatencyHistogram&&) noexcept = default;
    LatencyHistogram& operator=(LatencyHistogram&&) noexcept = default;
    ~LatencyHistogram();

    /// Counts one duration; a negative one counts as 0.
    void add(qint64 us)
    {
        us = us > 0 ? us : 0;
        const quint64 v = quint64(us);
        const int block = blockOf(v);
        if (std::size_t(block) < m_blocks.size() && m_blocks[std::size_t(block)])
            ++(*m_blocks[std::size_t(block)])[std::size_t(subOf(v, block))];
        else
            addToNewBlock(v, block);
        ++m_count;
        m_min = us < m_min ? us : m_min;
        m_max = us > m_max ? us : m_max;
    }
    /// Adds every value `other` counted.
    void merge(const LatencyHistogram& other);

    quint64 count() const { return m_count; }
    qint64 minUs() const { return m_count ? m_min : 0; }
    qint64 maxUs() const { return m_count ? m_max : 0; }
    /// The `q` quantile (0..1) by nearest rank; 0 when empty.
    qint64 quantileUs(double q) const;
    std::size_t heapBytes() const;

    /// Its fields to or from a saved index (figurearchive.h); a read one is checked by figuresValid().
    template<class Archive, class Self>
    static void figures(Archive& a, Self& h)
    {
        a.value(h.m_count);
        a.value(h.m_min);
        a.value(h.m_max);
        figureOptionals(
            a, h.m_blocks, MaxBlocks, [] { return std::make_unique<Block>(); },
            [](Archive& ar, auto& block) { ar.array(block.data(), block.size()); });
    }
    /// Whether what figures() read can be: its buckets add up to its count, and its extremes bound them
    /// (quantileUs() clamps between them).
    bool figuresValid() const;

private:
    static constexpr std::size_t MaxBlocks = 59; ///< blockOf() the largest duration, and one
    static constexpr int SubBits = 6;
    static constexpr int Sub = 1 << SubBits; ///< buckets per power of two, and per block
    using Block = std::array<quint32, Sub>;
    /// Block b holds 0..63 (b = 0), 64..127 (b = 1), then one power of two each: [2^(b+5), 2^(b+6)).
    static int blockOf(quint64 us)
    {
        if (us < quint64(2 * Sub))
            return int(us >> SubBits);
        return 63 - __builtin_clzll(us) - SubBits + 1; // the power of two, >= 7, less 5
    }
    static int subOf(quint64 us, int block)
    {
        return block < 2 ? int(us & (Sub - 1)) : int((us >> (block - 1)) & (Sub - 1));
    }
    void addToNewBlock(quint64 us, int block);
    static quint64 lowOf(int block, int sub);
    static quint64 widthOf(int block);

    std::vector<std::unique_ptr<Block>> m_blocks;
    quint64 m_count = 0;
    qint64 m_min = std::numeric_limits<qint64>::max();
    qint64 m_max = 0;
};
