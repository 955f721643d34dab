// SPDX-License-Identifier: MIT
#pragma once

#include "flowgraph.h"

#include <QImage>
#include <QPainterPath>
#include <QWidget>

/// The flow map: event types (or services) as boxes in columns by causation depth, left to right, and
/// the causation links between them as curves whose width grows with their count and whose colour
/// turns red with the share of effects that failed. A curve back to an earlier column (a cycle, as a
/// retry loop) runs below the boxes. Hovering a curve or box shows its numbers; clicking a curve asks
/// for the chains through it, clicking a box for its type's events. Geometry is made once per graph
/// (setGraph()), so a repaint only draws.
class FlowMapView : public QWidget
{
    Q_OBJECT
public:
    explicit FlowMapView(QWidget* parent = nullptr);
    ~FlowMapView() override;

    void setGraph(FlowGraph graph);
    const FlowGraph& graph() const { return m_graph; }
    /// The edge (index in graph().edges) or node under a point, or -1.
    int edgeAt(const QPointF& pos) const;
    int nodeAt(const QPointF& pos) const;
    /// Where a node's box and an edge's midpoint are drawn (for tests and tooltips).
    QRectF nodeRect(int node) const;
    QPointF edgeMidpoint(int edge) const;
    /// What a tooltip says about an edge or a node.
    QString edgeText(int edge) const;
    QString nodeText(int node) const;
    /// Edge labels drawn in the last paint (only while few enough edges leave them readable).
    int edgeLabelsDrawn() const { return m_labelsDrawn; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void edgeActivated(int edge);
    void nodeActivated(int node);

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void leaveEvent(QEvent* event) override;
    bool event(QEvent* event) override;

private:
    void layOut();
    void changeEvent(QEvent* event) override;

    FlowGraph m_graph;
    std::vector<QRectF> m_nodeRects;
    std::vector<QPolygonF> m_edgeLines; ///< each curve flattened once: painted and hit-tested as is
    std::vector<QPolygonF> m_arrows;
    /// The curves, drawn once per graph, size or palette: stroking 350 wide antialiased curves takes
    /// longer than a frame, blitting them a fraction of a millisecond
    QImage m_edgeLayer;
    std::vector<QPolygonF> m_edgeShapes; ///< each curve's outline at its width, with its arrowhead
    std::vector<QString> m_nodeNames; ///< elided to the box, once per layout
    std::vector<QString> m_nodeFigures;
    std::vector<QString> m_edgeLabels;
    std::vector<QPointF> m_edgeMids;
    std::vector<double> m_edgeWidths;
    QSize m_contentSize;
    int m_hoverEdge = -1;
    int m_hoverNode = -1;
    int m_labelsDrawn = 0;
};
