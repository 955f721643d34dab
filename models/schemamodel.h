// SPDX-License-Identifier: MIT
#pragma once

#include "sessiontablemodel.h"

#include <vector>

class Session;

/// One row per event type the session has seen while schemas were in use: events checked against the
/// type's schema, violating ones and their share, events not checked (no schema), when the violations
/// came and from which sources. Rows are added as types come; refresh() updates the figures.
class SchemaTypeModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column {
        TypeColumn,
        CheckedColumn,
        ViolatingColumn,
        ShareColumn,
        UncheckedColumn,
        FirstColumn,
        LastColumn,
        SourcesColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole, TypeRole, ViolatingRole };

    explicit SchemaTypeModel(const Session& session, QObject* parent = nullptr);
    ~SchemaTypeModel() override;

    void refresh();
    void reset();
    int rowCount(const QModelIndex& parent = {}) const final;
    /// The row of type id `type`, or -1.
    int rowOf(int type) const;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    std::vector<int> m_types; ///< type id per row
};

/// The rules one type's payloads broke ("POINTER: RULE"), with the events that broke each and the first
/// of them.
class SchemaRuleModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column { RuleColumn, EventsColumn, ExampleColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, KeyRole, ExampleEventRole };

    explicit SchemaRuleModel(const Session& session, QObject* parent = nullptr);
    ~SchemaRuleModel() override;

    /// Shows the rules of type id `type` (-1: none).
    void setType(int type);
    int type() const { return m_type; }
    void refresh();
    int rowCount(const QModelIndex& parent = {}) const final;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    int m_type = -1;
    int m_rows = 0;
};
