// SPDX-License-Identifier: MIT
#pragma once

#include "uuid.h"
#include "uuidindex.h"

#include <limits>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

class EventStore;

/// One correlation chain: every event sharing a correlation id, and what went wrong in it.
struct Chain
{
    Uuid correlation;
    std::string text; ///< the id as received, when it is not a UUID
    qint64 startUs = std::numeric_limits<qint64>::max();
    qint64 endUs = std::numeric_limits<qint64>::min();
    quint32 failures = 0; ///< system.handler.failed about this chain
    quint32 retries = 0;
    quint32 deadLetters = 0;
    std::vector<quint32> events; ///< event indices in arrival order

    qint64 durationUs() const { return events.empty() ? 0 : endUs - startUs; }
    QString idText() const;
};

/// A node of a chain's causation tree.
struct ChainNode
{
    quint32 event;
    int depth;
};

/// Groups events by correlation id.
class ChainTracker
{
public:
    static constexpr quint32 None = std::numeric_limits<quint32>::max();

    /// Adds event `index` (produced at timeUs) to the chain of `correlation`; returns the chain's index.
    /// Chains follow producer time, as trace waterfalls do, whatever drives the rates.
    quint32 add(const Uuid& correlation, std::string_view hashedText, quint32 index, qint64 timeUs);

    quint32 find(const Uuid& correlation) const;
    /// Finds a chain by id text (a UUID in any case, or the exact text of a non-UUID id).
    quint32 find(std::string_view text) const;
    std::size_t size() const { return m_chains.size(); }
    std::size_t indexBytes() const { return m_index.heapBytes(); }
    void prefetch(const Uuid& correlation) const { m_index.prefetch(correlation); }
    const Chain& at(quint32 i) const { return m_chains[i]; }
    Chain& at(quint32 i) { return m_chains[i]; }

    /// The causation tree of a chain in depth-first order, children by time. Roots are events whose
    /// cause is unknown or outside the chain; several roots are possible.
    std::vector<ChainNode> tree(quint32 chain, const EventStore& store) const;
    /// Events of the chain whose causation id names no known event.
    int orphans(quint32 chain, const EventStore& store) const;

private:
    std::vector<Chain> m_chains;
    UuidIndex m_index;
};
