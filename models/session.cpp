// SPDX-License-Identifier: MIT
// The Session: one ingest path that updates every tracker for each event, plus eviction and replay.
// One file because the trackers are updated in one pass per event, in an order that matters (a cause
// before its effect's chain link, a retry before its chain's counts); split, that order would be spread
// over files that must be read together anyway.
#include "session.h"

#include "glob.h"
#include "schemaregistry.h"
#include "sessionreplay.h"

#include <QFile>
#include <algorithm>
#include <array>
#include <atomic>
#include <unistd.h>

namespace {
std::atomic<std::size_t> g_memoryCap { 0 }; // 0: not set, a quarter of usableMemoryBytes()

/// A control group's memory limit, from its file ("max" or a number); 0 when there is none.
std::size_t cgroupLimit(const char* path)
{
    QFile f(QString::fromLatin1(path));
    if (!f.open(QIODevice::ReadOnly))
        return 0;
    bool ok = false;
    const qulonglong v = f.read(32).trimmed().toULongLong(&ok);
    return ok ? std::size_t(v) : 0;
}
} // namespace

std::size_t usableMemoryBytes()
{
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long pageSize = sysconf(_SC_PAGESIZE);
    std::size_t bytes = pages > 0 && pageSize > 0 ? std::size_t(pages) * std::size_t(pageSize) : 0;
    // the process's own control group: v2, else v1 (a container's limit, seen from inside it)
    for (const char* path : { "/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes" }) {
        const std::size_t limit = cgroupLimit(path);
        if (limit != 0 && (bytes == 0 || limit < bytes))
            bytes = limit;
    }
    return bytes;
}

std::size_t defaultMemoryCap()
{
    if (const std::size_t set = g_memoryCap.load(std::memory_order_relaxed))
        return set == std::size_t(-1) ? 0 : set;
    static const std::size_t machine = std::max(usableMemoryBytes() / 4, std::size_t(1) << 30);
    return machine;
}

void setDefaultMemoryCap(std::size_t bytes)
{
    g_memoryCap.store(bytes == 0 ? std::size_t(-1) : bytes, std::memory_order_relaxed);
}

Session::Session(Config config)
    : m_config(config)
    , m_types(config.maxTypes)
    , m_sources(config.maxSources)
    , m_origins(65535)
    , m_rates(config.rateSeconds)
    , m_retries(config.maxReports)
    , m_problemRates { RateSeries(config.rateSeconds), RateSeries(config.rateSeconds), RateSeries(config.rateSeconds) }
{
    m_store.setSmoothGrowth(config.smoothGrowth);
    m_store.setRecordDirectory(
        config.recordDirectory, config.fileRecords ? EventStore::Filing::RecordsAndKept : EventStore::Filing::KeptOnly);
    m_chains.setSmoothGrowth(config.smoothGrowth);
    m_pending.setSmoothGrowth(config.smoothGrowth);
    m_chains.setRememberDropped(config.exactBeyondCap);
    m_store.setKeepDropped(config.exactBeyondCap);
    m_retries.setKeepPlaces(config.exactBeyondCap);
}

Session::Session()
    : Session(Config {})
{ }

Session::~Session() = default;

void Session::reset()
{
    // a fresh session's state, swapped in: whoever holds a reference to this one keeps it
    Session fresh(m_config);
    std::swap(m_store, fresh.m_store);
    std::swap(m_rates, fresh.m_rates);
    std::swap(m_chains, fresh.m_chains);
    std::swap(m_breakers, fresh.m_breakers);
    std::swap(m_retries, fresh.m_retries);
    std::swap(m_gaps, fresh.m_gaps);
    std::swap(m_flow, fresh.m_flow);
    std::swap(m_stages, fresh.m_stages);
    std::swap(m_schemaTracker, fresh.m_schemaTracker);
    std::swap(m_shapeTracker, fresh.m_shapeTracker);
    std::swap(m_consumers, fresh.m_consumers);
    m_shapeLog = {};
    m_breachLog.clear();
    m_breachLogTrimmed = 0;
    for (int k = 0; k < 3; ++k)
        std::swap(m_problemRates[k], fresh.m_problemRates[k]);
    std::swap(m_originRates, fresh.m_originRates);
    m_lastOriginRate = nullptr;
    m_lastOrigin = 0;
    std::swap(m_pending, fresh.m_pending);
    m_pendingCauses = 0;
    m_evictedReported.clear();
    std::swap(m_awaitedCauses, fresh.m_awaitedCauses);
    m_awaitedTargets.clear();
    m_duplicates = 0;
    m_recent.reset();
    m_estimatedFrom = 0;
    m_malformedCount = 0;
    m_firstMalformed.clear();
    m_recentMalformed.clear();
    m_ingested = 0;
    m_evicted = 0;
    m_evicting = false;
    m_firstTimeUs = 0;
    m_lastTimeUs = 0;
    m_malformedMarks.clear();
    m_skewedCount = 0;
    m_firstSkewed.clear();
    m_skewedMarks.clear();
    m_profileCounts = {};
    m_originProfiles.clear();
    m_originPlaced.clear();
    m_busTimes = BusTimeTracker();
    m_blockLatest.clear();
    m_latestBasis = std::numeric_limits<qint64>::min();
    m_replay.reset();
}

QString Session::breakerLabel(std::size_t breaker) const
{
    const Breaker& b = m_breakers.at(breaker);
    const QString name = QString::fromStdString(b.name);
    return b.sharedName ? QStringLiteral("%1 @ %2").arg(name, originName(b.origin)) : name;
}

quint16 Session::addOrigin(const QString& name) { return m_origins.intern(name.toStdString()); }

void Session::ingest(const DecodedBatch& batch)
{
    IngestCursor cursor;
    ingestSome(batch, cursor, batch.events.size());
    enforceCap();
}

