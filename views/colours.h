// SPDX-License-Identifier: MIT
#pragma once

#include "breakertracker.h"

#include <QColor>
#include <QList>

class QPalette;

/// Every colour the dashboard chooses itself, in one place, for a light and a dark palette. Series and
/// bands keep at least WCAG's 3:1 contrast for graphics against the chart background; the breaker states
/// stay apart under the common colour-vision deficiencies and also differ by fill pattern, and every
/// state is named in the legend and the lane label as well.
namespace Colours {
/// WCAG 2 contrast ratio between two colours, from 1 (the same) to 21 (black on white).
double contrast(const QColor& a, const QColor& b);
/// Whether the palette's window is dark (the dark chart theme then applies).
bool isDark(const QPalette& palette);

/// The colours of the rate chart's series, in the order they are handed out.
QList<QColor> series(bool dark);
QColor retries(bool dark);
QColor deadLetters(bool dark);
QColor failures(bool dark);
/// A breaker state's band colour (closed, open, half-open; anything else: grey).
QColor breakerState(BreakerTransition::State state, bool dark);
/// A breaker state's fill: open solid (what must be seen), closed lighter dots, half-open hatched.
Qt::BrushStyle breakerPattern(BreakerTransition::State state);
/// A payload shape change's mark: a field added, no longer sent, or with a new type (ShapeTracker's
/// Change::Kind); the marks also differ by symbol.
QColor shapeChange(int kind, bool dark);
/// Text that says something is wrong (a red that reads on the palette's window).
QColor alarmText(const QPalette& palette);
/// The Fusion style's palettes, for `eventscope --palette light|dark` (the desktop's palette otherwise).
QPalette lightPalette();
QPalette darkPalette();
} // namespace Colours
