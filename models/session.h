// SPDX-License-Identifier: MIT
#pragma once

#include "breakertracker.h"
#include "bustimetracker.h"
#include "chaintracker.h"
#include "decodedbatch.h"
#include "eventprofile.h"
#include "eventstore.h"
#include "flowtracker.h"
#include "gaptracker.h"
#include "pendingrefs.h"
#include "ratetracker.h"
#include "recentids.h"
#include "retrytracker.h"
#include "schematracker.h"
#include "shapetracker.h"
#include "stagetracker.h"
#include "stringpool.h"

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <limits>
#include <memory>
#include <unordered_map>
#include <vector>

class SchemaRegistry;

/// The memory cap a session gets unless its configuration says otherwise: a quarter of the memory this
/// process may use (the machine's, or its control group's limit when lower), at least 1 GiB, as a JVM
/// sizes its default heap. An hour of a bus at 5,000 events/s (18 M events) is held whole from 8 GB.
/// setDefaultMemoryCap() overrides it for the sessions made afterwards (`--memory-cap`; 0: no cap).
std::size_t defaultMemoryCap();
void setDefaultMemoryCap(std::size_t bytes);
/// The memory this process may use: physical memory, or the control group's limit when lower (0: unknown).
std::size_t usableMemoryBytes();

/// Everything known about one monitoring session: the events and the trackers over them. Every source
/// (live connection, capture file, replay) feeds it through ingest(); it lives on one thread.

class Session
{
public:
    /// Every event has a session time, its receive time: when it arrived (live, recordings, HAR), or,
    /// in a file of producer times only, where the reader placed it (its own time, or its neighbours'
    /// when its clock is skewed). Rates, axes, silence, alerts and replay run on it. Its own timestamp
    /// (eventTimeUs) gives the time on the bus, and chains' times where it can be trusted.
    enum class Clock {
        Recorded, ///< "now" is the newest event's session time (files)
        Live, ///< "now" is the wall clock
    };
    struct Config
    {
        Clock clock = Clock::Live;
        std::size_t maxTypes = 4096; ///< distinct event types tracked; more are counted as "(other)"
        std::size_t maxSources = 4096;
        std::size_t maxMalformedKept = 1000; ///< the most recent ones (the first 100 are also kept)
        int rateSeconds = 3600; ///< rate history per type
        /// Heap the stored events may use (records, raw bytes, indexes); beyond it the oldest events
        /// are dropped, 32,768 at a time, until the heap (and the room its indexes' next growth will
        /// take) is an eighth below it, while every count and rate keeps its full history. 0: no cap.
        std::size_t memoryCapBytes = defaultMemoryCap();
        /// What the cap drops still counts as if it had stayed: each dropped event keeps its id, type,
        /// source and chain (EventStore::keepDropped(): 24 bytes and its slot in the id index), a
        /// dropped chain its correlation id, and causes and reports still awaited stay awaited, so
        /// duplicates, orphans, chains, failed-event shares and breakers' blast radius come out exactly
        /// as without a cap (for up to 2^32 events). For reading a file in bounded memory
        /// (`eventscope-cli summary`): what is kept for the dropped events grows with them (outside the
        /// cap: evictedHeapBytes()), and the views still show stored events only.
        bool exactBeyondCap = false;
        /// With exactBeyondCap: the most heap what is kept for dropped events may take (0: no bound).
        /// Past it the session estimates instead (estimated()): the ids of the events it drops from then
        /// on, and of those dropped before, go into a RecentIds of three quarters of this size (at 1 GiB
        /// the newest 70 M at least), and what they kept is let go. Duplicates, causes and chains
        /// that went on are then found among those, reports are kept up to a quarter of this size (those
        /// held included) and counted past it, and nothing kept grows with the events.
        std::size_t exactBeyondCapBytes = 0;
        /// Indexes grow without any single long pause (a live window; see EventStore::setSmoothGrowth).
        /// Off for reading a whole file as fast as possible.
        bool smoothGrowth = true;
        /// Where full chunks of records go instead of the heap (EventStore::setRecordDirectory(): a
        /// file of the kernel's page cache); empty, the heap. They are then outside heapBytes() and
        /// the cap, as a restored index's are.
        QString recordDirectory {};
        /// With recordDirectory: false files only what events past the memory cap keep
        /// (exactBeyondCap), so the cap bounds the records held (a read that saves no index).
        bool fileRecords = true;
        /// Retry, failure and dead-letter reports kept, each about 100 bytes; past it they are counted
        /// only, and the session can no longer replay from memory (canReplay()). Under the memory cap
        /// too, which drops them with their events.
        std::size_t maxReports = 1000000;
        /// maxReports for a whole capture (a window's, `summary`): every report of 100 M events (2 M)
        /// and far more, the memory cap bounding them.
        static constexpr std::size_t WholeCaptureReports = std::size_t(1) << 26;
        /// Event types (globs) that end a chain; a chain without one is "open".
        /// A producer time this far from the receive time is not trusted for chains (chainTime()).
        qint64 maxClockSkewUs = qint64(10) * 60 * 1000000;
        std::vector<std::string> terminalTypes { "*.completed", "*.cancelled", "*.rejected", "*.delivered", "*.read",
            "*.logged_out" };
    };

