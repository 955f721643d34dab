// SPDX-License-Identifier: MIT
#include "serieschartview.h"

#include "chartstyle.h"
#include "colours.h"
#include "decimate.h"

#include <QAreaSeries>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMouseEvent>
#include <QRubberBand>
#include <QValueAxis>
#include <QWheelEvent>
#include <cmath>
#include <limits>

SeriesChartView::SeriesChartView(const QString& title, QWidget* parent)
    : QChartView(parent)
    , m_x(new QDateTimeAxis(this))
    , m_y(new QValueAxis(this))
{
    QChart* c = makeTimeChart(title, palette(), m_x);
    m_y->setLabelFormat(QStringLiteral("%7.0f")); // padded: the axis keeps its width as values grow
    m_y->setMin(0);
    c->addAxis(m_y, Qt::AlignLeft);
    QChart* preset = chart(); // QChartView made a chart of its own; setChart() only lets go of it
    setChart(c);
    delete preset;
    setRenderHint(QPainter::Antialiasing, false); // dense lines: crisp and several times cheaper
    setAccessibleName(title);
    setMinimumHeight(100);
}

SeriesChartView::~SeriesChartView() = default;

qint64 SeriesChartView::timeAt(int x) const
{
    const QRectF plot = chart()->plotArea();
    if (plot.width() <= 0 || m_toMs <= m_fromMs)
        return m_fromMs;
    const double f = std::clamp((double(x) - plot.left()) / plot.width(), 0.0, 1.0);
    return m_fromMs + qint64(f * double(m_toMs - m_fromMs));
}

void SeriesChartView::mousePressEvent(QMouseEvent* event)
{
    const bool pan = event->button() == Qt::MiddleButton
        || (event->button() == Qt::LeftButton && (event->modifiers() & Qt::ShiftModifier));
    if (!chart()->plotArea().contains(event->position()) || (!pan && event->button() != Qt::LeftButton)) {
        QChartView::mousePressEvent(event);
        return;
    }
    m_drag = pan ? Drag::Pan : Drag::Band;
    m_dragStartX = int(event->position().x());
    m_panFromMs = m_fromMs;
    m_panToMs = m_toMs;
    if (m_drag == Drag::Band) {
        if (!m_band)
            m_band = new QRubberBand(QRubberBand::Rectangle, this);
        const QRectF plot = chart()->plotArea();
        m_band->setGeometry(QRect(m_dragStartX, int(plot.top()), 0, int(plot.height())));
        m_band->show();
    }
    event->accept();
}

void SeriesChartView::mouseMoveEvent(QMouseEvent* event)
{
    const int x = int(event->position().x());
    if (m_drag == Drag::Band) {
        const QRectF plot = chart()->plotArea();
        m_band->setGeometry(
            QRect(std::min(x, m_dragStartX), int(plot.top()), std::abs(x - m_dragStartX), int(plot.height())));
    } else if (m_drag == Drag::Pan) {
        const QRectF plot = chart()->plotArea();
        if (plot.width() > 0) {
            const qint64 shift = qint64(double(m_dragStartX - x) / plot.width() * double(m_panToMs - m_panFromMs));
            Q_EMIT rangeRequested(m_panFromMs + shift, m_panToMs + shift);
        }
    } else {
        QChartView::mouseMoveEvent(event);
    }
}

void SeriesChartView::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_drag == Drag::Band) {
        m_band->hide();
        const int x = int(event->position().x());
        // a click is not a band: only a drag of a few pixels zooms
        if (std::abs(x - m_dragStartX) >= 4) {
            const qint64 a = timeAt(std::min(x, m_dragStartX)), b = timeAt(std::max(x, m_dragStartX));
            if (b - a >= 2000)
                Q_EMIT rangeRequested(a, b);
        }
    }
    if (m_drag == Drag::None)
        QChartView::mouseReleaseEvent(event);
    m_drag = Drag::None;
}

void SeriesChartView::mouseDoubleClickEvent(QMouseEvent* event)
{
    Q_EMIT rangeResetRequested();
    event->accept();
}

void SeriesChartView::wheelEvent(QWheelEvent* event)
{
    if (m_toMs <= m_fromMs || event->angleDelta().y() == 0) {
        QChartView::wheelEvent(event);
        return;
    }
    // about the pointer: what is under it stays under it
    const qint64 at = timeAt(int(event->position().x()));
    const double factor = event->angleDelta().y() > 0 ? 0.8 : 1.25;
    const qint64 from = at - qint64(double(at - m_fromMs) * factor);
    const qint64 to = at + qint64(double(m_toMs - at) * factor);
    if (to - from >= 2000)
        Q_EMIT rangeRequested(from, to);
    event->accept();
}

void SeriesChartView::setLegendBeside(bool beside)
{
    chart()->legend()->setAlignment(beside ? Qt::AlignRight : Qt::AlignBottom);
}

void SeriesChartView::setStacked(bool stacked)
{
    if (stacked == m_stacked)
        return;
    m_stacked = stacked;
    // rebuild the series objects in the new form on the next update; removeAllSeries() deletes what the
    // chart holds (lines, or areas), the areas' own lines are ours to delete
    chart()->removeAllSeries();
    if (!m_areas.empty()) {
        qDeleteAll(m_lines);
        qDeleteAll(m_lowers);
    }
    m_areas.clear();
    m_lines.clear();
    m_lowers.clear();
    m_names.clear();
}