bool Session::ingestSome(const DecodedBatch& batch, IngestCursor& cursor, std::size_t maxEvents)
{
    if (m_replay)
        leaveReplay();
    if (m_stages.compacted())
        restoreStages();
    if (!cursor.started) {
        cursor.started = true;
        for (const ConsumerSample& c : batch.consumers)
            m_consumers.add(c);
        if (batch.stableBlock)
            cursor.stableChunk = m_store.rawStore().adopt(batch.stableBlock);
    }
    const int stableChunk = cursor.stableChunk;
    const char* stableBegin = nullptr;
    const char* stableEnd = nullptr;
    if (batch.stableBlock) {
        stableBegin = batch.stableBlock->data();
        stableEnd = stableBegin + batch.stableBlock->size();
    }

    constexpr std::size_t Ahead = 8; // hide the memory latency of the hash lookups a few events ahead
    const std::size_t count = std::min(batch.events.size(), cursor.next + maxEvents);
    for (std::size_t i = cursor.next; i < count; ++i) {
        if (i + Ahead < count) {
            const DecodedEvent& next = batch.events[i + Ahead];
            m_store.prefetchId(next.id);
            if (next.flags & EventRecord::HasCausation)
                m_store.prefetchId(next.causation);
            if (next.flags & EventRecord::HasCorrelation)
                m_chains.prefetch(next.correlation);
            if (m_pending.awaiting())
                m_pending.prefetch(next.id);
            if (m_recent) { // each event's id is looked for there, and a new chain's
                m_recent->prefetch(next.id);
                if (next.flags & EventRecord::HasCorrelation)
                    m_recent->prefetch(RecentIds::keyIn(next.correlation, ChainKeys));
            }
        }
        if (i + Ahead / 2 < count) { // what the slots fetched above name
            const DecodedEvent& next = batch.events[i + Ahead / 2];
            if (next.flags & EventRecord::HasCausation)
                m_store.prefetchEventOf(next.causation); // the cause, to compare its id
            if (next.flags & EventRecord::HasCorrelation) {
                m_chains.prefetchChainOf(next.correlation);
                m_stages.prefetch(m_chains.peekChain(next.correlation));
            }
        }

        const DecodedEvent& e = batch.events[i];
        EventRecord r;
        r.id = e.id;
        r.eventTimeUs = e.eventTimeUs;
        r.receiveTimeUs = e.receiveTimeUs;
        r.seqOrigin = (e.seq << 16) | e.origin;
        r.rawLenFlags = (quint32(e.flags) << 24) | (e.rawLength & EventRecord::MaxRawLength);
        const std::string_view typeText = batch.view(e.type);
        r.type = m_types.intern(typeText);
        r.source = m_sources.intern(batch.view(e.source));
        countProfile(e);
        if (e.profile() == quint8(EventProfile::CloudEvents))
            keyBySource(r, batch.view(e.source));

        const quint32 index = m_store.nextIndex();
        if (e.rawExternal && e.rawExternal >= stableBegin && e.rawExternal + e.rawLength <= stableEnd) {
            r.rawRef = RawStore::makeRef(quint16(stableChunk), quint64(e.rawExternal - stableBegin));
            m_store.rawStore().noteUse(quint16(stableChunk), index);
        } else {
            r.rawRef = m_store.rawStore().append(batch.raw(e), index);
        }
        m_store.append(r);
        EventRecord& rec = r; // the store's copy gets every change below too
        ++m_ingested;
        if (m_schemasActive || e.schemaChecked())
            countSchema(e, rec, index, i, batch, cursor);
        if (batch.shapes.size() == batch.events.size()) {
            const int known = m_shapeTracker.count(rec.type, batch.shapes[i]);
            const quint8 shape = known >= 0 ? quint8(known) : learnShape(batch, batch.shapes[i], rec, index);
            if (m_evicted == 0 && m_store.first() == 0) {
                if (m_shapeLog.size() < index)
                    m_shapeLog.resize(index, ShapeTracker::NotWalked);
                m_shapeLog.push_back(shape);
            } else if (!m_shapeLog.empty()) {
                m_shapeLog = {}; // no replay now
            }
        }
        // (with Config::exactBeyondCap the first of an id may be one the cap has dropped)
        bool firstOfId = m_store.insertId(index) == index;
        if (firstOfId && m_recent) // one the cap dropped had it, among the newest recentIds() holds
            firstOfId = !seenRecently(rec, e.profile() == quint8(EventProfile::CloudEvents), batch.view(e.source));
        if (!firstOfId) {
            rec.setFlag(EventRecord::Duplicate);
            m_store.setFlag(index, EventRecord::Duplicate);
            ++m_duplicates;
        }
        if (rec.has(EventRecord::HasCorrelation)) {
            rec.chain = m_chains.add(e.correlation, batch.view(e.correlationText), index, chainTime(rec), m_store);
            m_store.setChain(index, rec.chain);
            countEnd(rec);
            m_stages.add(rec.chain, m_chains.at(rec.chain).opener, rec.type, basisTime(rec));
        }
        // what waited for this event (a report about it marks its chain: it has joined it by now)
        if (firstOfId && m_pending.awaiting())
            resolvePending(index);
        if (firstOfId && (m_awaitedCauses.size() > 0 || !m_awaitedTargets.empty()))
            resolveAwaited(index);
        if (rec.has(EventRecord::HasCausation)) {
            const quint32 parent = m_store.findId(e.causation);
            if (parent != EventStore::NotFound && parent != index) {
                rec.parentDelta = qint32(parent - index); // indices wrap at 2^32: the difference does not
                m_store.setParentDelta(index, rec.parentDelta);
                countLink(index, rec.parentDelta, rec.type, rec.receiveTimeUs);
            } else if (parent == EventStore::NotFound && m_evicted > 0 && m_config.exactBeyondCap
                && m_store.findAnyId(e.causation) != EventStore::NotFound) {
                // its cause came, and the cap has dropped it since: known, not an orphan
            } else if (parent == EventStore::NotFound && m_recent && m_recent->contains(e.causation)) {
                // the same, among the newest recentIds() holds (estimated())
            } else {
                m_pending.add(e.causation, index, PendingRefs::Cause);
                countOrphan(rec);
            }
        }
        const qint64 basis = countTimes(rec, typeText);
        // for replay: the latest basis time by each block's end (until the memory cap drops events)
        m_latestBasis = std::max(m_latestBasis, basis);
        if (m_evicted == 0 && m_store.storedCount() % BlockSize == 0)
            m_blockLatest.push_back(m_latestBasis);
        if (e.telemetry >= 0)
            applyTelemetry(index, batch.telemetry[std::size_t(e.telemetry)]);
    }
    cursor.next = count;
    if (count < batch.events.size())
        return false;
    for (const MalformedRecord& m : batch.malformed)
        addMalformed(m);
    if (!batch.skewed.empty()) {
        for (const MalformedRecord& m : batch.skewed) {
            if (m_firstSkewed.size() < 100)
                m_firstSkewed.push_back(m);
        }
        m_skewedCount += batch.skewed.size();
        if (m_skewedMarks.size() <= MaxMalformedMarks)
            m_skewedMarks.emplace_back(m_store.storedCount(), m_skewedCount);
    }
    // where they came, for a replay (bounded: a stream bad in every frame is not replayed in memory)
    if (!batch.malformed.empty() && m_malformedMarks.size() <= MaxMalformedMarks)
        m_malformedMarks.emplace_back(m_store.storedCount(), m_malformedCount);
    return true;
}