    explicit Session(Config config);
    Session();
    ~Session();
    Session(const Session&) = delete;
    Session& operator=(const Session&) = delete;

    const Config& config() const { return m_config; }

    /// Registers an origin (a connection URL without credentials, or a file name); events carry its id.
    quint16 addOrigin(const QString& name);
    QString originName(quint16 origin) const { return m_origins.string(origin); }
    const StringPool& origins() const { return m_origins; }

    /// Forgets every event and every figure, as a session just made (replay seeking backwards starts
    /// again from the beginning). Type, source and origin names keep their ids. Views over the session
    /// must be reset with it.
    void reset();

    /// The one entry point: stores the batch's events and updates every tracker.
    void ingest(const DecodedBatch& batch);
    /// Where a batch being ingested in slices has got to.
    struct IngestCursor
    {
        std::size_t next = 0;
        int stableChunk = -1;
        std::size_t nextBreach = 0; ///< in the batch's schemaBreaches
        bool started = false;
    };
    /// ingest() in slices, so a GUI thread can stay responsive: takes up to `maxEvents` more events of
    /// `batch` (which must stay alive and unchanged until done); returns true when the batch is done.
    /// Batches must be finished in order, one at a time.
    bool ingestSome(const DecodedBatch& batch, IngestCursor& cursor, std::size_t maxEvents);
    /// Whether the stored events are over the memory cap. ingest() always brings them back under it;
    /// a caller of ingestSome() gets there in slices with evictSome() between batches.
    bool overCap() const;
    /// Retires up to `maxEvents` of the oldest stored events (the memory cap's work, in slices).
    void evictSome(std::size_t maxEvents);

    const EventStore& store() const { return m_store; }
    std::string_view raw(quint32 event) const
    {
        return m_store.contains(event) ? m_store.raw(m_store.at(event)) : std::string_view();
    }
    const StringPool& types() const { return m_types; }
    const StringPool& sources() const { return m_sources; }
    const RateTracker& rates() const { return m_rates; }
    const ChainTracker& chains() const { return m_chains; }
    const BreakerTracker& breakers() const { return m_breakers; }
    /// A breaker as the views name it: "email-gateway", or "email-gateway @ ws://bus-b/events" when
    /// another origin reports a breaker of that name too (the merged one keeps the plain name).
    QString breakerLabel(std::size_t breaker) const;
    const RetryTracker& retries() const { return m_retries; }
    const GapTracker& gaps() const { return m_gaps; }
    /// The flow between event types along causation links (FlowTracker).
    const FlowTracker& flow() const { return m_flow; }
    /// How far chains get from their root, stage by stage (StageTracker).
    const StageTracker& stages() const { return m_stages; }
    /// How payloads keep their types' schemas (SchemaTracker): counted once schemas are in use, from the
    /// decoder's checks (DecoderConfig::schemas).
    const SchemaTracker& schemas() const { return m_schemaTracker; }
    /// Each type's payload shape learned from the events, and its changes (ShapeTracker): of every event
    /// taken in (a replay does not count them again).
    const ShapeTracker& shapes() const { return m_shapeTracker; }
    /// The durable consumers a broker reported (JetStream), and their history.
    const ConsumerTracker& consumers() const { return m_consumers; }
    /// Schemas are in use from now on: events that were not checked count as unchecked (a session counts
    /// from its first checked event otherwise). `registry` names them for the views.
    void setSchemaRegistry(std::shared_ptr<const SchemaRegistry> registry);
    const std::shared_ptr<const SchemaRegistry>& schemaRegistry() const { return m_schemaRegistry; }
    /// The schema breaches ("POINTER: RULE") of stored event `index`, none when it kept its schema.
    std::vector<std::string_view> schemaBreachesOf(quint32 index) const;
    /// Events per second from one origin (connection or file); nullptr before its first event.
    const RateSeries* originRate(quint16 origin) const
    {
        return origin < m_originRates.size() ? m_originRates[origin].get() : nullptr;
    }
    /// Retries, dead letters or handler failures per second (by the time basis).
    const RateSeries& problemRate(RetryTracker::Kind kind) const { return m_problemRates[kind]; }

