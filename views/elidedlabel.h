// SPDX-License-Identifier: MIT
#pragma once

#include <QLabel>

/// A one-line label for text from outside (an alert, a chain's title, a URL): it asks for the room its
/// text needs but accepts less, eliding the text to fit, with the whole text in its tooltip. A QLabel
/// asks for its whole text as its minimum width, so one long name widened the window past the screen.
class ElidedLabel : public QLabel
{
public:
    explicit ElidedLabel(QWidget* parent = nullptr, Qt::TextElideMode mode = Qt::ElideRight);

    /// Sets the text and, when it does not fit, the tooltip showing all of it.
    void setFullText(const QString& text);

    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent* event) override;
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateToolTip();
    Qt::TextElideMode m_mode;
};
