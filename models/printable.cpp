// SPDX-License-Identifier: MIT
#include "printable.h"

#include <algorithm>

bool Printable::isHazard(char16_t c)
{
    if (c < 0x20)
        return c != u'\n' && c != u'\t';
    if (c < 0x7F)
        return false;
    if (c <= 0x9F) // DEL and the C1 controls (U+009B is a one-character CSI in many terminals)
        return true;
    // bidirectional formatting: marks, embeddings, overrides and isolates
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

namespace {
/// As escaped(), newlines and tabs too.
QString oneLine(const QString& text)
{
    QString out;
    out.reserve(text.size());
    for (const QChar ch : text) {
        const char16_t c = ch.unicode();
        if (c == u'\n' || c == u'\t' || Printable::isHazard(c))
            out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
        else
            out += ch;
    }
    return out;
}

/// Where a cut at `at` (at most `bytes.size()`) lands on a UTF-8 character boundary, moving back.
std::size_t boundaryBefore(std::string_view bytes, std::size_t at)
{
    while (at > 0 && at < bytes.size() && (uchar(bytes[at]) & 0xC0) == 0x80)
        --at;
    return at;
}
} // namespace

namespace {
QString bounded(const QString& text, int maxChars, bool lines)
{
    maxChars = std::max(maxChars, 16);
    const auto shown
        = [lines](char16_t c) { return (!lines && (c == u'\n' || c == u'\t')) || Printable::isHazard(c) ? 6 : 1; };
    // the whole text when it fits as shown (each escaped character takes six)
    qsizetype width = 0, i = 0;
    for (; i < text.size() && width <= maxChars; ++i)
        width += shown(text.at(i).unicode());
    if (width <= maxChars)
        return lines ? Printable::escaped(text) : oneLine(text);
    // else its start (two thirds) and its end around a "…", cut between characters, never inside a
    // surrogate pair or an escape
    const qsizetype headBudget = maxChars * 2 / 3, tailBudget = maxChars - headBudget - 1;
    qsizetype head = 0, used = 0;
    while (head < text.size() && used + shown(text.at(head).unicode()) <= headBudget)
        used += shown(text.at(head++).unicode());
    if (head > 0 && text.at(head - 1).isHighSurrogate())
        --head;
    qsizetype tail = text.size();
    used = 0;
    while (tail > head && used + shown(text.at(tail - 1).unicode()) <= tailBudget)
        used += shown(text.at(--tail).unicode());
    if (tail < text.size() && text.at(tail).isLowSurrogate())
        ++tail;
    const auto escape = [lines](const QString& part) { return lines ? Printable::escaped(part) : oneLine(part); };
    return escape(text.left(head)) + QChar(0x2026) + escape(text.mid(tail));
}
} // namespace

QString Printable::forDisplay(const QString& text, int maxChars) { return bounded(text, maxChars, false); }

QString Printable::forTooltip(const QString& text, int maxChars) { return bounded(text, maxChars, true); }

QString Printable::forDisplay(std::string_view utf8, int maxChars)
{
    maxChars = std::max(maxChars, 8);
    // a character is at most 4 bytes: this many bytes hold maxChars characters whatever they are
    const std::size_t window = std::size_t(maxChars) * 4;
    if (utf8.size() <= window)
        return forDisplay(QString::fromUtf8(utf8.data(), qsizetype(utf8.size())), maxChars);
    const std::size_t headEnd = boundaryBefore(utf8, window);
    std::size_t tailStart = utf8.size() - window;
    while (tailStart < utf8.size() && (uchar(utf8[tailStart]) & 0xC0) == 0x80)
        ++tailStart;
    // the start and the end, each long enough, cut to size as the QString form is
    return forDisplay(QString::fromUtf8(utf8.data(), qsizetype(headEnd)) + QChar(0x2026)
            + QString::fromUtf8(utf8.data() + tailStart, qsizetype(utf8.size() - tailStart)),
        maxChars);
}

QVariant Printable::shown(const QVariant& value, int role)
{
    if ((role != Qt::DisplayRole && role != Qt::ToolTipRole) || value.typeId() != QMetaType::QString)
        return value;
    return role == Qt::ToolTipRole ? forTooltip(value.toString()) : forDisplay(value.toString());
}

QString Printable::escaped(const QString& text)
{
    qsizetype first = 0;
    while (first < text.size() && !isHazard(text.at(first).unicode()))
        ++first;
    if (first == text.size())
        return text;
    QString out;
    out.reserve(text.size() + 16);
    out.append(QStringView(text).left(first));
    for (qsizetype i = first; i < text.size(); ++i) {
        const char16_t c = text.at(i).unicode();
        if (isHazard(c))
            out += QStringLiteral("\\u%1").arg(uint(c), 4, 16, QLatin1Char('0'));
        else
            out += QChar(c);
    }
    return out;
}
