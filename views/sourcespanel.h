// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QTableView;
class Session;
class SourceStatsModel;

/// The producers: each source's events and its time on the bus (median, p99). Double-click (or Enter)
/// shows that source's events in the log.
class SourcesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit SourcesPanel(const Session& session, QWidget* parent = nullptr);

    void refresh();
    /// The session was reset (replay seeking backwards): start again empty.
    void reset();
    SourceStatsModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }

Q_SIGNALS:
    void sourceActivated(const QString& source);

private:
    SourceStatsModel* m_model;
    QTableView* m_table;
};
