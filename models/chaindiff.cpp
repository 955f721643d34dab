// SPDX-License-Identifier: MIT
#include "chaindiff.h"

#include "chainreport.h"
#include "session.h"
#include "timestamp.h"

#include <QJsonArray>
#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace {
/// A chain's steps with its causation tree as lists of effects.
struct Side
{
    std::vector<ChainDiff::Step> steps;
    std::vector<std::vector<int>> effects; ///< per step, in time order
    std::vector<int> roots;
};

Side sideOf(const Session& s, quint32 chainIndex, const std::unordered_map<quint32, int>& reportKinds,
    std::size_t maxSteps, std::size_t& omitted)
{
    Side side;
    const Chain& chain = s.chains().at(chainIndex);
    std::vector<ChainNode> nodes = s.chains().tree(chainIndex, s.store());
    omitted = nodes.size() > maxSteps ? nodes.size() - maxSteps : 0;
    nodes.resize(nodes.size() - omitted); // a prefix of a depth-first order keeps every step's cause
    const auto reports = ChainReport::reportsAbout(s, nodes);
    side.steps.reserve(nodes.size());
    side.effects.resize(nodes.size());
    std::vector<int> ancestors; // the path from a root to the step before, one per depth
    for (const ChainNode& n : nodes) {
        const EventRecord& r = s.store().at(n.event);
        ChainDiff::Step step;
        step.event = n.event;
        step.type = r.type;
        step.depth = n.depth;
        step.offsetUs = s.chainTime(r) - chain.startUs;
        const int i = int(side.steps.size());
        ancestors.resize(std::min(ancestors.size(), std::size_t(std::max(0, n.depth))));
        if (n.depth == 0 || ancestors.empty()) {
            side.roots.push_back(i);
        } else {
            const int cause = ancestors.back();
            side.effects[std::size_t(cause)].push_back(i);
            step.hopUs = step.offsetUs - side.steps[std::size_t(cause)].offsetUs;
        }
        ancestors.push_back(i);
        for (const RetryTracker::Entry* e : reports.at(n.event)) {
            step.retries += e->kind == RetryTracker::Retry;
            step.failed |= e->kind == RetryTracker::Failure;
            step.deadLettered |= e->kind == RetryTracker::DeadLetter;
        }
        if (const auto k = reportKinds.find(n.event); k != reportKinds.end())
            step.reportKind = k->second;
        side.steps.push_back(step);
    }
    return side;
}

using Pairs = std::vector<std::pair<int, int>>;

