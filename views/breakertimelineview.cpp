// SPDX-License-Identifier: MIT
#include "breakertimelineview.h"

#include "chartstyle.h"
#include "printable.h"
#include "session.h"

#include <QAreaSeries>
#include <QCategoryAxis>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QLegendMarker>
#include <QLineSeries>
#include <QPainter>
#include <QScatterSeries>

namespace {
const QColor StateColours[3] = { QColor(0x2e, 0x7d, 0x32), QColor(0xc6, 0x28, 0x28), QColor(0xef, 0x6c, 0x00) };
const BreakerTransition::State BandStates[3]
    = { BreakerTransition::Closed, BreakerTransition::Open, BreakerTransition::HalfOpen };
} // namespace

BreakerTimelineView::BreakerTimelineView(const Session& session, QWidget* parent)
    : QChartView(parent)
    , m_session(session)
    , m_x(new QDateTimeAxis(this))
    , m_y(new QCategoryAxis(this))
    , m_marks(new QScatterSeries(this))
{
    QChart* c = makeTimeChart(tr("Circuit breakers"), palette(), m_x);
    m_y->setLabelsPosition(QCategoryAxis::AxisLabelsPositionCenter);
    m_y->setRange(0, 1);
    c->addAxis(m_y, Qt::AlignLeft);
    m_marks->setName(tr("transition"));
    m_marks->setMarkerSize(9);
    m_marks->setMarkerShape(QScatterSeries::MarkerShapeRectangle);
    m_marks->setColor(palette().color(QPalette::WindowText));
    m_marks->setBorderColor(palette().color(QPalette::Window));
    c->addSeries(m_marks);
    m_marks->attachAxis(m_x);
    m_marks->attachAxis(m_y);
    QChart* preset = chart(); // QChartView made a chart of its own; setChart() only lets go of it
    setChart(c);
    delete preset;
    setAccessibleName(tr("Circuit breaker timeline"));
    showEmpty(true);
    setMinimumHeight(90);
    connect(m_marks, &QScatterSeries::clicked, this, [this](const QPointF& p) {
        // the marker nearest to the click
        const QList<QPointF> points = m_marks->points();
        qsizetype best = -1;
        double bestDistance = 0;
        for (qsizetype i = 0; i < points.size(); ++i) {
            const double d = std::abs(points[i].x() - p.x()) + std::abs(points[i].y() - p.y()) * 1e3;
            if (best < 0 || d < bestDistance)
                best = i, bestDistance = d;
        }
        if (best >= 0 && std::size_t(best) < m_markEvents.size())
            Q_EMIT transitionClicked(m_markEvents[std::size_t(best)]);
    });
}

BreakerTimelineView::~BreakerTimelineView() = default;

void BreakerTimelineView::ensureBands(std::size_t count)
{
    while (m_bands.size() < count) {
        Band b {};
        for (int s = 0; s < 3; ++s) {
            b.upper[s] = new QLineSeries(this);
            b.lower[s] = new QLineSeries(this);
            b.area[s] = new QAreaSeries(b.upper[s], b.lower[s]);
            b.area[s]->setColor(StateColours[s]);
            b.area[s]->setPen(Qt::NoPen); // a border would draw the band's empty baseline
            b.area[s]->setName(BreakerTransition::stateName(BandStates[s]));
            chart()->addSeries(b.area[s]);
            b.area[s]->attachAxis(m_x);
            b.area[s]->attachAxis(m_y);
            // one legend entry per state is enough
            if (!m_bands.empty())
                chart()->legend()->markers(b.area[s]).constFirst()->setVisible(false);
        }
        m_bands.push_back(b);
    }
    // transition marks stay on top of the bands
    chart()->removeSeries(m_marks);
    chart()->addSeries(m_marks);
    m_marks->attachAxis(m_x);
    m_marks->attachAxis(m_y);
}

void BreakerTimelineView::refresh(qint64 fromUs, qint64 toUs, qint64 dataFromUs)
{
    const BreakerTracker& breakers = m_session.breakers();
    if (m_bands.size() < breakers.size())
        ensureBands(breakers.size());
    const double fromMs = double(fromUs) / 1000.0, toMs = double(toUs) / 1000.0;
    QList<QPointF> marks;
    m_markEvents.clear();
    const QStringList oldLabels = m_y->categoriesLabels();
    for (const QString& l : oldLabels)
        m_y->remove(l);
    // one lane per origin's breaker (a merged breaker repeats its members)
    std::size_t lane = 0;
    for (std::size_t i = 0; i < breakers.size(); ++i) {
        const Breaker& b = breakers.at(i);
        if (b.merged)
            continue;
        const std::size_t l = lane++;
        const double lo = double(l) + 0.2, hi = double(l) + 0.8;
        QList<QPointF> upper[3];
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
            for (int s = 0; s < 3; ++s)
                if (BandStates[s] == state && endMs > segmentStart) {
                    upper[s] << QPointF(segmentStart, lo) << QPointF(segmentStart, hi) << QPointF(endMs, hi)
                             << QPointF(endMs, lo);
                }
        };
        for (; it != h.end() && it->timeUs <= toUs; ++it) {
            const double t = double(it->timeUs) / 1000.0;
            close(t);
            state = it->to;
            segmentStart = t;
            marks << QPointF(t, double(l) + 0.5);
            m_markEvents.push_back(it->event);
        }
        close(toMs);
        for (int s = 0; s < 3; ++s) {
            m_bands[l].upper[s]->replace(upper[s]);
            m_bands[l].lower[s]->replace({ QPointF(fromMs, lo), QPointF(toMs, lo) });
        }
        m_y->append(
            QStringLiteral("%1 (%2)").arg(
                fontMetrics().elidedText(Printable::forDisplay(m_session.breakerLabel(i), 60), Qt::ElideMiddle, 240),
                BreakerTransition::stateName(b.state()).toUpper()),
            double(l + 1));
    }
    for (std::size_t l = lane; l < m_bands.size(); ++l) // lanes a replay back in time no longer has
        for (int s = 0; s < 3; ++s) {
            m_bands[l].upper[s]->clear();
            m_bands[l].lower[s]->clear();
        }
    m_transitionsShown = int(marks.size());
    m_marks->replace(marks);
    m_y->setRange(0, std::max<double>(1, double(lane)));
    setTimeRange(m_x, fromUs / 1000, toUs / 1000, chart()->plotArea().width());
    // with no breaker yet, a sentence instead of an empty band and a lone "transition" legend entry
    showEmpty(lane == 0);
}

void BreakerTimelineView::showEmpty(bool empty)
{
    if (empty == !m_emptyText.isEmpty())
        return;
    m_emptyText = empty ? tr("No circuit breaker has reported a state yet") : QString();
    chart()->legend()->markers(m_marks).constFirst()->setVisible(!empty);
    viewport()->update();
}

void BreakerTimelineView::drawForeground(QPainter* painter, const QRectF& rect)
{
    QChartView::drawForeground(painter, rect);
    if (m_emptyText.isEmpty())
        return;
    painter->save();
    painter->setPen(palette().color(QPalette::PlaceholderText));
    painter->drawText(chart()->plotArea(), Qt::AlignCenter | Qt::TextWordWrap, m_emptyText);
    painter->restore();
}
