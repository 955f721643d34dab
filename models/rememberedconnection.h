// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QPair>
#include <QString>
#include <QStringList>

class QSettings;

/// What File > Connect remembers of a connection besides how to decode it, per URL without
/// credentials: its extra request headers and its type filter. A header whose name says it carries a
/// secret (isSecretHeader()) is never written here: only the system keychain keeps it, and only when
/// the user asks, as with tokens.
struct RememberedConnection
{
    QList<QPair<QString, QString>> headers;
    QStringList types;

    /// Authorization, Proxy-Authorization, Cookie, and any name with token, secret, key, password,
    /// auth, session or signature in it (case-insensitive).
    static bool isSecretHeader(const QString& name);
    /// "Name: value" lines into headers; false with `error` naming the line that is not one (a name of
    /// HTTP token characters, a colon, a value without line breaks). Empty lines are skipped.
    static bool parseHeaders(const QString& text, QList<QPair<QString, QString>>* headers, QString* error);
    static QString headersText(const QList<QPair<QString, QString>>& headers);
    /// Comma- or space-separated globs ("booking.*, user.*").
    static QStringList parseTypes(const QString& text);

    static RememberedConnection load(const QSettings& settings, const QString& urlKey);
    /// Keeps the headers that are not secret, and the types; nothing at all leaves an empty entry out.
    static void save(QSettings& settings, const QString& urlKey, const RememberedConnection& choice);
};
