// SPDX-License-Identifier: MIT
#pragma once

#include "sessiontablemodel.h"

#include <QAbstractTableModel>
#include <deque>

class Session;

/// Every dead-lettered event still stored: when, its type, attempts and reason, linked to the event it
/// is about (once that is known) and to its chain.
class DeadLetterModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, TypeColumn, AttemptsColumn, ReasonColumn, CorrelationColumn, EventIdColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, ReportRole, TargetRole, ChainRole };

    explicit DeadLetterModel(const Session& session, QObject* parent = nullptr);
    ~DeadLetterModel() override;

    void refresh();
    /// The session was reset (Session::reset()): forget every row.
    void reset();

    int rowCount(const QModelIndex& parent = {}) const final;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    QVariant value(quint64 entry, int column) const;

    std::deque<quint64> m_rows; ///< RetryTracker entry ids
    std::deque<quint64> m_unresolved; ///< entry ids (ascending) whose event is not known yet
    quint64 m_next = 0;
};
