// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class EventDetail;
class EventLogModel;
class QCheckBox;
class QLabel;
class QLineEdit;
class QTableView;
class Session;

/// The event log: a live tail with follow/pause, a display filter (see EventFilter), columns the user
/// adds for any JSON field, and the selected event's detail.
class EventLogPanel : public QWidget
{
    Q_OBJECT
public:
    explicit EventLogPanel(const Session& session, QWidget* parent = nullptr);
    ~EventLogPanel() override;

    void refresh();
    /// The session was reset (replay seeking backwards): start again empty.
    void reset();
    /// Applies a filter as if typed; returns false (and shows why) when it does not parse.
    bool setFilterText(const QString& text);
    void setFollowing(bool follow);
    bool isFollowing() const;
    void addFieldColumn(const QString& path);
    /// Selects an event (clearing the filter if it hides it) and shows its detail.
    void selectEvent(quint32 event);

    EventLogModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QLineEdit* filterEdit() const { return m_filter; }
    EventDetail* detail() const { return m_detail; }
    /// The selected event, or 0xFFFFFFFF.
    quint32 currentEvent() const;

    QByteArray saveState() const;
    void restoreState(const QByteArray& state);

Q_SIGNALS:
    void chainRequested(quint32 event);

private:
    void showContextMenu(const QPoint& pos);

    const Session& m_session;
    EventLogModel* m_model;
    QLineEdit* m_filter;
    QLabel* m_filterError;
    QCheckBox* m_follow;
    QLabel* m_count;
    QTableView* m_table;
    EventDetail* m_detail;
};
