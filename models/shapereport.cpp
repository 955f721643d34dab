// SPDX-License-Identifier: MIT
#include "shapereport.h"

#include "chainreport.h"
#include "jsonschema.h"
#include "session.h"
#include "timestamp.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLocale>
#include <algorithm>
#include <cmath>
#include <functional>
#include <map>

namespace {

QString text(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

QJsonArray typeList(quint8 types)
{
    QJsonArray out;
    for (const QString& t : QString::fromStdString(ShapeTracker::typeNames(types)).split(QLatin1Char('|')))
        out.append(t);
    return out;
}

const char* kindName(ShapeTracker::Change::Kind k)
{
    return k == ShapeTracker::Change::Added ? "added" : k == ShapeTracker::Change::Removed ? "removed" : "type";
}

/// The payload as a whole is the field ""; listed only when it is not simply an object.
bool listed(const ShapeTracker::Field& f) { return !f.path.empty() || f.types != ShapeTracker::Object; }

QString eventId(const Session& s, quint32 event)
{
    return event != ShapeTracker::NoEvent && s.store().contains(event) ? ChainReport::eventId(s, event) : QString();
}

double percent(quint64 part, quint64 whole) { return whole ? std::round(1e4 * double(part) / double(whole)) / 100 : 0; }

} // namespace

QJsonObject ShapeReport::toJson(const Session& s)
{
    QJsonObject types;
    const auto& all = s.shapes().types();
    for (std::size_t type = 0; type < all.size(); ++type) {
        const ShapeTracker::Type& t = all[type];
        if (t.events == 0)
            continue;
        QJsonObject fields;
        for (std::size_t f = 0; f < s.shapes().fieldsShown(quint16(type)); ++f) {
            if (!listed(t.fields[f]))
                continue;
            fields[text(t.fields[f].path)]
                = QJsonObject { { QStringLiteral("types"), typeList(s.shapes().typesShown(quint16(type), f)) },
                      { QStringLiteral("presentPercent"), percent(s.shapes().present(quint16(type), f), t.events) } };
        }
        QJsonArray changes;
        for (std::size_t i = 0; i < s.shapes().changesShown(quint16(type)); ++i) {
            const ShapeTracker::Change& c = t.changes[i];
            changes.append(QJsonObject { { QStringLiteral("path"), text(t.fields[c.field].path) },
                { QStringLiteral("kind"), QLatin1String(kindName(c.kind)) },
                { QStringLiteral("from"), c.from ? QJsonValue(text(ShapeTracker::typeNames(c.from))) : QJsonValue() },
                { QStringLiteral("to"), c.to ? QJsonValue(text(ShapeTracker::typeNames(c.to))) : QJsonValue() },
                { QStringLiteral("firstEventId"), eventId(s, c.event) },
                { QStringLiteral("at"), Timestamp::toIso8601(c.timeUs) },
                { QStringLiteral("source"), text(s.sources().view(c.source)) } });
        }
        QJsonObject o { { QStringLiteral("events"), double(t.events) }, { QStringLiteral("fields"), fields },
            { QStringLiteral("changes"), changes } };
        if (t.unlearned)
            o[QStringLiteral("unlearnedEvents")] = double(t.unlearned);
        if (t.truncated)
            o[QStringLiteral("truncated")] = true;
        types[text(s.types().view(quint16(type)))] = o;
    }
    return QJsonObject { { QStringLiteral("types"), types } };
}

QString ShapeReport::toText(const Session& s)
{
    const QLocale c = QLocale::c();
    QString out;
    const auto& all = s.shapes().types();
    std::vector<quint16> order;
    for (std::size_t type = 0; type < all.size(); ++type)
        if (all[type].events)
            order.push_back(quint16(type));
    // the types that changed first, then by name
    const ShapeTracker& shapes = s.shapes();
    std::sort(order.begin(), order.end(), [&](quint16 a, quint16 b) {
        if ((shapes.changesShown(a) == 0) != (shapes.changesShown(b) == 0))
            return shapes.changesShown(a) != 0;
        return s.types().view(a) < s.types().view(b);
    });
    for (const quint16 type : order) {
        const ShapeTracker::Type& t = all[type];
        const std::size_t seen = std::size_t(
            std::count_if(t.shapes.begin(), t.shapes.end(), [](const ShapeTracker::Shape& x) { return x.events; }));
        out += QStringLiteral("%1: %2 events, %3 shapes")
                   .arg(text(s.types().view(type)), c.toString(t.events))
                   .arg(seen);
        const std::size_t changes = shapes.changesShown(type);
        if (changes)
            out += QStringLiteral(", %1 changes").arg(changes);
        out += u'\n';
        for (std::size_t i = 0; i < changes; ++i) {
            const ShapeTracker::Change& ch = t.changes[i];
            const QString path = text(t.fields[ch.field].path);
            const QString what = ch.kind == ShapeTracker::Change::Added
                ? QStringLiteral("%1 added (%2)").arg(path, text(ShapeTracker::typeNames(ch.to)))
                : ch.kind == ShapeTracker::Change::Removed
                ? QStringLiteral("%1 no longer sent").arg(path)
                : QStringLiteral("%1 %2 -> %3")
                      .arg(path, text(ShapeTracker::typeNames(ch.from)), text(ShapeTracker::typeNames(ch.to)));
            out += QStringLiteral("  %1  %2 from %3")
                       .arg(Timestamp::toIso8601(ch.timeUs), what, text(s.sources().view(ch.source)));
            if (const QString id = eventId(s, ch.event); !id.isEmpty())
                out += QStringLiteral(", first %1").arg(id);
            out += u'\n';
        }
        for (std::size_t f = 0; f < shapes.fieldsShown(type); ++f)
            if (listed(t.fields[f]))
                out += QStringLiteral("    %1  %2  %3 %\n")
                           .arg(text(t.fields[f].path), text(ShapeTracker::typeNames(shapes.typesShown(type, f))))
                           .arg(percent(s.shapes().present(type, f), t.events));
    }
    return out;
}

QJsonObject ShapeReport::jsonSchema(const Session& s, quint16 type)
{
    const auto& all = s.shapes().types();
    QJsonObject root { { QStringLiteral("$schema"), QStringLiteral("http://json-schema.org/draft-07/schema#") },
        { QStringLiteral("title"), text(s.types().view(type)) },
        { QStringLiteral("$comment"), QStringLiteral("Learned by EventScope from the events: review before use") } };
    if (type >= all.size())
        return root;
    const ShapeTracker::Type& t = all[type];
    // a node per path, from the root down; written out recursively at the end
    struct NodeInfo
    {
        quint8 types = 0;
        bool always = false;
    };
    std::map<std::string, NodeInfo> nodes;
    for (std::size_t f = 0; f < s.shapes().fieldsShown(type); ++f)
        nodes[t.fields[f].path] = { s.shapes().typesShown(type, f), s.shapes().present(type, f) == t.events };
    const auto schemaTypes = [](quint8 types) {
        QJsonArray names;
        if (types & ShapeTracker::Object)
            names.append(QStringLiteral("object"));
        if (types & ShapeTracker::Array)
            names.append(QStringLiteral("array"));
        if (types & ShapeTracker::String)
            names.append(QStringLiteral("string"));
        if (types & ShapeTracker::Number)
            names.append(QStringLiteral("number"));
        else if (types & ShapeTracker::Integer)
            names.append(QStringLiteral("integer"));
        if (types & ShapeTracker::Boolean)
            names.append(QStringLiteral("boolean"));
        if (types & ShapeTracker::Null)
            names.append(QStringLiteral("null"));
        return names.size() == 1 ? names.at(0) : QJsonValue(names);
    };
    std::function<QJsonObject(const std::string&)> build = [&](const std::string& path) {
        QJsonObject o;
        const NodeInfo info = nodes[path];
        o[QStringLiteral("type")] = schemaTypes(info.types);
        if (info.types & ShapeTracker::Object) {
            QJsonObject properties;
            QJsonArray required;
            const std::string prefix = path + '/';
            for (const auto& [p, child] : nodes) {
                if (p.size() <= prefix.size() || p.compare(0, prefix.size(), prefix) != 0
                    || p.find('/', prefix.size()) != std::string::npos || p.substr(prefix.size()) == "*")
                    continue;
                QString name = text(std::string_view(p).substr(prefix.size()));
                name.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"), QLatin1String("~"));
                properties[name] = build(p);
                if (child.always && path.empty())
                    required.append(name);
            }
            o[QStringLiteral("properties")] = properties;
            if (!required.isEmpty())
                o[QStringLiteral("required")] = required;
        }
        if ((info.types & ShapeTracker::Array) && nodes.count(path + "/*"))
            o[QStringLiteral("items")] = build(path + "/*");
        return o;
    };
    if (!nodes.count(std::string()))
        return root;
    const QJsonObject body = build(std::string());
    for (auto it = body.begin(); it != body.end(); ++it)
        root[it.key()] = it.value();
    return root;
}

QString ShapeReport::schemaFileName(std::string_view type)
{
    QString name;
    name.reserve(qsizetype(type.size()) + 12);
    for (const char c : type) {
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.'
            || c == '_' || c == '-';
        name += plain ? QChar::fromLatin1(c) : QChar(u'_');
    }
    if (name.isEmpty() || name.startsWith(u'.'))
        name.prepend(u'_');
    return name + QStringLiteral(".schema.json");
}

bool ShapeReport::writeSchema(const Session& session, quint16 type, const QString& file, QString* error)
{
    QFile out(file);
    if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)
        || out.write(QJsonDocument(jsonSchema(session, type)).toJson(QJsonDocument::Indented)) < 0 || !out.flush()) {
        if (error)
            *error = QStringLiteral("cannot write %1: %2").arg(QDir::toNativeSeparators(file), out.errorString());
        return false;
    }
    return true;
}

