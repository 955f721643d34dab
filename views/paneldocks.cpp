// SPDX-License-Identifier: MIT
#include "paneldocks.h"

#include <QDockWidget>
#include <QMainWindow>

PanelDocks::PanelDocks(QMainWindow& window)
    : m_window(window)
{ }

void PanelDocks::add(
    DashboardView view, QWidget* panel, const QString& title, const QString& name, Qt::DockWidgetArea area)
{
    auto* dock = new QDockWidget(title, &m_window);
    dock->setObjectName(name);
    dock->setWidget(panel);
    dock->setAccessibleName(title);
    m_window.addDockWidget(area, dock);
    m_docks << dock;
    m_byView[std::size_t(view)] = dock;
}

void PanelDocks::arrangeDefault()
{
    QDockWidget* first = nullptr;
    QDockWidget* previous = nullptr;
    for (QDockWidget* d : std::as_const(m_docks)) {
        if (m_window.dockWidgetArea(d) != Qt::BottomDockWidgetArea)
            continue;
        if (previous)
            m_window.tabifyDockWidget(previous, d);
        else
            first = d;
        previous = d;
    }
    if (first)
        first->raise();
    for (QDockWidget* d : std::as_const(m_docks))
        if (m_window.dockWidgetArea(d) == Qt::RightDockWidgetArea)
            m_window.resizeDocks({ d }, { 560 }, Qt::Horizontal);
    if (first)
        m_window.resizeDocks({ first }, { 330 }, Qt::Vertical);
}

bool PanelDocks::raise(DashboardView view)
{
    QDockWidget* d = m_byView[std::size_t(view)];
    if (!d)
        return false;
    d->show();
    d->raise();
    d->widget()->setFocus();
    return true;
}

void PanelDocks::setVisible(DashboardView view, bool visible)
{
    if (QDockWidget* d = m_byView[std::size_t(view)])
        d->setVisible(visible);
}

void PanelDocks::setBottomHeight(int pixels)
{
    for (QDockWidget* d : std::as_const(m_docks))
        if (m_window.dockWidgetArea(d) == Qt::BottomDockWidgetArea && !d->isHidden()) {
            m_window.resizeDocks({ d }, { pixels }, Qt::Vertical);
            return;
        }
}

void PanelDocks::hideAll()
{
    for (QDockWidget* d : std::as_const(m_docks))
        if (d->isVisibleTo(&m_window) || !d->isHidden()) {
            m_hidden.insert(d);
            d->hide();
        }
}

void PanelDocks::restore()
{
    for (QDockWidget* d : std::as_const(m_docks))
        if (m_hidden.contains(d))
            d->show();
    m_hidden.clear();
}
