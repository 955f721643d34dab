// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <vector>

class Session;

/// Two sessions side by side (before and after a deployment): per event type its average rate over
/// each session, failures, retries and dead letters; per breaker its transitions and time open. A
/// figure that changed by at least a quarter (and by more than noise), or exists on one side only,
/// is a difference.
namespace SessionComparison {

struct Figure
{
    double a = 0;
    double b = 0;
    bool differs = false;
};

struct TypeRow
{
    QString type;
    Figure rate; ///< events per second over the session's span
    Figure count;
    Figure failures;
    Figure retries;
    Figure deadLetters;
    bool differs() const { return rate.differs || failures.differs || retries.differs || deadLetters.differs; }
};

struct BreakerRow
{
    QString name;
    Figure transitions;
    Figure openSeconds;
    bool differs() const { return transitions.differs || openSeconds.differs; }
};

struct Result
{
    double spanA = 0, spanB = 0; ///< seconds each session covers
    std::vector<TypeRow> types; ///< differing rows first, then by the larger count
    std::vector<BreakerRow> breakers;
};

Result compare(const Session& a, const Session& b);
/// Whether a change from `a` to `b` is a difference: one side zero and the other not (beyond `noise`),
/// or a relative change of at least 25% with an absolute change above `noise`.
bool differs(double a, double b, double noise);
/// "+35%", "-100%", "new", "=".
QString change(const Figure& f);
/// The comparison as text (`eventscope-cli compare`): differences first, marked with "*".
QString toText(const Result& r, const QString& nameA, const QString& nameB);

} // namespace SessionComparison
