// SPDX-License-Identifier: MIT
#include "flowmapview.h"

#include "colours.h"
#include "printable.h"
#include "tooltip.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>
#include <algorithm>
#include <cmath>

namespace {
constexpr double NodeHeight = 40;
constexpr double ColumnGap = 64;
constexpr double RowGap = 14;
constexpr double Margin = 16;
constexpr int MaxEdgeLabels = 60; ///< beyond this many edges, numbers only on hover

QString msText(qint64 us)
{
    const double ms = double(us) / 1000.0;
    if (ms < 10)
        return FlowMapView::tr("%1 ms").arg(ms, 0, 'f', 1);
    if (ms < 10'000)
        return FlowMapView::tr("%1 ms").arg(qRound(ms));
    return FlowMapView::tr("%1 s").arg(ms / 1000.0, 0, 'f', 1);
}

QString rateText(double perSecond)
{
    return perSecond >= 10 ? FlowMapView::tr("%L1/s").arg(qRound(perSecond))
                           : FlowMapView::tr("%L1/s").arg(perSecond, 0, 'f', 1);
}

/// From the palette's text grey to the failure red as the failed share grows (full red at 50 %).
QColor shareColour(double percent, const QColor& calm, const QColor& red)
{
    const double t = std::clamp(percent / 50.0, 0.0, 1.0);
    if (percent > 0)
        return QColor::fromRgbF(float(calm.redF() + (red.redF() - calm.redF()) * std::max(t, 0.35)),
            float(calm.greenF() + (red.greenF() - calm.greenF()) * std::max(t, 0.35)),
            float(calm.blueF() + (red.blueF() - calm.blueF()) * std::max(t, 0.35)));
    return calm;
}
} // namespace

FlowMapView::FlowMapView(QWidget* parent)
    : QWidget(parent)
{
    setMouseTracking(true);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setAccessibleName(tr("Flow map"));
}

FlowMapView::~FlowMapView() = default;

void FlowMapView::setGraph(FlowGraph graph)
{
    m_graph = std::move(graph);
    m_hoverEdge = m_hoverNode = -1;
    layOut();
    updateGeometry();
    update();
}

void FlowMapView::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange) {
        layOut();
        update();
    }
}

void FlowMapView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    layOut();
}

QSize FlowMapView::sizeHint() const { return m_contentSize.isEmpty() ? QSize(640, 360) : m_contentSize; }

QSize FlowMapView::minimumSizeHint() const { return m_contentSize.isEmpty() ? QSize(320, 200) : m_contentSize; }