/// Aligns two lists of steps by type: a longest common subsequence while `budget` cells of tables
/// last, then greedily (a step pairs with the first of its type within a window of the other side).
/// Unpaired steps come in time order where the alignment leaves the choice.
Pairs align(const std::vector<int>& x, const std::vector<int>& y, const Side& sx, const Side& sy, std::size_t& budget,
    bool& exact)
{
    const auto same = [&](std::size_t i, std::size_t j) {
        return sx.steps[std::size_t(x[i])].type == sy.steps[std::size_t(y[j])].type;
    };
    const auto xFirst = [&](std::size_t i, std::size_t j) {
        return sx.steps[std::size_t(x[i])].offsetUs <= sy.steps[std::size_t(y[j])].offsetUs;
    };
    Pairs out;
    out.reserve(std::max(x.size(), y.size()));
    std::size_t prefix = 0;
    while (prefix < x.size() && prefix < y.size() && same(prefix, prefix))
        ++prefix;
    std::size_t suffix = 0;
    while (
        suffix < x.size() - prefix && suffix < y.size() - prefix && same(x.size() - 1 - suffix, y.size() - 1 - suffix))
        ++suffix;
    for (std::size_t k = 0; k < prefix; ++k)
        out.emplace_back(x[k], y[k]);
    const std::size_t xEnd = x.size() - suffix, yEnd = y.size() - suffix;
    const std::size_t n = xEnd - prefix, m = yEnd - prefix;
    std::size_t i = prefix, j = prefix;
    if (n > 0 && m > 0 && n * m <= budget) {
        budget -= n * m;
        // lcs[a][b]: the longest common subsequence of x[prefix + a..] and y[prefix + b..]; it is at
        // most sqrt(maxCells) long, so 16 bits hold it
        const std::size_t w = m + 1;
        std::vector<quint16> lcs((n + 1) * w, 0);
        for (std::size_t a = n; a-- > 0;)
            for (std::size_t b = m; b-- > 0;)
                lcs[a * w + b] = same(prefix + a, prefix + b) ? quint16(lcs[(a + 1) * w + b + 1] + 1)
                                                              : std::max(lcs[(a + 1) * w + b], lcs[a * w + b + 1]);
        while (i < xEnd && j < yEnd) {
            const std::size_t a = i - prefix, b = j - prefix;
            if (same(i, j)) {
                out.emplace_back(x[i++], y[j++]);
            } else {
                const quint16 skipX = lcs[(a + 1) * w + b], skipY = lcs[a * w + b + 1];
                if (skipX > skipY || (skipX == skipY && xFirst(i, j)))
                    out.emplace_back(x[i++], -1);
                else
                    out.emplace_back(-1, y[j++]);
            }
        }
    } else if (n > 0 && m > 0) {
        exact = false;
        constexpr std::size_t Window = 32;
        while (i < xEnd && j < yEnd) {
            if (same(i, j)) {
                out.emplace_back(x[i++], y[j++]);
                continue;
            }
            std::size_t k = j + 1;
            while (k < yEnd && k <= j + Window && !same(i, k))
                ++k;
            if (k < yEnd && k <= j + Window) {
                while (j < k)
                    out.emplace_back(-1, y[j++]);
            } else {
                out.emplace_back(x[i++], -1);
            }
        }
    }
    // what is left on one side (after a table or a greedy walk, or because the other side was empty)
    while (i < xEnd && j < yEnd)
        out.emplace_back(xFirst(i, j) ? std::make_pair(x[i++], -1) : std::make_pair(-1, y[j++]));
    while (i < xEnd)
        out.emplace_back(x[i++], -1);
    while (j < yEnd)
        out.emplace_back(-1, y[j++]);
    for (std::size_t k = 0; k < suffix; ++k)
        out.emplace_back(x[xEnd + k], y[yEnd + k]);
    return out;
}

QString duration(qint64 us)
{
    const double abs = std::abs(double(us));
    if (abs < 1000)
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 1);
    if (abs < 1000000)
        return QStringLiteral("%1 ms").arg(double(us) / 1000.0, 0, 'f', 0);
    return QStringLiteral("%1 s").arg(double(us) / 1e6, 0, 'f', 2);
}

/// Per RetryTracker::Kind (Retry, DeadLetter, Failure): a report in words, and its JSON key.
struct ReportWords
{
    const char* words;
    const char* key;
};
constexpr ReportWords Reports[]
    = { { "a retry", "retry" }, { "a dead letter", "deadLetter" }, { "a handler failure", "failure" } };
static_assert(RetryTracker::Retry == 0 && RetryTracker::DeadLetter == 1 && RetryTracker::Failure == 2);

const ReportWords& reportOf(int kind) { return Reports[std::size_t(kind)]; }

const std::pair<ChainDiff::Mark, const char*> MarkNames[] = { { ChainDiff::OnlyA, "onlyA" },
    { ChainDiff::OnlyB, "onlyB" }, { ChainDiff::Slower, "slower" }, { ChainDiff::Faster, "faster" },
    { ChainDiff::MoreRetries, "moreRetries" }, { ChainDiff::FewerRetries, "fewerRetries" },
    { ChainDiff::FailedOnlyA, "failedOnlyA" }, { ChainDiff::FailedOnlyB, "failedOnlyB" },
    { ChainDiff::DeadLetteredOnlyA, "deadLetteredOnlyA" }, { ChainDiff::DeadLetteredOnlyB, "deadLetteredOnlyB" } };
} // namespace

