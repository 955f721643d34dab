// SPDX-License-Identifier: MIT
#pragma once

#include "boundedtext.h"
#include "eventfilter.h"

#include <QAbstractTableModel>
#include <QStringList>
#include <deque>

class QDeadlineTimer;
class Session;

/// The event log: stored events that pass a display filter, in arrival order.
///
/// Either a live tail (refresh() appends new matches, at most maxRows kept, the oldest trimmed) or a
/// fixed list of events (setEvents(), e.g. the events around a breaker transition). The matching rows
/// are the model's own list rather than a proxy over every stored event: a proxy would hold a mapping of
/// millions of rows and re-test them all on each change, where this filters each event once, when it
/// arrives, and a new filter fills backwards from the newest event in time-boxed slices.
class EventLogModel : public BoundedText<QAbstractTableModel>
{
    Q_OBJECT
public:
    enum Column {
        TimeColumn,
        TypeColumn,
        SourceColumn,
        CorrelationColumn,
        IdColumn,
        SeqColumn,
        DelayColumn,
        OriginColumn,
        FixedColumnCount
    };
    enum Role { EventIndexRole = Qt::UserRole, SortRole, ProblemRole };

    explicit EventLogModel(const Session& session, QObject* parent = nullptr);
    ~EventLogModel() override;

    /// Replaces the filter (the rows refill from the newest event backwards over the next refreshes).
    void setFilter(EventFilter filter);
    const EventFilter& filter() const { return m_filter; }
    /// Extra columns with the value of a JSON field per event ("payload.bookingId").
    void setFieldColumns(const QStringList& paths);
    QStringList fieldColumns() const { return m_fieldColumns; }
    void setMaxRows(int rows) { m_maxRows = std::max(1, rows); }
    int maxRows() const { return m_maxRows; }
    /// A paused tail keeps its rows (trimmed only when their events leave the store) and catches up
    /// when resumed.
    void setPaused(bool paused) { m_paused = paused; }
    bool isPaused() const { return m_paused; }
    /// Fixed mode: exactly these events (in this order); refresh() only drops those that left the store.
    void setEvents(const std::vector<quint32>& events);
    bool isFixed() const { return m_fixed; }

    /// Catches up with the session, spending at most about `budgetMs` on filtering.
    void refresh(int budgetMs = 8);
    /// The session was reset (Session::reset()): forget every row.
    void reset();
    /// Whether older events remain to be filtered for the current filter.
    bool isFilling() const { return m_fillCursor != m_fillStop; }
    /// Events tested against the filter so far (for progress), and matches not shown because of maxRows.
    quint64 scanned() const { return m_scanned; }

    quint32 eventAt(int row) const { return m_rows[std::size_t(row)]; }
    /// Row of an event, or -1.
    int rowOf(quint32 event) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    void dropEvicted();
    void appendNew(const QDeadlineTimer& deadline);
    void fillBackwards(const QDeadlineTimer& deadline);
    QVariant value(quint32 event, int column) const;

    const Session& m_session;
    EventFilter m_filter;
    QStringList m_fieldColumns;
    std::deque<quint32> m_rows; ///< event indices, ascending (in store order)
    int m_maxRows = 100000;
    bool m_paused = false;
    bool m_fixed = false;
    quint32 m_next = 0; ///< the next event to test at the tail
    quint32 m_fillCursor = 0; ///< one past the next older event to test when filling backwards
    quint32 m_fillStop = 0; ///< where the backward fill ends (the store's first event when it began)
    quint64 m_scanned = 0;
};
