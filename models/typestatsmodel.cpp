// SPDX-License-Identifier: MIT
#include "typestatsmodel.h"

#include "session.h"

TypeStatsModel::TypeStatsModel(const Session& session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{ }

TypeStatsModel::~TypeStatsModel() = default;

void TypeStatsModel::refresh(qint64 nowUs)
{
    m_nowUs = nowUs;
    std::vector<quint16> added;
    const std::size_t known = m_types.size();
    for (std::size_t t = 0; t < m_session.types().size(); ++t) {
        const RateSeries* s = m_session.rates().type(quint16(t));
        if (!s || s->total() == 0)
            continue;
        if (std::find(m_types.begin(), m_types.end(), quint16(t)) == m_types.end())
            added.push_back(quint16(t));
    }
    if (known > 0)
        Q_EMIT dataChanged(index(0, 0), index(int(known) - 1, ColumnCount - 1), { Qt::DisplayRole, SortRole });
    if (!added.empty()) {
        beginInsertRows({}, int(known), int(known + added.size()) - 1);
        m_types.insert(m_types.end(), added.begin(), added.end());
        endInsertRows();
    }
}

int TypeStatsModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_types.size()); }

int TypeStatsModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant TypeStatsModel::value(int row, int column) const
{
    const quint16 type = m_types[std::size_t(row)];
    const RateSeries* s = m_session.rates().type(type);
    const qint64 nowSecond = m_nowUs / 1000000;
    switch (column) {
    case TypeColumn:
        return m_session.types().string(type);
    case DomainColumn:
        return m_session.rates().domains().string(m_session.rates().domainOf(type));
    case CountColumn:
        return qulonglong(s->total());
    case RateColumn:
        return s->rate(nowSecond, 1);
    case Rate10Column:
        return s->rate(nowSecond, 10);
    case Rate60Column:
        return s->rate(nowSecond, 60);
    case RetriesColumn:
        return qulonglong(m_session.retries().countForType(RetryTracker::Retry, type));
    case DeadLettersColumn:
        return qulonglong(m_session.retries().countForType(RetryTracker::DeadLetter, type));
    case FailuresColumn:
        return qulonglong(m_session.retries().countForType(RetryTracker::Failure, type));
    case LastSeenColumn:
        return double(m_nowUs - s->lastSeenUs()) / 1e6;
    }
    return {};
}

QVariant TypeStatsModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    if (role == SortRole)
        return value(index.row(), index.column());
    if (role == TypeIdRole)
        return m_types[std::size_t(index.row())];
    if (role == Qt::TextAlignmentRole)
        return index.column() <= DomainColumn ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
                                              : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    if (role != Qt::DisplayRole)
        return {};
    const QVariant v = value(index.row(), index.column());
    switch (index.column()) {
    case RateColumn:
    case Rate10Column:
    case Rate60Column:
        return QString::number(v.toDouble(), 'f', 1);
    case LastSeenColumn:
        return tr("%1 s ago").arg(std::max(0.0, v.toDouble()), 0, 'f', 1);
    default:
        return v;
    }
}

QVariant TypeStatsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TypeColumn:
        return tr("Type");
    case DomainColumn:
        return tr("Domain");
    case CountColumn:
        return tr("Count");
    case RateColumn:
        return tr("Rate/s");
    case Rate10Column:
        return tr("10 s avg");
    case Rate60Column:
        return tr("60 s avg");
    case RetriesColumn:
        return tr("Retries");
    case DeadLettersColumn:
        return tr("Dead letters");
    case FailuresColumn:
        return tr("Failures");
    case LastSeenColumn:
        return tr("Last seen");
    }
    return {};
}
