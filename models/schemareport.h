// SPDX-License-Identifier: MIT
#pragma once

#include "jsonschema.h"

#include <QJsonObject>
#include <QList>
#include <QString>

class Session;

/// How payloads keep their schemas (SchemaTracker), as `eventscope-cli validate` and `summary` print it.
namespace SchemaReport {
/// Per type with a schema: {"checked", "violating", "violatingPercent", "rules": {"POINTER: RULE": events},
/// "examples": {"POINTER: RULE": event id}, "firstViolation", "lastViolation", "sources": {source: events}}.
QJsonObject violations(const Session& session);
/// Events per type without a schema.
QJsonObject unchecked(const Session& session);
/// `validate --json`: {"schemas": path, "types": [...], "problems": [...], "violations": violations(),
/// "unchecked": unchecked(), "checked", "violating"}.
QJsonObject toJson(const Session& session, const QList<SchemaProblem>& problems);
QString toText(const Session& session, const QList<SchemaProblem>& problems);
} // namespace SchemaReport
