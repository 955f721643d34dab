// SPDX-License-Identifier: MIT
#include "schemareport.h"

#include "chainreport.h"
#include "schemaregistry.h"
#include "session.h"

#include <QDateTime>
#include <QJsonArray>
#include <QLocale>
#include <algorithm>
#include <cmath>

namespace {

QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QString timeText(qint64 us) { return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC).toString(Qt::ISODateWithMs); }

double percent(quint64 part, quint64 whole) { return whole ? std::round(1e4 * double(part) / double(whole)) / 100 : 0; }

QString exampleId(const Session& s, quint32 event)
{
    return event != SchemaTracker::NoEvent && s.store().contains(event) ? ChainReport::eventId(s, event) : QString();
}

} // namespace

QJsonObject SchemaReport::violations(const Session& s)
{
    QJsonObject out;
    const auto& types = s.schemas().types();
    for (std::size_t type = 0; type < types.size(); ++type) {
        const SchemaTracker::Type& t = types[type];
        if (t.checked == 0)
            continue;
        QJsonObject o;
        o[QStringLiteral("checked")] = double(t.checked);
        o[QStringLiteral("violating")] = double(t.violating);
        o[QStringLiteral("violatingPercent")] = percent(t.violating, t.checked);
        QJsonObject rules, examples;
        for (const SchemaTracker::Group& g : t.groups) {
            rules[text(g.key)] = double(g.events);
            if (const QString id = exampleId(s, g.example); !id.isEmpty())
                examples[text(g.key)] = id;
        }
        if (t.otherGroups)
            rules[QStringLiteral("(other rules)")] = double(t.otherGroups);
        o[QStringLiteral("rules")] = rules;
        if (t.violating) {
            o[QStringLiteral("examples")] = examples;
            o[QStringLiteral("firstViolation")] = timeText(t.firstUs);
            o[QStringLiteral("lastViolation")] = timeText(t.lastUs);
            QJsonObject sources;
            for (const auto& [source, events] : t.sources)
                sources[text(s.sources().view(source))] = double(events);
            if (t.otherSources)
                sources[QStringLiteral("(other sources)")] = double(t.otherSources);
            o[QStringLiteral("sources")] = sources;
        }
        out[text(s.types().view(quint16(type)))] = o;
    }
    return out;
}

QJsonObject SchemaReport::unchecked(const Session& s)
{
    QJsonObject out;
    const auto& types = s.schemas().types();
    for (std::size_t type = 0; type < types.size(); ++type)
        if (types[type].unchecked)
            out[text(s.types().view(quint16(type)))] = double(types[type].unchecked);
    return out;
}

QJsonObject SchemaReport::toJson(const Session& s, const QList<SchemaProblem>& problems)
{
    QJsonObject o;
    if (const auto& registry = s.schemaRegistry()) {
        o[QStringLiteral("schemas")] = registry->path();
        o[QStringLiteral("types")] = QJsonArray::fromStringList(registry->types());
    }
    QJsonArray broken;
    for (const SchemaProblem& p : problems)
        broken.append(QJsonObject { { QStringLiteral("file"), p.file }, { QStringLiteral("place"), p.place },
            { QStringLiteral("message"), p.message } });
    o[QStringLiteral("problems")] = broken;
    o[QStringLiteral("checked")] = double(s.schemas().checked());
    o[QStringLiteral("violating")] = double(s.schemas().violating());
    o[QStringLiteral("violations")] = violations(s);
    o[QStringLiteral("unchecked")] = unchecked(s);
    return o;
}

QString SchemaReport::toText(const Session& s, const QList<SchemaProblem>& problems)
{
    const QLocale c = QLocale::c();
    QString out;
    if (const auto& registry = s.schemaRegistry())
        out += QStringLiteral("Schemas from %1: %2 types\n").arg(registry->path()).arg(registry->types().size());
    for (const SchemaProblem& p : problems)
        out += QStringLiteral("  left out: %1\n").arg(p.describe());
    const SchemaTracker& tracker = s.schemas();
    out += QStringLiteral("%1 events checked, %2 violating (%3 %)\n")
               .arg(c.toString(tracker.checked()), c.toString(tracker.violating()))
               .arg(percent(tracker.violating(), tracker.checked()));
    const auto& types = tracker.types();
    // the types that broke their schema first, most violating events first; then the rest by name
    std::vector<std::size_t> order;
    for (std::size_t type = 0; type < types.size(); ++type)
        if (types[type].checked)
            order.push_back(type);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (types[a].violating != types[b].violating)
            return types[a].violating > types[b].violating;
        return s.types().view(quint16(a)) < s.types().view(quint16(b));
    });
    for (const std::size_t type : order) {
        const SchemaTracker::Type& t = types[type];
        out += QStringLiteral("%1: %2 checked, %3 violating (%4 %)")
                   .arg(text(s.types().view(quint16(type))), c.toString(t.checked), c.toString(t.violating))
                   .arg(percent(t.violating, t.checked));
        if (t.violating) {
            QStringList sources;
            for (const auto& [source, events] : t.sources)
                sources << QStringLiteral("%1 (%2)").arg(text(s.sources().view(source)), c.toString(events));
            out += QStringLiteral(", first %1, last %2, from %3")
                       .arg(timeText(t.firstUs), timeText(t.lastUs), sources.join(QLatin1String(", ")));
        }
        out += u'\n';
        std::vector<const SchemaTracker::Group*> groups;
        for (const SchemaTracker::Group& g : t.groups)
            groups.push_back(&g);
        std::stable_sort(groups.begin(), groups.end(), [](auto* a, auto* b) { return a->events > b->events; });
        for (const SchemaTracker::Group* g : groups) {
            out += QStringLiteral("  %1: %2 events").arg(text(g->key), c.toString(g->events));
            if (const QString id = exampleId(s, g->example); !id.isEmpty())
                out += QStringLiteral(", e.g. %1").arg(id);
            out += u'\n';
        }
        if (t.otherGroups)
            out += QStringLiteral("  (%1 breaches of further rules)\n").arg(c.toString(t.otherGroups));
    }
    QStringList without;
    for (std::size_t type = 0; type < types.size(); ++type)
        if (types[type].unchecked)
            without << QStringLiteral("%1 (%2)").arg(
                text(s.types().view(quint16(type))), c.toString(types[type].unchecked));
    if (!without.isEmpty())
        out += QStringLiteral("Without a schema (not checked): %1\n").arg(without.join(QLatin1String(", ")));
    return out;
}
