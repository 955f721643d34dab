// SPDX-License-Identifier: MIT
#pragma once

#include "retrytracker.h"

#include <QJsonObject>
#include <QString>
#include <unordered_map>
#include <vector>

class Session;
struct Chain;
struct ChainNode;

/// One correlation chain as an indented causation tree with time offsets and problem markers.
namespace ChainReport {
/// The chain's index in session.chains(), or -1 when no chain has that id.
int findChain(const Session& session, const QString& correlationId);
QJsonObject toJson(const Session& session, int chain);
QString toText(const Session& session, int chain);
/// " (5 failed, 4 retried, 1 dead-lettered)": what went wrong in a chain, or "" when nothing did.
QString problemsOf(const Chain& chain);
/// An event's id as the bus sent it (the text of a non-UUID id comes from its raw bytes).
QString eventId(const Session& session, quint32 event);
/// The reports (failures, retries, dead letters) about each event of `nodes`, in their order.
std::unordered_map<quint32, std::vector<const RetryTracker::Entry*>> reportsAbout(
    const Session& session, const std::vector<ChainNode>& nodes);
} // namespace ChainReport