void FlowMapView::layOut()
{
    const auto& nodes = m_graph.nodes;
    // boxes as wide as the longest name needs, within bounds (longer ones are elided in the middle)
    const QFontMetricsF metrics(font());
    double widest = 0;
    for (const FlowGraph::Node& n : nodes)
        widest = std::max(widest, metrics.horizontalAdvance(n.label));
    const double nodeWidth = std::clamp(widest + 18, 140.0, 250.0);
    int rows = 0;
    for (const FlowGraph::Node& n : nodes)
        rows = std::max(rows, n.order + 1);
    m_contentSize = QSize(int(2 * Margin + m_graph.layers * nodeWidth + std::max(0, m_graph.layers - 1) * ColumnGap),
        int(2 * Margin + rows * NodeHeight + std::max(0, rows - 1) * RowGap + 60));
    // columns spread over the width there is, boxes centred in their column's height
    const double columnGap = m_graph.layers > 1
        ? std::max(ColumnGap, (width() - 2 * Margin - m_graph.layers * nodeWidth) / (m_graph.layers - 1))
        : ColumnGap;
    std::vector<int> perColumn(std::size_t(std::max(m_graph.layers, 1)), 0);
    for (const FlowGraph::Node& n : nodes)
        perColumn[std::size_t(n.layer)] = std::max(perColumn[std::size_t(n.layer)], n.order + 1);
    const double bottomRoom = 50; // for the curves of cycles
    m_nodeRects.assign(nodes.size(), {});
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const FlowGraph::Node& n = nodes[i];
        const int inColumn = perColumn[std::size_t(n.layer)];
        const double columnHeight = inColumn * NodeHeight + (inColumn - 1) * RowGap;
        const double top = Margin + std::max(0.0, (height() - bottomRoom - 2 * Margin - columnHeight) / 2);
        m_nodeRects[i] = QRectF(
            Margin + n.layer * (nodeWidth + columnGap), top + n.order * (NodeHeight + RowGap), nodeWidth, NodeHeight);
    }
    const double bottom = [&] {
        double b = 0;
        for (const QRectF& r : m_nodeRects)
            b = std::max(b, r.bottom());
        return b;
    }();
    quint64 most = 1;
    for (const FlowGraph::Edge& e : m_graph.edges)
        most = std::max(most, e.count);
    m_edgeLayer = QImage();
    m_edgeLines.assign(m_graph.edges.size(), {});
    m_arrows.assign(m_graph.edges.size(), {});
    m_edgeMids.assign(m_graph.edges.size(), {});
    m_edgeWidths.assign(m_graph.edges.size(), 1);
    for (std::size_t i = 0; i < m_graph.edges.size(); ++i) {
        const FlowGraph::Edge& e = m_graph.edges[i];
        const QRectF& a = m_nodeRects[std::size_t(e.from)];
        const QRectF& b = m_nodeRects[std::size_t(e.to)];
        QPainterPath path;
        if (e.from == e.to) { // a loop on itself: a small ring above the box
            const QPointF top(a.center().x(), a.top());
            path.moveTo(top + QPointF(-12, 0));
            path.cubicTo(top + QPointF(-24, -30), top + QPointF(24, -30), top + QPointF(12, 0));
        } else if (b.left() > a.right()) { // forwards: right side to left side
            const QPointF from(a.right(), a.center().y()), to(b.left(), b.center().y());
            const double dx = (to.x() - from.x()) / 2;
            path.moveTo(from);
            path.cubicTo(from + QPointF(dx, 0), to - QPointF(dx, 0), to);
        } else { // backwards (a cycle) or within a column: below the boxes
            const QPointF from(a.center().x(), a.bottom()), to(b.center().x(), b.bottom());
            const double low = bottom + 20 + 10 * double(i % 3);
            path.moveTo(from);
            path.cubicTo(QPointF(from.x(), low), QPointF(to.x(), low), to);
        }
        const QList<QPolygonF> lines = path.toSubpathPolygons();
        m_edgeLines[i] = lines.isEmpty() ? QPolygonF() : lines.constFirst();
        m_edgeMids[i] = path.pointAtPercent(0.5);
        m_edgeWidths[i] = 1.0 + 4.0 * std::log10(1.0 + 9.0 * double(e.count) / double(most));
        // an arrowhead at the effect's end
        const QPointF tip = path.pointAtPercent(1.0);
        const double angle = path.angleAtPercent(0.98) * M_PI / 180.0;
        const QPointF back(std::cos(angle), -std::sin(angle));
        const QPointF side(-back.y(), back.x());
        const double size = 5 + m_edgeWidths[i];
        m_arrows[i] = QPolygonF { tip, tip - size * back + size / 2 * side, tip - size * back - size / 2 * side };
    }
    // the texts, elided once here rather than at every paint
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetricsF smallMetrics(small);
    m_nodeNames.assign(nodes.size(), {});
    m_nodeFigures.assign(nodes.size(), {});
    for (std::size_t i = 0; i < nodes.size(); ++i) {
        const FlowGraph::Node& n = nodes[i];
        const double room = m_nodeRects[i].width() - 16;
        m_nodeNames[i] = metrics.elidedText(Printable::escaped(n.label), Qt::ElideMiddle, room);
        QString figures = rateText(n.ratePerSecond);
        if (n.failed)
            figures += tr(" · %1 % failed").arg(n.failedPercent(), 0, 'f', 1);
        m_nodeFigures[i] = smallMetrics.elidedText(figures, Qt::ElideRight, room);
    }
    m_edgeLabels.assign(m_graph.edges.size(), {});
    for (std::size_t i = 0; i < m_graph.edges.size(); ++i) {
        const FlowGraph::Edge& e = m_graph.edges[i];
        m_edgeLabels[i] = tr("p95 %1").arg(msText(e.hop.quantileUs(0.95)))
            + (e.failed ? tr(" · %1 %").arg(e.failedPercent(), 0, 'f', 0) : QString());
    }
}

QRectF FlowMapView::nodeRect(int node) const
{
    return node >= 0 && std::size_t(node) < m_nodeRects.size() ? m_nodeRects[std::size_t(node)] : QRectF();
}

QPointF FlowMapView::edgeMidpoint(int edge) const
{
    return edge >= 0 && std::size_t(edge) < m_edgeMids.size() ? m_edgeMids[std::size_t(edge)] : QPointF();
}

int FlowMapView::nodeAt(const QPointF& pos) const
{
    for (std::size_t i = 0; i < m_nodeRects.size(); ++i)
        if (m_nodeRects[i].contains(pos))
            return int(i);
    return -1;
}

