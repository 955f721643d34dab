// SPDX-License-Identifier: MIT
#include "session.h"

#include "eventfilter.h"

#include <algorithm>

Session::Session(Config config)
    : m_config(config)
    , m_types(config.maxTypes)
    , m_sources(config.maxSources)
    , m_origins(65535)
    , m_rates(config.rateSeconds)
    , m_problemRates { RateSeries(config.rateSeconds), RateSeries(config.rateSeconds), RateSeries(config.rateSeconds) }
{
    m_store.setSmoothGrowth(config.smoothGrowth);
    m_chains.setSmoothGrowth(config.smoothGrowth);
    m_pending.setSmoothGrowth(config.smoothGrowth);
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
    for (int k = 0; k < 3; ++k)
        std::swap(m_problemRates[k], fresh.m_problemRates[k]);
    std::swap(m_originRates, fresh.m_originRates);
    m_lastOriginRate = nullptr;
    m_lastOrigin = 0;
    std::swap(m_pending, fresh.m_pending);
    m_pendingCauses = 0;
    m_duplicates = 0;
    m_malformedCount = 0;
    m_firstMalformed.clear();
    m_recentMalformed.clear();
    m_ingested = 0;
    m_evicted = 0;
    m_evicting = false;
    m_firstTimeUs = 0;
    m_lastTimeUs = 0;
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
    if (!cursor.started) {
        cursor.started = true;
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

        const quint32 index = m_store.append(r);
        EventRecord& rec = m_store.at(index);
        if (e.rawExternal && e.rawExternal >= stableBegin && e.rawExternal + e.rawLength <= stableEnd) {
            rec.rawRef = RawStore::makeRef(quint16(stableChunk), quint64(e.rawExternal - stableBegin));
            m_store.rawStore().noteUse(quint16(stableChunk), index);
        } else {
            rec.rawRef = m_store.rawStore().append(batch.raw(e), index);
        }
        ++m_ingested;
        if (m_store.insertId(index) != index) {
            rec.setFlag(EventRecord::Duplicate);
            ++m_duplicates;
        } else if (m_pending.awaiting()) {
            resolvePending(index);
        }
        bool orphan = false;
        if (rec.has(EventRecord::HasCausation)) {
            const quint32 parent = m_store.findId(e.causation);
            if (parent != EventStore::NotFound && parent != index) {
                rec.parentDelta = qint32(parent - index); // indices wrap at 2^32: the difference does not
            } else {
                m_pending.add(e.causation, index, PendingRefs::Cause);
                ++m_pendingCauses;
                orphan = true;
            }
        }
        const qint64 basis = basisTime(rec);
        if (rec.has(EventRecord::HasCorrelation)) {
            rec.chain = m_chains.add(e.correlation, batch.view(e.correlationText), index, rec.eventTimeUs, m_store);
            Chain& chain = m_chains.at(rec.chain);
            // saturating 16-bit counts keep a chain in 64 bytes
            if (orphan && chain.orphans < 0xFFFF)
                ++chain.orphans;
            if (isTerminal(rec.type) && chain.ends < 0xFFFF)
                ++chain.ends;
        }
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
            m_firstTimeUs = m_lastTimeUs = rec.eventTimeUs;
        } else {
            m_firstTimeUs = std::min(m_firstTimeUs, rec.eventTimeUs);
            m_lastTimeUs = std::max(m_lastTimeUs, rec.eventTimeUs);
        }
        if (e.telemetry >= 0)
            applyTelemetry(index, batch.telemetry[std::size_t(e.telemetry)]);
    }
    cursor.next = count;
    if (count < batch.events.size())
        return false;
    for (const MalformedRecord& m : batch.malformed)
        addMalformed(m);
    return true;
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
    // retire the oldest chunk's events in order (each is the oldest of its chain when it goes), then
    // drop the chunk; retired events stay readable until then but belong to no chain any more
    const quint32 first = m_store.first();
    const quint32 from = m_store.retired();
    const quint32 to = quint32(std::min<std::size_t>(EventStore::ChunkSize, from + maxEvents));
    for (quint32 n = from; n < to; ++n) {
        const quint32 i = first + n;
        if (n + 8 < to && m_store.at(i + 8).chain != EventRecord::NoChain)
            m_chains.prefetchChain(m_store.at(i + 8).chain); // chains are scattered
        EventRecord& r = m_store.at(i);
        if (!r.has(EventRecord::Placeholder) && r.chain != EventRecord::NoChain)
            m_chains.dropOldest(r.chain, i, m_store);
        r.chain = EventRecord::NoChain;
    }
    m_store.retireIds(to - from);
    if (to < EventStore::ChunkSize)
        return;
    m_store.dropOldestChunk();
    // references from events that are gone: forget them (their counts stay)
    m_pending.dropEvicted(m_store, [this](const PendingRefs::Ref& p) {
        if (p.kind == PendingRefs::Cause)
            --m_pendingCauses;
    });
    m_retries.dropEvicted(m_store);
    m_evicted += EventStore::ChunkSize;
}

void Session::resolvePending(quint32 index)
{
    const EventRecord& target = m_store.at(index);
    m_pending.resolve(target.id, m_store, [&](const PendingRefs::Ref& p) {
        if (p.kind == PendingRefs::Cause) {
            EventRecord& effect = m_store.at(p.event);
            effect.parentDelta = qint32(index - p.event);
            --m_pendingCauses;
            // the effect is still stored, so its chain is alive and is the one it joined
            if (effect.chain != EventRecord::NoChain && m_chains.at(effect.chain).orphans > 0
                && m_chains.at(effect.chain).orphans < 0xFFFF)
                --m_chains.at(effect.chain).orphans;
            return;
        }
        m_retries.resolve(p.entry, index, target.type);
        const quint64 first = m_retries.firstId();
        if (p.entry >= first && p.entry - first < m_retries.entries().size()
            && m_store.at(p.event).chain == EventRecord::NoChain)
            markChain(target.chain, m_retries.entries()[std::size_t(p.entry - first)].kind);
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
        m_breakers.apply(t.breaker, std::move(tr));
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
    quint32 target = EventStore::NotFound;
    if (t.hasTarget)
        target = m_store.findId(t.target);
    if (!t.eventType.empty())
        entry.type = m_types.intern(t.eventType);
    else if (target != EventStore::NotFound)
        entry.type = m_store.at(target).type;
    if (target != EventStore::NotFound)
        entry.target = target;
    const RetryTracker::Kind kind = entry.kind;
    m_problemRates[kind].add(basisTime(rec));
    const quint64 entryIndex = m_retries.add(std::move(entry));
    if (rec.chain != EventRecord::NoChain)
        markChain(rec.chain, kind);
    else if (target != EventStore::NotFound)
        markChain(m_store.at(target).chain, kind);
    if (t.hasTarget && target == EventStore::NotFound && entryIndex != RetryTracker::NoEntry)
        m_pending.add(t.target, index, PendingRefs::Target, entryIndex);
}

void Session::markChain(quint32 chain, RetryTracker::Kind kind)
{
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

std::size_t Session::heapBytes() const
{
    // the per-event parts; pending references and retry entries are estimated by their count
    return m_store.heapBytes() + m_chains.heapBytes() + m_pending.heapBytes()
        + m_retries.entries().size() * sizeof(RetryTracker::Entry);
}