qint64 Session::countTimes(const EventRecord& rec, std::string_view typeText)
{
    const qint64 basis = basisTime(rec);
    m_rates.add(rec.type, typeText, basis);
    if (!m_lastOriginRate || rec.origin() != m_lastOrigin) {
        if (rec.origin() >= m_originRates.size())
            m_originRates.resize(std::size_t(rec.origin()) + 1);
        auto& series = m_originRates[rec.origin()];
        if (!series)
            series = std::make_unique<RateSeries>(m_config.rateSeconds);
        m_lastOriginRate = series.get();
        m_lastOrigin = rec.origin();
    }
    m_lastOriginRate->add(basis);
    if (rec.has(EventRecord::HasSeq))
        m_gaps.add(rec.origin(), rec.seq());
    if (m_ingested == 1) {
        m_firstTimeUs = m_lastTimeUs = basis;
    } else {
        m_firstTimeUs = std::min(m_firstTimeUs, basis);
        m_lastTimeUs = std::max(m_lastTimeUs, basis);
    }
    m_busTimes.addEvent(rec.source);
    m_flow.addEvent(rec.type, rec.source);
    if (rec.has(EventRecord::HasEventTime) && receiveTimeKnown(rec.origin()))
        m_busTimes.addBusTime(rec.source, rec.receiveTimeUs - rec.eventTimeUs);
    return basis;
}

void Session::countProfile(const DecodedEvent& e)
{
    static_assert(EventProfiles::Count <= 16, "DecodedEvent::traits keeps the profile in four bits");
    ++m_profileCounts[e.profile()];
    if (e.origin >= m_originPlaced.size())
        m_originPlaced.resize(std::size_t(e.origin) + 1, -1);
    if (m_originPlaced[e.origin] < 0)
        m_originPlaced[e.origin] = e.receivePlaced() ? 1 : 0;
    if (e.origin >= m_originProfiles.size())
        m_originProfiles.resize(std::size_t(e.origin) + 1, ProfileCounts {});
    ++m_originProfiles[e.origin][e.profile()];
}

void Session::keyBySource(EventRecord& r, std::string_view sourceText)
{
    // CloudEvents: source + id is unique. An id that an event of another source already has is this
    // event's own, indexed under a key made of both (its text stays in the raw bytes, as a hashed id's).
    const quint32 other = m_store.findAnyId(r.id); // one the cap dropped too (Config::exactBeyondCap)
    if (other == EventStore::NotFound)
        return;
    const EventStore::Dropped* dropped = m_store.dropped(other);
    if ((dropped ? dropped->source : m_store.sourceAt(other)) == r.source)
        return;
    r.id = sourceScopedId(sourceText, r.id);
    r.setFlag(EventRecord::IdHashed);
}

Uuid Session::sourceScopedId(std::string_view sourceText, const Uuid& id)
{
    std::string key(sourceText);
    key += '\n';
    key.append(reinterpret_cast<const char*>(&id), sizeof id);
    return Uuid::hash(key);
}

bool Session::seenRecently(const EventRecord& rec, bool cloudEvents, std::string_view sourceText) const
{
    if (!cloudEvents)
        return m_recent->contains(rec.id);
    // CloudEvents: source + id is unique, and an id another source had first was indexed under both
    // (keyBySource()), as recentIds() holds it
    return m_recent->contains(sourceKey(rec.id, rec.source))
        || m_recent->contains(sourceKey(sourceScopedId(sourceText, rec.id), rec.source));
}

EventProfile Session::originProfile(quint16 origin) const
{
    if (origin >= m_originProfiles.size())
        return EventProfile::Native;
    const ProfileCounts& c = m_originProfiles[origin];
    return EventProfile(std::max_element(c.begin(), c.end()) - c.begin());
}

void Session::countEnd(const EventRecord& rec)
{
    // saturating 16-bit counts keep a chain in 64 bytes
    if (isTerminal(rec.type) && m_chains.at(rec.chain).ends < 0xFFFF)
        ++m_chains.at(rec.chain).ends;
}

void Session::countOrphan(const EventRecord& rec)
{
    ++m_pendingCauses;
    if (rec.chain != EventRecord::NoChain && m_chains.at(rec.chain).orphans < 0xFFFF)
        ++m_chains.at(rec.chain).orphans;
}

void Session::causeFound(quint32 effect)
{
    --m_pendingCauses;
    // the effect is still stored, so its chain is alive and is the one it joined
    const quint32 chain = m_store.chainAt(effect);
    if (chain != EventRecord::NoChain && m_chains.at(chain).orphans > 0 && m_chains.at(chain).orphans < 0xFFFF)
        --m_chains.at(chain).orphans;
    countLink(effect);
}

void Session::setSchemaRegistry(std::shared_ptr<const SchemaRegistry> registry)
{
    m_schemaRegistry = std::move(registry);
    m_schemasActive = true;
}