    /// Every valid event ingested (dropped ones included).
    quint64 eventCount() const { return m_ingested; }
    /// Events still stored (the memory cap drops the oldest).
    quint64 retainedCount() const { return m_store.size(); }
    /// Events dropped by the memory cap.
    quint64 evictedCount() const { return m_evicted; }
    quint64 malformedCount() const { return m_malformedCount; }
    quint64 duplicateCount() const { return m_duplicates; }
    /// Events whose causation id names no event seen so far.
    quint64 orphanCount() const { return m_pendingCauses; }
    /// Events decoded per envelope profile (EventProfile), in all and per origin: how everything read was
    /// decoded (a replay does not rebuild these).
    const ProfileCounts& profileCounts() const { return m_profileCounts; }
    ProfileCounts originProfiles(quint16 origin) const
    {
        return origin < m_originProfiles.size() ? m_originProfiles[origin] : ProfileCounts {};
    }
    /// The profile most of an origin's events were decoded as ("decoded as EventStoreDB").
    EventProfile originProfile(quint16 origin) const;
    /// Events whose producer time could not be trusted (a file's clock-skewed events: counted, kept, placed
    /// at their neighbours' time), and the first of them with where and why.
    quint64 clockSkewedCount() const { return m_skewedCount; }
    std::vector<MalformedRecord> firstClockSkewed() const
    {
        return { m_firstSkewed.begin(),
            m_firstSkewed.begin() + qsizetype(std::min<quint64>(m_firstSkewed.size(), m_skewedCount)) };
    }
    const std::vector<MalformedRecord>& firstMalformed() const { return m_firstMalformed; }
    const std::deque<MalformedRecord>& recentMalformed() const { return m_recentMalformed; }
    /// Range of the events' session times (clock-skewed ones at their placed time), or 0/0 when empty.
    qint64 firstEventTimeUs() const { return m_firstTimeUs; }
    qint64 lastEventTimeUs() const { return m_lastTimeUs; }
    /// The session time of one event: what rates, axes, silence and replay run on (see Clock).
    qint64 basisTime(const EventRecord& r) const { return r.receiveTimeUs; }
    /// An event's time in its chain: its own timestamp, unless it has none or it is further than
    /// Config::maxClockSkewUs from its session time (then the session time).
    qint64 chainTime(const EventRecord& r) const
    {
        return r.has(EventRecord::HasEventTime) && std::abs(r.eventTimeUs - r.receiveTimeUs) <= m_config.maxClockSkewUs
            ? r.eventTimeUs
            : r.receiveTimeUs;
    }
    /// Whether an origin's events carry the time they were received (live, a recording, HAR), as
    /// opposed to a file of producer times whose session times the reader placed.
    bool receiveTimeKnown(quint16 origin) const
    {
        return origin < m_originPlaced.size() ? m_originPlaced[origin] == 0 : true;
    }
    /// Events and time on the bus per source (StringPool id of sources()).
    const BusTimeTracker& busTimes() const { return m_busTimes; }
    /// Heap bytes held by the store, its index, the arena and the trackers' per-event parts.
    std::size_t heapBytes() const;
    /// Heap kept for events the memory cap dropped, so their counts stay exact (Config::exactBeyondCap):
    /// outside heapBytes() and the cap.
    std::size_t evictedHeapBytes() const;
    /// The ids of the newest events past the cap once what is kept for them outgrew
    /// Config::exactBeyondCapBytes, or null while counts are exact.
    const RecentIds* recentIds() const { return m_recent.get(); }
    /// Whether some figures are estimates (Config::exactBeyondCapBytes). An event whose id, cause or
    /// chain is older than recentIds()->reach() ids past the cap is not known to have come: a duplicate
    /// goes uncounted, the effect counts as an orphan, the chain as a new one. An orphan whose cause
    /// comes after the cap dropped it stays one; failed events and the chains reports mark leave out
    /// reports about events dropped before; breakers' blast radius counts only the reports kept
    /// (retries().dropped()). A fingerprint match adds a false duplicate about once in
    /// 1 / RecentIds::falsePositiveRate() lookups (about 10^9).
    bool estimated() const { return m_recent != nullptr; }
    /// The events ingested when estimates began (estimated()).
    quint64 estimatedFrom() const { return m_estimatedFrom; }