int FlowMapView::edgeAt(const QPointF& pos) const
{
    // the nearest curve within a few pixels: distance to the flattened curve's segments
    int best = -1;
    double bestDistance = 6.0;
    for (std::size_t i = 0; i < m_edgeLines.size(); ++i) {
        const QPolygonF& poly = m_edgeLines[i];
        const double reach = 4.0 + m_edgeWidths[i] / 2;
        if (!poly.boundingRect().adjusted(-reach, -reach, reach, reach).contains(pos))
            continue;
        for (qsizetype k = 1; k < poly.size(); ++k) {
            const QPointF a = poly[k - 1], b = poly[k];
            const QPointF ab = b - a;
            const double length2 = QPointF::dotProduct(ab, ab);
            const double t = length2 > 0 ? std::clamp(QPointF::dotProduct(pos - a, ab) / length2, 0.0, 1.0) : 0.0;
            const QPointF d = pos - (a + t * ab);
            const double distance = std::sqrt(QPointF::dotProduct(d, d)) - m_edgeWidths[i] / 2;
            if (distance < bestDistance) {
                bestDistance = distance;
                best = int(i);
            }
        }
    }
    return best;
}

QString FlowMapView::edgeText(int edge) const
{
    if (edge < 0 || std::size_t(edge) >= m_graph.edges.size())
        return {};
    const FlowGraph::Edge& e = m_graph.edges[std::size_t(edge)];
    QString text = tr("%1 → %2\n%L3 links, %4 over the last minute\nhop time p50 %5, p95 %6, p99 %7, max %8\n"
                      "%9 % of the effects failed or were dead-lettered (%L10)")
                       .arg(Printable::escaped(m_graph.nodes[std::size_t(e.from)].label),
                           Printable::escaped(m_graph.nodes[std::size_t(e.to)].label))
                       .arg(e.count)
                       .arg(rateText(e.ratePerSecond), msText(e.hop.quantileUs(0.5)), msText(e.hop.quantileUs(0.95)),
                           msText(e.hop.quantileUs(0.99)), msText(e.hop.maxUs()))
                       .arg(e.failedPercent(), 0, 'f', 1)
                       .arg(e.failed);
    if (e.early)
        text += tr("\n%L1 effects came before their cause on the session clock (counted as 0 ms)").arg(e.early);
    return text + tr("\nClick: the chains through this link, slowest first");
}

QString FlowMapView::nodeText(int node) const
{
    if (node < 0 || std::size_t(node) >= m_graph.nodes.size())
        return {};
    const FlowGraph::Node& n = m_graph.nodes[std::size_t(node)];
    QStringList sources;
    for (const QString& s : n.sources)
        sources << Printable::escaped(s);
    return tr("%1\n%L2 events, %3 over the last minute\n%4 % failed or dead-lettered (%L5)\n%6: %7")
        .arg(Printable::escaped(n.label))
        .arg(n.events)
        .arg(rateText(n.ratePerSecond))
        .arg(n.failedPercent(), 0, 'f', 1)
        .arg(n.failed)
        .arg(n.types.size() > 1 ? tr("types") : tr("from"), sources.join(QStringLiteral(", ")));
}

