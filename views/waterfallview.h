// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>
#include <optional>
#include <vector>

class ChainTreeModel;
class Session;

/// A chain as a waterfall: one row per event in causation order, each drawn at the time its producer
/// published it, with its time on the bus (publish to receive) as a bar, an elbow from cause to effect,
/// retries drawn with their actual backoff delay and dead letters marked. Click a row to select it.
class WaterfallView : public QWidget
{
    Q_OBJECT
public:
    WaterfallView(const Session& session, const ChainTreeModel& model, QWidget* parent = nullptr);
    ~WaterfallView() override;

    void setSelectedEvent(quint32 event);
    quint32 selectedEvent() const { return m_selected; }
    /// Call when the model changed.
    void chainChanged();
    /// Rows shown: one per event, but repeated steps (the same sub-tree of causes two or more times in
    /// a row under one cause, as a handler failing and retrying) share one row until it is clicked.
    int rowCount() const { return int(m_rows.size()); }
    /// How many repeats row `row` stands for (1: a single event's row).
    int repeatsAt(int row) const;
    /// Shows each repeat of the group on `row` on a row of its own again (or folds it back).
    void setExpanded(int row, bool expanded);
    /// Rows drawn with a backoff bar / a dead-letter mark in the last paint (for tests).
    int backoffBarsDrawn() const { return m_backoffBars; }
    int deadLetterMarksDrawn() const { return m_deadLetterMarks; }
    /// Labels (backoff, dead-lettered) that had no room in the last paint and are only in the row's tooltip.
    int labelsOnlyInTooltips() const { return m_labelsInTooltips; }

    /// Where a label `labelWidth` wide goes beside a mark or bar spanning [from, to] of a lane [left,
    /// right]: after it, else inside it (a bar wide enough), else before it; nothing when none fits
    /// (the label would cross the type names or the time column).
    static std::optional<double> placeLabel(double from, double to, double labelWidth, double left, double right);
    /// What the tooltip of `row` says: type, source, time from the chain's start, time on the bus, backoff
    /// and dead letter.
    QString rowToolTip(int row) const;

    /// The row of an event (-1: not in the chain), and its centre in widget coordinates.
    int rowOfEvent(quint32 event) const;
    int rowCenterY(int row) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    void eventSelected(quint32 event);
    void eventActivated(quint32 event);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    struct Row
    {
        int entry = 0; ///< the timeline entry it begins with
        int repeats = 1; ///< > 1: a folded group of this many repeated sub-trees
        bool expandedGroup = false; ///< the first row of a group shown unfolded
    };
    void layoutRows();
    int rowAt(int y) const;
    int rowHeight() const;

    const Session& m_session;
    const ChainTreeModel& m_model;
    quint32 m_selected = 0xFFFFFFFFu;
    int m_backoffBars = 0;
    int m_deadLetterMarks = 0;
    int m_labelsInTooltips = 0;
    std::vector<Row> m_rows;
    std::vector<int> m_rowOf; ///< per timeline entry: its row
    std::vector<quint32> m_expanded; ///< the first events of groups the user unfolded
};
