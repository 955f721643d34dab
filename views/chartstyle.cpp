// SPDX-License-Identifier: MIT
#include "chartstyle.h"

#include <QChart>
#include <QDateTimeAxis>
#include <QLegend>
#include <QPalette>

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
