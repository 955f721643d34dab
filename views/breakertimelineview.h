// SPDX-License-Identifier: MIT
#pragma once

#include <QChartView>
#include <limits>
#include <vector>

class QAreaSeries;
class QCategoryAxis;
class QDateTimeAxis;
class QLineSeries;
class QScatterSeries;
class Session;

/// One band per circuit breaker over time, coloured by state (closed, open, half-open: named in the
/// legend and in each band's label), with every transition marked. Built from the transitions
/// themselves, so an OPEN period of a few milliseconds still shows.
class BreakerTimelineView : public QChartView
{
    Q_OBJECT
public:
    explicit BreakerTimelineView(const Session& session, QWidget* parent = nullptr);
    ~BreakerTimelineView() override;

    /// Redraws [fromUs, toUs] on the session's time basis; the bands begin at dataFromUs where that is
    /// later (the session's first event: before it no state was seen).
    void refresh(qint64 fromUs, qint64 toUs, qint64 dataFromUs = std::numeric_limits<qint64>::min());
    /// Transition markers drawn in the last refresh.
    int transitionsShown() const { return m_transitionsShown; }
    /// What the chart says instead of bands when no breaker has reported (empty once one has).
    QString emptyText() const { return m_emptyText; }

Q_SIGNALS:
    /// A transition marker was clicked: the event that reported it.
    void transitionClicked(quint32 event);

protected:
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    struct Band
    {
        QLineSeries* upper[3]; ///< closed, open, half-open
        QLineSeries* lower[3];
        QAreaSeries* area[3];
    };
    void ensureBands(std::size_t count);
    void showEmpty(bool empty);

    const Session& m_session;
    QDateTimeAxis* m_x;
    QCategoryAxis* m_y;
    QScatterSeries* m_marks;
    std::vector<Band> m_bands;
    std::vector<quint32> m_markEvents; ///< per marker point
    int m_transitionsShown = 0;
    QString m_emptyText;
};
