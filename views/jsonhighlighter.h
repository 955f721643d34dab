// SPDX-License-Identifier: MIT
#pragma once

#include <QSyntaxHighlighter>

/// Colours JSON text: keys, strings, numbers, literals. Colours follow the palette (light or dark).
class JsonHighlighter : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument* document);
    ~JsonHighlighter() override;

protected:
    void highlightBlock(const QString& text) override;
};