int ShapeReport::exportSchemas(const Session& session, const QString& dir, QString* error)
{
    const QDir folder(dir);
    if (!folder.exists() && !QDir().mkpath(dir)) {
        if (error)
            *error = QStringLiteral("cannot make the folder %1").arg(QDir::toNativeSeparators(dir));
        return -1;
    }
    const auto& types = session.shapes().types();
    int written = 0;
    for (std::size_t t = 0; t < types.size(); ++t) {
        if (types[t].events == 0)
            continue;
        if (!writeSchema(session, quint16(t), folder.filePath(schemaFileName(session.types().view(quint16(t)))), error))
            return -1;
        ++written;
    }
    return written;
}

QString ShapeReport::exampleValue(const Session& session, quint16 type, std::size_t field)
{
    const auto& types = session.shapes().types();
    if (type >= types.size() || field >= types[type].fields.size())
        return {};
    const ShapeTracker::Field& f = types[type].fields[field];
    const std::string_view raw = session.raw(f.firstEvent);
    if (raw.empty())
        return {};
    // the field's JSON pointer in the payload (the native envelope's `payload`, CloudEvents' `data`,
    // MassTransit's `message`), array items (`*`) as their first
    const QJsonObject event
        = QJsonDocument::fromJson(QByteArray::fromRawData(raw.data(), qsizetype(raw.size()))).object();
    QStringList tokens = QString::fromUtf8(f.path.data(), qsizetype(f.path.size())).split(u'/');
    for (QString& t : tokens)
        if (t == QLatin1String("*"))
            t = QStringLiteral("0");
    const QString pointer = tokens.join(u'/');
    for (const char* body : { "payload", "data", "message" }) {
        const std::optional<QJsonValue> v = JsonSchemaSet::valueAt(event.value(QLatin1String(body)), pointer);
        if (!v || v->isUndefined())
            continue;
        if (v->isString())
            return v->toString();
        if (v->isObject() || v->isArray())
            return QString::fromUtf8((v->isObject() ? QJsonDocument(v->toObject()) : QJsonDocument(v->toArray()))
                                         .toJson(QJsonDocument::Compact));
        // numbers, true, false and null as JSON writes them
        return QString::fromUtf8(QJsonDocument(QJsonArray { *v }).toJson(QJsonDocument::Compact)).mid(1).chopped(1);
    }
    return {};
}
