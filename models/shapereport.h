// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>
#include <string_view>

class Session;

/// The payload shapes learned from the events (ShapeTracker), as `eventscope-cli schemas` prints them,
/// and a type's shape as a JSON Schema to start a registry with.
namespace ShapeReport {
/// {"types": {"TYPE": {"events", "fields": {"/path": {"types": [...], "presentPercent"}}, "changes":
/// [{"path", "kind": "added|removed|type", "from", "to", "firstEventId", "at", "source"}]}}}
QJsonObject toJson(const Session& session);
QString toText(const Session& session);
/// Type id `type`'s learned shape as a draft 7 JSON Schema: its fields' types, nested objects and array
/// items, and as `required` the fields every event had.
QJsonObject jsonSchema(const Session& session, quint16 type);
/// The value field `field` of type id `type` had in the first event that had it, as compact text (the
/// first item where the path goes through an array), or empty when that event is no longer stored.
QString exampleValue(const Session& session, quint16 type, std::size_t field);
/// The file name for a type's schema: `TYPE.schema.json`, each character of the name that is not
/// [A-Za-z0-9._-] as `_` and a leading `.` escaped (a type name is not a path: nothing that leaves the
/// folder or hides a file).
QString schemaFileName(std::string_view type);
/// Writes type id `type`'s jsonSchema() to `file`; false with `error` saying which file and why.
bool writeSchema(const Session& session, quint16 type, const QString& file, QString* error);
/// Every learned type's jsonSchema() into folder `dir` (made when missing), one schemaFileName() a type:
/// a registry to start from. Returns the files written, or -1 with `error` saying which and why.
int exportSchemas(const Session& session, const QString& dir, QString* error);
} // namespace ShapeReport
