// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class BreakerHistoryModel;
class BreakerModel;
class EventLogModel;
class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QTableView;
class Session;

/// The breaker board: one row per breaker (state in colour and in words, time in state, transitions,
/// failures, last reason), the selected breaker's history, and the events around a chosen transition.
class BreakerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit BreakerPanel(const Session& session, QWidget* parent = nullptr);
    ~BreakerPanel() override;

    void refresh(qint64 nowUs);
    /// The session was reset (replay seeking backwards): start again empty.
    void reset();
    void selectBreaker(int breaker);
    /// Shows the events stored around `event` (a transition's report), which is selected.
    void showEventsAround(quint32 event);

    BreakerModel* model() const { return m_model; }
    BreakerHistoryModel* historyModel() const { return m_history; }
    EventLogModel* aroundModel() const { return m_around; }
    QTableView* boardTable() const { return m_board; }
    QTableView* historyTable() const { return m_historyTable; }
    QTableView* aroundTable() const { return m_aroundTable; }
    /// Breakers that several origins report under one name: one row each (off) or one row together (on).
    QCheckBox* mergeOrigins() const { return m_merge; }

Q_SIGNALS:
    void eventActivated(quint32 event);

private:
    const Session& m_session;
    BreakerModel* m_model;
    BreakerHistoryModel* m_history;
    EventLogModel* m_around;
    QTableView* m_board;
    QTableView* m_historyTable;
    QTableView* m_aroundTable;
    QLabel* m_aroundTitle;
    QCheckBox* m_merge;
    QSortFilterProxyModel* m_sorted;
};
