// SPDX-License-Identifier: MIT
#pragma once

#include "boundedtext.h"
#include "chaindiff.h"

#include <QAbstractTableModel>
#include <vector>

class Session;

/// A chain diff as a table: A's step, time and hop, B's, and what differs in words. It keeps its
/// own copy of the text, so it stays readable after the session has dropped the chains' events. A row
/// that differs carries its direction in ProblemRole and a background: red where B is worse (slower,
/// more retries, failed or dead-lettered only in B), green where B is better, amber where a step is on
/// one side only.
class ChainDiffModel : public BoundedText<QAbstractTableModel>
{
    Q_OBJECT
public:
    enum Column { AStep, AAt, AHop, BStep, BAt, BHop, Difference, ColumnCount };
    enum Role { ProblemRole = Qt::UserRole, EventARole, EventBRole, MarksRole };
    enum Problem { Same = 0, Worse = 1, Better = -1, OneSide = 2 };

    explicit ChainDiffModel(QObject* parent = nullptr);
    ~ChainDiffModel() override;

    void setDiff(const Session& session, const ChainDiff& diff);
    const ChainDiff& diff() const { return m_diff; }
    /// Whether a row's difference makes B worse, better, or only different (a step on one side).
    static Problem problemOf(quint16 marks);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    QVariant unboundedData(const QModelIndex& index, int role) const override;

private:
    struct Side
    {
        QString type, id;
        QString at, hop;
    };
    struct Line
    {
        Side a, b;
        QString difference;
    };
    ChainDiff m_diff;
    std::vector<Line> m_lines;
};
