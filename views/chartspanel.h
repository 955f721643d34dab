// SPDX-License-Identifier: MIT
#pragma once

#include <QSet>
#include <QWidget>

class BreakerTimelineView;
class QCheckBox;
class QComboBox;
class QSpinBox;
class QToolButton;
class Session;
class SeriesChartView;

/// Live charts: events per second per type (the top N in the window plus the types the user picks) or
/// per domain, as lines or stacked; retries, dead letters and failures per second; the breaker
/// timeline. A window of 1 minute to 1 hour, and pause. Refreshed by the window's timer, never per event.
class ChartsPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ChartsPanel(const Session& session, QWidget* parent = nullptr);
    ~ChartsPanel() override;

    /// Redraws every chart for the window ending at `nowUs` (unless paused).
    void refresh(qint64 nowUs);
    void setPaused(bool paused);
    /// Why no event has come yet (connecting, refused, a capture with none), said by the empty charts.
    void setWaitingText(const QString& text);
    bool isPaused() const { return m_paused; }
    /// 0: the whole session (a capture's every second).
    void setWindowSeconds(int seconds);
    int windowSeconds() const;
    /// Shows [fromMs, toMs] instead of the window ending now (zoom and pan); it stays put while the
    /// session goes on. resetRange() goes back to the window.
    void setRange(qint64 fromMs, qint64 toMs);
    void resetRange();
    bool hasRange() const { return m_rangeToS > m_rangeFromS; }
    QSet<QString> pickedTypes() const { return m_picked; }
    void setPickedTypes(const QSet<QString>& types) { m_picked = types; }

    SeriesChartView* rateChart() const { return m_rates; }
    SeriesChartView* problemChart() const { return m_problems; }
    BreakerTimelineView* breakerTimeline() const { return m_breakers; }
    /// Wall time the last refresh spent building and handing over the series (microseconds).
    qint64 lastUpdateUs() const { return m_lastUpdateUs; }
    /// The rate charts show one point a minute: the range reaches back beyond the seconds' history.
    bool isPerMinute() const { return m_perMinute; }

    QByteArray saveState() const;
    void restoreState(const QByteArray& state);

Q_SIGNALS:
    void pausedChanged(bool paused);
    void transitionClicked(quint32 event);
    /// "Show affected chains" on a breaker lane (BreakerTimelineView::affectedChainsRequested).
    void affectedChainsRequested(int breaker, qint64 atUs);

private:
    void fillTypeMenu();
    void showWhyEmpty();

    const Session& m_session;
    QComboBox* m_window;
    QComboBox* m_grouping;
    QSpinBox* m_topN;
    QCheckBox* m_stacked;
    QToolButton* m_types;
    QToolButton* m_pause;
    SeriesChartView* m_rates;
    SeriesChartView* m_problems;
    BreakerTimelineView* m_breakers;
    QSet<QString> m_picked;
    QString m_waiting;
    bool m_paused = false;
    qint64 m_rangeFromS = 0, m_rangeToS = 0;
    QToolButton* m_resetRange;
    qint64 m_lastNowUs = 0;
    qint64 m_lastUpdateUs = 0;
    bool m_perMinute = false;
};
