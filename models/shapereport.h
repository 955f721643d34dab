// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

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
} // namespace ShapeReport
