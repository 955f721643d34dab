// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QSet>
#include <Qt>
#include <array>

class QDockWidget;
class QMainWindow;
class QString;
class QWidget;

/// The views of a dashboard, each a dock of a main window. The health board is the window's centre and
/// has no dock.
enum class DashboardView {
    Board,
    Charts,
    Log,
    Explorer,
    Breakers,
    DeadLetters,
    Alerts,
    Sources,
    Flow,
    Schemas,
    Consumers
};

/// Arranges the panels of a main window in docks: the default layout (charts on the right, the rest
/// tabbed below), raising and hiding one view, and putting every dock away while the start page shows.
class PanelDocks
{
public:
    explicit PanelDocks(QMainWindow& window);

    /// Puts `panel` in a dock named `name` (saveState() needs the name) in `area`.
    void add(DashboardView view, QWidget* panel, const QString& title, const QString& name, Qt::DockWidgetArea area);
    /// Tabs the docks below together, the log in front, at sizes that leave the board most of the window.
    void arrangeDefault();

    /// Shows the view's dock in front of its tab group and gives its panel the focus; false for the board.
    bool raise(DashboardView view);
    void setVisible(DashboardView view, bool visible);
    /// Gives the docks below this much height.
    void setBottomHeight(int pixels);
    /// Hides every dock that shows, to bring it back with restore().
    void hideAll();
    void restore();

private:
    QMainWindow& m_window;
    QList<QDockWidget*> m_docks; ///< in the order added
    std::array<QDockWidget*, 11> m_byView = {}; ///< per DashboardView (the board: none)
    QSet<QDockWidget*> m_hidden; ///< by hideAll(), for restore()
};