void Session::countSchema(const DecodedEvent& e, const EventRecord& rec, quint32 index, std::size_t i,
    const DecodedBatch& batch, IngestCursor& cursor)
{
    m_schemasActive = true;
    const bool checked = e.schemaChecked();
    m_schemaTracker.count(rec.type, checked);
    if (!checked)
        return;
    if (rec.type >= m_schemaTyped.size())
        m_schemaTyped.resize(std::size_t(rec.type) + 1);
    m_schemaTyped[rec.type] = 1;
    const std::vector<DecodedBatch::SchemaBreach>& breaches = batch.schemaBreaches;
    while (cursor.nextBreach < breaches.size() && breaches[cursor.nextBreach].event < i)
        ++cursor.nextBreach;
    if (cursor.nextBreach >= breaches.size() || breaches[cursor.nextBreach].event != i)
        return;
    std::vector<std::string_view> keys;
    for (; cursor.nextBreach < breaches.size() && breaches[cursor.nextBreach].event == i; ++cursor.nextBreach) {
        const std::string& key = breaches[cursor.nextBreach].key;
        const auto [it, added] = m_breachKeyIds.try_emplace(key, quint32(m_breachKeys.size()));
        if (added)
            m_breachKeys.push_back(key);
        const std::string_view interned = m_breachKeys[it->second];
        if (std::find(keys.begin(), keys.end(), interned) != keys.end())
            continue; // an event counts once in a group
        keys.push_back(interned);
        m_breachLog.emplace_back(index, it->second);
    }
    m_schemaTracker.violated(rec.type, rec.source, basisTime(rec), index, keys);
    // the log holds stored events only: evicted ones go, now and then
    if (m_breachLog.size() >= 2 * std::max<std::size_t>(m_breachLogTrimmed, 4096)) {
        const quint32 first = m_store.first();
        const auto kept = std::find_if(
            m_breachLog.begin(), m_breachLog.end(), [&](const auto& b) { return b.first - first < 0x80000000u; });
        m_breachLog.erase(m_breachLog.begin(), kept);
        m_breachLogTrimmed = m_breachLog.size();
    }
}

quint8 Session::learnShape(const DecodedBatch& batch, quint64 hash, const EventRecord& rec, quint32 index)
{
    for (const DecodedBatch::ShapeDescription& d : batch.shapeDescriptions) {
        if (d.hash != hash)
            continue;
        std::vector<ShapeTracker::ShapeField> fields;
        fields.reserve(d.fields.size());
        for (const auto& [path, types] : d.fields)
            fields.push_back({ path, types });
        return m_shapeTracker.learn(rec.type, hash, fields, index, basisTime(rec), rec.source);
    }
    return m_shapeTracker.countUnknown(rec.type);
}

std::vector<std::string_view> Session::schemaBreachesOf(quint32 index) const
{
    std::vector<std::string_view> out;
    if (m_breachLog.empty() || !m_store.contains(index))
        return out;
    // the log is in event order from the oldest stored event on (older entries may still be there)
    const quint32 first = m_store.first();
    auto it = std::lower_bound(m_breachLog.begin(), m_breachLog.end(), index,
        [&](const auto& b, quint32 i) { return b.first - first >= 0x80000000u || b.first - first < i - first; });
    for (; it != m_breachLog.end() && it->first == index; ++it)
        out.push_back(m_breachKeys[it->second]);
    return out;
}

void Session::replaySchema(const EventRecord& rec, quint32 index)
{
    const bool checked = rec.type < m_schemaTyped.size() && m_schemaTyped[rec.type];
    m_schemaTracker.count(rec.type, checked);
    std::size_t& next = m_replay->nextBreach;
    const quint32 first = m_store.first();
    while (next < m_breachLog.size() && m_breachLog[next].first - first < index - first)
        ++next;
    std::vector<std::string_view> keys;
    for (; next < m_breachLog.size() && m_breachLog[next].first == index; ++next)
        keys.push_back(m_breachKeys[m_breachLog[next].second]);
    if (!keys.empty())
        m_schemaTracker.violated(rec.type, rec.source, basisTime(rec), index, keys);
}

void Session::countLink(quint32 effect)
{
    countLink(effect, m_store.parentDeltaAt(effect), m_store.typeAt(effect), m_store.receiveTimeAt(effect));
}

void Session::countLink(quint32 effect, qint32 parentDelta, quint16 type, qint64 receiveTimeUs)
{
    const quint32 parent = effect + quint32(parentDelta);
    if (parent == effect || !m_store.contains(parent))
        return;
    // the session time is the receive time (basisTime())
    m_flow.addLink(
        m_store.typeAt(parent), type, receiveTimeUs - m_store.receiveTimeAt(parent), m_flow.hasFailed(effect));
}

void Session::countFailed(quint32 target, quint32 current)
{
    if (m_reportsOnly)
        return; // restored with the flow (replayReports())
    if (!m_store.contains(target) || !m_flow.markFailed(target, m_store.first()))
        return;
    // the edge into it counts it now if its link is already counted, else when the link is (countLink())
    int cause = -1;
    const qint32 delta = m_store.parentDeltaAt(target);
    const quint32 parent = target + quint32(delta);
    const quint32 first = m_store.first();
    if (target != current && delta != 0 && m_store.contains(parent) && parent - first <= current - first)
        cause = m_store.typeAt(parent);
    m_flow.addFailure(m_store.typeAt(target), cause);
}

void Session::reportFound(quint64 entry, quint32 index)
{
    const EventRecord& target = m_store.at(index);
    m_retries.resolve(entry, index, target.type);
    RetryTracker::Entry* kept = m_retries.entry(entry);
    if (!kept)
        return;
    // a report without a chain of its own marks the chain of the event it is about
    RetryTracker::Entry& e = *kept;
    if (e.kind != RetryTracker::Retry)
        countFailed(index, index);
    // the report may have been dropped by the cap since (Config::exactBeyondCap): its place is kept
    RetryTracker::Place* place = m_retries.place(entry);
    const bool ownChain = m_store.contains(e.event) ? m_store.chainAt(e.event) != EventRecord::NoChain
                                                    : place && place->chainOpener != RetryTracker::NoChain;
    if (!ownChain && target.chain != EventRecord::NoChain) {
        markChain(target.chain, e.kind);
        if (place) {
            place->chainSlot = target.chain;
            place->chainOpener = m_chains.at(target.chain).opener;
        }
    }
}

