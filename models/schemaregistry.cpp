// SPDX-License-Identifier: MIT
#include "schemaregistry.h"

#include "yamljson.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUrl>
#include <algorithm>
#include <functional>
#include <map>

namespace {

/// The event type a schema document names (see SchemaRegistry), or empty.
QString typeNamed(const JsonSchemaSet& set, int document, const QString& file)
{
    if (const QString t = set.documentKeyword(document, QStringLiteral("x-event-type")); !t.isEmpty())
        return t;
    const QString name = QFileInfo(file).fileName();
    if (name.endsWith(QLatin1String(".schema.json")) && name.size() > 12)
        return name.chopped(12);
    if (const QString title = set.documentKeyword(document, QStringLiteral("title")); !title.isEmpty())
        return title;
    QString id = QUrl(set.documentId(document)).adjusted(QUrl::RemoveFragment).path().section(QLatin1Char('/'), -1);
    if (id.endsWith(QLatin1String(".schema.json")))
        id.chop(12);
    else if (id.endsWith(QLatin1String(".json")))
        id.chop(5);
    return id;
}

/// An AsyncAPI message: where it is in the document and the names it goes by.
struct Message
{
    QString pointer;
    QJsonObject object;
    QStringList names;
};

/// Every message of an AsyncAPI 2.x or 3.x document: those of its channels (operations' messages in
/// 2.x, `messages` in 3.x; a local $ref followed) and those of components.messages.
std::vector<Message> messagesOf(
    const QJsonObject& root, int major, const std::function<void(SchemaProblem)>& report, const QString& file)
{
    std::vector<Message> out;
    auto add = [&](const QString& pointer, const QJsonValue& value, const QString& key) {
        QString where = pointer;
        QJsonValue message = value;
        for (int hops = 0; hops < 8 && message.toObject().contains(QLatin1String("$ref")); ++hops) {
            const QString ref = message.toObject().value(QLatin1String("$ref")).toString();
            if (!ref.startsWith(QLatin1Char('#'))) {
                report({ file, where,
                    QStringLiteral("message $ref %1 is in another file: only this document's are followed").arg(ref) });
                return;
            }
            where = QUrl::fromPercentEncoding(ref.mid(1).toUtf8());
            message = JsonSchemaSet::valueAt(root, where).value_or(QJsonValue());
        }
        if (!message.isObject())
            return;
        for (const Message& m : out)
            if (m.pointer == where)
                return;
        Message m { where, message.toObject(), {} };
        for (const char* field : { "name", "title", "messageId" })
            if (const QString n = m.object.value(QLatin1String(field)).toString(); !n.isEmpty() && !m.names.contains(n))
                m.names << n;
        if (major >= 3 && !key.isEmpty() && !m.names.contains(key))
            m.names << key; // in 3.x a message's key is its id
        out.push_back(std::move(m));
    };
    const QJsonObject channels = root.value(QLatin1String("channels")).toObject();
    for (auto c = channels.begin(); c != channels.end(); ++c) {
        const QString channel = QStringLiteral("/channels/") + JsonSchemaSet::pointerToken(c.key());
        const QJsonObject item = c.value().toObject();
        if (major == 2) {
            for (const char* op : { "publish", "subscribe" }) {
                const QJsonValue message = item.value(QLatin1String(op)).toObject().value(QLatin1String("message"));
                const QString base = channel + u'/' + QLatin1String(op) + QStringLiteral("/message");
                const QJsonArray oneOf = message.toObject().value(QLatin1String("oneOf")).toArray();
                if (oneOf.isEmpty())
                    add(base, message, {});
                for (qsizetype i = 0; i < oneOf.size(); ++i)
                    add(base + QStringLiteral("/oneOf/") + QString::number(i), oneOf.at(i), {});
            }
        } else {
            const QJsonObject messages = item.value(QLatin1String("messages")).toObject();
            for (auto m = messages.begin(); m != messages.end(); ++m)
                add(channel + QStringLiteral("/messages/") + JsonSchemaSet::pointerToken(m.key()), m.value(), m.key());
        }
    }
    const QJsonObject components
        = root.value(QLatin1String("components")).toObject().value(QLatin1String("messages")).toObject();
    for (auto m = components.begin(); m != components.end(); ++m)
        add(QStringLiteral("/components/messages/") + JsonSchemaSet::pointerToken(m.key()), m.value(), m.key());
    return out;
}

/// The payload schemas of an AsyncAPI document's messages, each named by its message's names.
void addAsyncApiTo(JsonSchemaSet& set, int doc, const QString& file, const QString& version,
    const std::function<void(SchemaProblem)>& report,
    const std::function<void(const QString&, int, const QString&)>& name);

/// Whether a schemaFormat names JSON Schema (or AsyncAPI's superset of draft 7).
bool jsonSchemaFormat(const QString& format)
{
    return format.isEmpty() || format.startsWith(QLatin1String("application/vnd.aai.asyncapi"))
        || format.startsWith(QLatin1String("application/schema+json"))
        || format.startsWith(QLatin1String("application/schema+yaml"));
}

} // namespace

