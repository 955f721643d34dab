// SPDX-License-Identifier: MIT
#include "sparklinedelegate.h"

#include "typestatsmodel.h"

#include <QApplication>
#include <QPainter>
#include <QPainterPath>

SparklineDelegate::SparklineDelegate(QObject* parent)
    : QStyledItemDelegate(parent)
{ }

SparklineDelegate::~SparklineDelegate() = default;

void SparklineDelegate::paint(QPainter* painter, const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    QStyleOptionViewItem opt = option;
    initStyleOption(&opt, index);
    opt.text.clear();
    QApplication::style()->drawControl(QStyle::CE_ItemViewItem, &opt, painter, opt.widget);

    const QList<int> counts = index.data(TypeStatsModel::SparklineRole).value<QList<int>>();
    if (counts.isEmpty())
        return;
    int peak = 1;
    for (int c : counts)
        peak = std::max(peak, c);
    const QRectF area = QRectF(option.rect).adjusted(2, 3, -2, -3);
    const double step = area.width() / double(std::max<qsizetype>(1, counts.size() - 1));
    QPainterPath line;
    for (qsizetype i = 0; i < counts.size(); ++i) {
        const QPointF p(area.left() + double(i) * step, area.bottom() - area.height() * counts[i] / peak);
        if (i == 0)
            line.moveTo(p);
        else
            line.lineTo(p);
    }
    QPainterPath fill = line;
    fill.lineTo(area.bottomRight());
    fill.lineTo(area.bottomLeft());
    fill.closeSubpath();
    const bool selected = option.state & QStyle::State_Selected;
    QColor colour = selected ? option.palette.highlightedText().color() : option.palette.link().color();
    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    QColor translucent = colour;
    translucent.setAlpha(60);
    painter->fillPath(fill, translucent);
    painter->setPen(QPen(colour, 1.0));
    painter->drawPath(line);
    painter->restore();
}

QSize SparklineDelegate::sizeHint(const QStyleOptionViewItem& option, const QModelIndex& index) const
{
    const QSize base = QStyledItemDelegate::sizeHint(option, index);
    return { std::max(base.width(), 140), base.height() };
}
