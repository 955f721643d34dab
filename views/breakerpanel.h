// SPDX-License-Identifier: MIT
#pragma once

#include "blastradius.h"

#include <QWidget>
#include <limits>
#include <vector>

class BreakerHistoryModel;
class BreakerModel;
class EventLogModel;
class QCheckBox;
class QLabel;
class QPushButton;
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
    QPushButton* affectedButton() const { return m_affected; }
    QPushButton* handlersButton() const { return m_handlers; }

    /// Asks the explorer for the chains a trip of breaker `breaker` affected (BlastRadius): the period
    /// that holds `atUs`, or every period when there is none (or `atUs` is the minimum).
    void showAffectedChains(int breaker, qint64 atUs = std::numeric_limits<qint64>::min());
    /// The handlers the user says are behind breaker `name` (for failures that name no breaker and that
    /// the session does not show behind one), kept in the settings.
    void setHandlersBehind(const QString& name, const QStringList& handlers);
    QStringList handlersBehind(const QString& name) const;
    /// The blast radius options: the user's mapping.
    BlastRadius::Options blastOptions() const;

Q_SIGNALS:
    void eventActivated(quint32 event);
    /// Chains to list in the explorer (a breaker's blast radius), named `label`.
    void chainsRequested(const std::vector<BlastRadius::ChainRef>& chains, const QString& label);

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
    QPushButton* m_affected;
    QPushButton* m_handlers;
    QSortFilterProxyModel* m_sorted;
    int selectedBreaker() const;
};
