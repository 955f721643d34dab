// SPDX-License-Identifier: MIT
#include "blastradius.h"

#include "session.h"
#include "timestamp.h"

#include <QJsonArray>
#include <algorithm>
#include <string_view>
#include <unordered_map>

namespace {
/// The periods a breaker was not closed: from a transition to open or half-open until the next to
/// closed (a transition to a state nobody knows neither starts nor ends one).
std::vector<BlastRadius::Period> periodsOf(const std::vector<BreakerTransition>& history, qint64 endUs)
{
    std::vector<BlastRadius::Period> out;
    bool inside = false;
    for (const BreakerTransition& t : history) {
        const bool notClosed = t.to == BreakerTransition::Open || t.to == BreakerTransition::HalfOpen;
        if (notClosed && !inside) {
            out.push_back({});
            out.back().fromUs = t.timeUs;
            inside = true;
        } else if (t.to == BreakerTransition::Closed && inside) {
            out.back().toUs = t.timeUs;
            inside = false;
        }
    }
    if (inside) {
        out.back().toUs = std::max(endUs, out.back().fromUs);
        out.back().ongoing = true;
    }
    return out;
}

int periodHolding(const std::vector<BlastRadius::Period>& periods, qint64 timeUs, qint64 graceUs)
{
    // the latest period that began by then: a report in one period's grace and the next's start
    // belongs to the later one
    const auto after = std::upper_bound(
        periods.begin(), periods.end(), timeUs, [](qint64 t, const BlastRadius::Period& p) { return t < p.fromUs; });
    if (after == periods.begin())
        return -1;
    const auto p = std::prev(after);
    return timeUs <= p->toUs + graceUs ? int(p - periods.begin()) : -1;
}

struct Report
{
    qint64 timeUs = 0;
    quint16 origin = 0;
    RetryTracker::Kind kind = RetryTracker::Failure;
    bool hasChain = false;
    BlastRadius::ChainRef chain;
    std::string_view handler, breaker;
};
} // namespace

