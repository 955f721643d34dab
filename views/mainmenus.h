// SPDX-License-Identifier: MIT
#pragma once

class MainWindow;
class Navigation;
class QAction;
class QMenu;

/// What of the menu bar a window keeps: other windows add their own actions to the File menu, before
/// Quit.
struct MainMenus
{
    QMenu* file = nullptr;
    QAction* quit = nullptr;
};

/// Fills the menu bar of `window`: File (sources, captures, export), View (every view by Ctrl+number, one
/// origin in a window of its own, pause), Go (chain, copy, filter, search, newest alert) and Help (the
/// shortcuts as they are bound).
MainMenus createMainMenus(MainWindow& window, Navigation& navigation);

/// The connections of `window`, for File > Disconnect and the status bar's context menu: Disconnect,
/// one entry per active connection, Disconnect all, and Retry now while one waits to reconnect.
void fillConnectionsMenu(QMenu* menu, MainWindow& window);
