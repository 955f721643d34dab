// SPDX-License-Identifier: MIT
#include "alertnotifier.h"

#include "alertmodel.h"
#include "alertpanel.h"

#include <QSystemTrayIcon>
#include <QWidget>

AlertNotifier::AlertNotifier(AlertModel* alerts, AlertBanner* banner, QWidget* window)
    : QObject(window)
    , m_alerts(alerts)
    , m_banner(banner)
{
    connect(m_alerts, &AlertModel::raised, this, &AlertNotifier::onRaised);
    if (!QSystemTrayIcon::isSystemTrayAvailable())
        return;
    m_tray = new QSystemTrayIcon(window->windowIcon(), this);
    m_tray->setToolTip(tr("EventScope"));
    m_tray->show();
    connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this, window] {
        window->showNormal();
        window->activateWindow();
        Q_EMIT evidenceRequested(m_alerts->rowCount() - 1);
    });
}

AlertNotifier::~AlertNotifier() = default;

void AlertNotifier::onRaised(int count)
{
    int row = m_alerts->rowCount() - 1;
    int alarms = 0;
    for (int r = row; r > row - count && r >= 0; --r)
        alarms += m_alerts->alert(r).isAlarm();
    while (row >= 0 && row > m_alerts->rowCount() - 1 - count && !m_alerts->alert(row).isAlarm())
        --row;
    if (alarms == 0)
        return;
    const Alert& a = m_alerts->alert(row);
    m_banner->showAlert(row, a, alarms);
    if (m_tray)
        m_tray->showMessage(tr("EventScope alert"), a.text, QSystemTrayIcon::Warning, 8000);
}
