// SPDX-License-Identifier: MIT
#pragma once

#include "stringpool.h"

#include <QtGlobal>
#include <algorithm>
#include <deque>
#include <map>
#include <string>
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
    static constexpr quint32 NoChain = 0xFFFFFFFFu;

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
    /// Where a report stands, kept beside its entry while keepPlaces() is on, for when its event has
    /// left the store (Session::Config::exactBeyondCap): its session time and origin, and the chain it
    /// marks (its own, else its event's once known) by slot and opener (slot NoChain: a chain the cap
    /// had dropped; opener NoChain: none).
    struct Place
    {
        qint64 timeUs = 0;
        quint32 chainSlot = NoChain;
        quint32 chainOpener = NoChain;
        quint16 origin = 0;
    };

    explicit RetryTracker(std::size_t maxEntries = 1000000);

    /// Records a report; returns its entry id (or NoEntry when the entry cap is reached). When the
    /// event it is about is known (entry.target), `targetType` is that event's type; when that event
    /// was dropped by the memory cap, `dropped` holds its bits (takeTargets()), and it is counted by them.
    quint64 add(Entry entry, quint16 targetType = 0, quint8* dropped = nullptr, const Place* place = nullptr);
    /// Keeps at most `count` entries from now on (or those held, when more): past it reports are counted only.
    void limitEntries(std::size_t count) { m_maxEntries = std::max(count, m_entries.size()); }
    /// Entries stay when their reports leave the store, each with its Place (dropEvicted()).
    void setKeepPlaces(bool keep) { m_keepPlaces = keep; }
    /// Beside entries() while keepPlaces() is on, else empty.
    const std::deque<Place>& places() const { return m_places; }
    Place* place(quint64 id)
    {
        return id >= m_firstId && id - m_firstId < m_places.size() ? &m_places[std::size_t(id - m_firstId)] : nullptr;
    }
    /// Keeps an entry without counting it: the whole session's entries for a replay (SessionIndex), which
    /// counts them again as it goes.
    void keep(Entry entry)
    {
        m_entries.push_back(std::move(entry));
        if (m_keepPlaces)
            m_places.emplace_back(); // its event is stored: its place is not needed
    }
    /// Links a report to the event it is about once that event arrives.
    void resolve(quint64 entry, quint32 target, quint16 targetType);
    /// Forgets the entries whose report has left the store (their counts stay), unless keepPlaces() is on.
    void dropEvicted(const EventStore& store);
    /// Entries kept whose report has left the store (keepPlaces()): the oldest ones.
    std::size_t pastCount() const { return m_past; }
    /// The events of indexes `from` to `from + count - 1` (about to leave the store) that reports
    /// counted, each with a bit per kind of report that did (bit 3: any kind), no longer tracked here.
    std::vector<std::pair<quint32, quint8>> takeTargets(quint32 from, quint32 count);

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
    /// The entry of id `id`, or nullptr when it is no longer (or never was) kept.
    Entry* entry(quint64 id)
    {
        return id >= m_firstId && id - m_firstId < m_entries.size() ? &m_entries[std::size_t(id - m_firstId)] : nullptr;
    }
    quint64 firstId() const { return m_firstId; }
    /// The id of a breaker's name for Entry::breaker (0 for none).
    StringPool::Id internBreaker(std::string_view name) { return name.empty() ? 0 : m_breakerNames.intern(name); }
    std::string_view breakerName(StringPool::Id id) const { return m_breakerNames.view(id); }
    /// Reports beyond the entry cap: counted, not kept.
    quint64 dropped() const { return m_dropped; }

    /// Each dead letter as it came: its report and session time, the latest MaxDeadLetters kept (beyond
    /// the entry cap and the memory cap too). What the "dead letters rising" alert counts, the same
    /// whether a capture is read at once or a part at a time. Id = firstDeadLetter() + position.
    struct DeadLetterAt
    {
        qint64 timeUs;
        quint32 event;
    };
    static constexpr std::size_t MaxDeadLetters = 65536;
    void logDeadLetter(qint64 timeUs, quint32 event)
    {
        if (m_deadLetters.size() >= MaxDeadLetters) {
            m_deadLetters.pop_front();
            ++m_firstDeadLetter;
        }
        m_deadLetters.push_back({ timeUs, event });
    }
    const std::deque<DeadLetterAt>& deadLetters() const { return m_deadLetters; }
    quint64 firstDeadLetter() const { return m_firstDeadLetter; }

private:
    void countType(Kind kind, quint16 type, int delta);
    /// A report of `kind` is about stored event `target` of type `type`: counts the event once.
    void countEvent(Kind kind, quint32 target, quint16 type);
    /// The same for an event the memory cap dropped: counted once per kind by its bits.
    void countDropped(Kind kind, quint16 type, quint8& bits);
    void countTypeEvent(Kind kind, quint16 type);

    std::deque<Entry> m_entries;
    std::deque<Place> m_places;
    bool m_keepPlaces = false;
    std::size_t m_past = 0;
    quint64 m_firstId = 0;
    std::vector<quint64> m_perType[3];
    quint64 m_counts[3] = { 0, 0, 0 };
    static constexpr Kind AnyKind = Kind(3);
    /// The store index of each event reported about, while it is stored, and a bit per kind of report
    /// that counted it (bit 3: any kind). Ordered: the memory cap drops a range of indexes at a time.
    std::map<quint32, quint8> m_reported;
    /// Forgets the events of indexes `from` to `from + count - 1` (indexes wrap at 2^32), calling
    /// taken(index, bits) for each.
    template<typename F>
    void eraseRange(quint32 from, quint32 count, F taken);
    std::vector<quint64> m_perTypeEvents[4];
    quint64 m_eventCounts[4] = { 0, 0, 0, 0 };
    std::size_t m_maxEntries;
    StringPool m_breakerNames;
    quint64 m_dropped = 0;
    std::deque<DeadLetterAt> m_deadLetters;
    quint64 m_firstDeadLetter = 0;
};