    /// About `events` events will come in all (a file of known size): the indexes are sized for them now
    /// (chains by the share of chains so far, once 4,096 events are in), so none grows on the way.
    void expectEvents(std::size_t events);
    /// No more events are expected (an opened capture, read whole): the indexes only taking in events
    /// needs (by event id, by correlation id, each chain's stage state) are let go, a quarter of the
    /// memory per event; lookups by id scan instead (milliseconds for a million events). ingest() builds
    /// them again. They are handed back, to be freed where that costs no one a turn: at 100 M events
    /// giving them back to the system takes about half a second.
    [[nodiscard]] std::shared_ptr<void> compact();

    /// Replay in memory (an opened capture): shows the first `count` stored events, every figure as it
    /// was when the last of them had just been taken in. The figures are computed again from the
    /// stored records (ids, chains and causes are already resolved in them), so nothing is read or
    /// decoded again: a step back starts again from the first event, a step on goes on from where the
    /// replay is. Needs every event ever taken in still stored (canReplay()). ingest() first returns
    /// to the whole session.
    void replayTo(quint32 count);
    /// Nothing was dropped (memory cap, or a tracker's own caps), so replayTo() can rebuild every figure.
    bool canReplay() const;
    /// Stored events, whether a replay shows them or not.
    quint32 storedCount() const { return m_store.storedCount(); }
    /// How many stored events come before the first whose basis time is after `timeUs`, in arrival
    /// order: what a live session showed at `timeUs`, and what a replay with its playhead there shows.
    quint32 countUntil(qint64 timeUs) const;

private:
    friend class SessionIndex; // saves and restores what replayTo() rebuilds the figures from
    static constexpr std::size_t MaxMalformedMarks = 65536;
    static constexpr quint32 BlockSize = 4096; ///< events per m_blockLatest entry
    struct Replay;
    struct Wait;
    void startReplay();
    /// Every breaker transition of `breakers`, in arrival order, into the replay.
    static void collectTransitions(Replay& replay, const BreakerTracker& breakers);
    void rewindReplay();
    void replayRange(quint32 from, quint32 to);
    /// The breaker transitions and reports of telemetry event `index`, into the replay.
    void replayReportsOf(const EventRecord& rec, quint32 index);
    /// The replay's breakers, retries, dead letters and problem rates up to event `end` (an index in the
    /// store), from the reports alone, where the replay has got to (SessionIndex: the rest of the figures
    /// are restored whole).
    void replayReports(quint32 end);
    /// Back to the whole session; returns what the replay held (at 100 M events its copy of every report,
    /// 100 ms to free), for the caller to free where it likes.
    std::shared_ptr<void> leaveReplay();
    /// The figures every event counts in: rates (by type, domain, origin), sequence gaps, time range.
    /// Returns the event's basis time.
    qint64 countTimes(const EventRecord& rec, std::string_view typeText);
    void countProfile(const DecodedEvent& e);
    /// The schema check of event `index` (batch event `i`): counted, and its breaches grouped and logged.
    void countSchema(const DecodedEvent& e, const EventRecord& rec, quint32 index, std::size_t i,
        const DecodedBatch& batch, IngestCursor& cursor);
    /// The first event of its type with the shape `hash`: learned from the batch's description of it.
    quint8 learnShape(const DecodedBatch& batch, quint64 hash, const EventRecord& rec, quint32 index);
    /// The same for a replay: from the log.
    void replaySchema(const EventRecord& rec, quint32 index);
    /// A CloudEvent whose id another source's event has: keyed by source and id (CloudEvents' uniqueness).
    void keyBySource(EventRecord& r, std::string_view sourceText);
    /// An event of a terminal type ends its chain.
    void countEnd(const EventRecord& rec);
    /// An event whose cause is not known (yet).
    void countOrphan(const EventRecord& rec);
    /// The cause of event `effect` has come.
    void causeFound(quint32 effect);
    /// The stage tracker's chain states again, after compact(), before events come.
    void restoreStages();
    /// Counts the causation link of `effect`, whose cause is stored and known, in the flow.
    void countLink(quint32 effect);
    /// The same, with what the caller already has of the effect (its record's fields).
    void countLink(quint32 effect, qint32 parentDelta, quint16 type, qint64 receiveTimeUs);
    /// A failure or dead letter names event `target`, while event `current` is being taken in.
    void countFailed(quint32 target, quint32 current);
    /// Event `index`, which report `entry` is about, has come.
    void reportFound(quint64 entry, quint32 index);
    void enforceCap();
    void resolvePending(quint32 index);
    /// Causes and reports that events the cap dropped were still awaiting (Config::exactBeyondCap), for
    /// the first event of its id, `index`.
    void resolveAwaited(quint32 index);
    /// Config::exactBeyondCap: keeps what the oldest stored chunk's events still count in, before it goes.
    void rememberEvicted(quint32 from, quint32 to);
    /// Config::exactBeyondCapBytes: what is kept for dropped events has outgrown its bound; estimate from now.
    void beginEstimates();
    /// estimated(): the oldest stored chunk's events, before they go, into the filter.
    void forgetEvicted(quint32 from, quint32 to);
    /// The filter's key for a past event of this id from this source (the events of one source, for
    /// CloudEvents' duplicates; the id alone for everything else).
    static Uuid sourceKey(const Uuid& id, quint16 source) { return RecentIds::keyIn(id, SourceKeys + source); }
    /// The id a CloudEvents event is indexed under when another source's event had its id first.
    static Uuid sourceScopedId(std::string_view sourceText, const Uuid& id);
    /// Whether recentIds() holds an event of this id (CloudEvents: from this source) (estimated()).
    bool seenRecently(const EventRecord& rec, bool cloudEvents, std::string_view sourceText) const;
    /// Whether any event was decoded as CloudEvents: their duplicates are of an id from one source,
    /// so recentIds() takes their ids twice, with their source and without (estimated()).
    bool anyCloudEvents() const { return m_profileCounts[std::size_t(EventProfile::CloudEvents)] > 0; }
    static constexpr quint64 ChainKeys = 1; ///< RecentIds::keyIn() space of correlation ids
    static constexpr quint64 SourceKeys = 2; ///< ... of (event id, source): SourceKeys + source
    void applyTelemetry(quint32 index, const Telemetry& t);
    /// Counts a retry, dead letter or failure report (the telemetry event `rec`) about `target` (or NotFound).
    /// `gone`: the event it is about, dropped by the cap (Config::exactBeyondCap; target is NotFound then).
    quint64 countReport(
        const EventRecord& rec, RetryTracker::Entry entry, quint32 target, quint32 gone = EventStore::NotFound);
    void markChain(quint32 chain, RetryTracker::Kind kind);
    void addMalformed(const MalformedRecord& m);
    bool isTerminal(quint16 type);

