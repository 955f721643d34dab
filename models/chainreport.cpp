// SPDX-License-Identifier: MIT
#include "chainreport.h"

#include "criticalpath.h"
#include "session.h"
#include "timestamp.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace {
QString json(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
} // namespace

QString ChainReport::eventId(const Session& s, quint32 event)
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

QString ChainReport::problemsOf(const Chain& chain)
{
    QStringList problems;
    if (chain.failures)
        problems << QStringLiteral("%1 failed").arg(chain.failures);
    if (chain.retries)
        problems << QStringLiteral("%1 retried").arg(chain.retries);
    if (chain.deadLetters)
        problems << QStringLiteral("%1 dead-lettered").arg(chain.deadLetters);
    return problems.isEmpty() ? QString() : QStringLiteral(" (") + problems.join(QStringLiteral(", ")) + u')';
}

/// One pass over the reports for the whole chain (one pass per event made a deep chain quadratic).
std::unordered_map<quint32, std::vector<const RetryTracker::Entry*>> ChainReport::reportsAbout(
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

namespace {
QString idOf(const Session& s, quint32 event) { return ChainReport::eventId(s, event); }

/// The chain's critical path as positions in `nodes`, with each hop's time (from its cause; the root's
/// from the chain's start) in microseconds.
std::vector<std::pair<int, qint64>> criticalHops(
    const Session& s, const Chain& chain, const std::vector<ChainNode>& nodes)
{
    std::unordered_map<quint32, int> position;
    position.reserve(nodes.size());
    for (std::size_t i = 0; i < nodes.size(); ++i)
        position.emplace(nodes[i].event, int(i));
    const auto timeOf = [&](int i) { return s.chainTime(s.store().at(nodes[std::size_t(i)].event)); };
    const auto parentOf = [&](int i) {
        const EventRecord& r = s.store().at(nodes[std::size_t(i)].event);
        if (r.parentDelta == 0)
            return -1;
        const auto it = position.find(nodes[std::size_t(i)].event + quint32(r.parentDelta));
        return it == position.end() ? -1 : it->second;
    };
    std::vector<std::pair<int, qint64>> hops;
    qint64 previous = chain.startUs;
    const auto counts = [&](int i) { return !s.store().at(nodes[std::size_t(i)].event).has(EventRecord::Duplicate); };
    for (int i : criticalPath(int(nodes.size()), timeOf, parentOf, counts)) {
        hops.emplace_back(i, timeOf(i) - previous);
        previous = timeOf(i);
    }
    return hops;
}

double sharePercent(qint64 hopUs, const Chain& chain)
{
    return chain.durationUs() > 0 ? 100.0 * double(std::max<qint64>(0, hopUs)) / double(chain.durationUs()) : 0.0;
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
    const auto reports = ChainReport::reportsAbout(s, nodes);
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
    // the critical path: ids in causal order, and on each of its events the hop's time and share
    QJsonArray path;
    for (const auto& [i, hopUs] : criticalHops(s, chain, nodes)) {
        path.append(idOf(s, nodes[std::size_t(i)].event));
        QJsonObject e = events.at(i).toObject();
        e[QStringLiteral("criticalHopMs")] = double(hopUs) / 1000.0;
        e[QStringLiteral("criticalHopPercent")] = std::round(sharePercent(hopUs, chain) * 10) / 10;
        events[i] = e;
    }
    return QJsonObject { { QStringLiteral("correlationId"), s.chains().idText(quint32(chainIndex)) },
        { QStringLiteral("events"), events }, { QStringLiteral("criticalPath"), path },
        { QStringLiteral("size"), double(chain.size) },
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
    out += problemsOf(chain) + u'\n';
    const std::vector<ChainNode> nodes = s.chains().tree(quint32(chainIndex), s.store());
    const auto reports = ChainReport::reportsAbout(s, nodes);
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
    // the critical path on one line: a long one shows its ends and says how long it is
    constexpr std::size_t Ends = 6;
    const auto path = criticalHops(s, chain, nodes);
    QStringList hops;
    for (std::size_t h = 0; h < path.size(); ++h) {
        if (path.size() > 2 * Ends && h == Ends)
            hops << QStringLiteral("... (%1 hops in all) ...").arg(path.size());
        if (path.size() > 2 * Ends && h >= Ends && h < path.size() - Ends)
            continue;
        const auto& [i, hopUs] = path[h];
        hops << QStringLiteral("%1 (+%2 s, %3 %)")
                    .arg(s.types().string(s.store().at(nodes[std::size_t(i)].event).type))
                    .arg(double(hopUs) / 1e6, 0, 'f', 3)
                    .arg(sharePercent(hopUs, chain), 0, 'f', 1);
    }
    if (!hops.isEmpty())
        out += QStringLiteral("Critical path: ") + hops.join(QStringLiteral(" -> ")) + u'\n';
    return out;
}