ChainDiff ChainDiff::compare(const Session& s, quint32 chainA, quint32 chainB, Options options)
{
    ChainDiff d;
    d.m_chainA = chainA;
    d.m_chainB = chainB;
    d.m_thresholdUs = options.thresholdUs;
    // which events of the two chains are themselves reports, and of what
    std::unordered_map<quint32, int> reportKinds;
    for (const RetryTracker::Entry& e : s.retries().entries())
        if (s.store().contains(e.event)) {
            const quint32 chain = s.store().at(e.event).chain;
            if (chain == chainA || chain == chainB)
                reportKinds.emplace(e.event, int(e.kind));
        }
    const Side a = sideOf(s, chainA, reportKinds, options.maxSteps, d.m_omittedA);
    const Side b = sideOf(s, chainB, reportKinds, options.maxSteps, d.m_omittedB);
    d.m_a = a.steps;
    d.m_b = b.steps;

    std::size_t budget = options.maxCells;
    struct Task
    {
        int a, b, depth;
    };
    std::vector<Task> pending; // a stack, so a chain a million causes deep needs no recursion
    const auto push = [&pending](const Pairs& pairs, int depth) {
        for (auto it = pairs.rbegin(); it != pairs.rend(); ++it)
            pending.push_back({ it->first, it->second, depth });
    };
    const auto pushOneSide = [&pending](const std::vector<int>& effects, bool sideA, int depth) {
        for (auto it = effects.rbegin(); it != effects.rend(); ++it)
            pending.push_back({ sideA ? *it : -1, sideA ? -1 : *it, depth });
    };
    push(align(a.roots, b.roots, a, b, budget, d.m_exact), 0);
    d.m_rows.reserve(std::max(a.steps.size(), b.steps.size()));
    while (!pending.empty()) {
        const Task t = pending.back();
        pending.pop_back();
        Row row;
        row.a = t.a;
        row.b = t.b;
        row.depth = t.depth;
        d.mark(row);
        d.m_rows.push_back(row);
        if (t.a >= 0 && t.b >= 0)
            push(align(a.effects[std::size_t(t.a)], b.effects[std::size_t(t.b)], a, b, budget, d.m_exact), t.depth + 1);
        else if (t.a >= 0)
            pushOneSide(a.effects[std::size_t(t.a)], true, t.depth + 1);
        else
            pushOneSide(b.effects[std::size_t(t.b)], false, t.depth + 1);
    }
    return d;
}

void ChainDiff::mark(Row& row) const
{
    const Step* a = stepA(row);
    const Step* b = stepB(row);
    if (!a || !b) {
        row.marks = a ? OnlyA : OnlyB;
        return;
    }
    const qint64 delta = hopDeltaUs(row);
    if (delta > m_thresholdUs)
        row.marks |= Slower;
    else if (delta < -m_thresholdUs)
        row.marks |= Faster;
    if (b->retries > a->retries)
        row.marks |= MoreRetries;
    else if (b->retries < a->retries)
        row.marks |= FewerRetries;
    if (a->failed != b->failed)
        row.marks |= a->failed ? FailedOnlyA : FailedOnlyB;
    if (a->deadLettered != b->deadLettered)
        row.marks |= a->deadLettered ? DeadLetteredOnlyA : DeadLetteredOnlyB;
}

qint64 ChainDiff::hopDeltaUs(const Row& row) const
{
    const Step* a = stepA(row);
    const Step* b = stepB(row);
    return a && b && a->hopUs >= 0 && b->hopUs >= 0 ? b->hopUs - a->hopUs : 0;
}

ChainDiff::Counts ChainDiff::counts() const
{
    Counts c;
    for (const Row& r : m_rows) {
        c.aligned += r.a >= 0 && r.b >= 0;
        c.onlyA += (r.marks & OnlyA) != 0;
        c.onlyB += (r.marks & OnlyB) != 0;
        c.slower += (r.marks & Slower) != 0;
        c.faster += (r.marks & Faster) != 0;
        c.retryChanges += (r.marks & (MoreRetries | FewerRetries)) != 0;
        c.failureChanges += (r.marks & (FailedOnlyA | FailedOnlyB | DeadLetteredOnlyA | DeadLetteredOnlyB)) != 0;
    }
    return c;
}

