// SPDX-License-Identifier: MIT
#include "sessionsummary.h"

#include "busurl.h"
#include "consumermodel.h"
#include "schemareport.h"
#include "session.h"
#include "timestamp.h"
#include "typestatsmodel.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <map>
namespace {

double percentOf(quint64 part, quint64 total)
{
    // the board's share, to one decimal as the board shows it
    return std::round(TypeStatsModel::sharePercent(part, total) * 10.0) / 10.0;
}

/// A type's events, and the shares of them that failed at least once and that were dead-lettered.
struct Shares
{
    quint64 events = 0;
    double failed = 0, deadLettered = 0;
};
Shares sharesOf(const Session& s, StringPool::Id type)
{
    const RateSeries* series = s.rates().type(type);
    Shares out;
    out.events = series ? series->total() : 0;
    out.failed = percentOf(s.retries().failedEventsForType(type), out.events);
    out.deadLettered = percentOf(s.retries().eventsForType(RetryTracker::DeadLetter, type), out.events);
    return out;
}

/// Per type: its events, the distinct ones that failed or were dead-lettered, and the reports
/// (attempts) about them. The shares are of events, so never above 100.
QJsonObject typeHealth(const Session& s)
{
    QJsonObject out;
    const RetryTracker& r = s.retries();
    for (std::size_t t = 0; t < s.types().size(); ++t) {
        const StringPool::Id type = StringPool::Id(t);
        const Shares shares = sharesOf(s, type);
        if (shares.events == 0)
            continue;
        out[s.types().string(type)] = QJsonObject {
            { QStringLiteral("events"), double(shares.events) },
            { QStringLiteral("failedEvents"), double(r.failedEventsForType(type)) },
            { QStringLiteral("failures"), double(r.countForType(RetryTracker::Failure, type)) },
            { QStringLiteral("retries"), double(r.countForType(RetryTracker::Retry, type)) },
            { QStringLiteral("deadLettered"), double(r.countForType(RetryTracker::DeadLetter, type)) },
            { QStringLiteral("failedPercent"), shares.failed },
            { QStringLiteral("deadLetteredPercent"), shares.deadLettered },
        };
    }
    return out;
}

/// Per source: its events and, where receive times are known, its time on the bus.
QJsonObject sourceTimes(const Session& s)
{
    QJsonObject out;
    const BusTimeTracker& times = s.busTimes();
    for (std::size_t i = 0; i < times.sourceCount(); ++i) {
        const quint16 source = quint16(i);
        if (times.events(source) == 0)
            continue;
        QJsonObject o { { QStringLiteral("events"), double(times.events(source)) },
            { QStringLiteral("timedEvents"), double(times.samples(source)) } };
        if (times.samples(source) > 0) {
            o[QStringLiteral("busTimeMedianMs")] = double(times.quantileUs(source, 0.5)) / 1000.0;
            o[QStringLiteral("busTimeP99Ms")] = double(times.quantileUs(source, 0.99)) / 1000.0;
        }
        out[s.sources().string(source)] = o;
    }
    return out;
}

std::map<QString, quint64> typeCounts(const Session& s)
{
    std::map<QString, quint64> out;
    for (std::size_t t = 0; t < s.types().size(); ++t) {
        const RateSeries* series = s.rates().type(StringPool::Id(t));
        if (series && series->total() > 0)
            out[s.types().string(StringPool::Id(t))] = series->total();
    }
    return out;
}

} // namespace

