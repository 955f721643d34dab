// SPDX-License-Identifier: MIT
#pragma once

#include <QColor>
#include <QGuiApplication>
#include <QPalette>

/// Colours the item models give text (Qt::ForegroundRole), chosen for the application's palette so
/// that they keep WCAG's 4.5:1 for text on a light or a dark base. The views' own colours are in
/// views/colours.h.
namespace TextColours {
/// Whether the application's palette has a dark base (never without a QGuiApplication: a command-line
/// program or a fuzzer has none, and asking it for a palette would crash).
inline bool darkBase()
{
    return qobject_cast<QGuiApplication*>(QCoreApplication::instance())
        && QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
}
/// Something failed: dead letters, handler failures, errors (on a dark or a light base).
inline QColor failure(bool dark) { return dark ? QColor(0xff, 0x6b, 0x6b) : QColor(0xc6, 0x28, 0x28); }
inline QColor failure() { return failure(darkBase()); }
/// Something to look at: retries, warnings, breaker changes, a producer clock ahead.
inline QColor warning(bool dark) { return dark ? QColor(0xff, 0xa0, 0x40) : QColor(0xb3, 0x59, 0x00); }
inline QColor warning() { return warning(darkBase()); }
} // namespace TextColours
