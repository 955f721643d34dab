// SPDX-License-Identifier: MIT
#include "shapetimeline.h"

#include "colours.h"
#include "printable.h"
#include "schemamodel.h"
#include "session.h"
#include "timestamp.h"
#include "tooltip.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace {
constexpr double LaneHeight = 24;
constexpr double Margin = 6;
constexpr double NameWidth = 200;
constexpr double AxisHeight = 20;
constexpr double MarkRadius = 6;

/// The mark's symbol: added a triangle up, no longer sent one down, a new type a diamond.
QPainterPath symbol(int kind, QPointF c, double r = MarkRadius)
{
    QPainterPath path;
    if (kind == ShapeTracker::Change::Added) {
        path.moveTo(c.x(), c.y() - r);
        path.lineTo(c.x() + r, c.y() + r * 0.8);
        path.lineTo(c.x() - r, c.y() + r * 0.8);
    } else if (kind == ShapeTracker::Change::Removed) {
        path.moveTo(c.x(), c.y() + r);
        path.lineTo(c.x() + r, c.y() - r * 0.8);
        path.lineTo(c.x() - r, c.y() - r * 0.8);
    } else {
        path.moveTo(c.x(), c.y() - r);
        path.lineTo(c.x() + r, c.y());
        path.lineTo(c.x(), c.y() + r);
        path.lineTo(c.x() - r, c.y());
    }
    path.closeSubpath();
    return path;
}
} // namespace

