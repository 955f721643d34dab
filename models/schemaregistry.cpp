// SPDX-License-Identifier: MIT
#include "schemaregistry.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QFileInfo>
#include <QUrl>
#include <algorithm>
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
        QDirIterator it(path, { QStringLiteral("*.json") }, QDir::Files | QDir::Readable, QDirIterator::Subdirectories);
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
        SchemaProblem problem;
        const int doc = registry->m_set.addDocument(
            QUrl::fromLocalFile(QFileInfo(file).absoluteFilePath()), f.read(MaxFileBytes), file, &problem);
        if (doc < 0)
            report(problem);
        else
            documents.emplace_back(doc, file);
    }
    // every document is in before any compiles: a $ref may name any of them
    std::map<std::string, std::pair<int, QString>> byType;
    for (const auto& [doc, file] : documents) {
        const QString type = typeNamed(registry->m_set, doc, file);
        if (type.isEmpty())
            continue;
        SchemaProblem problem;
        const int schema = registry->m_set.schema(doc, QString(), &problem);
        if (schema < 0) {
            report(problem);
            continue;
        }
        const auto [it, inserted] = byType.emplace(type.toStdString(), std::make_pair(schema, file));
        if (!inserted)
            report({ file, QString(),
                QStringLiteral("%1 already has a schema, from %2: this one is left out")
                    .arg(type, it->second.second) });
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
