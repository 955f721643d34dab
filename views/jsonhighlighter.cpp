// SPDX-License-Identifier: MIT
#include "jsonhighlighter.h"

#include <QGuiApplication>
#include <QPalette>

JsonHighlighter::JsonHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document)
{ }

JsonHighlighter::~JsonHighlighter() = default;

void JsonHighlighter::highlightBlock(const QString& text)
{
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    QTextCharFormat key, string, number, literal;
    key.setForeground(dark ? QColor(0x82, 0xaa, 0xff) : QColor(0x1a, 0x4f, 0xa0));
    key.setFontWeight(QFont::DemiBold);
    string.setForeground(dark ? QColor(0xc3, 0xe8, 0x8d) : QColor(0x2e, 0x7d, 0x32));
    number.setForeground(dark ? QColor(0xf7, 0x8c, 0x6c) : QColor(0xb2, 0x3c, 0x17));
    literal.setForeground(dark ? QColor(0xc7, 0x92, 0xea) : QColor(0x6a, 0x1b, 0x9a));
    // one pass over the line: strings (a string followed by ':' is a key), numbers, literals
    qsizetype i = 0;
    while (i < text.size()) {
        const QChar c = text[i];
        if (c == QLatin1Char('"')) {
            qsizetype j = i + 1;
            while (j < text.size() && text[j] != QLatin1Char('"'))
                j += text[j] == QLatin1Char('\\') ? 2 : 1;
            j = std::min(j + 1, text.size());
            qsizetype k = j;
            while (k < text.size() && text[k].isSpace())
                ++k;
            const bool isKey = k < text.size() && text[k] == QLatin1Char(':');
            setFormat(int(i), int(j - i), isKey ? key : string);
            i = j;
        } else if (c.isDigit() || c == QLatin1Char('-')) {
            qsizetype j = i + 1;
            while (j < text.size() && (text[j].isDigit() || QStringLiteral(".eE+-").contains(text[j])))
                ++j;
            setFormat(int(i), int(j - i), number);
            i = j;
        } else if (c.isLetter()) {
            qsizetype j = i + 1;
            while (j < text.size() && text[j].isLetter())
                ++j;
            setFormat(int(i), int(j - i), literal);
            i = j;
        } else {
            ++i;
        }
    }
}
