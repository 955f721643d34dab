// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

class Session;

/// One correlation chain as an indented causation tree with time offsets and problem markers.
namespace ChainReport {
/// The chain's index in session.chains(), or -1 when no chain has that id.
int findChain(const Session& session, const QString& correlationId);
QJsonObject toJson(const Session& session, int chain);
QString toText(const Session& session, int chain);
} // namespace ChainReport
