// SPDX-License-Identifier: MIT
#pragma once

#include "boundedtext.h"
#include "sessioncomparison.h"

#include <QAbstractTableModel>

/// The per-type comparison as a table: Type, then A, B and change for rate, failures, retries and
/// dead letters. A differing cell carries its direction in ProblemRole (1 worse, -1 better) so the
/// view can colour it; the change column says it in words as well.
class ComparisonModel : public BoundedText<QAbstractTableModel>
{
    Q_OBJECT
public:
    enum Role { ProblemRole = Qt::UserRole, SortRole };
    explicit ComparisonModel(QObject* parent = nullptr);
    void setResult(const SessionComparison::Result& result);
    const SessionComparison::Result& result() const { return m_result; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    SessionComparison::Result m_result;

protected:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
};
