// SPDX-License-Identifier: MIT
#pragma once

class QChart;
class QDateTimeAxis;
class QPalette;
class QString;
#include <QtGlobal>

/// The dashboard's charts all look alike: a new chart with this title, the dark theme on a dark palette
/// (set before any series: themes restyle them), no animation, a compact legend below (tooltips give
/// elided names in full), and a time axis in seconds at the bottom. The caller adds its own value axis.
QChart* makeTimeChart(const QString& title, const QPalette& palette, QDateTimeAxis* timeAxis);

/// Shows or hides what frames a chart's data (every axis's labels, grid and line, and the legend): an
/// empty chart says what it waits for instead of drawing axes over a time nobody watched.
void showChartFrame(QChart* chart, bool shown);

/// Sets a time axis to [fromMs, toMs] (UTC) with labels that tell its ticks apart: minutes, seconds and
/// milliseconds when the span is under 10 s (a short capture), the date when it is over a day. As many
/// labels as fit in plotWidth pixels: QtCharts elides labels that would overlap ("11:0...").
void setTimeRange(QDateTimeAxis* timeAxis, qint64 fromMs, qint64 toMs, qreal plotWidth);
