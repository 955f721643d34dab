// SPDX-License-Identifier: MIT
#pragma once

#include "sessiontablemodel.h"

#include <QAbstractTableModel>
#include <vector>

class Session;

/// One row per source (producer): its events and its time on the bus, median and p99, where the
/// receive time is known (BusTimeTracker). Negative times mean the producer's clock runs ahead.
class SourceStatsModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column { SourceColumn, EventsColumn, TimedColumn, MedianColumn, P99Column, ColumnCount };
    enum Role { SortRole = Qt::UserRole };

    explicit SourceStatsModel(const Session& session, QObject* parent = nullptr);

    /// New sources become rows; the figures of every row are read again.
    void refresh();
    /// The session was reset (Session::reset()): forget every row.
    void reset();

    int rowCount(const QModelIndex& parent = {}) const final;

    /// "4.2 ms", "-1.25 s": a time on the bus for reading.
    static QString durationText(qint64 us);

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    QVariant value(quint16 source, int column) const;

    std::vector<quint16> m_rows; ///< source ids, in the order they first had an event
};
