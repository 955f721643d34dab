// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>
#include <vector>

class Session;

/// The stages of the chains of one root type (StageTracker) as `eventscope-cli stages` and the funnel
/// show them: each type reached, in order of median time from the root.
namespace StageReport {
struct Row
{
    int type = 0;
    quint64 reached = 0;
    double reachedPercent = 0;
    qint64 p50FromRootUs = 0, p95FromRootUs = 0, p99FromRootUs = 0;
    qint64 p50FromPreviousUs = 0;
    qint64 endedHere = 0;
};
/// The stages of `root` (-1: StageTracker::commonRoot()); `root` is set to the one used (-1: no chain).
std::vector<Row> rows(const Session& session, int& root);
/// The type whose name is `name` as a root, -1 when no chain starts with it.
int findRoot(const Session& session, const QString& name);
QJsonObject toJson(const Session& session, int root = -1);
QString toText(const Session& session, int root = -1);
} // namespace StageReport
