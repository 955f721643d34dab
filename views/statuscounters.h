// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class QStatusBar;
class QToolButton;
class QWidget;
class Session;
class SessionFeed;

/// The status bar's live counters (events/s, events, chains, malformed, dropped, evicted, gaps), each
/// a button: the first three ask for their view, the others open what lies behind them (the malformed
/// records, the missing sequence numbers, why events were dropped or evicted). A non-zero count of
/// something lost or broken is red.
class StatusCounters : public QObject
{
    Q_OBJECT
public:
    /// Adds the counters to `bar`, as permanent widgets; dialogs open over `window`.
    StatusCounters(const Session& session, const SessionFeed& feed, QStatusBar* bar, QWidget* window);

    /// Updates every counter for the session's state at `nowUs`.
    void refresh(qint64 nowUs);
    /// Events the connection dropped before the feed (counted exactly by the source).
    void setSourceDropped(quint64 dropped) { m_sourceDropped = dropped; }
    /// A counter by object name: rate, events, chains, malformed, dropped, evicted, gaps.
    QToolButton* counter(const QString& name) const;

    void showMalformed();
    void showGaps();
    void explainLosses();

Q_SIGNALS:
    void chartsRequested();
    void logRequested();
    void explorerRequested();

private:
    quint64 dropped() const;

    const Session& m_session;
    const SessionFeed& m_feed;
    QStatusBar* m_bar;
    QWidget* m_window;
    quint64 m_sourceDropped = 0;
};
