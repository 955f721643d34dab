// SPDX-License-Identifier: MIT
#pragma once

#include "sessiontablemodel.h"

#include <QAbstractTableModel>

class Session;

/// The breaker board: one row per circuit breaker, its state in words (the view adds colour), how long
/// it has been in it, its transitions, the failure count and reason last reported, and its open time.
class BreakerModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column {
        NameColumn,
        StateColumn,
        SinceColumn,
        TransitionsColumn,
        FailuresColumn,
        OpenTimeColumn,
        ReasonColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole,
        StateRole,
        BreakerRole,
        /// "single" (one origin reports the name), "origin" (one of several origins' breakers of a name)
        /// or "merged" (every origin's breaker of that name): what the per-origin and merged views show.
        ScopeRole
    };

    explicit BreakerModel(const Session& session, QObject* parent = nullptr);
    ~BreakerModel() override;

    void refresh(qint64 nowUs);
    /// The session was reset (Session::reset()): forget every row.
    void reset();

    int rowCount(const QModelIndex& parent = {}) const final;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    QVariant value(int row, int column) const;

    int m_rows = 0;
    qint64 m_nowUs = 0;
};

/// The transitions of one breaker, oldest first; each knows the event that reported it.
class BreakerHistoryModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, FromColumn, ToColumn, FailuresColumn, ReasonColumn, ColumnCount };
    enum Role { EventIndexRole = Qt::UserRole, TimeRole, StateRole };

    explicit BreakerHistoryModel(const Session& session, QObject* parent = nullptr);
    ~BreakerHistoryModel() override;

    /// -1: none.
    void setBreaker(int breaker);
    int breaker() const { return m_breaker; }
    void refresh();
    /// The session was reset (Session::reset()): forget every row.
    void reset();

    int rowCount(const QModelIndex& parent = {}) const final;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    int m_breaker = -1;
    int m_rows = 0;
};
