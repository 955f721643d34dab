// SPDX-License-Identifier: MIT
#include "chartstyle.h"

#include <QChart>
#include <QDateTime>
#include <QDateTimeAxis>
#include <QFontMetrics>
#include <QLegend>
#include <QPalette>
#include <algorithm>

QChart* makeTimeChart(const QString& title, const QPalette& palette, QDateTimeAxis* timeAxis)
{
    auto* c = new QChart;
    if (palette.color(QPalette::Window).lightness() < 128)
        c->setTheme(QChart::ChartThemeDark);
    c->setTitle(title);
    c->setAnimationOptions(QChart::NoAnimation);
    c->legend()->setAlignment(Qt::AlignBottom);
    QFont small = c->legend()->font();
    small.setPointSizeF(small.pointSizeF() * 0.85);
    c->legend()->setFont(small);
    c->legend()->setShowToolTips(true);
    c->setMargins(QMargins(4, 4, 4, 4));
    timeAxis->setFormat(QStringLiteral("HH:mm:ss"));
    timeAxis->setTickCount(7);
    c->addAxis(timeAxis, Qt::AlignBottom);
    return c;
}

void setTimeRange(QDateTimeAxis* timeAxis, qint64 fromMs, qint64 toMs, qreal plotWidth)
{
    const qint64 span = toMs - fromMs;
    const QString format = span < 10'000 ? QStringLiteral("mm:ss.zzz")
        : span > 86'400'000              ? QStringLiteral("MM-dd HH:mm")
                                         : QStringLiteral("HH:mm:ss");
    if (timeAxis->format() != format)
        timeAxis->setFormat(format);
    // a label's width and a gap; at most 7 (5 for the longer millisecond labels)
    const int label
        = QFontMetrics(timeAxis->labelsFont()).horizontalAdvance(QStringLiteral("00:00:00.000").left(format.size()))
        + 24;
    const int ticks = std::clamp(int(plotWidth / label) + 1, 2, span < 10'000 ? 5 : 7);
    if (timeAxis->tickCount() != ticks)
        timeAxis->setTickCount(ticks);
    timeAxis->setRange(QDateTime::fromMSecsSinceEpoch(fromMs, Qt::UTC), QDateTime::fromMSecsSinceEpoch(toMs, Qt::UTC));
}

void showChartFrame(QChart* chart, bool shown)
{
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsVisible(shown);
        axis->setGridLineVisible(shown);
        axis->setLineVisible(shown);
    }
    chart->legend()->setVisible(shown);
}