void SeriesChartView::ensureSeries(std::size_t count)
{
    const QList<QColor> colours = Colours::series(Colours::isDark(palette()));
    while (m_lines.size() < count) {
        auto* line = new QLineSeries(this);
        QPen pen(colours[qsizetype(m_lines.size()) % colours.size()]);
        pen.setWidthF(1.5);
        pen.setCosmetic(true);
        line->setPen(pen);
        if (m_stacked) {
            auto* lower = new QLineSeries(this);
            auto* area = new QAreaSeries(line, lower);
            chart()->addSeries(area);
            QColor fill = pen.color();
            fill.setAlpha(170);
            area->setColor(fill);
            area->setBorderColor(pen.color());
            area->attachAxis(m_x);
            area->attachAxis(m_y);
            m_areas.push_back(area);
            m_lowers.push_back(lower);
        } else {
            chart()->addSeries(line);
            line->setPen(pen); // addSeries() applied the theme's colour
            line->attachAxis(m_x);
            line->attachAxis(m_y);
        }
        m_lines.push_back(line);
        m_names.emplace_back();
    }
}

void SeriesChartView::setData(const std::vector<Series>& series, qint64 fromMs, qint64 toMs)
{
    ensureSeries(series.size());
    m_fromMs = fromMs;
    m_toMs = toMs;
    const int pixels = std::max(1, int(chart()->plotArea().width()));
    double peak = 1;
    m_pointsShown = 0;
    m_firstPointMs = std::numeric_limits<double>::max();
    QList<QPointF> cumulative;
    for (std::size_t i = 0; i < m_lines.size(); ++i) {
        const bool used = i < series.size();
        QAbstractSeries* shown = m_stacked ? static_cast<QAbstractSeries*>(m_areas[i]) : m_lines[i];
        shown->setVisible(used);
        if (!chart()->legend()->markers(shown).isEmpty())
            chart()->legend()->markers(shown).constFirst()->setVisible(used);
        if (!used) {
            m_lines[i]->clear();
            continue;
        }
        const Series& s = series[i];
        if (m_names[i] != s.name) {
            m_names[i] = s.name;
            shown->setName(s.name);
        }
        if (s.colour.isValid() && m_lines[i]->pen().color() != s.colour) {
            QPen pen = m_lines[i]->pen();
            pen.setColor(s.colour);
            m_lines[i]->setPen(pen);
            if (m_stacked) {
                m_areas[i]->setPen(pen);
                m_areas[i]->setColor(s.colour);
            }
        }
        if (m_stacked) {
            // upper = previous cumulative + this series; series share the same seconds
            QList<QPointF> upper = s.points;
            if (cumulative.size() == upper.size())
                for (qsizetype p = 0; p < upper.size(); ++p)
                    upper[p].ry() += cumulative[p].y();
            // the first band's floor spans its own points (the series may begin after the axis does)
            const double floorFrom = s.points.isEmpty() ? double(fromMs) : s.points.constFirst().x();
            decimateMinMax(
                cumulative.isEmpty() ? QList<QPointF> { QPointF(floorFrom, 0), QPointF(double(toMs), 0) } : cumulative,
                double(fromMs), double(toMs), pixels, m_buffer);
            m_lowers[i]->replace(m_buffer);
            cumulative = upper;
            decimateMinMax(upper, double(fromMs), double(toMs), pixels, m_buffer);
        } else {
            decimateMinMax(s.points, double(fromMs), double(toMs), pixels, m_buffer);
        }
        if (!m_buffer.isEmpty())
            m_firstPointMs = std::min(m_firstPointMs, m_buffer.constFirst().x());
        for (const QPointF& p : std::as_const(m_buffer))
            peak = std::max(peak, p.y());
        m_pointsShown += m_buffer.size();
        // a series of one second (a short capture) is a point, not a line: draw it
        const bool lone = m_buffer.size() <= 2;
        if (m_lines[i]->pointsVisible() != lone)
            m_lines[i]->setPointsVisible(lone);
        m_lines[i]->replace(m_buffer);
    }
    setTimeRange(m_x, fromMs, toMs, chart()->plotArea().width());
    // a little headroom, rounded so the axis does not jitter every tick
    const double magnitude = std::pow(10.0, std::floor(std::log10(peak * 1.15)));
    m_y->setRange(0, std::max(4.0, std::ceil(peak * 1.15 / magnitude) * magnitude));
    m_y->applyNiceNumbers();
    // as many labels as fit: QtCharts elides labels that would overlap, leaving "..."
    const int fit = std::clamp(int(chart()->plotArea().height() / 24), 2, 6);
    if (m_y->tickCount() > fit) {
        m_y->setTickCount(fit);
        m_y->setRange(0, m_y->max());
    }
}

void SeriesChartView::setEmptyText(const QString& text)
{
    if (text == m_emptyText)
        return;
    const bool changed = text.isEmpty() != m_emptyText.isEmpty();
    m_emptyText = text;
    if (changed)
        showChartFrame(chart(), text.isEmpty());
    viewport()->update();
}

void SeriesChartView::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    if (m_emptyText.isEmpty())
        return;
    painter->save();
    painter->setPen(palette().color(QPalette::PlaceholderText));
    const QRectF plot = chart()->mapToScene(chart()->plotArea()).boundingRect();
    painter->drawText(plot.adjusted(8, 0, -8, 0), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    painter->restore();
}