void FlowMapView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.base());
    m_labelsDrawn = 0;
    if (m_graph.nodes.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
            tr("No flow yet: the map draws the links between event types that causation ids make."));
        return;
    }
    p.setRenderHint(QPainter::Antialiasing);
    const bool dark = Colours::isDark(pal);
    const QColor red = Colours::failures(dark);
    QColor calm = pal.color(QPalette::Text);
    calm.setAlphaF(0.45f);
    const bool labels = int(m_graph.edges.size()) <= MaxEdgeLabels;
    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    const QFontMetricsF smallMetrics(small);

    // curves first (drawn into their layer when it is out of date), the hovered one on top
    const auto drawEdge = [&](QPainter& painter, std::size_t i, bool hovered) {
        const FlowGraph::Edge& e = m_graph.edges[i];
        const QColor c = hovered ? pal.color(QPalette::Highlight) : shareColour(e.failedPercent(), calm, red);
        painter.setPen(QPen(c, m_edgeWidths[i] + (hovered ? 1.5 : 0), Qt::SolidLine, Qt::FlatCap, Qt::BevelJoin));
        painter.setBrush(Qt::NoBrush);
        painter.drawPolyline(m_edgeLines[i]);
        painter.setBrush(c);
        painter.setPen(Qt::NoPen);
        painter.drawPolygon(m_arrows[i]);
    };
    if (m_edgeLayer.isNull()) {
        const qreal ratio = devicePixelRatioF();
        m_edgeLayer = QImage(size() * ratio, QImage::Format_ARGB32_Premultiplied);
        m_edgeLayer.setDevicePixelRatio(ratio);
        m_edgeLayer.fill(Qt::transparent);
        QPainter layer(&m_edgeLayer);
        layer.setRenderHint(QPainter::Antialiasing);
        for (std::size_t i = 0; i < m_graph.edges.size(); ++i)
            drawEdge(layer, i, false);
    }
    p.drawImage(QPointF(0, 0), m_edgeLayer);
    if (m_hoverEdge >= 0)
        drawEdge(p, std::size_t(m_hoverEdge), true);

    // the boxes
    const QFontMetricsF metrics(font());
    for (std::size_t i = 0; i < m_graph.nodes.size(); ++i) {
        const FlowGraph::Node& n = m_graph.nodes[i];
        const QRectF& r = m_nodeRects[i];
        QColor border
            = n.failed ? shareColour(n.failedPercent(), pal.color(QPalette::Mid), red) : pal.color(QPalette::Mid);
        if (int(i) == m_hoverNode)
            border = pal.color(QPalette::Highlight);
        p.setPen(QPen(border, n.failed ? 2.0 : 1.0));
        p.setBrush(pal.color(QPalette::Button));
        p.drawRoundedRect(r, 5, 5);
    }
    // the texts, all in one font and then the other (switching fonts per box costs)
    const double ascent = metrics.ascent();
    p.setPen(pal.color(QPalette::ButtonText));
    p.setFont(font());
    for (std::size_t i = 0; i < m_graph.nodes.size(); ++i)
        p.drawText(QPointF(m_nodeRects[i].left() + 8, m_nodeRects[i].top() + 4 + ascent), m_nodeNames[i]);
    p.setFont(small);
    const QColor alarm = Colours::alarmText(pal);
    const QColor quiet = pal.color(QPalette::PlaceholderText);
    for (std::size_t i = 0; i < m_graph.nodes.size(); ++i) {
        p.setPen(m_graph.nodes[i].failed ? alarm : quiet);
        p.drawText(
            QPointF(m_nodeRects[i].left() + 8, m_nodeRects[i].bottom() - 5 - smallMetrics.descent()), m_nodeFigures[i]);
    }

    // each edge's p95 hop time at its middle, on a plate (few edges only, or the hovered one)
    p.setFont(small);
    for (std::size_t i = 0; i < m_graph.edges.size(); ++i) {
        if (!labels && int(i) != m_hoverEdge)
            continue;
        const FlowGraph::Edge& e = m_graph.edges[i];
        const QString& label = m_edgeLabels[i];
        const QSizeF size(smallMetrics.horizontalAdvance(label) + 8, smallMetrics.height() + 2);
        const QRectF plate(m_edgeMids[i] - QPointF(size.width() / 2, size.height() / 2), size);
        p.setPen(Qt::NoPen);
        QColor back = pal.color(QPalette::Base);
        back.setAlphaF(0.85f);
        p.setBrush(back);
        p.drawRoundedRect(plate, 3, 3);
        p.setPen(e.failed ? Colours::alarmText(pal) : pal.color(QPalette::Text));
        p.drawText(plate, Qt::AlignCenter, label);
        ++m_labelsDrawn;
    }
}

void FlowMapView::mouseMoveEvent(QMouseEvent* event)
{
    const int node = nodeAt(event->position());
    const int edge = node >= 0 ? -1 : edgeAt(event->position());
    if (node != m_hoverNode || edge != m_hoverEdge) {
        m_hoverNode = node;
        m_hoverEdge = edge;
        setCursor(node >= 0 || edge >= 0 ? Qt::PointingHandCursor : Qt::ArrowCursor);
        update();
    }
}

void FlowMapView::leaveEvent(QEvent* event)
{
    QWidget::leaveEvent(event);
    if (m_hoverEdge >= 0 || m_hoverNode >= 0) {
        m_hoverEdge = m_hoverNode = -1;
        update();
    }
}

void FlowMapView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mousePressEvent(event);
    if (const int node = nodeAt(event->position()); node >= 0)
        Q_EMIT nodeActivated(node);
    else if (const int edge = edgeAt(event->position()); edge >= 0)
        Q_EMIT edgeActivated(edge);
}

bool FlowMapView::event(QEvent* event)
{
    const auto textAt = [this](QPoint pos) {
        const int node = nodeAt(pos);
        return node >= 0 ? nodeText(node) : edgeText(edgeAt(pos));
    };
    return answerToolTip(this, event, textAt) || QWidget::event(event);
}
