// SPDX-License-Identifier: MIT
#include "comparisonmodel.h"

#include <QBrush>
#include <QColor>
#include <cmath>

namespace {
enum Column { TypeColumn, RateA, RateB, RateChange, FailA, FailB, RetryA, RetryB, DeadA, DeadB, ColumnCount };
} // namespace

ComparisonModel::ComparisonModel(QObject* parent)
    : BoundedText<QAbstractTableModel>(parent)
{ }

void ComparisonModel::setResult(const SessionComparison::Result& result)
{
    beginResetModel();
    m_result = result;
    endResetModel();
}

int ComparisonModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_result.types.size());
}

int ComparisonModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant ComparisonModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TypeColumn:
        return tr("Type");
    case RateA:
        return tr("Rate A /s");
    case RateB:
        return tr("Rate B /s");
    case RateChange:
        return tr("Change");
    case FailA:
        return tr("Failures A");
    case FailB:
        return tr("Failures B");
    case RetryA:
        return tr("Retries A");
    case RetryB:
        return tr("Retries B");
    case DeadA:
        return tr("Dead letters A");
    case DeadB:
        return tr("Dead letters B");
    default:
        return {};
    }
}

QVariant ComparisonModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!index.isValid() || std::size_t(index.row()) >= m_result.types.size())
        return {};
    const SessionComparison::TypeRow& r = m_result.types[std::size_t(index.row())];
    const SessionComparison::Figure* f = nullptr;
    bool b = false;
    switch (index.column()) {
    case RateA:
        f = &r.rate;
        break;
    case RateB:
        f = &r.rate;
        b = true;
        break;
    case RateChange:
        f = &r.rate;
        break;
    case FailA:
        f = &r.failures;
        break;
    case FailB:
        f = &r.failures;
        b = true;
        break;
    case RetryA:
        f = &r.retries;
        break;
    case RetryB:
        f = &r.retries;
        b = true;
        break;
    case DeadA:
        f = &r.deadLetters;
        break;
    case DeadB:
        f = &r.deadLetters;
        b = true;
        break;
    default:
        break;
    }
    // more of a problem is worse; a rate that changed is neither: it is only different
    const bool problem = index.column() >= FailA;
    const int direction
        = f && f->differs && (b || index.column() == RateChange) ? (problem ? (f->b > f->a ? 1 : -1) : 2) : 0;
    switch (role) {
    case Qt::DisplayRole:
        if (index.column() == TypeColumn)
            return r.type;
        if (index.column() == RateChange)
            return SessionComparison::change(r.rate);
        if (index.column() == RateA || index.column() == RateB)
            return QString::number(b ? f->b : f->a, 'f', 2);
        return QString(QString::number(b ? f->b : f->a, 'f', 0)
            + (direction != 0 && b ? QStringLiteral("  (%1)").arg(SessionComparison::change(*f)) : QString()));
    case SortRole:
        if (index.column() == TypeColumn)
            return r.type;
        if (index.column() == RateChange)
            return r.rate.a == 0 ? 1e9 : (r.rate.b - r.rate.a) / r.rate.a;
        return b ? f->b : f->a;
    case ProblemRole:
        return direction;
    case Qt::BackgroundRole:
        if (direction == 1)
            return QBrush(QColor(0xef, 0x9a, 0x9a));
        if (direction == -1)
            return QBrush(QColor(0xa5, 0xd6, 0xa7));
        if (direction == 2)
            return QBrush(QColor(0xff, 0xe0, 0x82));
        return {};
    case Qt::ForegroundRole:
        return direction != 0 ? QBrush(Qt::black) : QVariant();
    case Qt::TextAlignmentRole:
        return index.column() == TypeColumn ? QVariant() : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}
