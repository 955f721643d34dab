// SPDX-License-Identifier: MIT
#include "colours.h"

#include "textcolours.h"

#include <QPalette>
#include <cmath>

namespace {
double channel(int value)
{
    const double c = value / 255.0;
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double luminance(const QColor& c)
{
    return 0.2126 * channel(c.red()) + 0.7152 * channel(c.green()) + 0.0722 * channel(c.blue());
}
} // namespace

double Colours::contrast(const QColor& a, const QColor& b)
{
    const double la = luminance(a), lb = luminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

bool Colours::isDark(const QPalette& palette) { return palette.color(QPalette::Window).lightness() < 128; }

QList<QColor> Colours::series(bool dark)
{
    // Tableau 10's hues, darkened for a white chart and lightened for the dark theme's, until each
    // reads at 3:1 or more (tst_colours checks them against the charts' real backgrounds)
    if (dark)
        return { QColor(0x6e, 0xa8, 0xe0), QColor(0xff, 0xa6, 0x4d), QColor(0x6c, 0xc0, 0x70), QColor(0xff, 0x70, 0x70),
            QColor(0xc3, 0xa6, 0xe6), QColor(0xd0, 0xa0, 0x80), QColor(0xf2, 0x9a, 0xd0), QColor(0xbd, 0xbd, 0xbd),
            QColor(0xd4, 0xd4, 0x4a), QColor(0x5f, 0xd0, 0xdc) };
    return { QColor(0x1f, 0x77, 0xb4), QColor(0xc4, 0x5a, 0x00), QColor(0x23, 0x8b, 0x45), QColor(0xd6, 0x27, 0x28),
        QColor(0x8e, 0x5f, 0xbf), QColor(0x8c, 0x56, 0x4b), QColor(0xb8, 0x40, 0x8f), QColor(0x6b, 0x6b, 0x6b),
        QColor(0x7a, 0x7a, 0x00), QColor(0x0b, 0x7f, 0x8a) };
}

QColor Colours::retries(bool dark) { return dark ? QColor(0xff, 0xa0, 0x40) : QColor(0xc4, 0x5f, 0x00); }
QColor Colours::deadLetters(bool dark) { return TextColours::failure(dark); }
QColor Colours::failures(bool dark) { return dark ? QColor(0xc7, 0x92, 0xea) : QColor(0x6a, 0x1b, 0x9a); }

QColor Colours::shapeChange(int kind, bool dark)
{
    // Okabe-Ito's bluish green, orange and vermillion: apart under the common colour-vision deficiencies
    switch (kind) {
    case 0: // added
        return dark ? QColor(0x2f, 0xbf, 0x8f) : QColor(0x00, 0x8a, 0x64);
    case 1: // no longer sent
        return dark ? QColor(0xe6, 0x9f, 0x00) : QColor(0xa8, 0x6e, 0x00);
    default: // a new type
        return dark ? QColor(0xff, 0x7a, 0x45) : QColor(0xc0, 0x45, 0x00);
    }
}

QColor Colours::breakerState(BreakerTransition::State state, bool dark)
{
    // apart by hue and lightness, so that protanopia, deuteranopia and tritanopia keep them apart too
    switch (state) {
    case BreakerTransition::Closed:
        return dark ? QColor(0x2f, 0xbf, 0x8f) : QColor(0x18, 0x8f, 0x6a);
    case BreakerTransition::Open:
        return dark ? QColor(0xe8, 0x40, 0x2a) : QColor(0x9b, 0x1b, 0x1b);
    case BreakerTransition::HalfOpen:
        return dark ? QColor(0xff, 0xd9, 0x66) : QColor(0xbd, 0x7b, 0x00);
    default:
        return dark ? QColor(0x9e, 0x9e, 0x9e) : QColor(0x75, 0x75, 0x75);
    }
}

Qt::BrushStyle Colours::breakerPattern(BreakerTransition::State state)
{
    switch (state) {
    case BreakerTransition::Open:
        return Qt::SolidPattern;
    case BreakerTransition::HalfOpen:
        return Qt::BDiagPattern;
    default:
        return Qt::Dense2Pattern;
    }
}

QColor Colours::alarmText(const QPalette& palette) { return TextColours::failure(isDark(palette)); }

QPalette Colours::lightPalette()
{
    QPalette p(QColor(0xef, 0xef, 0xef));
    p.setColor(QPalette::Base, Qt::white);
    p.setColor(QPalette::AlternateBase, QColor(0xf5, 0xf5, 0xf5));
    return p;
}

QPalette Colours::darkPalette()
{
    QPalette p;
    const QColor window(0x2b, 0x2b, 0x2b), base(0x1e, 0x1e, 0x1e), text(0xe8, 0xe8, 0xe8);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, QColor(0x26, 0x26, 0x26));
    p.setColor(QPalette::ToolTipBase, window);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9a, 0x9a));
    p.setColor(QPalette::Button, QColor(0x35, 0x35, 0x35));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::BrightText, QColor(0xff, 0x6b, 0x6b));
    p.setColor(QPalette::Highlight, QColor(0x2f, 0x6f, 0xb3));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::Link, QColor(0x6e, 0xa8, 0xe0));
    p.setColor(QPalette::Mid, QColor(0x55, 0x55, 0x55));
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x80, 0x80, 0x80));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x80, 0x80, 0x80));
    return p;
}
