// SPDX-License-Identifier: MIT
#pragma once

#include <QMainWindow>
#include <memory>

class QLabel;
class QSortFilterProxyModel;
class QTableView;
class QTimer;
class Session;
class TypeStatsModel;
struct DecodedBatch;

/// The main window: a live summary of the session (totals, breakers, per-type table).
/// Refreshed on a timer, never per event.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(Session& session, QWidget* parent = nullptr);
    ~MainWindow() override;

    /// Feeds a batch into the session (views catch up on the next refresh).
    void ingest(const std::shared_ptr<DecodedBatch>& batch);
    /// Updates every view now.
    void refresh();
    void setConnectionText(const QString& text);

private:
    Session& m_session;
    TypeStatsModel* m_typeModel;
    QSortFilterProxyModel* m_proxy;
    QTableView* m_table;
    QLabel* m_totals;
    QLabel* m_breakers;
    QLabel* m_connection;
    QTimer* m_refreshTimer;
};
