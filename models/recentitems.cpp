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

namespace {
/// "captures/schemas": a list, newest first, of [capture path, schemas path] pairs (absolute paths).
QList<QStringList> captureSchemaPairs(const QSettings& settings)
{
    QList<QStringList> pairs;
    for (const QVariant& v : settings.value(QStringLiteral("captures/schemas")).toList()) {
        const QStringList pair = v.toStringList();
        // edited by hand, or by another version: only what is well formed
        if (pair.size() == 2 && QFileInfo(pair[0]).isAbsolute() && QFileInfo(pair[1]).isAbsolute()
            && pairs.size() < RecentItems::MostCaptureSchemas)
            pairs << pair;
    }
    return pairs;
}
} // namespace

QString RecentItems::captureSchemas(const QSettings& settings, const QString& capturePath)
{
    const QString capture = QFileInfo(capturePath).absoluteFilePath();
    for (const QStringList& pair : captureSchemaPairs(settings))
        if (pair[0] == capture)
            return pair[1];
    return {};
}

void RecentItems::setCaptureSchemas(QSettings& settings, const QString& capturePath, const QString& schemasPath)
{
    const QString capture = QFileInfo(capturePath).absoluteFilePath();
    QList<QStringList> pairs = captureSchemaPairs(settings);
    pairs.removeIf([&](const QStringList& pair) { return pair[0] == capture; });
    if (!schemasPath.isEmpty())
        pairs.prepend({ capture, QFileInfo(schemasPath).absoluteFilePath() });
    while (pairs.size() > MostCaptureSchemas)
        pairs.removeLast();
    QVariantList list;
    for (const QStringList& pair : std::as_const(pairs))
        list << QVariant(pair);
    settings.setValue(QStringLiteral("captures/schemas"), list);
}

QStringList RecentItems::withFirst(QStringList urls, const QString& url)
{
    urls.removeAll(url);
    urls.prepend(url);
    while (urls.size() > Most)
        urls.removeLast();
    return urls;
}