BlastRadius::BlastRadius(const Session& s, const Options& options)
    : m_graceUs(options.graceUs)
{
    const BreakerTracker& tracker = s.breakers();
    const EventStore& store = s.store();
    const ChainTracker& chains = s.chains();
    m_byIndex.assign(tracker.size(), -1);
    for (std::size_t i = 0; i < tracker.size(); ++i) {
        if (tracker.at(i).merged)
            continue;
        Breaker b;
        b.index = i;
        b.periods = periodsOf(tracker.at(i).history, s.lastEventTimeUs());
        m_byIndex[i] = int(m_breakers.size());
        m_breakers.push_back(std::move(b));
    }
    if (m_breakers.empty())
        return;

    // the handler and breaker the failures about each event name
    const std::deque<RetryTracker::Entry>& entries = s.retries().entries();
    std::unordered_map<quint32, std::pair<std::string_view, std::string_view>> named;
    for (const RetryTracker::Entry& e : entries)
        if (e.kind == RetryTracker::Failure && e.target != RetryTracker::Unknown
            && (!e.handler.empty() || e.breaker != 0))
            named[e.target] = { e.handler, s.retries().breakerName(e.breaker) };
    // every report still held, at its session time, in the chain of its event (or of the event it is about)
    std::vector<Report> reports;
    reports.reserve(entries.size());
    const std::deque<RetryTracker::Place>& places = s.retries().places(); // Config::exactBeyondCap
    const bool placed = places.size() == entries.size();
    quint32 walking = EventStore::NotFound; // the chunk of the last report's event, handed back once left
    for (std::size_t k = 0; k < entries.size(); ++k) {
        const RetryTracker::Entry& e = entries[k];
        const RetryTracker::Place* place = placed ? &places[k] : nullptr;
        if (walking != EventStore::NotFound && e.event / EventStore::ChunkSize != walking / EventStore::ChunkSize)
            store.releaseRecordPagesOf(walking);
        walking = e.event;
        Report report;
        report.kind = e.kind;
        if (store.contains(e.event)) {
            const EventRecord& r = store.at(e.event);
            report.timeUs = s.basisTime(r);
            report.origin = r.origin();
            quint32 chain = r.chain;
            if (chain == EventRecord::NoChain && e.target != RetryTracker::Unknown && store.contains(e.target))
                chain = store.at(e.target).chain;
            if (chain != EventRecord::NoChain && chain < chains.size() && chains.alive(chain)) {
                report.hasChain = true;
                report.chain = { chain, chains.at(chain).opener };
            } else if (place && r.chain == EventRecord::NoChain && place->chainOpener != RetryTracker::NoChain) {
                report.hasChain = true; // the chain of the event it is about, which the cap has dropped
                report.chain = { place->chainSlot, place->chainOpener };
            }
        } else if (place) {
            // the cap dropped the report: its place was kept
            report.timeUs = place->timeUs;
            report.origin = place->origin;
            report.hasChain = place->chainOpener != RetryTracker::NoChain;
            report.chain = { place->chainSlot, place->chainOpener };
        } else {
            continue;
        }
        report.handler = e.handler;
        report.breaker = s.retries().breakerName(e.breaker);
        if ((report.handler.empty() || report.breaker.empty()) && e.target != RetryTracker::Unknown) {
            if (const auto it = named.find(e.target); it != named.end()) {
                if (report.handler.empty())
                    report.handler = it->second.first;
                if (report.breaker.empty())
                    report.breaker = it->second.second;
            }
        }
        reports.push_back(report);
    }

    // learned: a handler's failures (naming no breaker) mostly inside one breaker's periods, same origin
    std::map<std::pair<quint16, std::string_view>, std::vector<qint64>> failureTimes;
    for (const Report& r : reports)
        if (r.kind == RetryTracker::Failure && r.breaker.empty() && !r.handler.empty())
            failureTimes[{ r.origin, r.handler }].push_back(r.timeUs);
    std::map<std::pair<quint16, std::string_view>, int> learned;
    for (const auto& [key, times] : failureTimes) {
        int best = -1;
        quint64 bestInside = 0;
        for (std::size_t b = 0; b < m_breakers.size(); ++b) {
            if (tracker.at(m_breakers[b].index).origin != key.first)
                continue;
            quint64 inside = 0;
            for (qint64 t : times)
                inside += periodHolding(m_breakers[b].periods, t, m_graceUs) >= 0;
            if (inside > bestInside)
                best = int(b), bestInside = inside;
        }
        if (best >= 0 && bestInside >= 3 && 2 * bestInside > times.size()) {
            learned[key] = best;
            m_breakers[std::size_t(best)].handlers.push_back(
                { std::string(key.second), Association::Learned, quint64(times.size()), bestInside });
        }
    }

    const auto handlerOf = [](Breaker& b, std::string_view name, Association how) -> Handler& {
        for (Handler& h : b.handlers)
            if (h.name == name)
                return h;
        b.handlers.push_back({ std::string(name), how, 0, 0 });
        return b.handlers.back();
    };
    for (const Report& r : reports) {
        int position = -1;
        Association how = Association::None;
        if (!r.breaker.empty()) {
            const int i = tracker.find(r.origin, r.breaker);
            position = i >= 0 ? m_byIndex[std::size_t(i)] : -1;
            how = Association::Field;
        } else if (!r.handler.empty()) {
            if (const auto l = learned.find({ r.origin, r.handler }); l != learned.end()) {
                position = l->second;
                how = Association::Learned;
            } else if (const auto m = options.mapping.find(std::string(r.handler)); m != options.mapping.end()) {
                const int i = tracker.find(r.origin, m->second);
                position = i >= 0 ? m_byIndex[std::size_t(i)] : -1;
                how = Association::Mapping;
            }
        }
        if (position < 0)
            continue;
        Breaker& b = m_breakers[std::size_t(position)];
        const int p = periodHolding(b.periods, r.timeUs, m_graceUs);
        if (how != Association::Learned && !r.handler.empty() && r.kind == RetryTracker::Failure) {
            Handler& h = handlerOf(b, r.handler, how);
            ++h.failures;
            h.inside += p >= 0;
        }
        if (p < 0)
            continue;
        Period& period = b.periods[std::size_t(p)];
        if (r.hasChain)
            period.chains.push_back(r.chain);
        period.failures += r.kind == RetryTracker::Failure;
        period.retries += r.kind == RetryTracker::Retry;
        period.deadLetters += r.kind == RetryTracker::DeadLetter;
    }
    for (Breaker& b : m_breakers) {
        std::vector<ChainRef> all;
        for (Period& p : b.periods) {
            std::sort(p.chains.begin(), p.chains.end());
            p.chains.erase(std::unique(p.chains.begin(), p.chains.end()), p.chains.end());
            all.insert(all.end(), p.chains.begin(), p.chains.end());
        }
        std::sort(all.begin(), all.end());
        b.affectedChains = std::size_t(std::unique(all.begin(), all.end()) - all.begin());
        std::sort(
            b.handlers.begin(), b.handlers.end(), [](const Handler& x, const Handler& y) { return x.name < y.name; });
    }
}

