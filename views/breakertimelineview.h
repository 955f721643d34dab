// SPDX-License-Identifier: MIT
#pragma once

#include "breakertracker.h"

#include <QChartView>
#include <array>
#include <limits>
#include <vector>

class QAreaSeries;
class QCategoryAxis;
class QDateTimeAxis;
class QScatterSeries;
class Session;

/// One lane per circuit breaker over time, each period filled by its state (closed, open, half-open:
/// told apart by colour and by fill pattern, named in the legend and in each lane's label), with every
/// transition marked. Built from the transitions themselves: a period of a few milliseconds is drawn
/// MinPeriodPixels wide rather than vanish, and where periods are narrower than FlappingPeriodPixels for
/// several transitions in a row (a flapping breaker) the stretch is drawn as the share of time in each state,
/// stacked, with the count in words ("flapping: 51 transitions in 2 min") instead of a barcode.
class BreakerTimelineView : public QChartView
{
    Q_OBJECT
public:
    static constexpr double MinPeriodPixels = 3;
    /// Periods narrower than this, FlappingPeriods or more in a row, make a flapping stretch.
    static constexpr double FlappingPeriodPixels = 6;
    static constexpr int FlappingPeriods = 4;

    explicit BreakerTimelineView(const Session& session, QWidget* parent = nullptr);
    ~BreakerTimelineView() override;

    /// Redraws [fromUs, toUs] on the session's time basis; the bands begin at dataFromUs where that is
    /// later (the session's first event: before it no state was seen).
    void refresh(qint64 fromUs, qint64 toUs, qint64 dataFromUs = std::numeric_limits<qint64>::min());
    /// Transitions in the window of the last refresh (marked, or counted in a flapping stretch).
    int transitionsShown() const { return m_transitionsShown; }
    /// What the chart says instead of lanes when no breaker has reported (empty once one has).
    QString emptyText() const { return m_emptyText; }

    /// A period of one state, in milliseconds on the session's time basis.
    struct Period
    {
        double fromMs = 0, toMs = 0;
        BreakerTransition::State state = BreakerTransition::Unknown;
    };
    /// A flapping stretch: the share of its time in closed, open and half-open, and its transitions.
    struct Flapping
    {
        double fromMs = 0, toMs = 0;
        std::array<double, 3> share {};
        int transitions = 0;
        QString text() const;
    };
    /// Splits a lane's periods into those drawn one by one and flapping stretches, for a plot where a
    /// millisecond is `pixelsPerMs` wide.
    static void groupPeriods(const std::vector<Period>& periods, double pixelsPerMs, std::vector<Period>* drawn,
        std::vector<Flapping>* flapping);
    /// The flapping stretches of lane `lane` in the last refresh (for tests).
    const std::vector<Flapping>& flappingOf(std::size_t lane) const { return m_lanes.at(lane).flapping; }
    std::size_t laneCount() const { return m_lanes.size(); }

    /// The breaker (Session::breakers() index) whose lane is under `pos` (viewport coordinates), or -1;
    /// `atUs` is set to the time there.
    int breakerAt(const QPoint& pos, qint64* atUs) const;
    /// Where breaker `breaker`'s lane is at time `atUs`, in viewport coordinates (for tests).
    QPoint lanePoint(int breaker, qint64 atUs) const;

Q_SIGNALS:
    /// A transition marker was clicked: the event that reported it.
    void transitionClicked(quint32 event);
    /// "Show affected chains" on a lane: of the trip at `atUs`, or of every trip (`atUs` the minimum).
    void affectedChainsRequested(int breaker, qint64 atUs);

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;
    void mousePressEvent(QMouseEvent* event) override;
    void contextMenuEvent(QContextMenuEvent* event) override;

private:
    struct Lane
    {
        std::size_t breaker = 0; ///< Session::breakers() index
        double lo = 0, hi = 0; ///< on the category axis
        std::vector<Period> periods;
        std::vector<Flapping> flapping;
    };
    struct Mark
    {
        double ms = 0, y = 0;
        quint32 event = 0;
    };
    void showEmpty(bool empty);
    QPointF toScene(double ms, double y) const;
    void fillPeriod(QPainter* painter, const QRectF& r, BreakerTransition::State state) const;

    const Session& m_session;
    QDateTimeAxis* m_x;
    QCategoryAxis* m_y;
    std::array<QAreaSeries*, 3> m_legend {}; ///< empty: the legend's entries for the states
    QScatterSeries* m_markLegend; ///< empty: the legend's entry for a transition
    std::vector<Lane> m_lanes;
    std::vector<Mark> m_marks; ///< drawn one by one (not inside a flapping stretch)
    int m_transitionsShown = 0;
    QString m_emptyText;
};