bool Session::overCap() const
{
    if (m_config.memoryCapBytes == 0 || m_store.size() <= 2 * EventStore::ChunkSize) {
        m_evicting = false;
        return false;
    }
    // the indexes grow by doubling, at once: the room for their next growth is kept under the cap. And a
    // high and a low watermark: once over, events go until an eighth below it, since memory is freed a
    // chunk of 32,768 events at a time.
    const std::size_t cap = m_config.memoryCapBytes;
    const std::size_t needed = heapBytes() + m_store.growthBytes() + m_chains.growthBytes() + m_pending.growthBytes();
    m_evicting = needed > (m_evicting ? cap - cap / 8 : cap);
    return m_evicting;
}

void Session::enforceCap()
{
    while (overCap())
        evictSome(EventStore::ChunkSize);
}

void Session::evictSome(std::size_t maxEvents)
{
    if (m_replay)
        leaveReplay();
    // retire the oldest chunk's events in order (each is the oldest of its chain when it goes), then
    // drop the chunk; retired events stay readable until then but belong to no chain any more
    const quint32 first = m_store.first();
    const quint32 from = m_store.retired();
    const quint32 to = quint32(std::min<std::size_t>(EventStore::ChunkSize, from + maxEvents));
    if (m_recent)
        forgetEvicted(from, to);
    else if (m_config.exactBeyondCap)
        rememberEvicted(from, to);
    for (quint32 n = from; n < to; ++n) {
        const quint32 i = first + n;
        if (n + 8 < to && m_store.chainAt(i + 8) != EventRecord::NoChain)
            m_chains.prefetchChain(m_store.chainAt(i + 8)); // chains are scattered
        const quint32 chain = m_store.chainAt(i);
        if (!(m_store.flagsAt(i) & EventRecord::NotAnEvent) && chain != EventRecord::NoChain)
            m_chains.dropOldest(chain, i, m_store);
        m_store.setChain(i, EventRecord::NoChain);
    }
    m_store.retireIds(to - from);
    if (to < EventStore::ChunkSize)
        return;
    m_blockLatest = {}; // counts from the first event ever: no use once it has gone
    m_store.dropOldestChunk();
    // references from events that are gone: forget them (their counts stay), or keep awaiting them
    const bool exact = m_config.exactBeyondCap;
    const bool estimated = m_recent != nullptr;
    m_pending.dropEvicted(m_store, [this, exact, estimated](const PendingRefs::Ref& p) {
        if (estimated) {
            // nothing more is kept for them: an orphan stays counted, a report's event unknown
        } else if (exact && p.kind == PendingRefs::Cause) {
            const quint32 waiting = m_awaitedCauses.find(p.key);
            m_awaitedCauses.set(p.key, waiting == UuidIndex::NotFound ? 1 : waiting + 1);
        } else if (exact) {
            m_awaitedTargets.emplace(p.key, p.entry);
        } else if (p.kind == PendingRefs::Cause) {
            --m_pendingCauses;
        }
    });
    m_retries.dropEvicted(m_store);
    m_flow.dropEvicted(m_store);
    m_evicted += EventStore::ChunkSize;
    if (exact && !m_recent && m_config.exactBeyondCapBytes > 0 && evictedHeapBytes() > m_config.exactBeyondCapBytes)
        beginEstimates();
}

void Session::beginEstimates()
{
    const std::size_t bound = m_config.exactBeyondCapBytes;
    m_recent = std::make_unique<RecentIds>(bound / 4 * 3);
    m_estimatedFrom = m_ingested;
    const bool cloudEvents = anyCloudEvents();
    m_store.forgetDropped([this, cloudEvents](const EventStore::Dropped& d) {
        m_recent->add(d.id);
        if (cloudEvents)
            m_recent->add(sourceKey(d.id, d.source));
    });
    m_chains.forgetDropped(m_recent.get(), ChainKeys);
    // reports: a quarter of the bound, those held included
    constexpr std::size_t ReportBytes = sizeof(RetryTracker::Entry) + sizeof(RetryTracker::Place);
    m_retries.limitEntries(bound / 4 / ReportBytes);
    // what was awaited stays awaited, and only shrinks: dropped events' reports are forgotten
    m_evictedReported = {};
}

void Session::forgetEvicted(quint32 from, quint32 to)
{
    const quint32 first = m_store.first();
    const bool cloudEvents = anyCloudEvents();
    for (quint32 n = from; n < to; ++n) {
        const quint32 i = first + n;
        if (n + 8 < to)
            m_recent->prefetch(m_store.idAt(i + 8));
        const Uuid id = m_store.idAt(i);
        m_recent->add(id);
        if (cloudEvents)
            m_recent->add(sourceKey(id, m_store.sourceAt(i)));
    }
}

void Session::rememberEvicted(quint32 from, quint32 to)
{
    const quint32 first = m_store.first();
    for (quint32 n = from; n < to; ++n) {
        const quint32 i = first + n;
        if (n + 8 < to && m_store.chainAt(i + 8) != EventRecord::NoChain)
            m_chains.prefetchChain(m_store.chainAt(i + 8));
        const quint32 chain = m_store.chainAt(i);
        m_store.keepDropped(i, chain != EventRecord::NoChain ? m_chains.at(chain).opener : EventStore::NotFound);
    }
    // the reports that counted them go on counting in what is kept of them
    for (const auto& [target, kinds] : m_retries.takeTargets(first + from, to - from))
        m_evictedReported[target] |= kinds;
}

void Session::resolveAwaited(quint32 index)
{
    const Uuid id = m_store.idAt(index);
    if (m_awaitedCauses.size() > 0) {
        if (const quint32 waiting = m_awaitedCauses.find(id); waiting != UuidIndex::NotFound) {
            m_pendingCauses -= waiting; // their effects are gone: only the count was waiting
            m_awaitedCauses.erase(id);
        }
    }
    if (!m_awaitedTargets.empty()) {
        const auto [begin, end] = m_awaitedTargets.equal_range(id);
        for (auto it = begin; it != end; ++it)
            reportFound(it->second, index);
        m_awaitedTargets.erase(begin, end);
    }
}

void Session::resolvePending(quint32 index)
{
    m_pending.resolve(m_store.idAt(index), m_store, [&](const PendingRefs::Ref& p) {
        if (p.kind == PendingRefs::Cause) {
            m_store.setParentDelta(p.event, qint32(index - p.event));
            causeFound(p.event);
            return;
        }
        reportFound(p.entry, index);
    });
}

