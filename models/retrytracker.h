// SPDX-License-Identifier: MIT
#pragma once

#include "stringpool.h"

#include <QtGlobal>
#include <deque>
#include <string>
#include <unordered_set>
#include <vector>

class EventStore;

/// Retries, dead letters and handler failures reported by the bus, each linked to the event it is
/// about once that event is known (it may arrive after the report).
class RetryTracker
{
public:
    enum Kind : quint8 { Retry, DeadLetter, Failure };
    static constexpr quint32 Unknown = 0xFFFFFFFFu; ///< EventStore::NotFound
    static constexpr quint64 NoEntry = ~quint64(0);

    struct Entry
    {
        Kind kind;
        StringPool::Id breaker = 0; ///< the breaker the report names (breakerName(); 0: none)
        quint32 event; ///< the telemetry event
        quint32 target = Unknown; ///< the event it is about, when known
        quint16 type = 0; ///< type of the event it is about (0: not known yet)
        quint16 typeAtReport = 0; ///< `type` as the report came: named in it, or its event's, then known
        qint64 attempt = -1; ///< retry attempt, or attempts before dead-lettering
        qint64 delayMs = -1;
        std::string handler;
        std::string reason;
    };

    explicit RetryTracker(std::size_t maxEntries = 1000000);

    /// Records a report; returns its entry id (or NoEntry when the entry cap is reached). When the
    /// event it is about is known (entry.target), `targetType` is that event's type.
    quint64 add(Entry entry, quint16 targetType = 0);
    /// Keeps an entry without counting it: the whole session's entries for a replay (SessionIndex), which
    /// counts them again as it goes.
    void keep(Entry entry) { m_entries.push_back(std::move(entry)); }
    /// Links a report to the event it is about once that event arrives.
    void resolve(quint64 entry, quint32 target, quint16 targetType);
    /// Forgets the entries whose report has left the store (their counts stay).
    void dropEvicted(const EventStore& store);

    /// Reports of one kind: every attempt (a retry, a failure, a dead letter), not events.
    quint64 count(Kind kind) const { return m_counts[kind]; }
    /// Reports about events of type `type` (0: type not known).
    quint64 countForType(Kind kind, quint16 type) const;
    /// Distinct events of type `type` that at least one report of `kind` is about, among the events
    /// this session took in (a report about an event never seen is not counted): never more than the
    /// type's events, so "failed events / events" is a true share.
    quint64 eventsForType(Kind kind, quint16 type) const;
    /// Distinct events that at least one report of `kind` is about (all types).
    quint64 events(Kind kind) const { return m_eventCounts[kind]; }
    /// Distinct events of type `type` whose handling failed at least once: any report (a failure, a
    /// retry, a dead letter) is about them. The numerator of the health board's Failed %.
    quint64 failedEventsForType(quint16 type) const { return eventsForType(AnyKind, type); }
    quint64 failedEvents() const { return m_eventCounts[AnyKind]; }
    /// Heap held by the distinct-event sets.
    std::size_t heapBytes() const;
    /// Kept entries, oldest first; entry id = firstId() + position.
    const std::deque<Entry>& entries() const { return m_entries; }
    quint64 firstId() const { return m_firstId; }
    /// The id of a breaker's name for Entry::breaker (0 for none).
    StringPool::Id internBreaker(std::string_view name) { return name.empty() ? 0 : m_breakerNames.intern(name); }
    std::string_view breakerName(StringPool::Id id) const { return m_breakerNames.view(id); }
    /// Reports beyond the entry cap: counted, not kept.
    quint64 dropped() const { return m_dropped; }

private:
    void countType(Kind kind, quint16 type, int delta);
    /// A report of `kind` is about stored event `target` of type `type`: counts the event once.
    void countEvent(Kind kind, quint32 target, quint16 type);

    std::deque<Entry> m_entries;
    quint64 m_firstId = 0;
    std::vector<quint64> m_perType[3];
    quint64 m_counts[3] = { 0, 0, 0 };
    static constexpr Kind AnyKind = Kind(3);
    /// Per kind, and for any kind: the store indexes of the events reported about (kept while they are stored)
    std::unordered_set<quint32> m_targets[4];
    std::vector<quint64> m_perTypeEvents[4];
    quint64 m_eventCounts[4] = { 0, 0, 0, 0 };
    std::size_t m_maxEntries;
    StringPool m_breakerNames;
    quint64 m_dropped = 0;
};
