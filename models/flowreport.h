// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

class Session;

/// The flow between event types (FlowTracker) as `eventscope-cli flow` prints it: every type with its
/// sources and events, every causation edge with its count, hop time percentiles and failed share.
namespace FlowReport {
QJsonObject toJson(const Session& session);
QString toText(const Session& session);
} // namespace FlowReport