void Session::applyTelemetry(quint32 index, const Telemetry& t)
{
    const EventRecord& rec = m_store.at(index);
    if (t.kind == Telemetry::BreakerStateChanged) {
        BreakerTransition tr;
        tr.timeUs = basisTime(rec);
        tr.from = BreakerTransition::parseState(t.from);
        tr.to = BreakerTransition::parseState(t.to);
        tr.failureCount = t.failureCount;
        tr.event = index;
        tr.reason = t.reason;
        m_breakers.apply(rec.origin(), t.breaker, std::move(tr));
        return;
    }
    RetryTracker::Entry entry;
    entry.kind = t.kind == Telemetry::RetryScheduled ? RetryTracker::Retry
        : t.kind == Telemetry::DeadLettered          ? RetryTracker::DeadLetter
                                                     : RetryTracker::Failure;
    entry.event = index;
    entry.attempt = t.attempt;
    entry.delayMs = t.delayMs;
    entry.handler = t.handler;
    entry.reason = t.reason;
    entry.breaker = m_retries.internBreaker(t.breaker);
    quint32 target = EventStore::NotFound;
    quint32 gone = EventStore::NotFound; // it came, and the cap has dropped it since (Config::exactBeyondCap)
    bool cameBefore = false; // the same, among the newest recentIds() holds: nothing is kept of it
    if (t.hasTarget) {
        target = m_store.findId(t.target);
        if (target == EventStore::NotFound && m_evicted > 0 && m_config.exactBeyondCap)
            gone = m_store.findAnyId(t.target);
        cameBefore = target == EventStore::NotFound && gone == EventStore::NotFound && m_recent
            && m_recent->contains(t.target);
    }
    if (!t.eventType.empty())
        entry.type = m_types.intern(t.eventType);
    else if (target != EventStore::NotFound)
        entry.type = m_store.typeAt(target);
    else if (gone != EventStore::NotFound)
        entry.type = m_store.dropped(gone)->type;
    if (target != EventStore::NotFound)
        entry.target = target;
    else if (gone != EventStore::NotFound)
        entry.target = gone;
    entry.typeAtReport = entry.type;
    const quint64 entryIndex = countReport(rec, std::move(entry), target, gone);
    if (t.hasTarget && target == EventStore::NotFound && gone == EventStore::NotFound && !cameBefore
        && entryIndex != RetryTracker::NoEntry)
        m_pending.add(t.target, index, PendingRefs::Target, entryIndex);
}

quint64 Session::countReport(const EventRecord& rec, RetryTracker::Entry entry, quint32 target, quint32 gone)
{
    // a report marks its own chain, else the chain of the event it is about, when that is known
    const RetryTracker::Kind kind = entry.kind;
    const quint32 current = entry.event;
    m_problemRates[kind].add(basisTime(rec));
    if (kind == RetryTracker::DeadLetter)
        m_retries.logDeadLetter(basisTime(rec), current);
    if (target != EventStore::NotFound && kind != RetryTracker::Retry)
        countFailed(target, current);
    RetryTracker::Place place;
    if (m_config.exactBeyondCap) {
        place.timeUs = basisTime(rec);
        place.origin = rec.origin();
        const quint32 chain = rec.chain != EventRecord::NoChain ? rec.chain
            : target != EventStore::NotFound                    ? m_store.chainAt(target)
                                                                : EventRecord::NoChain;
        if (chain != EventRecord::NoChain) {
            place.chainSlot = chain;
            place.chainOpener = m_chains.at(chain).opener;
        } else if (gone != EventStore::NotFound) {
            place.chainOpener = m_store.dropped(gone)->opener;
        }
    }
    quint64 id;
    if (gone != EventStore::NotFound)
        id = m_retries.add(std::move(entry), m_store.dropped(gone)->type, &m_evictedReported[gone], &place);
    else
        id = m_retries.add(
            std::move(entry), target != EventStore::NotFound ? m_store.typeAt(target) : 0, nullptr, &place);
    if (rec.chain != EventRecord::NoChain)
        markChain(rec.chain, kind);
    else if (target != EventStore::NotFound)
        markChain(m_store.chainAt(target), kind);
    return id;
}

void Session::markChain(quint32 chain, RetryTracker::Kind kind)
{
    if (m_reportsOnly)
        return; // restored with the chains (replayReports())
    if (chain == EventRecord::NoChain)
        return;
    Chain& c = m_chains.at(chain);
    (kind == RetryTracker::Retry ? c.retries : kind == RetryTracker::DeadLetter ? c.deadLetters : c.failures)++;
}

bool Session::isTerminal(quint16 type)
{
    if (type >= m_terminal.size())
        m_terminal.resize(std::size_t(type) + 1, -1);
    if (m_terminal[type] < 0) {
        const std::string_view text = m_types.view(type);
        m_terminal[type] = std::any_of(m_config.terminalTypes.begin(), m_config.terminalTypes.end(),
            [text](const std::string& glob) { return globMatch(glob, text); });
    }
    return m_terminal[type] == 1;
}

void Session::addMalformed(const MalformedRecord& m)
{
    ++m_malformedCount;
    if (m_firstMalformed.size() < 100)
        m_firstMalformed.push_back(m);
    m_recentMalformed.push_back(m);
    while (m_recentMalformed.size() > m_config.maxMalformedKept)
        m_recentMalformed.pop_front();
}

std::size_t Session::evictedHeapBytes() const
{
    // a multimap node: the pair, a next pointer and a cached hash; and a bucket
    return m_store.keptBytes() + m_chains.droppedHeapBytes() + m_awaitedCauses.heapBytes()
        + (m_recent ? m_recent->bytes() : 0) + m_retries.pastCount() * sizeof(RetryTracker::Entry)
        + m_retries.places().size() * sizeof(RetryTracker::Place)
        + m_evictedReported.size() * (sizeof(std::pair<quint32, quint8>) + 2 * sizeof(void*))
        + m_evictedReported.bucket_count() * sizeof(void*)
        + m_awaitedTargets.size() * (sizeof(std::pair<Uuid, quint64>) + 2 * sizeof(void*))
        + m_awaitedTargets.bucket_count() * sizeof(void*);
}

