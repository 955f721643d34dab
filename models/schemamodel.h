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

/// Every change in a type's payload shape (ShapeTracker), newest first: when, the type, the field, the
/// change in words, the source and the first event that showed it.
class ShapeChangeModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column { TimeColumn, TypeColumn, ChangeColumn, SourceColumn, EventColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, EventRole, TypeRole };

    explicit ShapeChangeModel(const Session& session, QObject* parent = nullptr);
    ~ShapeChangeModel() override;

    void refresh();
    void reset();
    int rowCount(const QModelIndex& parent = {}) const final;
    /// A change in words: "/staffId string -> integer", "/isAvailable added (boolean)".
    static QString describe(const Session& session, quint16 type, std::size_t change);
    /// The row of type id `type`'s change `change`, or -1 when not listed.
    int rowOf(quint16 type, quint32 change) const;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    std::vector<std::pair<quint16, quint32>> m_rows; ///< (type, index in its changes)
    std::vector<std::size_t> m_seen; ///< per type: changes listed
};

/// One type's learned payload shape (ShapeTracker): each field path with the JSON types it held, how
/// many of the type's events had it and their share, and an example value (from the first event that
/// had it, read on demand).
class ShapeFieldModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column { FieldColumn, TypesColumn, PresentColumn, EventsColumn, ExampleColumn, ColumnCount };
    enum Role { SortRole = Qt::UserRole, EventRole };

    explicit ShapeFieldModel(const Session& session, QObject* parent = nullptr);
    ~ShapeFieldModel() override;

    /// Shows the shape of type id `type` (-1: none).
    void setType(int type);
    int type() const { return m_type; }
    void refresh();
    int rowCount(const QModelIndex& parent = {}) const final;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    int m_type = -1;
    std::vector<quint16> m_fields; ///< index in the type's fields per row
    mutable std::vector<std::pair<quint16, QString>> m_examples; ///< read so far, by field
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
