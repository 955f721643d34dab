// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QVariant>
#include <string_view>

/// Text from outside made safe to print where control characters act: a terminal (an escape sequence
/// in an event type can retitle or clear it) or a line of text (a bidirectional override reorders what
/// is read). C0 controls other than newline and tab, DEL, C1 controls and the bidirectional formatting
/// characters are written as \uXXXX, which reads as what it is and is also a valid escape inside a JSON
/// string, so JSON text stays JSON.
namespace Printable {
/// Whether `c` is one of the characters escaped() replaces.
bool isHazard(char16_t c);
/// `text` with every hazard as \uXXXX; `text` itself (shared, no copy) when it holds none.
QString escaped(const QString& text);

/// The longest text a table cell, legend, label or menu is given: laying out a 64 KiB name costs a
/// view seconds and gigabytes (QtCharts' legend, QTextLayout), and no one reads past a few lines.
constexpr int DisplayChars = 200;
/// The longest tooltip.
constexpr int TooltipChars = 1000;
/// Text from outside as one line for a view: at most `maxChars` characters (longer text keeps its
/// start and its end around a "…"), hazards escaped, and newlines and tabs too. The full text stays
/// where it is kept (the event's JSON, copy and export).
QString forDisplay(const QString& text, int maxChars = DisplayChars);
/// As forDisplay(), keeping newlines and tabs (a tooltip may have lines).
QString forTooltip(const QString& text, int maxChars = TooltipChars);
/// The same from UTF-8 bytes, reading only the bytes it shows (a 1 MiB name costs what a short one does).
QString forDisplay(std::string_view utf8, int maxChars = DisplayChars);
/// What an item model hands a view for `role`: a string for Qt::DisplayRole bounded as forDisplay(),
/// for Qt::ToolTipRole as forTooltip(); any other value or role as it is.
QVariant shown(const QVariant& value, int role);
} // namespace Printable
