// SPDX-License-Identifier: MIT
#pragma once

#include "mainwindow.h"

/// File > Export of a window: what each scope takes from the window's views, and the file dialog.
namespace WindowExport {
/// Asks for a file (the extension decides the format; a name without one gets the chosen filter's)
/// and writes `scope` there; the status bar says what was written, a message box why nothing was.
void ask(MainWindow& window, MainWindow::ExportScope scope);
/// See MainWindow::exportTo().
bool write(MainWindow& window, MainWindow::ExportScope scope, const QString& path, QString* message);
} // namespace WindowExport
