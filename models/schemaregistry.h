// SPDX-License-Identifier: MIT
#pragma once

#include "jsonschema.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

/// The schemas payloads are checked against, one per event type, loaded from a folder (*.json, *.yaml,
/// *.yml) or from one file. A JSON Schema file names its type by, in this order: its `x-event-type`
/// keyword, its name (`TYPE.schema.json`), its `title`, the last segment of its `$id` (less `.json`). An
/// AsyncAPI 2.x or 3.x document gives each message's payload schema, named by the message's `name`,
/// `title` and `messageId` (in 3.x also its key). A file that is broken is left out with a problem that
/// names it and the place; the rest load. Immutable once loaded: decoder threads share it.
class SchemaRegistry
{
public:
    static constexpr qint64 MaxFileBytes = 16 << 20; ///< a larger schema file is refused
    static constexpr int MaxFiles = 10000;

    /// Loads `path` (a folder, searched with its subfolders for *.json, or one file). Problems (broken
    /// files, schemas or folders) go to `problems`; null when nothing could be loaded at all.
    static std::shared_ptr<const SchemaRegistry> load(const QString& path, QList<SchemaProblem>* problems);

    /// The schema for events of `type`, or -1.
    int schemaFor(std::string_view type) const
    {
        const auto it = m_index.find(type);
        return it == m_index.end() ? -1 : it->second;
    }
    const JsonSchemaSet& set() const { return m_set; }
    QString path() const { return m_path; }
    /// The types with a schema, sorted.
    QStringList types() const;
    /// The file that gave `type` its schema.
    QString fileOf(std::string_view type) const;

private:
    JsonSchemaSet m_set;
    QString m_path;
    std::vector<std::pair<std::string, int>> m_byType; ///< sorted by type
    std::unordered_map<std::string_view, int> m_index; ///< m_byType's, by views into it
    std::vector<std::pair<std::string, QString>> m_files; ///< type -> file, sorted by type
};
