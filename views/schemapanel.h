// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class EmptyState;
class QLabel;
class QTableView;
class QTabWidget;
class SchemaRuleModel;
class ShapeChangeModel;
class SchemaTypeModel;
class Session;
struct SchemaProblem;

/// How payloads keep their types' schemas: one row per type (checked, violating and its share, not
/// checked, when, from where), the worst first, and under it the rules the selected type broke, each
/// with the events that broke it; beside those, every change in a type's payload shape learned from the
/// events (no schema needed). Double-click a type for its violating events in the log, a rule for the
/// events that broke it, a change for its first event. Without schemas it says how to load them.
class SchemaPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SchemaPanel(const Session& session, QWidget* parent = nullptr);
    ~SchemaPanel() override;

    void refresh();
    /// The session was reset: start again empty.
    void reset();
    /// The files left out of the registry in use, for the line above the tables.
    void setProblems(const QList<SchemaProblem>& problems);
    /// Selects the row of type id `type` and shows its rules.
    void selectType(int type);

    SchemaTypeModel* typeModel() const { return m_types; }
    SchemaRuleModel* ruleModel() const { return m_rules; }
    QTableView* typeTable() const { return m_typeTable; }
    QTableView* ruleTable() const { return m_ruleTable; }
    QTableView* changeTable() const { return m_changeTable; }
    ShapeChangeModel* changeModel() const { return m_changes; }
    /// Brings the shape changes forward.
    void showChanges();
    QLabel* statusLabel() const { return m_status; }

Q_SIGNALS:
    /// File > Load schemas..., from the panel's empty state.
    void loadRequested();
    /// Show these events in the log: `filter` is a display filter (docs/filters.md), `event` the one to
    /// select (or 0xFFFFFFFF).
    void eventsRequested(const QString& filter, quint32 event);

private:
    void updateStatus();

    const Session& m_session;
    SchemaTypeModel* m_types;
    SchemaRuleModel* m_rules;
    QLabel* m_status;
    QTableView* m_typeTable;
    QTableView* m_ruleTable;
    QLabel* m_rulesTitle;
    ShapeChangeModel* m_changes;
    QTableView* m_changeTable;
    QTabWidget* m_tabs;
    EmptyState* m_empty;
    QStringList m_problems;
};