QString ChainDiff::describe(const Row& row) const
{
    QStringList words;
    if (row.marks & (OnlyA | OnlyB)) {
        const bool inA = row.marks & OnlyA;
        const Step& step = inA ? *stepA(row) : *stepB(row);
        QString w = inA ? QStringLiteral("only in A") : QStringLiteral("only in B");
        if (step.reportKind >= 0)
            w += QStringLiteral(": ") + QLatin1String(reportOf(step.reportKind).words);
        words << w;
        if (step.failed)
            words << QStringLiteral("failed there");
        if (step.deadLettered)
            words << QStringLiteral("dead-lettered there");
        return words.join(QStringLiteral("; "));
    }
    const Step& a = *stepA(row);
    const Step& b = *stepB(row);
    if (row.marks & (Slower | Faster))
        words << QStringLiteral("%1 in B by %2 (%3 -> %4)")
                     .arg(row.marks & Slower ? QStringLiteral("slower") : QStringLiteral("faster"),
                         duration(std::abs(hopDeltaUs(row))), duration(a.hopUs), duration(b.hopUs));
    if (row.marks & (MoreRetries | FewerRetries)) {
        const int n = std::abs(b.retries - a.retries);
        words << QStringLiteral("%1 %2 %3 in B")
                     .arg(n)
                     .arg(row.marks & MoreRetries ? QStringLiteral("more") : QStringLiteral("fewer"))
                     .arg(n == 1 ? QStringLiteral("retry") : QStringLiteral("retries"));
    }
    if (row.marks & FailedOnlyA)
        words << QStringLiteral("failed only in A");
    if (row.marks & FailedOnlyB)
        words << QStringLiteral("failed only in B");
    if (row.marks & DeadLetteredOnlyA)
        words << QStringLiteral("dead-lettered only in A");
    if (row.marks & DeadLetteredOnlyB)
        words << QStringLiteral("dead-lettered only in B");
    return words.join(QStringLiteral("; "));
}

quint32 ChainDiff::typicalChain(const Session& s, quint32 like)
{
    const ChainTracker& chains = s.chains();
    if (like >= chains.size() || !chains.alive(like))
        return ChainTracker::None;
    const quint16 root = s.store().at(chains.at(like).first).type;
    std::vector<std::pair<qint64, quint32>> clean, others;
    for (quint32 c = 0; c < chains.size(); ++c) {
        if (c == like || !chains.alive(c))
            continue;
        const Chain& chain = chains.at(c);
        if (s.store().at(chain.first).type != root)
            continue;
        const bool isClean = chain.ends > 0 && chain.failures == 0 && chain.retries == 0 && chain.deadLetters == 0;
        (isClean ? clean : others).emplace_back(chain.durationUs(), c);
    }
    std::vector<std::pair<qint64, quint32>>& pool = clean.empty() ? others : clean;
    if (pool.empty())
        return ChainTracker::None;
    const auto median = pool.begin() + std::ptrdiff_t((pool.size() - 1) / 2);
    std::nth_element(pool.begin(), median, pool.end());
    return median->second;
}

QJsonObject ChainDiff::toJson(const Session& s) const
{
    const auto chainJson = [&s](quint32 c) {
        const Chain& chain = s.chains().at(c);
        return QJsonObject { { QStringLiteral("correlationId"), s.chains().idText(c) },
            { QStringLiteral("size"), double(chain.size) },
            { QStringLiteral("start"), Timestamp::toIso8601(chain.startUs) },
            { QStringLiteral("durationMs"), double(chain.durationUs()) / 1000.0 },
            { QStringLiteral("failures"), double(chain.failures) },
            { QStringLiteral("retries"), double(chain.retries) },
            { QStringLiteral("deadLetters"), double(chain.deadLetters) } };
    };
    const auto stepJson = [&s](const Step* step) -> QJsonValue {
        if (!step)
            return QJsonValue::Null;
        QJsonObject o { { QStringLiteral("id"), ChainReport::eventId(s, step->event) },
            { QStringLiteral("type"), s.types().string(step->type) },
            { QStringLiteral("offsetMs"), double(step->offsetUs) / 1000.0 } };
        if (step->hopUs >= 0)
            o[QStringLiteral("hopMs")] = double(step->hopUs) / 1000.0;
        if (step->retries > 0)
            o[QStringLiteral("retries")] = step->retries;
        if (step->failed)
            o[QStringLiteral("failed")] = true;
        if (step->deadLettered)
            o[QStringLiteral("deadLettered")] = true;
        if (step->reportKind >= 0)
            o[QStringLiteral("report")] = QLatin1String(reportOf(step->reportKind).key);
        return o;
    };
    QJsonArray rows;
    for (const Row& row : m_rows) {
        QJsonArray marks;
        for (const auto& [mark, name] : MarkNames)
            if (row.marks & mark)
                marks.append(QLatin1String(name));
        QJsonObject o { { QStringLiteral("depth"), row.depth }, { QStringLiteral("a"), stepJson(stepA(row)) },
            { QStringLiteral("b"), stepJson(stepB(row)) }, { QStringLiteral("marks"), marks } };
        if (row.a >= 0 && row.b >= 0 && stepA(row)->hopUs >= 0 && stepB(row)->hopUs >= 0)
            o[QStringLiteral("hopDeltaMs")] = double(hopDeltaUs(row)) / 1000.0;
        if (row.marks)
            o[QStringLiteral("difference")] = describe(row);
        rows.append(o);
    }
    const Counts c = counts();
    const QJsonObject summary { { QStringLiteral("aligned"), c.aligned }, { QStringLiteral("onlyA"), c.onlyA },
        { QStringLiteral("onlyB"), c.onlyB }, { QStringLiteral("slower"), c.slower },
        { QStringLiteral("faster"), c.faster }, { QStringLiteral("retryChanges"), c.retryChanges },
        { QStringLiteral("failureChanges"), c.failureChanges },
        { QStringLiteral("durationDeltaMs"),
            double(s.chains().at(m_chainB).durationUs() - s.chains().at(m_chainA).durationUs()) / 1000.0 } };
    return QJsonObject { { QStringLiteral("a"), chainJson(m_chainA) }, { QStringLiteral("b"), chainJson(m_chainB) },
        { QStringLiteral("thresholdMs"), double(m_thresholdUs) / 1000.0 }, { QStringLiteral("exact"), m_exact },
        { QStringLiteral("omittedA"), double(m_omittedA) }, { QStringLiteral("omittedB"), double(m_omittedB) },
        { QStringLiteral("summary"), summary }, { QStringLiteral("rows"), rows } };
}

