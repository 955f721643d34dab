// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>
#include <limits>
#include <vector>

class Session;

/// Two chains side by side, their steps aligned by type and causation: the roots are aligned, then
/// under each pair of aligned steps their effects, by a longest common subsequence of their types in
/// time order. A step is aligned only under an aligned cause, so "the same step" means the same type
/// reached by the same path of types. Steps on one side only, extra retries and failures, and hops
/// slower or faster by more than a threshold are marked, and said in words (describe()).
class ChainDiff
{
public:
    /// One event of a chain as the diff sees it.
    struct Step
    {
        quint32 event = 0;
        quint16 type = 0;
        int depth = 0; ///< in its chain's causation tree
        qint64 offsetUs = 0; ///< from its chain's start
        qint64 hopUs = -1; ///< from its cause (-1: a root, its cause is not in the chain)
        int retries = 0; ///< retry reports about it
        bool failed = false; ///< a handler failure was reported about it
        bool deadLettered = false;
        /// When the step is itself a report (a retry scheduled, a handler failure, a dead letter): its
        /// kind (RetryTracker::Kind), else -1.
        int reportKind = -1;
    };
    enum Mark : quint16 {
        OnlyA = 0x001,
        OnlyB = 0x002,
        Slower = 0x004, ///< B's hop is longer than A's by more than the threshold
        Faster = 0x008,
        MoreRetries = 0x010, ///< in B
        FewerRetries = 0x020,
        FailedOnlyA = 0x040,
        FailedOnlyB = 0x080,
        DeadLetteredOnlyA = 0x100,
        DeadLetteredOnlyB = 0x200,
    };
    /// A line of the side-by-side view: a step of A, of B, or an aligned pair.
    struct Row
    {
        int a = -1; ///< index into stepsA() (-1: none)
        int b = -1;
        int depth = 0;
        quint16 marks = 0;
    };
    struct Options
    {
        qint64 thresholdUs = 100000; ///< a hop differs when the sides differ by more than this
        /// Cells of the alignment tables over the whole diff; past them the remaining effects are paired
        /// greedily (exact() is then false), so two huge chains cannot stall the window.
        std::size_t maxCells = std::size_t(1) << 22;
        /// Steps taken from each chain, the first in causation order (the window takes as many as the
        /// waterfall shows); the rest are counted in omittedA()/omittedB(), not compared.
        std::size_t maxSteps = std::numeric_limits<std::size_t>::max();
    };
    struct Counts
    {
        int aligned = 0, onlyA = 0, onlyB = 0, slower = 0, faster = 0, retryChanges = 0, failureChanges = 0;
    };

    ChainDiff() = default;
    /// Aligns chains `a` and `b` (indexes into session.chains(); they may be the same chain).
    static ChainDiff compare(const Session& session, quint32 a, quint32 b, Options options);
    static ChainDiff compare(const Session& session, quint32 a, quint32 b) { return compare(session, a, b, {}); }
    /// A typical chain to compare `like` with: of the chains whose first event has the same type, one
    /// that finished (reached a terminal type) with no failure, retry or dead letter, of median
    /// duration (the lower median); when none finished cleanly, of all the others. None when `like`
    /// is the only one.
    static quint32 typicalChain(const Session& session, quint32 like);

    quint32 chainA() const { return m_chainA; }
    quint32 chainB() const { return m_chainB; }
    const std::vector<Step>& stepsA() const { return m_a; }
    const std::vector<Step>& stepsB() const { return m_b; }
    const std::vector<Row>& rows() const { return m_rows; }
    const Step* stepA(const Row& row) const { return row.a >= 0 ? &m_a[std::size_t(row.a)] : nullptr; }
    const Step* stepB(const Row& row) const { return row.b >= 0 ? &m_b[std::size_t(row.b)] : nullptr; }
    /// Whether every alignment was a longest common subsequence (false past Options::maxCells).
    bool exact() const { return m_exact; }
    /// Steps of A and of B past Options::maxSteps: not compared.
    std::size_t omittedA() const { return m_omittedA; }
    std::size_t omittedB() const { return m_omittedB; }
    qint64 thresholdUs() const { return m_thresholdUs; }
    Counts counts() const;
    /// B's hop minus A's on a row (0 unless both sides have a hop).
    qint64 hopDeltaUs(const Row& row) const;
    /// What differs on a row, in words ("only in B: a retry", "slower in B by 1.2 s (0.2 s -> 1.4 s)");
    /// empty when nothing does.
    QString describe(const Row& row) const;

    QJsonObject toJson(const Session& session) const;
    QString toText(const Session& session) const;

private:
    void mark(Row& row) const;

    quint32 m_chainA = 0, m_chainB = 0;
    std::vector<Step> m_a, m_b;
    std::vector<Row> m_rows;
    bool m_exact = true;
    std::size_t m_omittedA = 0, m_omittedB = 0;
    qint64 m_thresholdUs = 0;
};
