// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class MainWindow;

/// The links between a window's views: a log row, a breaker transition or a dead letter opens its
/// chain in the explorer; a board row or a source filters the log; an alert goes to its evidence. Built
/// on the window's public interface only, so every link is one a user could follow by hand.
class Navigation : public QObject
{
    Q_OBJECT
public:
    /// Connects the views of `window`, which owns this.
    explicit Navigation(MainWindow& window);
    ~Navigation() override;

    /// The explorer's selected event when the explorer has the focus, else the log's current one.
    quint32 selectedEvent() const;
    /// Opens the chain of stored event `event` in the explorer (a status message if it has none).
    void showChainOfEvent(quint32 event);
    void showChain(quint32 chain, quint32 event);
    /// Goes to the evidence of alert `row`.
    void followAlert(int row);

private:
    void showBreakerTransition(quint32 event);

    MainWindow& m_window;
};
