// SPDX-License-Identifier: MIT
#pragma once

#include "boundedtext.h"

#include <QAbstractTableModel>
#include <QCoreApplication>

class Session;

/// The base of the tables over a Session: the session they read, a fixed set of columns whose headers
/// (and header tooltips) come from a table, and text bounded for views (BoundedText). Each model's
/// header table is a static array of SessionTableModel::Header, marked for translation with
/// QT_TRANSLATE_NOOP in the model's own context.
class SessionTableModel : public BoundedText<QAbstractTableModel>
{
public:
    struct Header
    {
        const char* title;
        const char* toolTip = nullptr;
        /// A value as wide as the column's values usually are, for its first width (none: the view's).
        const char* typical = nullptr;
    };
    /// headerData() role: the column's typical value (Header::typical), for sizing it.
    static constexpr int TypicalTextRole = Qt::UserRole + 900;

    template<std::size_t Columns>
    SessionTableModel(const Session& session, const Header (&headers)[Columns], QObject* parent)
        : BoundedText<QAbstractTableModel>(parent)
        , m_session(session)
        , m_headers(headers)
        , m_columns(int(Columns))
    { }

    int columnCount(const QModelIndex& parent = {}) const final { return parent.isValid() ? 0 : m_columns; }
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override
    {
        if (orientation != Qt::Horizontal || section < 0 || section >= m_columns)
            return {};
        const char* text = role == Qt::DisplayRole ? m_headers[section].title
            : role == Qt::ToolTipRole              ? m_headers[section].toolTip
            : role == TypicalTextRole              ? m_headers[section].typical
                                                   : nullptr;
        return text ? QVariant(QCoreApplication::translate(metaObject()->className(), text)) : QVariant();
    }

protected:
    const Session& m_session;

private:
    const Header* m_headers;
    int m_columns;
};
