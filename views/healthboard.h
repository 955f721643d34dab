// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QTableView;
class Session;
class TypeStatsModel;
class HealthSortProxy;

/// The health board: one row per event type with rates, a two-minute sparkline, problems and the last
/// time it was seen; errors first, then volume; filter by name or domain; optionally grouped by domain.
class HealthBoard : public QWidget
{
    Q_OBJECT
public:
    explicit HealthBoard(const Session& session, QWidget* parent = nullptr);
    ~HealthBoard() override;

    void refresh(qint64 nowUs);
    /// The session was reset (replay seeking backwards): start again empty.
    void reset();
    /// Selects the row of an event type (for alerts' evidence).
    void selectType(int type);
    QTableView* table() const { return m_table; }
    QLineEdit* filterEdit() const { return m_filter; }
    QByteArray saveState() const;
    void restoreState(const QByteArray& state);

Q_SIGNALS:
    /// The user asked for a type's events (double-click).
    void typeActivated(const QString& type);

private:
    void updateDomains();

    const Session& m_session;
    TypeStatsModel* m_model;
    HealthSortProxy* m_proxy;
    QTableView* m_table;
    QLineEdit* m_filter;
    QComboBox* m_domain;
    QCheckBox* m_group;
};