QJsonObject SessionSummary::toJson(const Session& s, const BlastRadius::Options& blast)
{
    QJsonObject o;
    o[QStringLiteral("events")] = double(s.eventCount());
    o[QStringLiteral("malformed")] = double(s.malformedCount());
    o[QStringLiteral("duplicates")] = double(s.duplicateCount());
    QJsonObject types;
    for (const auto& [name, count] : typeCounts(s))
        types[name] = double(count);
    o[QStringLiteral("types")] = types;
    o[QStringLiteral("typeHealth")] = typeHealth(s);
    o[QStringLiteral("sources")] = sourceTimes(s);
    QJsonObject profiles;
    for (int p = 0; p < EventProfiles::Count; ++p) {
        if (s.profileCounts()[std::size_t(p)] > 0)
            profiles[EventProfiles::name(EventProfile(p))] = double(s.profileCounts()[std::size_t(p)]);
    }
    o[QStringLiteral("profiles")] = profiles;
    o[QStringLiteral("chains")] = double(s.chains().createdCount());
    o[QStringLiteral("orphans")] = double(s.orphanCount());
    QJsonObject breakers;
    const BlastRadius radius(s, blast);
    for (std::size_t i = 0; i < s.breakers().size(); ++i) {
        const Breaker& b = s.breakers().at(i);
        if (b.merged)
            continue;
        QJsonObject entry = radius.toJson(s, i);
        entry[QStringLiteral("state")] = BreakerTransition::stateName(b.state());
        entry[QStringLiteral("transitions")] = double(b.transitionCount);
        breakers[s.breakerLabel(i)] = entry;
    }
    o[QStringLiteral("breakers")] = breakers;
    if (s.schemaRegistry())
        o[QStringLiteral("schemaViolations")] = SchemaReport::violations(s);
    o[QStringLiteral("retries")] = double(s.retries().count(RetryTracker::Retry));
    o[QStringLiteral("deadLettered")] = double(s.retries().count(RetryTracker::DeadLetter));
    o[QStringLiteral("handlerFailures")] = double(s.retries().count(RetryTracker::Failure));
    o[QStringLiteral("gaps")] = double(s.gaps().totalGaps());
    const QJsonArray losses = streamLosses(s);
    if (!losses.isEmpty())
        o[QStringLiteral("streamLosses")] = losses;
    if (s.eventCount() > 0) {
        o[QStringLiteral("firstTimestamp")] = Timestamp::toIso8601(s.firstEventTimeUs());
        o[QStringLiteral("lastTimestamp")] = Timestamp::toIso8601(s.lastEventTimeUs());
    } else {
        o[QStringLiteral("firstTimestamp")] = QJsonValue::Null;
        o[QStringLiteral("lastTimestamp")] = QJsonValue::Null;
    }
    QJsonArray malformed;
    for (const MalformedRecord& m : s.firstMalformed())
        malformed.append(m.describe(s.originName(m.position.origin)));
    o[QStringLiteral("malformedRecords")] = malformed;
    o[QStringLiteral("clockSkewed")] = double(s.clockSkewedCount());
    QJsonArray skewed;
    for (const MalformedRecord& m : s.firstClockSkewed())
        skewed.append(m.describe(s.originName(m.position.origin)));
    o[QStringLiteral("clockSkewedRecords")] = skewed;
    if (!s.consumers().consumers().empty())
        o[QStringLiteral("consumers")] = consumers(s);
    if (s.estimated())
        o[QStringLiteral("estimates")] = estimates(s);
    return o;
}

QJsonObject SessionSummary::estimates(const Session& s)
{
    const RecentIds& recent = *s.recentIds();
    return { { QStringLiteral("fromEvent"), double(s.estimatedFrom()) },
        { QStringLiteral("figures"),
            QJsonArray { QStringLiteral("duplicates"), QStringLiteral("orphans"), QStringLiteral("chains"),
                QStringLiteral("failedEvents"), QStringLiteral("blastRadius") } },
        { QStringLiteral("recentIdsBytes"), double(recent.bytes()) },
        { QStringLiteral("recentIdsReach"), double(recent.reach()) },
        { QStringLiteral("falsePositiveRate"), recent.falsePositiveRate() },
        { QStringLiteral("reportsCountedOnly"), double(s.retries().dropped()) } };
}

QJsonArray SessionSummary::streamLosses(const Session& s)
{
    QJsonArray list;
    for (const quint16 origin : s.gaps().origins()) {
        const quint64 missing = s.gaps().gaps(origin);
        const QString stream = BusUrl::streamOf(s.originName(origin));
        if (missing == 0 || stream.isEmpty())
            continue;
        QJsonArray ranges;
        for (const auto& [first, last] : s.gaps().missing(origin, 100))
            ranges.append(QJsonArray { qint64(first), qint64(last) });
        list.append(
            QJsonObject { { QStringLiteral("stream"), stream }, { QStringLiteral("origin"), s.originName(origin) },
                { QStringLiteral("missing"), qint64(missing) }, { QStringLiteral("ranges"), ranges } });
    }
    return list;
}

QJsonArray SessionSummary::consumers(const Session& s)
{
    QJsonArray list;
    for (const ConsumerTracker::Consumer& c : s.consumers().consumers()) {
        const ConsumerSample& last = c.last;
        const qint64 worstLagUs = ConsumerTracker::worstLagUs(c);
        const auto ms = [](qint64 us) { return us < 0 ? QJsonValue(QJsonValue::Null) : QJsonValue(us / 1000); };
        list.append(QJsonObject { { QStringLiteral("stream"), QString::fromStdString(last.stream) },
            { QStringLiteral("name"), QString::fromStdString(last.name) },
            { QStringLiteral("origin"), s.originName(last.origin) },
            { QStringLiteral("lastReported"),
                last.timeUs > 0 ? QJsonValue(Timestamp::toIso8601(last.timeUs)) : QJsonValue(QJsonValue::Null) },
            { QStringLiteral("lagMs"), ms(last.lagUs) }, { QStringLiteral("worstLagMs"), ms(worstLagUs) },
            { QStringLiteral("pending"), qint64(last.pending) },
            { QStringLiteral("ackPending"), qint64(last.ackPending) },
            { QStringLiteral("redelivered"), qint64(last.redelivered) },
            { QStringLiteral("waiting"), qint64(last.waiting) },
            { QStringLiteral("deliveredSeq"), qint64(last.deliveredSeq) },
            { QStringLiteral("ackFloorSeq"), qint64(last.ackFloorSeq) },
            { QStringLiteral("samples"), qint64(c.history.size()) } });
    }
    return list;
}