ShapeTimeline::ShapeTimeline(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
{
    setMouseTracking(true);
    setAccessibleName(tr("Shape changes over time"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
}

ShapeTimeline::~ShapeTimeline() = default;

void ShapeTimeline::reset()
{
    m_lanes.clear();
    m_shown.clear();
    m_fromUs = m_toUs = 0;
    updateGeometry();
    update();
}

void ShapeTimeline::refresh()
{
    const ShapeTracker& shapes = m_session.shapes();
    const auto& types = shapes.types();
    std::vector<std::size_t> shown(types.size());
    for (std::size_t t = 0; t < types.size(); ++t)
        shown[t] = shapes.changesShown(quint16(t));
    const qint64 from = m_session.firstEventTimeUs();
    const qint64 to = m_session.lastEventTimeUs();
    if (shown == m_shown && from == m_fromUs && to == m_toUs)
        return; // nothing new: no repaint
    m_shown = std::move(shown);
    m_fromUs = from;
    m_toUs = to;
    // a lane per type that changed, the earliest change on top
    const std::size_t lanesBefore = m_lanes.size();
    m_lanes.clear();
    for (std::size_t t = 0; t < types.size(); ++t)
        if (m_shown[t])
            m_lanes.push_back(quint16(t));
    std::stable_sort(m_lanes.begin(), m_lanes.end(),
        [&](quint16 a, quint16 b) { return types[a].changes.front().timeUs < types[b].changes.front().timeUs; });
    if (m_lanes.size() != lanesBefore)
        updateGeometry();
    update();
}

void ShapeTimeline::setSelectedType(int type)
{
    if (type == m_selected)
        return;
    m_selected = type;
    update();
}

QSize ShapeTimeline::sizeHint() const
{
    return QSize(600, int(2 * Margin + AxisHeight + std::max<std::size_t>(m_lanes.size(), 2) * LaneHeight));
}

QSize ShapeTimeline::minimumSizeHint() const
{
    return QSize(320, int(2 * Margin + AxisHeight + std::max<std::size_t>(m_lanes.size(), 1) * LaneHeight));
}

QRectF ShapeTimeline::plotRect() const
{
    const double name = std::min(NameWidth, width() / 3.0);
    return QRectF(Margin + name, Margin, std::max(10.0, width() - 2 * Margin - name - MarkRadius),
        double(m_lanes.size()) * LaneHeight);
}

double ShapeTimeline::xOf(qint64 timeUs) const
{
    const QRectF plot = plotRect();
    if (m_toUs <= m_fromUs)
        return plot.left() + plot.width() / 2;
    const double share = double(timeUs - m_fromUs) / double(m_toUs - m_fromUs);
    return plot.left() + std::clamp(share, 0.0, 1.0) * plot.width();
}

int ShapeTimeline::laneAt(const QPointF& pos) const
{
    const double y = pos.y() - Margin;
    if (y < 0)
        return -1;
    const auto lane = std::size_t(y / LaneHeight);
    return lane < m_lanes.size() ? int(lane) : -1;
}

std::vector<ShapeTimeline::Mark> ShapeTimeline::marks() const
{
    std::vector<Mark> out;
    const auto& types = m_session.shapes().types();
    for (const quint16 type : m_lanes) {
        if (type >= types.size())
            continue;
        const auto& changes = types[type].changes;
        const std::size_t shown = std::min(type < m_shown.size() ? m_shown[type] : 0, changes.size());
        for (std::size_t c = 0; c < shown;) {
            std::size_t end = c + 1;
            while (end < shown && changes[end].event == changes[c].event)
                ++end;
            out.push_back({ type, quint32(c), quint32(end - c) });
            c = end;
        }
    }
    return out;
}

QPointF ShapeTimeline::markPosition(const Mark& mark) const
{
    const auto lane = std::find(m_lanes.begin(), m_lanes.end(), mark.type);
    const auto& changes = m_session.shapes().types()[mark.type].changes;
    return QPointF(
        xOf(changes[mark.firstChange].timeUs), Margin + double(lane - m_lanes.begin()) * LaneHeight + LaneHeight / 2);
}

ShapeTimeline::Mark ShapeTimeline::markAt(const QPointF& pos) const
{
    Mark best { 0, 0, 0 };
    double bestDistance = MarkRadius + 3;
    for (const Mark& m : marks()) {
        const QPointF c = markPosition(m);
        const double d = std::hypot(c.x() - pos.x(), c.y() - pos.y());
        if (d <= bestDistance) {
            best = m;
            bestDistance = d;
        }
    }
    return best;
}

QString ShapeTimeline::markText(const Mark& mark) const
{
    if (mark.changes == 0)
        return {};
    const ShapeTracker::Change& first = m_session.shapes().types()[mark.type].changes[mark.firstChange];
    QStringList lines;
    lines << tr("%1 at %2 from %3")
                 .arg(Printable::forDisplay(m_session.types().view(mark.type), 120), Timestamp::clockText(first.timeUs),
                     Printable::forDisplay(m_session.sources().view(first.source), 80));
    for (quint32 c = 0; c < mark.changes && c < 12; ++c)
        lines << QStringLiteral("  ")
                + Printable::forDisplay(ShapeChangeModel::describe(m_session, mark.type, mark.firstChange + c), 160);
    if (mark.changes > 12)
        lines << tr("  and %L1 more").arg(mark.changes - 12);
    lines << tr("Double-click: its first event in the log");
    return lines.join(QLatin1Char('\n'));
}

void ShapeTimeline::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    p.setRenderHint(QPainter::Antialiasing);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.base());
    if (m_lanes.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
            tr("No shape changes: each type's payload shape is learned from its first events, and a field "
               "added, no longer sent or with a new type is marked here."));
        return;
    }
    const bool dark = Colours::isDark(pal);
    const QRectF plot = plotRect();
    const QFontMetricsF metrics(font());
    const double nameWidth = plot.left() - Margin - 6;
    for (std::size_t l = 0; l < m_lanes.size(); ++l) {
        const QRectF lane(Margin, Margin + double(l) * LaneHeight, width() - 2 * Margin, LaneHeight);
        if (int(m_lanes[l]) == m_selected)
            p.fillRect(lane, pal.color(QPalette::Highlight).lighter(dark ? 60 : 170));
        else if (l % 2)
            p.fillRect(lane, pal.color(QPalette::AlternateBase));
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(lane.left() + 2, lane.top(), nameWidth, lane.height()), Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(
                Printable::forDisplay(m_session.types().view(m_lanes[l]), 200), Qt::ElideMiddle, nameWidth));
        p.setPen(QPen(pal.color(QPalette::Mid), 1));
        p.drawLine(QPointF(plot.left(), lane.center().y()), QPointF(plot.right(), lane.center().y()));
    }
    // the time axis: the session's range, a tick at each end and one between
    p.setPen(pal.color(QPalette::PlaceholderText));
    const double axisY = plot.bottom() + 2;
    p.drawLine(QPointF(plot.left(), axisY), QPointF(plot.right(), axisY));
    const int ticks = plot.width() > 420 ? 4 : 2;
    for (int i = 0; i <= ticks; ++i) {
        const double x = plot.left() + plot.width() * i / ticks;
        const qint64 t = m_fromUs + qint64(double(m_toUs - m_fromUs) * i / ticks);
        p.drawLine(QPointF(x, axisY), QPointF(x, axisY + 3));
        const QString label = QDateTime::fromMSecsSinceEpoch(t / 1000, Qt::UTC).toString(QStringLiteral("HH:mm:ss"));
        const double w = metrics.horizontalAdvance(label);
        const double left = i == 0 ? x : i == ticks ? x - w : x - w / 2;
        p.drawText(QRectF(left, axisY + 3, w + 1, AxisHeight - 3), Qt::AlignLeft | Qt::AlignTop, label);
    }
    // the legend, under the lanes' names
    double x = Margin + 2;
    const double legendY = axisY + 3 + metrics.ascent() / 2;
    for (int kind = 0; kind < 3; ++kind) {
        p.setPen(Qt::NoPen);
        p.setBrush(Colours::shapeChange(kind, dark));
        p.drawPath(symbol(kind, QPointF(x + 4, legendY), 4.5));
        const QString name = kind == 0 ? tr("added") : kind == 1 ? tr("gone") : tr("new type");
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QPointF(x + 11, axisY + 3 + metrics.ascent()), name);
        x += 11 + metrics.horizontalAdvance(name) + 10;
    }
    const auto& types = m_session.shapes().types();
    for (const Mark& m : marks()) {
        const ShapeTracker::Change& first = types[m.type].changes[m.firstChange];
        // an event's changes of several kinds: the worst decides (a new type, then a field gone)
        int kind = first.kind;
        for (quint32 c = 1; c < m.changes; ++c)
            kind = std::max(kind, int(types[m.type].changes[m.firstChange + c].kind));
        const QPointF c = markPosition(m);
        p.setPen(QPen(pal.color(QPalette::Base), 1));
        p.setBrush(Colours::shapeChange(kind, dark));
        p.drawPath(symbol(kind, c));
        if (m.changes > 1) {
            p.setPen(pal.color(QPalette::Text));
            p.drawText(QPointF(c.x() + MarkRadius + 1, c.y() - 2), QString::number(m.changes));
        }
    }
}

void ShapeTimeline::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    const Mark m = markAt(event->position());
    if (m.changes) {
        Q_EMIT typeSelected(m.type);
        Q_EMIT changeSelected(m.type, int(m.firstChange));
        return;
    }
    const int lane = laneAt(event->position());
    if (lane >= 0)
        Q_EMIT typeSelected(m_lanes[std::size_t(lane)]);
}

void ShapeTimeline::mouseDoubleClickEvent(QMouseEvent* event)
{
    const Mark m = markAt(event->position());
    if (event->button() == Qt::LeftButton && m.changes)
        Q_EMIT changeActivated(m.type, int(m.firstChange));
    else
        QWidget::mouseDoubleClickEvent(event);
}

bool ShapeTimeline::event(QEvent* event)
{
    return answerToolTip(this, event, [this](QPoint pos) { return markText(markAt(pos)); }) || QWidget::event(event);
}