const BlastRadius::Breaker* BlastRadius::find(std::size_t index) const
{
    return index < m_byIndex.size() && m_byIndex[index] >= 0 ? &m_breakers[std::size_t(m_byIndex[index])] : nullptr;
}

int BlastRadius::periodAt(std::size_t index, qint64 timeUs) const
{
    const Breaker* b = find(index);
    return b ? periodHolding(b->periods, timeUs, m_graceUs) : -1;
}

std::vector<BlastRadius::ChainRef> BlastRadius::chains(std::size_t index, int period) const
{
    const Breaker* b = find(index);
    if (!b || period >= int(b->periods.size()))
        return {};
    if (period >= 0)
        return b->periods[std::size_t(period)].chains;
    std::vector<ChainRef> all;
    for (const Period& p : b->periods)
        all.insert(all.end(), p.chains.begin(), p.chains.end());
    std::sort(all.begin(), all.end());
    all.erase(std::unique(all.begin(), all.end()), all.end());
    return all;
}

QString BlastRadius::associationName(Association a)
{
    switch (a) {
    case Association::Field:
        return QStringLiteral("field");
    case Association::Learned:
        return QStringLiteral("learned");
    case Association::Mapping:
        return QStringLiteral("mapping");
    case Association::None:
        break;
    }
    return QStringLiteral("none");
}

QJsonObject BlastRadius::toJson(const Session&, std::size_t index) const
{
    const Breaker* b = find(index);
    if (!b)
        return {};
    QJsonArray periods;
    for (const Period& p : b->periods)
        periods.append(QJsonObject { { QStringLiteral("from"), Timestamp::toIso8601(p.fromUs) },
            { QStringLiteral("to"),
                p.ongoing ? QJsonValue(QJsonValue::Null) : QJsonValue(Timestamp::toIso8601(p.toUs)) },
            { QStringLiteral("affectedChains"), double(p.chains.size()) },
            { QStringLiteral("failures"), double(p.failures) }, { QStringLiteral("retries"), double(p.retries) },
            { QStringLiteral("deadLetters"), double(p.deadLetters) } });
    QJsonArray handlers;
    for (const Handler& h : b->handlers)
        handlers.append(QJsonObject { { QStringLiteral("handler"), QString::fromStdString(h.name) },
            { QStringLiteral("association"), associationName(h.association) },
            { QStringLiteral("failures"), double(h.failures) },
            { QStringLiteral("failuresInPeriods"), double(h.inside) } });
    return QJsonObject { { QStringLiteral("affectedChains"), double(b->affectedChains) },
        { QStringLiteral("openPeriods"), periods }, { QStringLiteral("handlers"), handlers } };
}
