// SPDX-License-Identifier: MIT
#include "healthsortproxy.h"

#include "typestatsmodel.h"

HealthSortProxy::HealthSortProxy(QObject* parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(TypeStatsModel::SortRole);
    setDynamicSortFilter(true);
}

HealthSortProxy::~HealthSortProxy() = default;

void HealthSortProxy::setNameFilter(const QString& text)
{
    m_name = text.trimmed();
    invalidateFilter();
}

void HealthSortProxy::setDomain(const QString& domain)
{
    m_domain = domain;
    invalidateFilter();
}

void HealthSortProxy::setGroupByDomain(bool group)
{
    m_group = group;
    invalidate();
}

bool HealthSortProxy::lessThan(const QModelIndex& left, const QModelIndex& right) const
{
    const QAbstractItemModel* m = sourceModel();
    if (m_group) {
        // keep domains together whatever the direction: compare them in the direction that will be undone
        const QString a = m->index(left.row(), TypeStatsModel::DomainColumn).data(TypeStatsModel::SortRole).toString();
        const QString b = m->index(right.row(), TypeStatsModel::DomainColumn).data(TypeStatsModel::SortRole).toString();
        if (a != b)
            return sortOrder() == Qt::AscendingOrder ? a < b : a > b;
    }
    if (left.column() == TypeStatsModel::FailedPercentColumn) {
        // the share first, then how many reports (attempts) make it, then how busy the type is
        const double sa = left.data(TypeStatsModel::SortRole).toDouble();
        const double sb = right.data(TypeStatsModel::SortRole).toDouble();
        if (sa != sb)
            return sa < sb;
        const qulonglong pa = left.data(TypeStatsModel::ProblemsRole).toULongLong();
        const qulonglong pb = right.data(TypeStatsModel::ProblemsRole).toULongLong();
        if (pa != pb)
            return pa < pb;
        return m->index(left.row(), TypeStatsModel::CountColumn).data(TypeStatsModel::SortRole).toULongLong()
            < m->index(right.row(), TypeStatsModel::CountColumn).data(TypeStatsModel::SortRole).toULongLong();
    }
    return QSortFilterProxyModel::lessThan(left, right);
}

bool HealthSortProxy::filterAcceptsRow(int row, const QModelIndex& parent) const
{
    const QAbstractItemModel* m = sourceModel();
    if (!m_domain.isEmpty()
        && m->index(row, TypeStatsModel::DomainColumn, parent).data(TypeStatsModel::SortRole).toString() != m_domain)
        return false;
    return m_name.isEmpty()
        || m->index(row, TypeStatsModel::TypeColumn, parent)
               .data(TypeStatsModel::SortRole)
               .toString()
               .contains(m_name, Qt::CaseInsensitive);
}