QString ChainDiff::toText(const Session& s) const
{
    const auto heading = [&s](const char* name, quint32 c) -> QString {
        const Chain& chain = s.chains().at(c);
        QString line = QStringLiteral("%1: %2, %3 events over %4")
                           .arg(QLatin1String(name), s.chains().idText(c))
                           .arg(chain.size)
                           .arg(duration(chain.durationUs()));
        return line + ChainReport::problemsOf(chain) + u'\n';
    };
    QString out = heading("A", m_chainA) + heading("B", m_chainB);
    const Counts c = counts();
    out += QStringLiteral("%1 steps aligned, %2 only in A, %3 only in B, %4 slower and %5 faster in B by more than %6")
               .arg(c.aligned)
               .arg(c.onlyA)
               .arg(c.onlyB)
               .arg(c.slower)
               .arg(c.faster)
               .arg(duration(m_thresholdUs));
    if (!m_exact)
        out += QStringLiteral(" (too long to align exactly: the rest paired greedily)");
    out += u'\n';
    if (m_omittedA || m_omittedB)
        out += QStringLiteral("Not compared: the last %1 steps of A and %2 of B\n").arg(m_omittedA).arg(m_omittedB);
    constexpr int Width = 44;
    constexpr int MaxIndent = 16;
    const auto cell = [&](const Step* step, int depth) -> QString {
        if (!step)
            return QString(Width, u' ');
        const QString indent(std::min(depth, MaxIndent), u' ');
        const QString time = QStringLiteral(" +%1 s").arg(double(step->offsetUs) / 1e6, 0, 'f', 3);
        QString type = s.types().string(step->type);
        const int room = Width - int(indent.size()) - int(time.size());
        if (type.size() > room)
            type = type.left(std::max(1, room - 3)) + QStringLiteral("...");
        const QString name = indent + type;
        return name.leftJustified(Width - int(time.size()), u' ') + time;
    };
    out += QStringLiteral("  %1  %2  %3\n")
               .arg(QStringLiteral("A").leftJustified(Width, u' '), QStringLiteral("B").leftJustified(Width, u' '),
                   QStringLiteral("difference"));
    for (const Row& row : m_rows) {
        const QChar sign = row.marks & OnlyA ? u'<' : row.marks & OnlyB ? u'>' : row.marks ? u'!' : u' ';
        out += QString(sign) + u' ' + cell(stepA(row), row.depth) + QStringLiteral("  ") + cell(stepB(row), row.depth);
        if (row.marks)
            out += QStringLiteral("  ") + describe(row);
        out += u'\n';
    }
    return out;
}
