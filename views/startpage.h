// SPDX-License-Identifier: MIT
#pragma once

#include "connectdialog.h"

#include <QWidget>

class QListWidget;

/// Shown until a source is chosen: start the demo bus, connect..., open a capture, recent connections.
class StartPage : public QWidget
{
    Q_OBJECT
public:
    explicit StartPage(QWidget* parent = nullptr);
    ~StartPage() override;

    void setRecent(const QStringList& urls);
    void setRecentCaptures(const QStringList& paths);

Q_SIGNALS:
    void demoRequested();
    void connectRequested(const QString& url); ///< empty: ask for everything
    void openRequested(const QString& path); ///< empty: ask which file

private:
    QListWidget* m_recent;
    QListWidget* m_recentCaptures;
};
