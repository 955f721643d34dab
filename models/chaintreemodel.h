// SPDX-License-Identifier: MIT
#pragma once

#include "boundedtext.h"

#include <QAbstractItemModel>
#include <vector>

class Session;

/// One event of a chain's timeline: where it sits in the causation tree and on the clock.
struct TimelineEntry
{
    enum Kind : quint8 { Event, Retry, DeadLetter, Failure };
    quint32 event = 0;
    int depth = 0;
    int parent = -1; ///< position of the causing entry in the timeline, or -1 for a root
    qint64 eventTimeUs = 0; ///< when the producer published it
    qint64 receiveTimeUs = 0; ///< when we received it: the difference is its time on the bus
    Kind kind = Event;
    qint64 delayMs = -1; ///< a retry's backoff delay, as reported
    bool critical = false; ///< on the chain's critical path (criticalpath.h)
};

/// The causation tree of one correlation chain (children by time; roots are events whose cause is
/// unknown or outside the chain), and the same events as a timeline for the waterfall.
class ChainTreeModel : public BoundedText<QAbstractItemModel>
{
    Q_OBJECT
public:
    enum Column { TypeColumn, OffsetColumn, OnBusColumn, SourceColumn, IdColumn, ColumnCount };
    enum Role { EventIndexRole = Qt::UserRole, SortRole };
    static constexpr int MaxEvents = 5000; ///< larger chains show their first 5,000 events

    explicit ChainTreeModel(const Session& session, QObject* parent = nullptr);
    ~ChainTreeModel() override;

    /// Shows chain `chain` (ChainTracker::None: nothing).
    void setChain(quint32 chain);
    quint32 chain() const { return m_chain; }
    /// Rebuilds when the chain gained or lost events; returns whether it changed.
    bool refresh();

    const std::vector<TimelineEntry>& timeline() const { return m_timeline; }
    qint64 startUs() const { return m_startUs; }
    qint64 endUs() const { return m_endUs; }
    /// Events in the chain beyond MaxEvents (not shown).
    quint32 hidden() const { return m_hidden; }
    QModelIndex indexOfEvent(quint32 event) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    void rebuild();
    const std::vector<int>& childrenOf(const QModelIndex& parent) const;

    const Session& m_session;
    quint32 m_chain;
    quint32 m_opener = 0;
    quint32 m_builtSize = 0;
    std::vector<TimelineEntry> m_timeline; ///< depth-first order
    std::vector<std::vector<int>> m_children; ///< per entry
    std::vector<int> m_roots;
    std::vector<int> m_rowInParent;
    qint64 m_startUs = 0, m_endUs = 0;
    quint32 m_hidden = 0;
};
