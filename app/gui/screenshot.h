// SPDX-License-Identifier: MIT
#pragma once

#include "mainwindow.h"

#include <QString>
#include <optional>

/// `eventscope --screenshot FILE [--view NAME]`: the window as a user would look at it, as a PNG.
namespace Screenshot {
/// A view's name on the command line (board, charts, log, explorer, ...).
bool parseView(const QString& name, MainWindow::View* view);
/// Brings `view` forward (the explorer with room, on the newest dead-lettered chain), takes in what is
/// waiting, refreshes every view and writes the window to `file`; then quits the application with 0,
/// or 1 when the file cannot be written.
void shootAndQuit(MainWindow& window, const QString& file, std::optional<MainWindow::View> view);
} // namespace Screenshot
