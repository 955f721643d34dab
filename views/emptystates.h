// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class EmptyState;
class MainWindow;

/// What each view of a window says while it is empty: the board, log, explorer, breakers, dead letters,
/// alerts and sources each name what is missing, and those that wait for events say why (the
/// connection's state, or what a capture held). Some empty views are good news ("No dead letters"),
/// and say so plainly.
class EmptyStates : public QObject
{
    Q_OBJECT
public:
    explicit EmptyStates(MainWindow& window);
    ~EmptyStates() override;

    /// Why no event has come (empty: nothing to add to what is missing).
    void setReason(const QString& reason);
    /// A connection waits to reconnect: the views waiting for events offer Retry now.
    void setRetryOffered(bool offered);
    /// The event log's, which also says when its filter hides every event.
    EmptyState* log() const { return m_log; }
    EmptyState* board() const { return m_board; }

Q_SIGNALS:
    void retryRequested();

private:
    MainWindow& m_window;
    EmptyState* m_board;
    EmptyState* m_log;
    EmptyState* m_explorer;
    EmptyState* m_sources;
    QString m_reason;
    bool m_filtered = false;
    void apply();
};
