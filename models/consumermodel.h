// SPDX-License-Identifier: MIT
#pragma once

#include "sessiontablemodel.h"

/// One row per durable consumer a broker reported (ConsumerTracker): its stream and name, messages not
/// yet delivered, waiting for their acknowledgement and delivered again, its lag (how long the oldest
/// unacknowledged message has waited), its sequences, and when it was last reported. Rows are added as
/// consumers come; refresh() updates the figures.
class ConsumerModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column {
        StreamColumn,
        ConsumerColumn,
        LagColumn,
        PendingColumn,
        AckPendingColumn,
        RedeliveredColumn,
        DeliveredColumn,
        AckFloorColumn,
        WaitingColumn,
        UpdatedColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole, ConsumerRole };

    explicit ConsumerModel(const Session& session, QObject* parent = nullptr);
    ~ConsumerModel() override;

    void refresh();
    void reset();
    int rowCount(const QModelIndex& parent = {}) const final;
    /// "3.2 s", "4 min 10 s", "-" (not known).
    static QString lagText(qint64 lagUs);

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    int m_rows = 0;
};
