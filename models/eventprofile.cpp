// SPDX-License-Identifier: MIT
#include "eventprofile.h"

#include <QStringList>

namespace {
struct Names
{
    const char* name;
    const char* title;
};
constexpr Names table[EventProfiles::Count]
    = { { "native", "EventScope native" }, { "cloudevents", "CloudEvents" }, { "eventstoredb", "EventStoreDB" },
          { "masstransit", "MassTransit" }, { "axon", "Axon" }, { "prooph", "prooph" }, { "custom", "custom fields" } };
} // namespace

QString EventProfiles::name(EventProfile p) { return QString::fromLatin1(table[int(p)].name); }

QString EventProfiles::title(EventProfile p) { return QString::fromLatin1(table[int(p)].title); }

bool EventProfiles::parse(const QString& text, EventProfile& out)
{
    for (int i = 0; i < Count; ++i) {
        if (text.compare(QLatin1String(table[i].name), Qt::CaseInsensitive) == 0) {
            out = EventProfile(i);
            return true;
        }
    }
    return false;
}

QString EventProfiles::names()
{
    QStringList out;
    for (const Names& n : table)
        out << QString::fromLatin1(n.name);
    return out.join(QStringLiteral(", "));
}
