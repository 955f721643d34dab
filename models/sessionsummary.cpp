// SPDX-License-Identifier: MIT
#include "sessionsummary.h"

#include "session.h"
#include "timestamp.h"
#include "typestatsmodel.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <map>
#include <unordered_map>

namespace {
QString json(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

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

QString idOf(const Session& s, quint32 event)
{
    const EventRecord& r = s.store().at(event);
    if (!r.has(EventRecord::IdHashed))
        return r.id.toString();
    // the id text is only in the raw bytes; the record keeps its hash
    const std::string_view raw = s.raw(event);
    const auto key = raw.find("\"id\"");
    if (key != std::string_view::npos) {
        const auto open = raw.find('"', raw.find(':', key) + 1);
        const auto close = raw.find('"', open + 1);
        if (open != std::string_view::npos && close != std::string_view::npos)
            return json(raw.substr(open + 1, close - open - 1));
    }
    return QStringLiteral("(hashed id)");
}

/// The reports (failures, retries, dead letters) about each event of a chain, in their order: one
/// pass over the reports for the whole chain (one pass per event made a deep chain quadratic).
std::unordered_map<quint32, std::vector<const RetryTracker::Entry*>> reportsAbout(
    const Session& s, const std::vector<ChainNode>& nodes)
{
    std::unordered_map<quint32, std::vector<const RetryTracker::Entry*>> out;
    out.reserve(nodes.size());
    for (const ChainNode& n : nodes)
        out.emplace(n.event, std::vector<const RetryTracker::Entry*>());
    for (const RetryTracker::Entry& e : s.retries().entries()) {
        const auto it = out.find(e.target);
        if (it != out.end())
            it->second.push_back(&e);
    }
    return out;
}

/// A report as fields: what a program reading `chain --json` needs, not a sentence to parse.
QJsonObject reportJson(const RetryTracker::Entry& e)
{
    QJsonObject o;
    switch (e.kind) {
    case RetryTracker::Retry:
        o[QStringLiteral("kind")] = QStringLiteral("retried");
        o[QStringLiteral("attempt")] = double(e.attempt);
        o[QStringLiteral("delayMs")] = double(e.delayMs);
        break;
    case RetryTracker::DeadLetter:
        o[QStringLiteral("kind")] = QStringLiteral("deadLettered");
        o[QStringLiteral("attempts")] = double(e.attempt);
        break;
    case RetryTracker::Failure:
        o[QStringLiteral("kind")] = QStringLiteral("failed");
        if (!e.handler.empty())
            o[QStringLiteral("handler")] = json(e.handler);
        break;
    }
    if (!e.reason.empty())
        o[QStringLiteral("reason")] = json(e.reason);
    return o;
}

/// Indentation stops growing at this depth; deeper lines say their depth instead (a chain a million
/// events deep prints a line per event, not a triangle of spaces).
constexpr int MaxIndentDepth = 32;

QString marker(const RetryTracker::Entry& e)
{
    switch (e.kind) {
    case RetryTracker::Retry:
        return QStringLiteral("[RETRY attempt %1 in %2 ms%3]")
            .arg(e.attempt)
            .arg(e.delayMs)
            .arg(e.reason.empty() ? QString() : QStringLiteral(": ") + json(e.reason));
    case RetryTracker::DeadLetter:
        return QStringLiteral("[DEAD-LETTERED after %1 attempts%2]")
            .arg(e.attempt)
            .arg(e.reason.empty() ? QString() : QStringLiteral(": ") + json(e.reason));
    case RetryTracker::Failure:
        return QStringLiteral("[FAILED in %1%2]")
            .arg(e.handler.empty() ? QStringLiteral("handler") : json(e.handler))
            .arg(e.reason.empty() ? QString() : QStringLiteral(": ") + json(e.reason));
    }
    return {};
}
} // namespace

QJsonObject SessionSummary::toJson(const Session& s)
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
    for (std::size_t i = 0; i < s.breakers().size(); ++i) {
        const Breaker& b = s.breakers().at(i);
        if (b.merged)
            continue;
        breakers[s.breakerLabel(i)]
            = QJsonObject { { QStringLiteral("state"), BreakerTransition::stateName(b.state()) },
                  { QStringLiteral("transitions"), double(b.transitionCount) } };
    }
    o[QStringLiteral("breakers")] = breakers;
    o[QStringLiteral("retries")] = double(s.retries().count(RetryTracker::Retry));
    o[QStringLiteral("deadLettered")] = double(s.retries().count(RetryTracker::DeadLetter));
    o[QStringLiteral("handlerFailures")] = double(s.retries().count(RetryTracker::Failure));
    o[QStringLiteral("gaps")] = double(s.gaps().totalGaps());
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
    return o;
}

