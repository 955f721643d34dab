// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class EmptyState;
class QComboBox;
class QLabel;
class QPushButton;
class QScrollArea;
class QTableView;
class QTabWidget;
class SchemaRuleModel;
class ShapeChangeModel;
class ShapeFieldModel;
class ShapeTimeline;
class SchemaTypeModel;
class Session;
struct SchemaProblem;

/// How payloads keep their types' schemas: one row per type (checked, violating and its share, not
/// checked, when, from where), the worst first, and under it the rules the selected type broke, each
/// with the events that broke it; beside those, every change in a type's payload shape learned from the
/// events (no schema needed), drawn as a timeline per type above their list, and each type's learned
/// shape (fields, types, presence, an example), which can be exported as a JSON Schema to start a
/// registry. Double-click a type for its violating events in the log, a rule for the events that broke
/// it, a change for its first event. Without schemas it says how to load them.
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
    ShapeTimeline* timeline() const { return m_timeline; }
    ShapeFieldModel* fieldModel() const { return m_fields; }
    QTableView* fieldTable() const { return m_fieldTable; }
    QComboBox* shapeTypeBox() const { return m_shapeType; }
    /// Brings the shape changes forward.
    void showChanges();
    /// Brings the learned shape of type id `type` forward.
    void showShape(int type);
    /// Writes the learned shape shown as a JSON Schema to `file`; false with `error` on failure.
    bool exportShape(const QString& file, QString* error);
    /// Writes every learned shape into folder `dir`, one TYPE.schema.json a type: the files written, or
    /// -1 with `error`.
    int exportShapes(const QString& dir, QString* error);
    QLabel* statusLabel() const { return m_status; }

Q_SIGNALS:
    /// File > Load schemas..., from the panel's empty state.
    void loadRequested();
    /// Show these events in the log: `filter` is a display filter (docs/filters.md), `event` the one to
    /// select (or 0xFFFFFFFF).
    void eventsRequested(const QString& filter, quint32 event);

private:
    void updateStatus();
    void updateShapeTypes();
    void fitTimeline();
    /// Follows a type chosen anywhere in the panel: its lane, its shape.
    void followType(int type);
    void askExportShape();
    void askExportShapes();

    const Session& m_session;
    SchemaTypeModel* m_types;
    SchemaRuleModel* m_rules;
    QLabel* m_status;
    QTableView* m_typeTable;
    QTableView* m_ruleTable;
    QLabel* m_rulesTitle;
    ShapeChangeModel* m_changes;
    QTableView* m_changeTable;
    ShapeTimeline* m_timeline;
    QScrollArea* m_timelineScroll = nullptr;
    QWidget* m_changesPage;
    ShapeFieldModel* m_fields;
    QTableView* m_fieldTable;
    QComboBox* m_shapeType;
    QPushButton* m_exportShape;
    QPushButton* m_exportShapes;
    QWidget* m_shapePage;
    QTabWidget* m_tabs;
    EmptyState* m_empty;
    QStringList m_problems;
};
