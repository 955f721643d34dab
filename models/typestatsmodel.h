// SPDX-License-Identifier: MIT
#pragma once

#include "sessiontablemodel.h"

#include <QAbstractTableModel>

class Session;

/// One row per event type: counts, rates, problems and last-seen time, from a Session's trackers.
/// refresh() is called on a timer, never per event: new types arrive as one insert, the rest as one
/// dataChanged over all rows.
class TypeStatsModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column {
        TypeColumn,
        DomainColumn,
        TrendColumn, ///< the sparkline (SparklineRole); sorts by the two-minute average
        CountColumn,
        RateColumn,
        Rate10Column,
        Rate60Column,
        RetriesColumn, ///< retry reports (attempts, not events)
        FailuresColumn, ///< handler-failure reports (attempts, not events)
        DeadLettersColumn, ///< dead-letter reports
        /// events of this type whose handling failed at least once (any failure, retry or dead-letter
        /// report about them) / events of this type: a share, never above 100 %
        FailedPercentColumn,
        DeadLetteredPercentColumn, ///< events of this type dead-lettered / events of this type
        /// checked events of this type whose payload broke its schema / checked events (empty: no schema)
        SchemaPercentColumn,
        LastSeenColumn,
        ColumnCount
    };
    enum Role {
        SortRole = Qt::UserRole,
        TypeIdRole,
        SparklineRole, ///< QList<int>: events per second over the last SparklineSeconds, oldest first
        SilentRole, ///< bool: the type was busy and has not been seen for 10 s or more
        ProblemsRole, ///< failure and dead-letter reports (the "errors first" order's tie-break after Failed %)
        /// int 0-4: the Failed % against Hystrix's thresholds (under 10 %, 10, 25, 40, 50 % and more); the
        /// Failed % cell is coloured by it (the number stays: never colour alone)
        ErrorLevelRole,
    };
    /// `part` of `total` in percent, never above 100 (0 for no total): the board's shares.
    static double sharePercent(quint64 part, quint64 total);
    /// The level of a failed percentage (ErrorLevelRole).
    static int errorLevel(double percent);
    static constexpr int SparklineSeconds = 120;

    explicit TypeStatsModel(const Session& session, QObject* parent = nullptr);
    ~TypeStatsModel() override;

    /// Picks up new types and new figures; `nowUs` is the time rates are measured at.
    void refresh(qint64 nowUs);
    /// The session was reset (Session::reset()): forget every row.
    void reset();

    int rowCount(const QModelIndex& parent = {}) const final;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    QVariant value(int row, int column) const;

    bool isSilent(quint16 type) const;
    /// Reports of failures and dead letters about events of the type (the attempts).
    quint64 problems(quint16 type) const;
    /// Events of the type that failed at least once, as a percentage of the type's events.
    double failedPercent(quint16 type) const;
    double deadLetteredPercent(quint16 type) const;

    std::vector<quint16> m_types; ///< row -> type id
    std::vector<bool> m_shown; ///< type id -> has a row
    qint64 m_nowUs = 0;
};
