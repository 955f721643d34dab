// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <map>
#include <utility>
#include <vector>

/// Sequence numbers seen per origin, kept as merged intervals: missing numbers between the lowest
/// and the highest seen are gaps. Contiguous streams cost one interval however long they are.
class FigureReader;
class FigureWriter;
struct FigureLimits;

class GapTracker
{
public:
    /// Records seq from origin; returns false when that seq was already seen from that origin.
    bool add(quint16 origin, quint64 seq);

    /// (max - min + 1) - distinct seqs, for one origin.
    quint64 gaps(quint16 origin) const;
    /// Summed over all origins.
    quint64 totalGaps() const;
    /// Highest seq seen from origin, or -1.
    qint64 highest(quint16 origin) const;
    /// The missing ranges [first, last] of an origin, at most `limit` of them.
    std::vector<std::pair<quint64, quint64>> missing(quint16 origin, std::size_t limit = 1000) const;
    std::vector<quint16> origins() const;

    /// Its figures to or from a saved index (figurearchive.h); readFigures() checks each origin's intervals
    /// (ordered, apart, adding up to what it counted): false when they cannot be.
    void writeFigures(FigureWriter& out) const;
    bool readFigures(FigureReader& in, const FigureLimits& limits);

private:
    struct Origin
    {
        std::map<quint64, quint64> intervals; ///< start -> end, inclusive, disjoint, not adjacent
        quint64 covered = 0;
    };
    std::map<quint16, Origin> m_origins;
    quint16 m_lastOrigin = 0; ///< events come in runs from one origin: skip the map lookup
    Origin* m_last = nullptr;
};