std::size_t Session::heapBytes() const
{
    // the per-event parts; pending references and retry entries are estimated by their count
    return m_store.heapBytes() + m_chains.heapBytes() + m_pending.heapBytes()
        + (m_retries.entries().size() - m_retries.pastCount()) * sizeof(RetryTracker::Entry) + m_retries.heapBytes()
        + m_flow.heapBytes() + m_stages.heapBytes() + m_schemaTracker.heapBytes() + m_shapeTracker.heapBytes()
        + m_shapeLog.capacity() + m_consumers.heapBytes() + m_breachLog.capacity() * sizeof(m_breachLog[0]);
}

void Session::expectEvents(std::size_t events)
{
    if (m_recent)
        return; // estimated(): the indexes hold only the stored events and chains, under the cap
    m_store.expectIds(events);
    if (m_ingested >= 4096)
        m_chains.expect(std::size_t(double(m_chains.createdCount()) / double(m_ingested) * double(events)));
}

std::shared_ptr<void> Session::compact()
{
    return std::make_shared<std::array<std::shared_ptr<void>, 3>>(
        std::array { m_store.dropIdIndex(), m_chains.dropIndex(), m_stages.compact() });
}

void Session::restoreStages()
{
    // each live chain's stage state again, from its stored events (compact() freed them)
    std::vector<std::pair<quint16, qint64>> events;
    for (quint32 c = 0; c < m_chains.size(); ++c) {
        if (!m_chains.alive(c))
            continue;
        events.clear();
        for (const quint32 e : m_chains.members(c, m_store))
            events.emplace_back(m_store.typeAt(e), m_store.receiveTimeAt(e));
        m_stages.restore(c, m_chains.at(c).opener, events);
    }
    m_stages.restored();
}

bool Session::canReplay() const
{
    // every figure is rebuilt from what is kept: nothing may have been dropped
    const bool replayed = m_replay && m_replay->whole;
    const BreakerTracker& breakers = replayed ? m_replay->breakers : m_breakers;
    for (std::size_t b = 0; b < breakers.size(); ++b) {
        if (breakers.at(b).droppedHistory > 0)
            return false;
    }
    const RetryTracker& retries = replayed ? m_replay->retries : m_retries;
    return m_evicted == 0 && m_store.first() == 0 && retries.dropped() == 0 && breakers.overflowed() == 0
        && m_types.overflowed() == 0 && m_malformedMarks.size() <= MaxMalformedMarks
        && m_skewedMarks.size() <= MaxMalformedMarks;
}

void Session::startReplay()
{
    // the whole session as taken in: the figures are those of all its events, shown
    auto replay = std::make_unique<Replay>();
    collectTransitions(*replay, m_breakers);
    replay->firstMalformed = m_firstMalformed;
    replay->recentMalformed = m_recentMalformed;
    replay->malformedCount = m_malformedCount;
    replay->shown = m_store.storedCount();
    replay->nextTransition = replay->transitions.size();
    replay->nextEntry = m_retries.entries().size();
    replay->nextBreach = m_breachLog.size();
    m_replay = std::move(replay);
}

void Session::collectTransitions(Replay& replay, const BreakerTracker& breakers)
{
    replay.transitions.clear();
    for (std::size_t b = 0; b < breakers.size(); ++b) {
        if (breakers.at(b).merged)
            continue; // made again from its members' transitions
        const std::vector<BreakerTransition>& history = breakers.at(b).history;
        for (std::size_t t = 0; t < history.size(); ++t)
            replay.transitions.push_back({ history[t].event, quint32(b), quint32(t) });
    }
    std::sort(replay.transitions.begin(), replay.transitions.end(),
        [](const Replay::Transition& a, const Replay::Transition& b) { return a.event < b.event; });
}

std::shared_ptr<void> Session::leaveReplay()
{
    // the whole session again (its figures are rebuilt), and what comes next is taken in as ever
    replayTo(m_store.storedCount());
    std::shared_ptr<void> held(std::move(m_replay));
    m_shapeTracker.setShown(ShapeTracker::NoEvent);
    m_consumers.showUntil(ConsumerTracker::NoLimit);
    return held;
}

void Session::rewindReplay()
{
    // the whole session's reports, kept (moved, not copied) the first time the replay goes back
    if (!m_replay->whole) {
        m_replay->retries = std::move(m_retries);
        m_replay->breakers = std::move(m_breakers);
        m_replay->whole = true;
    }
    // every figure as before the first event; names (types, sources, origins) keep their ids
    m_rates = RateTracker(m_config.rateSeconds);
    for (RateSeries& series : m_problemRates)
        series = RateSeries(m_config.rateSeconds);
    m_originRates.clear();
    m_lastOriginRate = nullptr;
    m_lastOrigin = 0;
    m_chains.rewind();
    m_breakers = BreakerTracker();
    m_retries = RetryTracker(m_config.maxReports);
    m_gaps = GapTracker();
    m_flow = FlowTracker();
    m_stages.clear();
    m_schemaTracker.clear();
    m_shapeTracker.rewind();
    m_pendingCauses = 0;
    m_duplicates = 0;
    m_ingested = 0;
    m_firstTimeUs = 0;
    m_lastTimeUs = 0;
    m_busTimes = BusTimeTracker();
    m_replay->shown = 0;
    m_replay->nextTransition = 0;
    m_replay->nextEntry = 0;
    m_replay->nextBreach = 0;
    m_replay->waits = {};
}

