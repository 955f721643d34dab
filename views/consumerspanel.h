// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class ConsumerModel;
class EmptyState;
class QSortFilterProxyModel;
class QTableView;
class Session;
class SeriesChartView;

/// A JetStream stream's durable consumers (one per service, usually): a table with each one's lag,
/// pending, ack-pending and redelivered messages, the one furthest behind first, and under it their
/// lag over time, a line each (the eight furthest behind), so that "which service is falling behind"
/// is one look. Without a JetStream read it says how to start one.
class ConsumersPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ConsumersPanel(const Session& session, QWidget* parent = nullptr);
    ~ConsumersPanel() override;

    void refresh();
    void reset();
    /// Selects the row of consumer `consumer` (an index in ConsumerTracker::consumers()).
    void selectConsumer(int consumer);
    ConsumerModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    SeriesChartView* chart() const { return m_chart; }

    /// Consumers drawn in the chart, at most.
    static constexpr int MaxLines = 8;
    /// The chart's time range, back from the newest sample.
    static constexpr qint64 WindowMs = 15 * 60 * 1000;

private:
    const Session& m_session;
    ConsumerModel* m_model;
    QSortFilterProxyModel* m_sorted;
    QTableView* m_table;
    SeriesChartView* m_chart;
    EmptyState* m_empty;
    quint64 m_drawnChanges = 0; ///< the tracker's changes() when the chart was last drawn
};