QString SessionSummary::toText(const Session& s, const BlastRadius::Options& blast)
{
    QString out;
    auto line = [&out](const QString& l) { out += l + u'\n'; };
    line(QStringLiteral("Events:        %1 (%2 duplicates)").arg(s.eventCount()).arg(s.duplicateCount()));
    line(QStringLiteral("Malformed:     %1").arg(s.malformedCount()));
    if (s.clockSkewedCount() > 0)
        line(QStringLiteral("Clock-skewed:  %1 (producer time not trusted: counted at their neighbours' time)")
                 .arg(s.clockSkewedCount()));
    QStringList decodedAs;
    for (int p = 0; p < EventProfiles::Count; ++p) {
        if (s.profileCounts()[std::size_t(p)] > 0)
            decodedAs << QStringLiteral("%1 %2")
                             .arg(EventProfiles::title(EventProfile(p)))
                             .arg(s.profileCounts()[std::size_t(p)]);
    }
    if (!decodedAs.isEmpty())
        line(QStringLiteral("Decoded as:    ") + decodedAs.join(QStringLiteral(", ")));
    if (s.eventCount() > 0) {
        line(QStringLiteral("Time range:    %1 .. %2")
                 .arg(Timestamp::toIso8601(s.firstEventTimeUs()), Timestamp::toIso8601(s.lastEventTimeUs())));
    }
    line(
        QStringLiteral("Chains:        %1 (%2 orphan causations)").arg(s.chains().createdCount()).arg(s.orphanCount()));
    if (s.evictedCount() > 0 && !s.config().exactBeyondCap)
        line(QStringLiteral("Dropped by the memory cap: %1 oldest events (counts and rates above include them)")
                 .arg(s.evictedCount()));
    if (s.estimated()) {
        line(QStringLiteral("Estimated:     from event %1 on: duplicates, orphans, chains, failed events, blast radius")
                 .arg(s.estimatedFrom()));
        line(QStringLiteral("               (exact counts outgrew their memory bound: an id is looked for among the "
                            "newest %1 only)")
                 .arg(s.recentIds()->reach()));
    }
    line(QStringLiteral("Retries:       %1").arg(s.retries().count(RetryTracker::Retry)));
    line(QStringLiteral("Dead letters:  %1").arg(s.retries().count(RetryTracker::DeadLetter)));
    line(QStringLiteral("Failures:      %1").arg(s.retries().count(RetryTracker::Failure)));
    line(QStringLiteral("Sequence gaps: %1").arg(s.gaps().totalGaps()));
    for (const QJsonValue& v : streamLosses(s)) {
        const QJsonObject loss = v.toObject();
        QStringList ranges;
        for (const QJsonValue& r : loss.value(QLatin1String("ranges")).toArray()) {
            const QJsonArray pair = r.toArray();
            ranges << (pair[0] == pair[1] ? QString::number(pair[0].toInteger())
                                          : QStringLiteral("%1-%2").arg(pair[0].toInteger()).arg(pair[1].toInteger()));
        }
        line(QStringLiteral("  %1 messages stream %2 no longer holds (its limits, a purge or a delete): seq %3")
                 .arg(loss.value(QLatin1String("missing")).toInteger())
                 .arg(loss.value(QLatin1String("stream")).toString(), ranges.join(QStringLiteral(", "))));
    }

    std::vector<std::pair<quint64, QString>> byCount;
    for (const auto& [name, count] : typeCounts(s))
        byCount.emplace_back(count, name);
    std::sort(byCount.begin(), byCount.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    line(QString());
    line(QStringLiteral("%1  %2  %3  %4")
             .arg(QStringLiteral("Type"), -44)
             .arg(QStringLiteral("Count"), 9)
             .arg(QStringLiteral("Failed %"), 8)
             .arg(QStringLiteral("Dead-lettered %")));
    for (const auto& [count, name] : byCount) {
        const int type = s.types().find(name.toStdString());
        const Shares shares = type < 0 ? Shares {} : sharesOf(s, StringPool::Id(type));
        line(QStringLiteral("%1  %2  %3  %4")
                 .arg(name, -44)
                 .arg(count, 9)
                 .arg(shares.failed, 8, 'f', 1)
                 .arg(shares.deadLettered, 15, 'f', 1));
    }

    if (s.breakers().size() > 0) {
        line(QString());
        line(QStringLiteral("%1  %2  %3  %4  %5")
                 .arg(QStringLiteral("Breaker"), -30)
                 .arg(QStringLiteral("State"), -10)
                 .arg(QStringLiteral("Transitions"))
                 .arg(QStringLiteral("Open periods"))
                 .arg(QStringLiteral("Affected chains")));
        const BlastRadius radius(s, blast);
        for (std::size_t i = 0; i < s.breakers().size(); ++i) {
            const Breaker& b = s.breakers().at(i);
            const BlastRadius::Breaker* r = radius.find(i);
            if (b.merged || !r)
                continue;
            line(QStringLiteral("%1  %2  %3  %4  %5")
                     .arg(s.breakerLabel(i), -30)
                     .arg(BreakerTransition::stateName(b.state()), -10)
                     .arg(b.transitionCount, 11)
                     .arg(r->periods.size(), 12)
                     .arg(r->affectedChains, 15));
            QStringList handlers;
            for (const BlastRadius::Handler& h : r->handlers)
                handlers << QStringLiteral("%1 (%2)").arg(
                    QString::fromStdString(h.name), BlastRadius::associationName(h.association));
            if (!handlers.isEmpty())
                line(QStringLiteral("  behind it: ") + handlers.join(QStringLiteral(", ")));
        }
    }
    if (!s.consumers().consumers().empty()) {
        line(QString());
        line(QStringLiteral("%1  %2  %3  %4  %5  %6")
                 .arg(QStringLiteral("Consumer (as last reported)"), -36)
                 .arg(QStringLiteral("Lag"), 10)
                 .arg(QStringLiteral("Worst lag"), 10)
                 .arg(QStringLiteral("Pending"), 10)
                 .arg(QStringLiteral("Awaiting ack"), 12)
                 .arg(QStringLiteral("Redelivered")));
        for (const ConsumerTracker::Consumer& c : s.consumers().consumers()) {
            line(QStringLiteral("%1  %2  %3  %4  %5  %6")
                     .arg(QString::fromStdString(c.last.stream + '/' + c.last.name), -36)
                     .arg(ConsumerModel::lagText(c.last.lagUs), 10)
                     .arg(ConsumerModel::lagText(ConsumerTracker::worstLagUs(c)), 10)
                     .arg(c.last.pending, 10)
                     .arg(c.last.ackPending, 12)
                     .arg(c.last.redelivered, 11));
        }
    }
    if (s.clockSkewedCount() > 0) {
        line(QString());
        const std::vector<MalformedRecord> skewed = s.firstClockSkewed();
        line(QStringLiteral("Clock-skewed events, counted at their neighbours' time (first %1 of %2):")
                 .arg(std::min<std::size_t>(skewed.size(), 10))
                 .arg(s.clockSkewedCount()));
        for (std::size_t i = 0; i < skewed.size() && i < 10; ++i)
            line(QStringLiteral("  ") + skewed[i].describe(s.originName(skewed[i].position.origin)));
    }
    if (s.malformedCount() > 0) {
        line(QString());
        line(QStringLiteral("Malformed records (first %1 of %2):")
                 .arg(std::min<std::size_t>(s.firstMalformed().size(), 10))
                 .arg(s.malformedCount()));
        for (std::size_t i = 0; i < s.firstMalformed().size() && i < 10; ++i) {
            const MalformedRecord& m = s.firstMalformed()[i];
            line(QStringLiteral("  ") + m.describe(s.originName(m.position.origin)));
        }
    }
    if (s.schemaRegistry()) {
        line(QString());
        out += SchemaReport::toText(s, {});
    }
    return out;
}

QString SessionSummary::whyNoEvents(const Session& s, qint64 bytesRead)
{
    if (s.eventCount() > 0)
        return {};
    if (s.malformedCount() == 0)
        return bytesRead == 0 ? QStringLiteral("0 events: the file is empty")
                              : QStringLiteral("0 events: the file holds no event record (only empty lines)");
    QString text = QStringLiteral("0 events: all %1 records are malformed").arg(s.malformedCount());
    if (!s.firstMalformed().empty()) {
        const MalformedRecord& m = s.firstMalformed().front();
        text += QStringLiteral("; the first: ") + m.describe(s.originName(m.position.origin));
    }
    return text;
}
