// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

class QSettings;

/// What File > Recent and the start page offer: the recent connections and captures, newest first, at
/// most Most of each. Captures are kept by absolute path in the settings every window shares;
/// connections as URLs without credentials, of the schemes EventScope connects to (checked again when
/// read: settings may be edited by hand).
namespace RecentItems {
constexpr int Most = 10;
QStringList captures(const QSettings& settings);
/// Puts `path` first in the settings' recent captures; returns the new list.
QStringList addCapture(QSettings& settings, const QString& path);
QStringList connections(const QSettings& settings);
void saveConnections(QSettings& settings, const QStringList& urls);
/// The schemas last loaded for the capture at `capturePath` (a folder or file), or empty. Remembered
/// for the MostCaptureSchemas captures given them last.
constexpr int MostCaptureSchemas = 50;
QString captureSchemas(const QSettings& settings, const QString& capturePath);
/// Remembers `schemasPath` for the capture at `capturePath` (empty: forgets it).
void setCaptureSchemas(QSettings& settings, const QString& capturePath, const QString& schemasPath);
/// `urls` with `url` first, at most Most.
QStringList withFirst(QStringList urls, const QString& url);
} // namespace RecentItems
