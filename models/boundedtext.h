// SPDX-License-Identifier: MIT
#pragma once

#include "printable.h"

#include <QModelIndex>
#include <QVariant>

/// An item model whose text comes from outside (types, sources, ids, reasons, names): the views get it
/// bounded and on one line (Printable::shown), however long or hostile; a model implements
/// unboundedData() and keeps the whole text in its other roles (SortRole), for filters and copies.
template<typename Model>
class BoundedText : public Model
{
public:
    using Model::Model;

    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const final
    {
        return Printable::shown(unboundedData(index, role), role);
    }

protected:
    virtual QVariant unboundedData(const QModelIndex& index, int role) const = 0;
};
