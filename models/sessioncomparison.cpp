// SPDX-License-Identifier: MIT
#include "sessioncomparison.h"

#include "session.h"

#include <algorithm>
#include <cmath>
#include <map>

namespace SessionComparison {

bool differs(double a, double b, double noise)
{
    const double delta = std::abs(b - a);
    if (delta <= noise)
        return false;
    if (a == 0 || b == 0)
        return true;
    return delta / std::abs(a) >= 0.25; // a quarter of what it was before
}

QString change(const Figure& f)
{
    if (f.a == f.b)
        return QStringLiteral("=");
    if (f.a == 0)
        return QStringLiteral("new");
    const double pct = (f.b - f.a) / f.a * 100.0;
    return QStringLiteral("%1%2%")
        .arg(pct > 0 ? QStringLiteral("+") : QString())
        .arg(pct, 0, 'f', std::abs(pct) < 10 ? 1 : 0);
}

namespace {
    double span(const Session& s)
    {
        return s.eventCount() == 0 ? 0 : std::max(1.0, double(s.lastEventTimeUs() - s.firstEventTimeUs()) / 1e6);
    }

    struct Counts
    {
        double count = 0, failures = 0, retries = 0, deadLetters = 0;
    };

    std::map<QString, Counts> countsOf(const Session& s)
    {
        std::map<QString, Counts> out;
        for (std::size_t t = 1; t < s.types().size(); ++t) {
            const RateSeries* r = s.rates().type(quint16(t));
            const quint16 type = quint16(t);
            Counts c;
            c.count = r ? double(r->total()) : 0;
            c.failures = double(s.retries().countForType(RetryTracker::Failure, type));
            c.retries = double(s.retries().countForType(RetryTracker::Retry, type));
            c.deadLetters = double(s.retries().countForType(RetryTracker::DeadLetter, type));
            if (c.count + c.failures + c.retries + c.deadLetters > 0)
                out[s.types().string(type)] = c;
        }
        return out;
    }

    Figure figure(double a, double b, double noise) { return { a, b, differs(a, b, noise) }; }
} // namespace

Result compare(const Session& a, const Session& b)
{
    Result r;
    r.spanA = span(a);
    r.spanB = span(b);
    const std::map<QString, Counts> ca = countsOf(a), cb = countsOf(b);
    std::map<QString, std::pair<Counts, Counts>> both;
    for (const auto& [type, c] : ca)
        both[type].first = c;
    for (const auto& [type, c] : cb)
        both[type].second = c;
    for (const auto& [type, pair] : both) {
        const auto& [x, y] = pair;
        TypeRow row;
        row.type = type;
        const double rateA = r.spanA > 0 ? x.count / r.spanA : 0, rateB = r.spanB > 0 ? y.count / r.spanB : 0;
        // noise: a rate moving by less than one event in ten seconds, counts by fewer than five
        row.rate = figure(rateA, rateB, 0.1);
        row.count = figure(x.count, y.count, 5);
        row.failures = figure(x.failures, y.failures, 5);
        row.retries = figure(x.retries, y.retries, 5);
        row.deadLetters = figure(x.deadLetters, y.deadLetters, 5);
        r.types.push_back(row);
    }
    std::stable_sort(r.types.begin(), r.types.end(), [](const TypeRow& p, const TypeRow& q) {
        if (p.differs() != q.differs())
            return p.differs();
        return std::max(p.count.a, p.count.b) > std::max(q.count.a, q.count.b);
    });
    std::map<QString, std::pair<const Breaker*, const Breaker*>> breakers;
    for (std::size_t i = 0; i < a.breakers().size(); ++i)
        if (!a.breakers().at(i).merged)
            breakers[a.breakerLabel(i)].first = &a.breakers().at(i);
    for (std::size_t i = 0; i < b.breakers().size(); ++i)
        if (!b.breakers().at(i).merged)
            breakers[b.breakerLabel(i)].second = &b.breakers().at(i);
    for (const auto& [name, pair] : breakers) {
        BreakerRow row;
        row.name = name;
        const auto openOf = [](const Breaker* br, const Session& s) {
            return br ? double(br->openTimeUs(s.firstEventTimeUs(), s.lastEventTimeUs())) / 1e6 : 0.0;
        };
        row.transitions = figure(pair.first ? double(pair.first->transitionCount) : 0,
            pair.second ? double(pair.second->transitionCount) : 0, 0);
        row.openSeconds = figure(openOf(pair.first, a), openOf(pair.second, b), 1);
        r.breakers.push_back(row);
    }
    return r;
}

QString toText(const Result& r, const QString& nameA, const QString& nameB)
{
    QString out = QStringLiteral("A: %1 (%2 s)\nB: %3 (%4 s)\n\n")
                      .arg(nameA)
                      .arg(r.spanA, 0, 'f', 1)
                      .arg(nameB)
                      .arg(r.spanB, 0, 'f', 1);
    const auto cell = [](const Figure& f, int decimals) {
        return QStringLiteral("%1 -> %2 (%3)%4")
            .arg(f.a, 0, 'f', decimals)
            .arg(f.b, 0, 'f', decimals)
            .arg(change(f))
            .arg(f.differs ? QStringLiteral(" *") : QString());
    };
    out += QStringLiteral("Event types (events/s; failures; retries; dead letters), * = differs:\n");
    for (const TypeRow& t : r.types)
        out += QStringLiteral("%1 %2  rate %3  failures %4  retries %5  dead letters %6\n")
                   .arg(QChar(t.differs() ? u'*' : u' '))
                   .arg(t.type, -36)
                   .arg(cell(t.rate, 2), cell(t.failures, 0), cell(t.retries, 0), cell(t.deadLetters, 0));
    if (!r.breakers.empty()) {
        out += QStringLiteral("\nBreakers (transitions; seconds open):\n");
        for (const BreakerRow& b : r.breakers)
            out += QStringLiteral("%1 %2  transitions %3  open %4\n")
                       .arg(QChar(b.differs() ? u'*' : u' '))
                       .arg(b.name, -36)
                       .arg(cell(b.transitions, 0), cell(b.openSeconds, 1));
    }
    return out;
}

} // namespace SessionComparison
