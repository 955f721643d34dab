// SPDX-License-Identifier: MIT
#pragma once

#include "stagereport.h"

#include <QWidget>

class Session;

/// The stages of one root's chains as a funnel: a row per stage in order of median time from the root,
/// its bar as long as the share of chains that reached it, the share that ended there (so far) darker at
/// the bar's end, so that a stall shows as a step. Click a row for the chains that ended at that stage.
class StageFunnelView : public QWidget
{
    Q_OBJECT
public:
    explicit StageFunnelView(const Session& session, QWidget* parent = nullptr);
    ~StageFunnelView() override;

    /// Reads the stages of `root` (-1: the most common root) again.
    void refresh(int root);
    int root() const { return m_root; }
    const std::vector<StageReport::Row>& rows() const { return m_rows; }
    int rowAt(const QPointF& pos) const;
    QRectF rowRect(int row) const;
    QString rowText(int row) const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

Q_SIGNALS:
    /// A stage's row was clicked: the chains of `root` that ended at `type`.
    void stageActivated(int root, int type);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    const Session& m_session;
    std::vector<StageReport::Row> m_rows;
    int m_root = -1;
    quint64 m_chains = 0;
};