std::shared_ptr<const SchemaRegistry> SchemaRegistry::load(const QString& path, QList<SchemaProblem>* problems)
{
    auto report = [&](SchemaProblem p) {
        if (problems)
            problems->append(std::move(p));
    };
    const QFileInfo root(path);
    if (!root.exists()) {
        report({ path, QString(), QStringLiteral("no such file or folder") });
        return nullptr;
    }
    QStringList files;
    if (root.isDir()) {
        QDirIterator it(path, { QStringLiteral("*.json"), QStringLiteral("*.yaml"), QStringLiteral("*.yml") },
            QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
        while (it.hasNext() && files.size() < MaxFiles)
            files << it.next();
        if (it.hasNext())
            report({ path, QString(), QStringLiteral("more than %1 files: the rest are left out").arg(MaxFiles) });
        files.sort();
    } else {
        files << path;
    }

    auto registry = std::make_shared<SchemaRegistry>();
    registry->m_path = root.absoluteFilePath();
    std::vector<std::pair<int, QString>> documents;
    for (const QString& file : files) {
        QFile f(file);
        if (f.size() > MaxFileBytes) {
            report({ file, QString(),
                QStringLiteral("%1 bytes: larger than the %2-byte limit").arg(f.size()).arg(MaxFileBytes) });
            continue;
        }
        if (!f.open(QIODevice::ReadOnly)) {
            report({ file, QString(), QStringLiteral("cannot be read: %1").arg(f.errorString()) });
            continue;
        }
        QByteArray json = f.read(MaxFileBytes);
        if (!file.endsWith(QLatin1String(".json"))) { // YAML: an AsyncAPI document, or a schema written so
            QString why;
            const QJsonValue value = YamlJson::parse(json, &why);
            if (why.isEmpty() && !value.isObject() && !value.isArray())
                why = QStringLiteral("the document is not a mapping");
            if (!why.isEmpty()) {
                report({ file, QString(), QStringLiteral("not YAML that JSON can hold: %1").arg(why) });
                continue;
            }
            json = value.isObject() ? QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact)
                                    : QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact);
        }
        SchemaProblem problem;
        const int doc = registry->m_set.addDocument(
            QUrl::fromLocalFile(QFileInfo(file).absoluteFilePath()), json, file, &problem);
        if (doc < 0)
            report(problem);
        else
            documents.emplace_back(doc, file);
    }
    // every document is in before any compiles: a $ref may name any of them
    std::map<std::string, std::pair<int, QString>> byType;
    auto name = [&](const QString& type, int schema, const QString& file) {
        const auto [it, inserted] = byType.emplace(type.toStdString(), std::make_pair(schema, file));
        if (!inserted)
            report({ file, QString(),
                QStringLiteral("%1 already has a schema, from %2: this one is left out")
                    .arg(type, it->second.second) });
    };
    for (const auto& [doc, file] : documents) {
        if (const QString version = registry->m_set.documentKeyword(doc, QStringLiteral("asyncapi"));
            !version.isEmpty()) {
            addAsyncApiTo(registry->m_set, doc, file, version, report, name);
            continue;
        }
        const QString type = typeNamed(registry->m_set, doc, file);
        if (type.isEmpty())
            continue;
        SchemaProblem problem;
        const int schema = registry->m_set.schema(doc, QString(), &problem);
        if (schema < 0) {
            report(problem);
            continue;
        }
        name(type, schema, file);
    }
    for (const auto& [type, entry] : byType) {
        registry->m_byType.emplace_back(type, entry.first);
        registry->m_files.emplace_back(type, entry.second);
    }
    for (const auto& [type, schema] : registry->m_byType) // the vector is complete: its strings stay put
        registry->m_index.emplace(type, schema);
    return registry;
}

QStringList SchemaRegistry::types() const
{
    QStringList out;
    for (const auto& [type, schema] : m_byType)
        out << QString::fromStdString(type);
    return out;
}

QString SchemaRegistry::fileOf(std::string_view type) const
{
    for (const auto& [t, file] : m_files)
        if (t == type)
            return file;
    return {};
}

namespace {
void addAsyncApiTo(JsonSchemaSet& set, int doc, const QString& file, const QString& version,
    const std::function<void(SchemaProblem)>& report,
    const std::function<void(const QString&, int, const QString&)>& name)
{
    const int major = version.section(QLatin1Char('.'), 0, 0).toInt();
    if (major != 2 && major != 3) {
        report({ file, QStringLiteral("/asyncapi"),
            QStringLiteral("AsyncAPI %1 is not supported: EventScope reads AsyncAPI 2.x and 3.x").arg(version) });
        return;
    }
    const QJsonObject root = set.documentRoot(doc).toObject();
    for (const Message& m : messagesOf(root, major, report, file)) {
        if (!m.object.contains(QLatin1String("payload")) || m.names.isEmpty())
            continue;
        QString payload = m.pointer + QStringLiteral("/payload");
        QString format = m.object.value(QLatin1String("schemaFormat")).toString();
        const QJsonObject payloadObject = m.object.value(QLatin1String("payload")).toObject();
        if (major >= 3 && payloadObject.contains(QLatin1String("schemaFormat"))) { // a multi-format schema
            format = payloadObject.value(QLatin1String("schemaFormat")).toString();
            payload += QStringLiteral("/schema");
        }
        if (!jsonSchemaFormat(format)) {
            report({ file, m.pointer, QStringLiteral("schemaFormat %1 is not JSON Schema: left out").arg(format) });
            continue;
        }
        SchemaProblem problem;
        const int schema = set.schema(doc, payload, &problem);
        if (schema < 0) {
            report(problem);
            continue;
        }
        for (const QString& type : m.names)
            name(type, schema, file);
    }
}
} // namespace
