// SPDX-License-Identifier: MIT
#include "breakertimelineview.h"

#include "chartstyle.h"
#include "colours.h"
#include "printable.h"
#include "session.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QContextMenuEvent>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QMenu>
#include <QMouseEvent>
#include <QPainter>
#include <QScatterSeries>

namespace {
const BreakerTransition::State States[3]
    = { BreakerTransition::Closed, BreakerTransition::Open, BreakerTransition::HalfOpen };

int slotOf(BreakerTransition::State s)
{
    for (int i = 0; i < 3; ++i)
        if (States[i] == s)
            return i;
    return -1;
}

QString durationText(double ms)
{
    if (ms < 1000)
        return BreakerTimelineView::tr("%1 ms").arg(qRound(ms));
    if (ms < 120'000)
        return BreakerTimelineView::tr("%1 s").arg(qRound(ms / 1000));
    return BreakerTimelineView::tr("%1 min").arg(qRound(ms / 60'000));
}
} // namespace

QString BreakerTimelineView::Flapping::text() const
{
    return tr("flapping: %L1 transitions in %2").arg(transitions).arg(durationText(toMs - fromMs));
}

BreakerTimelineView::BreakerTimelineView(const Session& session, QWidget* parent)
    : QChartView(parent)
    , m_session(session)
    , m_x(new QDateTimeAxis(this))
    , m_y(new QCategoryAxis(this))
    , m_markLegend(new QScatterSeries(this))
{
    QChart* c = makeTimeChart(tr("Circuit breakers"), palette(), m_x);
    m_y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    m_y->setRange(0, 1);
    c->addAxis(m_y, Qt::AlignLeft);
    const bool dark = Colours::isDark(palette());
    for (int s = 0; s < 3; ++s) {
        auto* area = new QAreaSeries(new QLineSeries(this));
        area->setName(BreakerTransition::stateName(States[s]));
        c->addSeries(area);
        area->setBrush(QBrush(Colours::breakerState(States[s], dark), Colours::breakerPattern(States[s])));
        area->setPen(QPen(Colours::breakerState(States[s], dark), 1));
        area->attachAxis(m_x);
        area->attachAxis(m_y);
        m_legend[std::size_t(s)] = area;
    }
    m_markLegend->setName(tr("transition"));
    m_markLegend->setMarkerSize(9);
    m_markLegend->setMarkerShape(QScatterSeries::MarkerShapeTriangle);
    c->addSeries(m_markLegend);
    m_markLegend->setColor(palette().color(QPalette::WindowText));
    m_markLegend->setBorderColor(palette().color(QPalette::Window));
    m_markLegend->attachAxis(m_x);
    m_markLegend->attachAxis(m_y);
    QChart* preset = chart(); // QChartView made a chart of its own; setChart() only lets go of it
    setChart(c);
    delete preset;
    setAccessibleName(tr("Circuit breaker timeline"));
    showEmpty(true);
    setMinimumHeight(90);
}

BreakerTimelineView::~BreakerTimelineView() = default;

void BreakerTimelineView::groupPeriods(
    const std::vector<Period>& periods, double pixelsPerMs, std::vector<Period>* drawn, std::vector<Flapping>* flapping)
{
    const auto narrow = [&](const Period& p) { return (p.toMs - p.fromMs) * pixelsPerMs < FlappingPeriodPixels; };
    std::size_t i = 0;
    while (i < periods.size()) {
        std::size_t end = i;
        while (end < periods.size() && narrow(periods[end]))
            ++end;
        if (end - i >= std::size_t(FlappingPeriods)) {
            Flapping f;
            f.fromMs = periods[i].fromMs;
            f.toMs = periods[end - 1].toMs;
            const double span = std::max(1e-9, f.toMs - f.fromMs);
            for (std::size_t k = i; k < end; ++k) {
                const int s = slotOf(periods[k].state);
                if (s >= 0)
                    f.share[std::size_t(s)] += (periods[k].toMs - periods[k].fromMs) / span;
            }
            // every period begins with a transition but one that begins the window, and so does the one
            // after the stretch
            f.transitions = int(end - i) - (i == 0 ? 1 : 0) + (end < periods.size() ? 1 : 0);
            flapping->push_back(f);
            i = end;
            continue;
        }
        for (std::size_t k = i; k < std::max(end, i + 1); ++k)
            drawn->push_back(periods[k]);
        i = std::max(end, i + 1);
    }
}

void BreakerTimelineView::refresh(qint64 fromUs, qint64 toUs, qint64 dataFromUs)
{
    const BreakerTracker& breakers = m_session.breakers();
    const double fromMs = double(fromUs) / 1000.0, toMs = double(toUs) / 1000.0;
    const double pixelsPerMs = chart()->plotArea().width() / std::max(1.0, toMs - fromMs);
    m_lanes.clear();
    m_marks.clear();
    m_transitionsShown = 0;
    const QStringList oldLabels = m_y->categoriesLabels();
    for (const QString& l : oldLabels)
        m_y->remove(l);
    // one lane per origin's breaker (a merged breaker repeats its members)
    for (std::size_t i = 0; i < breakers.size(); ++i) {
        const Breaker& b = breakers.at(i);
        if (b.merged)
            continue;
        const double laneIndex = double(m_lanes.size());
        Lane lane;
        lane.breaker = i;
        lane.lo = laneIndex + 0.2;
        lane.hi = laneIndex + 0.8;
        std::vector<Period> periods;
        std::vector<Mark> marks;
        // the state when the window starts: the last transition before it
        const auto& h = b.history;
        auto it = std::lower_bound(
            h.begin(), h.end(), fromUs, [](const BreakerTransition& t, qint64 us) { return t.timeUs < us; });
        // (before the first report: the state that transition left)
        BreakerTransition::State state = it != h.begin() ? std::prev(it)->to
            : it != h.end()                              ? it->from
                                                         : BreakerTransition::Unknown;
        double segmentStart = std::max(fromMs, double(dataFromUs) / 1000.0);
        const auto close = [&](double endMs) {
            if (endMs > segmentStart && slotOf(state) >= 0)
                periods.push_back({ segmentStart, endMs, state });
        };
        for (; it != h.end() && it->timeUs <= toUs; ++it) {
            const double t = double(it->timeUs) / 1000.0;
            close(t);
            state = it->to;
            segmentStart = std::max(segmentStart, t);
            marks.push_back({ t, laneIndex + 0.5, it->event });
            ++m_transitionsShown;
        }
        close(toMs);
        groupPeriods(periods, pixelsPerMs, &lane.periods, &lane.flapping);
        // a flapping stretch is told in words: its transitions are not marked one by one
        for (const Mark& m : marks)
            if (std::none_of(lane.flapping.begin(), lane.flapping.end(),
                    [&](const Flapping& f) { return m.ms >= f.fromMs && m.ms <= f.toMs; }))
                m_marks.push_back(m);
        m_y->append(
            QStringLiteral("%1 (%2)").arg(
                fontMetrics().elidedText(Printable::forDisplay(m_session.breakerLabel(i), 60), Qt::ElideMiddle, 240),
                BreakerTransition::stateName(b.state()).toUpper()),
            laneIndex + 1);
        m_lanes.push_back(std::move(lane));
    }
    m_y->setRange(0, std::max<double>(1, double(m_lanes.size())));
    setTimeRange(m_x, fromUs / 1000, toUs / 1000, chart()->plotArea().width());
    // with no breaker yet, a sentence instead of an empty lane, and no axis labels that mean nothing
    showEmpty(m_lanes.empty());
    viewport()->update();
}

void BreakerTimelineView::showEmpty(bool empty)
{
    if (empty == !m_emptyText.isEmpty())
        return;
    m_emptyText = empty ? tr("No circuit breaker has reported a state yet") : QString();
    showChartFrame(chart(), !empty);
    viewport()->update();
}

QPointF BreakerTimelineView::toScene(double ms, double y) const
{
    return chart()->mapToScene(chart()->mapToPosition(QPointF(ms, y), m_markLegend));
}

void BreakerTimelineView::fillPeriod(QPainter* painter, const QRectF& r, BreakerTransition::State state) const
{
    const bool dark = Colours::isDark(palette());
    // a pattern needs room to be seen: a sliver is filled solid
    const Qt::BrushStyle pattern = r.width() < 2 * MinPeriodPixels ? Qt::SolidPattern : Colours::breakerPattern(state);
    painter->fillRect(r, QBrush(Colours::breakerState(state, dark), pattern));
}

void BreakerTimelineView::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    painter->save();
    const QRectF plot = chart()->mapToScene(chart()->plotArea()).boundingRect();
    if (!m_emptyText.isEmpty()) {
        painter->setPen(palette().color(QPalette::PlaceholderText));
        painter->drawText(plot, Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
        painter->restore();
        return;
    }
    painter->setClipRect(plot);
    std::vector<std::pair<QRectF, QString>> flaps; // their words go on top of everything
    for (const Lane& lane : m_lanes) {
        for (const Period& p : lane.periods) {
            QRectF r(toScene(p.fromMs, lane.hi), toScene(p.toMs, lane.lo));
            if (r.width() < MinPeriodPixels) // a period of a few milliseconds still shows
                r.setWidth(MinPeriodPixels);
            fillPeriod(painter, r, p.state);
        }
        for (const Flapping& f : lane.flapping) {
            QRectF whole(toScene(f.fromMs, lane.hi), toScene(f.toMs, lane.lo));
            if (whole.width() < MinPeriodPixels)
                whole.setWidth(MinPeriodPixels);
            // the shares stacked from the bottom: closed, open, half-open
            double bottom = whole.bottom();
            for (int s = 0; s < 3; ++s) {
                const double h = whole.height() * f.share[std::size_t(s)];
                fillPeriod(painter, QRectF(whole.left(), bottom - h, whole.width(), h), States[s]);
                bottom -= h;
            }
            painter->setPen(QPen(palette().color(QPalette::WindowText), 1, Qt::DotLine));
            painter->drawRect(whole);
            flaps.push_back({ whole, f.text() });
        }
    }
    // above the lane, pointing at the transition, so that the period it begins stays in sight
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(QPen(palette().color(QPalette::Window), 1));
    painter->setBrush(palette().color(QPalette::WindowText));
    for (const Mark& m : m_marks) {
        const QPointF tip = toScene(m.ms, m.y + 0.3);
        painter->drawPolygon(QPolygonF { tip, tip + QPointF(-5, -8), tip + QPointF(5, -8) });
    }
    const QFontMetricsF fm(font());
    for (const auto& [whole, text] : flaps) {
        QRectF box(0, 0, fm.horizontalAdvance(text) + 8, fm.height() + 2);
        // on the stretch when it is wide enough, else beside it where the lane has room
        box.moveCenter(whole.center());
        if (box.width() > whole.width() && whole.right() + box.width() + 4 <= plot.right())
            box.moveLeft(whole.right() + 4);
        else if (box.width() > whole.width() && whole.left() - box.width() - 4 >= plot.left())
            box.moveLeft(whole.left() - box.width() - 4);
        box.moveLeft(std::clamp(box.left(), plot.left(), std::max(plot.left(), plot.right() - box.width())));
        QColor back = palette().color(QPalette::Window);
        back.setAlpha(225);
        painter->fillRect(box, back);
        painter->setPen(palette().color(QPalette::WindowText));
        painter->drawText(box, Qt::AlignCenter, text);
    }
    painter->restore();
}

void BreakerTimelineView::mousePressEvent(QMouseEvent* event)
{
    // the marker nearest to the click, within a few pixels
    const QPointF at = mapToScene(event->position().toPoint());
    const Mark* best = nullptr;
    double bestDistance = 8;
    for (const Mark& m : m_marks) {
        const QPointF c = toScene(m.ms, m.y + 0.3) + QPointF(0, -4);
        const double d = std::hypot(c.x() - at.x(), c.y() - at.y());
        if (d <= bestDistance)
            best = &m, bestDistance = d;
    }
    if (best)
        Q_EMIT transitionClicked(best->event);
    else
        QChartView::mousePressEvent(event);
}

int BreakerTimelineView::breakerAt(const QPoint& pos, qint64* atUs) const
{
    const QPointF scene = mapToScene(pos);
    if (!chart()->plotArea().contains(chart()->mapFromScene(scene)))
        return -1;
    const QPointF value = chart()->mapToValue(chart()->mapFromScene(scene), m_markLegend);
    for (const Lane& lane : m_lanes)
        if (value.y() >= lane.lo - 0.2 && value.y() < lane.hi + 0.2) {
            if (atUs)
                *atUs = qint64(value.x() * 1000.0);
            return int(lane.breaker);
        }
    return -1;
}

QPoint BreakerTimelineView::lanePoint(int breaker, qint64 atUs) const
{
    for (const Lane& lane : m_lanes)
        if (int(lane.breaker) == breaker)
            return mapFromScene(toScene(double(atUs) / 1000.0, (lane.lo + lane.hi) / 2));
    return {};
}

void BreakerTimelineView::contextMenuEvent(QContextMenuEvent* event)
{
    qint64 atUs = 0;
    const int breaker = breakerAt(event->pos(), &atUs);
    if (breaker < 0)
        return QChartView::contextMenuEvent(event);
    QMenu menu(this);
    menu.addAction(tr("Show chains affected by this trip"), this,
        [this, breaker, atUs] { Q_EMIT affectedChainsRequested(breaker, atUs); });
    menu.addAction(tr("Show chains affected by all its trips"), this,
        [this, breaker] { Q_EMIT affectedChainsRequested(breaker, std::numeric_limits<qint64>::min()); });
    menu.exec(event->globalPos());
}