    Config m_config;
    EventStore m_store;
    StringPool m_types;
    StringPool m_sources;
    StringPool m_origins;
    RateTracker m_rates;
    ChainTracker m_chains;
    BreakerTracker m_breakers;
    RetryTracker m_retries;
    GapTracker m_gaps;
    FlowTracker m_flow;
    SchemaTracker m_schemaTracker;
    ShapeTracker m_shapeTracker;
    ConsumerTracker m_consumers;
    /// Each stored event's shape, as m_shapeTracker counted it, for a replay: kept while every event
    /// ever taken in is stored (canReplay()), one byte an event.
    std::vector<quint8> m_shapeLog;
    std::shared_ptr<const SchemaRegistry> m_schemaRegistry;
    bool m_schemasActive = false;
    std::vector<quint8> m_schemaTyped; ///< per type: its events are checked (it has a schema)
    std::deque<std::string> m_breachKeys; ///< "POINTER: RULE" by id (a deque: views into it stay valid)
    std::unordered_map<std::string, quint32> m_breachKeyIds;
    /// (event index, breach key id) of every breach of a stored event, in event order: a replay counts
    /// them again
    std::vector<std::pair<quint32, quint32>> m_breachLog;
    std::size_t m_breachLogTrimmed = 0; ///< its size when its evicted entries were last dropped
    StageTracker m_stages;
    RateSeries m_problemRates[3];
    std::vector<std::unique_ptr<RateSeries>> m_originRates;
    RateSeries* m_lastOriginRate = nullptr; ///< events come in runs from one origin
    quint16 m_lastOrigin = 0;
    std::vector<qint8> m_terminal; ///< per type: -1 not yet known, 0 no, 1 a terminal type
    PendingRefs m_pending;
    quint64 m_pendingCauses = 0;
    /// Config::exactBeyondCap (what the dropped events themselves keep is in the store): which kinds of
    /// report counted each dropped event that was reported about (RetryTracker::takeTargets()); the
    /// causes (id -> events awaiting it) and the reports (id -> RetryTracker entry) they still awaited.
    std::unordered_map<quint32, quint8> m_evictedReported;
    UuidIndex m_awaitedCauses;
    std::unordered_multimap<Uuid, quint64, UuidHasher> m_awaitedTargets;
    quint64 m_duplicates = 0;
    quint64 m_malformedCount = 0;
    quint64 m_skewedCount = 0;
    std::vector<MalformedRecord> m_firstSkewed; ///< the whole session's first 100
    /// Per batch that held clock-skewed events: (events stored after it, skewed so far), for replay.
    std::vector<std::pair<quint32, quint64>> m_skewedMarks;
    ProfileCounts m_profileCounts {};
    std::vector<ProfileCounts> m_originProfiles;
    std::vector<qint8> m_originPlaced; ///< per origin: -1 no event yet, 1 session times placed, 0 received
    BusTimeTracker m_busTimes;
    std::vector<MalformedRecord> m_firstMalformed;
    std::deque<MalformedRecord> m_recentMalformed;
    quint64 m_ingested = 0;
    quint64 m_evicted = 0;
    std::unique_ptr<RecentIds> m_recent; ///< estimated()
    quint64 m_estimatedFrom = 0;
    mutable bool m_evicting = false; ///< over the cap: evicting down to the low watermark (overCap())
    qint64 m_firstTimeUs = 0;
    qint64 m_lastTimeUs = 0;
    /// Per batch that held malformed records: (events stored after it, malformed so far), for replay.
    std::vector<std::pair<quint32, quint64>> m_malformedMarks;
    /// Per BlockSize stored events: the latest basis time of any of them and those before (countUntil()).
    std::vector<qint64> m_blockLatest;
    qint64 m_latestBasis = std::numeric_limits<qint64>::min();
    std::unique_ptr<Replay> m_replay;
    /// replayReports() runs: countFailed() and markChain() count nothing (their figures were restored).
    bool m_reportsOnly = false;
};
