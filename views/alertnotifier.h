// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>

class AlertBanner;
class AlertModel;
class QSystemTrayIcon;
class QWidget;

/// Tells the user of new alarms: the newest alarm of each refresh goes to the window's banner and, where
/// the desktop has a system tray, to a tray message. Information (a failure type that stopped) is only
/// listed in the alert panel.
class AlertNotifier : public QObject
{
    Q_OBJECT
public:
    /// Listens to `alerts`; `window` owns this and is brought up when the tray message is clicked.
    AlertNotifier(AlertModel* alerts, AlertBanner* banner, QWidget* window);
    ~AlertNotifier() override;

Q_SIGNALS:
    /// The tray message was clicked: the user wants the evidence of alert `row`.
    void evidenceRequested(int row);

private:
    void onRaised(int count);

    AlertModel* m_alerts;
    AlertBanner* m_banner;
    QSystemTrayIcon* m_tray = nullptr;
};
