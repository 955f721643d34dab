// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>

/// Sorts and filters the health board. Sorting by the Errors column is "errors first, then volume"
/// (problems, then count), as Hystrix's default; with grouping on, rows stay together by domain first.
/// Filters by a text found in the type name and by one domain.
class HealthSortProxy : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit HealthSortProxy(QObject* parent = nullptr);
    ~HealthSortProxy() override;

    void setNameFilter(const QString& text);
    void setDomain(const QString& domain); ///< empty: all
    void setGroupByDomain(bool group);
    bool groupByDomain() const { return m_group; }

protected:
    bool lessThan(const QModelIndex& left, const QModelIndex& right) const override;
    bool filterAcceptsRow(int row, const QModelIndex& parent) const override;

private:
    QString m_name;
    QString m_domain;
    bool m_group = false;
};
