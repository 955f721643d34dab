// SPDX-License-Identifier: MIT
#include "stagefunnelview.h"

#include "colours.h"
#include "printable.h"
#include "session.h"
#include "tooltip.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

namespace {
constexpr double RowHeight = 42;
constexpr double Margin = 8;

QString timeText(qint64 us)
{
    const double ms = double(us) / 1000.0;
    return ms < 1000 ? StageFunnelView::tr("%1 ms").arg(qRound(ms))
                     : StageFunnelView::tr("%1 s").arg(ms / 1000.0, 0, 'f', 2);
}
} // namespace

StageFunnelView::StageFunnelView(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_session(session)
{
    setMouseTracking(true);
    setAccessibleName(tr("Stages"));
}

StageFunnelView::~StageFunnelView() = default;

void StageFunnelView::refresh(int root)
{
    m_root = root;
    m_rows = StageReport::rows(m_session, m_root);
    m_chains = m_root >= 0 ? m_session.stages().roots()[std::size_t(m_root)].chains : 0;
    updateGeometry();
    update();
}

QSize StageFunnelView::sizeHint() const
{
    return QSize(360, int(2 * Margin + std::max<std::size_t>(m_rows.size(), 3) * RowHeight));
}

QSize StageFunnelView::minimumSizeHint() const { return QSize(220, int(2 * Margin + m_rows.size() * RowHeight)); }

QRectF StageFunnelView::rowRect(int row) const
{
    return QRectF(Margin, Margin + row * RowHeight, width() - 2 * Margin, RowHeight - 4);
}

int StageFunnelView::rowAt(const QPointF& pos) const
{
    for (int r = 0; r < int(m_rows.size()); ++r)
        if (rowRect(r).contains(pos))
            return r;
    return -1;
}

QString StageFunnelView::rowText(int row) const
{
    if (row < 0 || std::size_t(row) >= m_rows.size())
        return {};
    const StageReport::Row& r = m_rows[std::size_t(row)];
    return tr("%1\nreached by %L2 of %L3 chains (%4 %)\nfrom the root: p50 %5, p95 %6, p99 %7\n"
              "from the stage before: p50 %8\n%L9 chains ended here so far\nClick: the chains that ended here")
        .arg(Printable::escaped(m_session.types().string(quint16(r.type))))
        .arg(r.reached)
        .arg(m_chains)
        .arg(r.reachedPercent, 0, 'f', 1)
        .arg(timeText(r.p50FromRootUs), timeText(r.p95FromRootUs), timeText(r.p99FromRootUs),
            timeText(r.p50FromPreviousUs))
        .arg(r.endedHere);
}

void StageFunnelView::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    const QPalette& pal = palette();
    p.fillRect(rect(), pal.base());
    if (m_rows.empty()) {
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(rect().adjusted(8, 8, -8, -8), Qt::AlignCenter | Qt::TextWordWrap,
            tr("No chains yet: stages follow the events that share a correlation id."));
        return;
    }
    const bool dark = Colours::isDark(pal);
    QColor bar = Colours::series(dark).value(0);
    bar.setAlphaF(0.55f);
    const QColor base = Colours::series(dark).value(0);
    const QColor ended = dark ? base.lighter(135) : base.darker(150);
    const QFontMetricsF metrics(font());
    for (int i = 0; i < int(m_rows.size()); ++i) {
        const StageReport::Row& r = m_rows[std::size_t(i)];
        const QRectF row = rowRect(i);
        const QRectF track(
            row.left(), row.top() + metrics.height() + 2, row.width(), row.height() - metrics.height() - 4);
        p.fillRect(track, pal.color(QPalette::AlternateBase));
        const double reached = std::clamp(r.reachedPercent / 100.0, 0.0, 1.0);
        p.fillRect(QRectF(track.left(), track.top(), track.width() * reached, track.height()), bar);
        // those that ended here: the end of the bar, in the failure colour (a stall is a step)
        const double endedShare = m_chains ? std::clamp(double(r.endedHere) / double(m_chains), 0.0, reached) : 0.0;
        if (endedShare > 0)
            p.fillRect(QRectF(track.left() + track.width() * (reached - endedShare), track.top(),
                           std::max(1.0, track.width() * endedShare), track.height()),
                ended);
        // the name, then the figures at the right of the same line (the name elided to leave them room)
        const QString figures = tr("%1 % · p50 %2 · ended %L3")
                                    .arg(r.reachedPercent, 0, 'f', 1)
                                    .arg(timeText(r.p50FromRootUs))
                                    .arg(r.endedHere);
        const double figuresWidth = std::min(metrics.horizontalAdvance(figures), row.width() / 2);
        p.setPen(pal.color(QPalette::Text));
        p.drawText(QRectF(row.left(), row.top(), row.width() - figuresWidth - 8, metrics.height()),
            Qt::AlignLeft | Qt::AlignVCenter,
            metrics.elidedText(Printable::escaped(m_session.types().string(quint16(r.type))), Qt::ElideMiddle,
                row.width() - figuresWidth - 8));
        p.setPen(pal.color(QPalette::PlaceholderText));
        p.drawText(QRectF(row.right() - figuresWidth, row.top(), figuresWidth, metrics.height()),
            Qt::AlignRight | Qt::AlignVCenter, metrics.elidedText(figures, Qt::ElideLeft, figuresWidth));
    }
}

void StageFunnelView::mousePressEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position());
    if (event->button() == Qt::LeftButton && row >= 0)
        Q_EMIT stageActivated(m_root, m_rows[std::size_t(row)].type);
    else
        QWidget::mousePressEvent(event);
}

bool StageFunnelView::event(QEvent* event)
{
    return answerToolTip(this, event, [this](QPoint pos) { return rowText(rowAt(pos)); }) || QWidget::event(event);
}
