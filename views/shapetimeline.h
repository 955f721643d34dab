// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>
#include <vector>

class Session;

/// The shape changes of each event type over the session's time: a lane per type that changed, a mark
/// where each change came (a field added, no longer sent, or with a new type, each its own mark and
/// colour), the changes one event showed drawn as one mark. Hover a mark for the changes in words, click
/// it to pick that change, click a lane's name to pick the type; double-click a mark for its event.
class ShapeTimeline : public QWidget
{
    Q_OBJECT
public:
    explicit ShapeTimeline(const Session& session, QWidget* parent = nullptr);
    ~ShapeTimeline() override;

    /// Reads the changes again (a refresh tick).
    void refresh();
    void reset();
    /// Highlights type id `type`'s lane (-1: none).
    void setSelectedType(int type);

    /// A mark: the changes of one event of one type.
    struct Mark
    {
        quint16 type;
        quint32 firstChange; ///< index in the type's changes
        quint32 changes; ///< how many, from firstChange on
    };
    /// The lanes' types, top to bottom (by first change).
    const std::vector<quint16>& lanes() const { return m_lanes; }
    /// Where a mark is drawn, in widget coordinates (the centre of its symbol).
    QPointF markPosition(const Mark& mark) const;
    std::vector<Mark> marks() const;
    /// The mark under `pos` (within a few pixels), or one with changes == 0.
    Mark markAt(const QPointF& pos) const;
    QString markText(const Mark& mark) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void typeSelected(int type);
    /// A mark was clicked: its type and its first change.
    void changeSelected(int type, int change);
    /// A mark was double-clicked: the first event that showed it.
    void changeActivated(int type, int change);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    QRectF plotRect() const;
    double xOf(qint64 timeUs) const;
    int laneAt(const QPointF& pos) const;

    const Session& m_session;
    std::vector<quint16> m_lanes;
    std::vector<std::size_t> m_shown; ///< changes shown per type at the last refresh
    qint64 m_fromUs = 0;
    qint64 m_toUs = 0;
    int m_selected = -1;
};
