// SPDX-License-Identifier: MIT
#include "recentitems.h"

#include "busurl.h"
#include "urlredaction.h"

#include <QFileInfo>
#include <QSettings>
#include <QUrl>

QStringList RecentItems::captures(const QSettings& settings)
{
    QStringList paths;
    for (const QString& p : settings.value(QStringLiteral("captures/recent")).toStringList())
        if (!p.isEmpty() && QFileInfo(p).isAbsolute() && paths.size() < Most)
            paths << p;
    return paths;
}

QStringList RecentItems::addCapture(QSettings& settings, const QString& path)
{
    const QStringList paths = withFirst(captures(settings), QFileInfo(path).absoluteFilePath());
    settings.setValue(QStringLiteral("captures/recent"), paths);
    return paths;
}

QStringList RecentItems::connections(const QSettings& settings)
{
    QStringList urls;
    for (const QString& u : settings.value(QStringLiteral("connections/recent")).toStringList()) {
        const QUrl url(u);
        if (url.isValid() && BusUrl::isSupportedScheme(url.scheme()))
            urls << UrlRedaction::withoutCredentials(url).toString();
        if (urls.size() >= Most)
            break;
    }
    return urls;
}

void RecentItems::saveConnections(QSettings& settings, const QStringList& urls)
{
    settings.setValue(QStringLiteral("connections/recent"), urls);
}

QStringList RecentItems::withFirst(QStringList urls, const QString& url)
{
    urls.removeAll(url);
    urls.prepend(url);
    while (urls.size() > Most)
        urls.removeLast();
    return urls;
}