void Session::replayTo(quint32 count)
{
    if (!canReplay())
        return;
    if (!m_replay)
        startReplay();
    count = std::min(count, m_store.storedCount());
    if (count < m_replay->shown)
        rewindReplay();
    const quint32 first = m_store.first();
    m_store.setShown(count); // the events taken in again are the store's (contains()) while they are
    replayRange(first + m_replay->shown, first + count);
    m_replay->shown = count;
    m_shapeTracker.setShown(first + count);
    // the consumers as their last samples before the playhead said (all of them at the end)
    m_consumers.showUntil(count == m_store.storedCount() ? ConsumerTracker::NoLimit : m_lastTimeUs);

    // the clock-skewed events of the batches taken in by then
    const auto skewMark = std::upper_bound(m_skewedMarks.begin(), m_skewedMarks.end(), count,
        [](quint32 c, const std::pair<quint32, quint64>& m) { return c < m.first; });
    m_skewedCount = skewMark == m_skewedMarks.begin() ? 0 : std::prev(skewMark)->second;
    // the malformed records of the batches taken in by then
    const auto mark = std::upper_bound(m_malformedMarks.begin(), m_malformedMarks.end(), count,
        [](quint32 c, const std::pair<quint32, quint64>& m) { return c < m.first; });
    m_malformedCount = mark == m_malformedMarks.begin() ? 0 : std::prev(mark)->second;
    m_firstMalformed.assign(m_replay->firstMalformed.begin(),
        m_replay->firstMalformed.begin() + std::min<std::size_t>(m_replay->firstMalformed.size(), m_malformedCount));
    // the recent ones kept of the whole session that had come by then
    m_recentMalformed.clear();
    const quint64 recentFirst = m_replay->malformedCount - m_replay->recentMalformed.size();
    for (quint64 n = recentFirst; n < m_malformedCount; ++n)
        m_recentMalformed.push_back(m_replay->recentMalformed[std::size_t(n - recentFirst)]);
    while (m_recentMalformed.size() > m_config.maxMalformedKept)
        m_recentMalformed.pop_front();
}

void Session::replayRange(quint32 from, quint32 to)
{
    // what ingestSome() does for each event, in the same order, with ids, chains and causes read from
    // the records instead of looked up
    Replay& replay = *m_replay;
    for (quint32 index = from; index != to; ++index) {
        if (index + 8 < to && m_store.chainAt(index + 8) != EventRecord::NoChain)
            m_chains.prefetchChain(m_store.chainAt(index + 8));
        const EventRecord& rec = m_store.at(index);
        ++m_ingested;
        if (rec.has(EventRecord::Duplicate))
            ++m_duplicates;
        if (rec.chain != EventRecord::NoChain) {
            m_chains.count(rec.chain, index, chainTime(rec));
            countEnd(rec);
            m_stages.add(rec.chain, m_chains.at(rec.chain).opener, rec.type, basisTime(rec));
        }
        // what waited for this event: effects for their cause, reports for their event
        while (!replay.waits.empty() && replay.waits.top().at == index) {
            const Wait w = replay.waits.top();
            replay.waits.pop();
            if (w.target)
                reportFound(w.event, index);
            else
                causeFound(w.event);
        }
        // a cause not known at arrival: none, or one that came later (and was then resolved)
        if (rec.has(EventRecord::HasCausation) && rec.parentDelta >= 0) {
            countOrphan(rec);
            if (rec.parentDelta > 0)
                replay.waits.push({ index + quint32(rec.parentDelta), index, false });
        } else if (rec.has(EventRecord::HasCausation)) {
            countLink(index);
        }
        countTimes(rec, m_types.view(rec.type));
        if (m_schemasActive)
            replaySchema(rec, index);
        if (index < m_shapeLog.size())
            m_shapeTracker.recount(rec.type, m_shapeLog[index]);
        if (rec.has(EventRecord::Telemetry))
            replayReportsOf(rec, index);
    }
}

void Session::replayReportsOf(const EventRecord& rec, quint32 index)
{
    // its report, as applyTelemetry() made it then
    Replay& replay = *m_replay;
    const std::deque<RetryTracker::Entry>& entries = replay.retries.entries();
    while (
        replay.nextTransition < replay.transitions.size() && replay.transitions[replay.nextTransition].event == index) {
        const Replay::Transition& t = replay.transitions[replay.nextTransition++];
        const Breaker& breaker = replay.breakers.at(t.breaker);
        m_breakers.apply(breaker.origin, breaker.name, breaker.history[t.position]);
    }
    while (replay.nextEntry < entries.size() && entries[replay.nextEntry].event == index) {
        RetryTracker::Entry entry = entries[replay.nextEntry++];
        const bool knownThen = entry.target != RetryTracker::Unknown && entry.target <= index;
        const quint32 later = knownThen ? RetryTracker::Unknown : entry.target;
        if (!knownThen)
            entry.target = RetryTracker::Unknown;
        entry.type = entry.typeAtReport;
        entry.breaker = m_retries.internBreaker(replay.retries.breakerName(entry.breaker));
        const quint32 target = entry.target;
        const quint64 id = countReport(rec, std::move(entry), target);
        if (later != RetryTracker::Unknown)
            replay.waits.push({ later, quint32(id), true });
    }
}

void Session::replayReports(quint32 end)
{
    // the events that reported, and those their reports awaited, in order, as replayRange() takes them;
    // the figures a saved index restores (the flow's failures, the chains' reports) are not counted
    Replay& replay = *m_replay;
    const std::deque<RetryTracker::Entry>& entries = replay.retries.entries();
    m_reportsOnly = true;
    for (;;) {
        quint32 index = end;
        if (replay.nextTransition < replay.transitions.size())
            index = std::min(index, replay.transitions[replay.nextTransition].event);
        if (replay.nextEntry < entries.size())
            index = std::min(index, entries[replay.nextEntry].event);
        if (!replay.waits.empty())
            index = std::min(index, replay.waits.top().at);
        if (index >= end)
            break;
        while (!replay.waits.empty() && replay.waits.top().at == index) {
            const Wait w = replay.waits.top();
            replay.waits.pop();
            if (w.target)
                reportFound(w.event, index);
        }
        // (a report awaits a later event only: each turn takes a step)
        replayReportsOf(m_store.at(index), index);
    }
    m_reportsOnly = false;
}

quint32 Session::countUntil(qint64 timeUs) const
{
    const quint32 stored = m_store.storedCount();
    const quint32 first = m_store.first();
    quint32 from = 0;
    if (m_evicted == 0) {
        // the first block whose events reach past timeUs holds the first such event
        const auto block = std::upper_bound(m_blockLatest.begin(), m_blockLatest.end(), timeUs);
        from = quint32(block - m_blockLatest.begin()) * BlockSize;
    }
    for (quint32 i = from; i < stored; ++i) {
        if (basisTime(m_store.at(first + i)) > timeUs)
            return i;
    }
    return stored;
}
