// SPDX-License-Identifier: MIT
#pragma once

#include <QChartView>
#include <QColor>
#include <QList>
#include <QPointF>
#include <QString>
#include <limits>
#include <vector>

class QAreaSeries;
class QDateTimeAxis;
class QLineSeries;
class QValueAxis;

/// A live time chart of named series (x: epoch ms, y: per second), as lines or stacked areas. Each update
/// replaces every series' points at once (QXYSeries::replace), decimated to two points per pixel.
class SeriesChartView : public QChartView
{
    Q_OBJECT
public:
    struct Series
    {
        QString name;
        QList<QPointF> points; ///< sorted by x
        QColor colour; ///< invalid: the theme's
    };

    explicit SeriesChartView(const QString& title, QWidget* parent = nullptr);
    ~SeriesChartView() override;

    void setStacked(bool stacked);
    /// The legend beside the plot instead of below it: long series names (event types) stay whole.
    void setLegendBeside(bool beside);
    bool isStacked() const { return m_stacked; }
    /// Shows `series` over [fromMs, toMs].
    void setData(const std::vector<Series>& series, qint64 fromMs, qint64 toMs);
    /// Points handed to the chart in the last update (after decimation), for tests and benchmarks.
    qsizetype pointsShown() const { return m_pointsShown; }
    /// The earliest time drawn by any series in the last setData() (ms), or DBL_MAX when none was.
    double firstPointMs() const { return m_firstPointMs; }
    /// The time at a widget x position (epoch ms).
    qint64 timeAt(int x) const;
    /// With text, the chart says it instead of showing empty axes (no events yet, and why); empty: the
    /// axes, grid and legend again.
    void setEmptyText(const QString& text);
    QString emptyText() const { return m_emptyText; }

Q_SIGNALS:
    /// The user asked for another time range: a rubber band dragged (left button), the wheel turned
    /// (zoom about the pointer), or the plot dragged with the middle button or Shift (pan).
    void rangeRequested(qint64 fromMs, qint64 toMs);
    /// A double-click: back to the window.
    void rangeResetRequested();

protected:
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void drawForeground(QPainter* painter, const QRectF& rect) override;

private:
    void ensureSeries(std::size_t count);

    QDateTimeAxis* m_x;
    QValueAxis* m_y;
    std::vector<QLineSeries*> m_lines; ///< one per slot (upper lines when stacked)
    std::vector<QLineSeries*> m_lowers; ///< stacked: the previous slot's upper line
    std::vector<QAreaSeries*> m_areas;
    std::vector<QString> m_names;
    QList<QPointF> m_buffer; ///< reused between updates
    bool m_stacked = false;
    qsizetype m_pointsShown = 0;
    double m_firstPointMs = std::numeric_limits<double>::max();
    qint64 m_fromMs = 0, m_toMs = 0; ///< the range shown
    enum class Drag { None, Band, Pan } m_drag = Drag::None;
    int m_dragStartX = 0;
    qint64 m_panFromMs = 0, m_panToMs = 0;
    class QRubberBand* m_band = nullptr;
    QString m_emptyText;
};
