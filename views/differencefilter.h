// SPDX-License-Identifier: MIT
#pragma once

#include <QSortFilterProxyModel>
#include <functional>
#include <utility>

/// A side-by-side comparison's "only what differs": while on, only the rows `differs` accepts pass.
class DifferenceFilter : public QSortFilterProxyModel
{
public:
    using Differs = std::function<bool(const QAbstractItemModel* source, int row)>;
    DifferenceFilter(Differs differs, QObject* parent)
        : QSortFilterProxyModel(parent)
        , m_differs(std::move(differs))
    { }
    void setOnly(bool on)
    {
        m_only = on;
        invalidateFilter();
    }

protected:
    bool filterAcceptsRow(int row, const QModelIndex&) const override
    {
        return !m_only || m_differs(sourceModel(), row);
    }

private:
    Differs m_differs;
    bool m_only = false;
};
