// SPDX-License-Identifier: MIT
#pragma once

#include <QEvent>
#include <QHelpEvent>
#include <QToolTip>
#include <QWidget>

/// For a drawn view's event(): answers a tooltip request with `textAt(pos)` for the point asked about
/// (nothing shown when empty). True when `event` was such a request.
template<typename TextAt>
bool answerToolTip(QWidget* widget, QEvent* event, TextAt textAt)
{
    if (event->type() != QEvent::ToolTip)
        return false;
    auto* help = static_cast<QHelpEvent*>(event);
    const QString text = textAt(help->pos());
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(help->globalPos(), text, widget);
    return true;
}
