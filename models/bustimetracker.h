// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <array>
#include <memory>
#include <vector>

/// Time on the bus per source (producer): an event's receive time minus its own timestamp, for the
/// events whose receive time is known (live, recordings, HAR). Negative means the producer's clock runs
/// ahead of the receiver's. Each source keeps a histogram of log-spaced buckets (eight per power of two,
/// so a quantile is within 1/16 of the true value), made on its first sample: 2.5 KiB a source, whatever
/// the number of events. Also counts every event per source, timed or not.
class FigureReader;
class FigureWriter;
struct FigureLimits;

class BusTimeTracker
{
public:
    /// Counts an event of `source`; `busTimeUs` is its time on the bus when known.
    void addEvent(quint16 source) { grow(source).events++; }
    void addBusTime(quint16 source, qint64 busTimeUs);

    std::size_t sourceCount() const { return m_sources.size(); }
    quint64 events(quint16 source) const { return source < m_sources.size() ? m_sources[source].events : 0; }
    /// Events of `source` with a known time on the bus.
    quint64 samples(quint16 source) const;
    /// The `q` quantile (0..1) of `source`'s time on the bus in microseconds; 0 without samples.
    qint64 quantileUs(quint16 source, double q) const;

    /// Its figures to or from a saved index (figurearchive.h); readFigures() checks that each histogram's
    /// buckets add up to its samples: false when they cannot be.
    void writeFigures(FigureWriter& out) const;
    bool readFigures(FigureReader& in, const FigureLimits& limits);

private:
    template<class Archive, class Self>
    static void figures(Archive& a, Self& t);
    static constexpr int Exact = 16; ///< 0..15 µs, one bucket each
    static constexpr int SubBuckets = 8;
    static constexpr int MaxPower = 42; ///< 2^42 µs is 51 days: anything further shares the last bucket
    static constexpr int PerSign = Exact + (MaxPower - 4 + 1) * SubBuckets;
    static int bucketOf(quint64 magnitude);
    static qint64 valueOf(int bucket);

    struct Histogram
    {
        quint64 total = 0;
        std::array<quint32, PerSign> ahead {}; ///< negative times on the bus, by magnitude
        std::array<quint32, PerSign> behind {}; ///< zero and positive
    };
    struct Source
    {
        quint64 events = 0;
        std::unique_ptr<Histogram> histogram;
    };
    Source& grow(quint16 source)
    {
        if (source >= m_sources.size())
            m_sources.resize(std::size_t(source) + 1);
        return m_sources[source];
    }

    std::vector<Source> m_sources;
};