QString SessionSummary::toText(const Session& s)
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
    if (s.evictedCount() > 0)
        line(QStringLiteral("Dropped by the memory cap: %1 oldest events (counts and rates above include them)")
                 .arg(s.evictedCount()));
    line(QStringLiteral("Retries:       %1").arg(s.retries().count(RetryTracker::Retry)));
    line(QStringLiteral("Dead letters:  %1").arg(s.retries().count(RetryTracker::DeadLetter)));
    line(QStringLiteral("Failures:      %1").arg(s.retries().count(RetryTracker::Failure)));
    line(QStringLiteral("Sequence gaps: %1").arg(s.gaps().totalGaps()));

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
        line(QStringLiteral("%1  %2  %3")
                 .arg(QStringLiteral("Breaker"), -30)
                 .arg(QStringLiteral("State"), -10)
                 .arg(QStringLiteral("Transitions")));
        for (std::size_t i = 0; i < s.breakers().size(); ++i) {
            const Breaker& b = s.breakers().at(i);
            if (b.merged)
                continue;
            line(QStringLiteral("%1  %2  %3")
                     .arg(s.breakerLabel(i), -30)
                     .arg(BreakerTransition::stateName(b.state()), -10)
                     .arg(b.transitionCount));
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

int ChainReport::findChain(const Session& s, const QString& correlationId)
{
    const QByteArray utf8 = correlationId.trimmed().toUtf8();
    const quint32 c = s.chains().find(std::string_view(utf8.constData(), std::size_t(utf8.size())));
    return c == ChainTracker::None ? -1 : int(c);
}

QJsonObject ChainReport::toJson(const Session& s, int chainIndex)
{
    const Chain& chain = s.chains().at(quint32(chainIndex));
    QJsonArray events;
    const std::vector<ChainNode> nodes = s.chains().tree(quint32(chainIndex), s.store());
    const auto reports = reportsAbout(s, nodes);
    for (const ChainNode& node : nodes) {
        const EventRecord& r = s.store().at(node.event);
        QJsonObject e;
        e[QStringLiteral("id")] = idOf(s, node.event);
        e[QStringLiteral("type")] = s.types().string(r.type);
        e[QStringLiteral("depth")] = node.depth;
        e[QStringLiteral("offsetMs")] = double(s.chainTime(r) - chain.startUs) / 1000.0;
        e[QStringLiteral("timestamp")] = Timestamp::toIso8601(r.eventTimeUs);
        if (r.parentDelta != 0 && s.store().contains(node.event + quint32(r.parentDelta)))
            e[QStringLiteral("causationId")] = idOf(s, node.event + quint32(r.parentDelta));
        else if (r.has(EventRecord::HasCausation))
            e[QStringLiteral("orphan")] = true;
        if (r.has(EventRecord::Duplicate))
            e[QStringLiteral("duplicate")] = true;
        QJsonArray marks;
        bool failed = false, retried = false, deadLettered = false;
        for (const RetryTracker::Entry* entry : reports.at(node.event)) {
            marks.append(reportJson(*entry));
            failed |= entry->kind == RetryTracker::Failure;
            retried |= entry->kind == RetryTracker::Retry;
            deadLettered |= entry->kind == RetryTracker::DeadLetter;
        }
        if (!marks.isEmpty()) {
            e[QStringLiteral("failed")] = failed;
            e[QStringLiteral("retried")] = retried;
            e[QStringLiteral("deadLettered")] = deadLettered;
            e[QStringLiteral("reports")] = marks;
        }
        events.append(e);
    }
    return QJsonObject { { QStringLiteral("correlationId"), s.chains().idText(quint32(chainIndex)) },
        { QStringLiteral("events"), events }, { QStringLiteral("size"), double(chain.size) },
        { QStringLiteral("start"), Timestamp::toIso8601(chain.startUs) },
        { QStringLiteral("durationMs"), double(chain.durationUs()) / 1000.0 },
        { QStringLiteral("retries"), double(chain.retries) }, { QStringLiteral("failures"), double(chain.failures) },
        { QStringLiteral("deadLetters"), double(chain.deadLetters) },
        { QStringLiteral("orphans"), s.chains().orphans(quint32(chainIndex), s.store()) } };
}

QString ChainReport::toText(const Session& s, int chainIndex)
{
    const Chain& chain = s.chains().at(quint32(chainIndex));
    QString out = QStringLiteral("Chain %1: %2 events over %3 s, starting %4")
                      .arg(s.chains().idText(quint32(chainIndex)))
                      .arg(chain.size)
                      .arg(double(chain.durationUs()) / 1e6, 0, 'f', 3)
                      .arg(Timestamp::toIso8601(chain.startUs));
    QStringList problems;
    if (chain.failures)
        problems << QStringLiteral("%1 failed").arg(chain.failures);
    if (chain.retries)
        problems << QStringLiteral("%1 retried").arg(chain.retries);
    if (chain.deadLetters)
        problems << QStringLiteral("%1 dead-lettered").arg(chain.deadLetters);
    if (!problems.isEmpty())
        out += QStringLiteral(" (") + problems.join(QStringLiteral(", ")) + u')';
    out += u'\n';
    const std::vector<ChainNode> nodes = s.chains().tree(quint32(chainIndex), s.store());
    const auto reports = reportsAbout(s, nodes);
    for (const ChainNode& node : nodes) {
        const EventRecord& r = s.store().at(node.event);
        const double offset = double(s.chainTime(r) - chain.startUs) / 1e6;
        const QString indent = node.depth <= MaxIndentDepth
            ? QString(node.depth * 2, u' ')
            : QString(MaxIndentDepth * 2, u' ') + QStringLiteral("[depth %1] ").arg(node.depth);
        QString line = QStringLiteral("%1 %2%3  %4")
                           .arg(QChar(offset >= 0 ? u'+' : u'-'))
                           .arg(std::abs(offset), 8, 'f', 3, QLatin1Char(' '))
                           .arg(QStringLiteral("s  ") + indent + s.types().string(r.type))
                           .arg(idOf(s, node.event));
        if (r.has(EventRecord::HasCausation) && r.parentDelta == 0)
            line += QStringLiteral("  [ORPHAN: cause not found]");
        if (r.has(EventRecord::Duplicate))
            line += QStringLiteral("  [DUPLICATE id]");
        for (const RetryTracker::Entry* entry : reports.at(node.event))
            line += QStringLiteral("  ") + marker(*entry);
        out += line + u'\n';
    }
    return out;
}
