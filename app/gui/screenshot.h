// SPDX-License-Identifier: MIT
#pragma once

#include "mainwindow.h"

#include <QString>
#include <optional>

class CaptureWindow;
class CompareWindow;

/// `eventscope --screenshot FILE [--view NAME]`: the window as a user would look at it, as a PNG.
namespace Screenshot {
/// What is shot: the main window with a view brought forward, or a chain diff window.
struct Target
{
    std::optional<MainWindow::View> view;
    bool chainDiff = false; ///< the newest dead-lettered chain (B) beside a typical one of its root (A)
    bool shapes = false; ///< the Schemas view's learned shape of the type that changed last
};
/// A view's name on the command line (board, charts, log, explorer, ..., chain-diff, shapes).
bool parseView(const QString& name, Target* target);
/// Brings the target forward (the explorer with room, on the newest dead-lettered chain), takes in what
/// is waiting, refreshes every view and writes the window to `file`; then quits the application with
/// 0, or 1 when the file cannot be written (or there is no chain to compare).
void shootAndQuit(MainWindow& window, const QString& file, const Target& target);
/// Shoots a live window after `afterSeconds`.
void afterDelay(MainWindow& window, const QString& file, const Target& target, double afterSeconds);
/// Shoots a capture's window once it is read and every view is built; with `atSeconds` >= 0, replayed to
/// that many seconds after its first event and shot once every event up to there is taken in.
void whenLoaded(CaptureWindow* capture, const QString& file, const Target& target, double atSeconds);
/// Shoots a comparison once both its files are read (exit 1 with the reason when one cannot be).
void whenCompared(CompareWindow* comparing, const QString& file);
} // namespace Screenshot
