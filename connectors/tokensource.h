// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>
#include <QUrl>

/// Where a bearer token comes from without showing in `ps`: a file of its own (readable by its owner
/// only), the EVENTSCOPE_TOKEN environment variable, or the system keychain (what File > Connect's
/// "Remember" stored for the URL); --token on the command line still works.
namespace TokenSource {
/// The token: `given` (--token) if set, else the first line of `file` (--token-file) if set, else
/// $EVENTSCOPE_TOKEN, else empty. False, with `error` saying why, when the file cannot be read, is
/// readable by its group or others, or is not a regular file.
bool read(const QString& given, const QString& file, QString* token, QString* error);

/// The secrets remembered in the system keychain for `url` (its key: CredentialStore::keyFor()): the
/// token, and a broker URL's user and password put into `url`. Waits for the keychain (at most 30 s).
/// False, with `error` saying why, when the keychain cannot be reached or holds nothing for the URL.
bool fromKeychain(QUrl* url, QString* token, QString* error);

/// --token and --token-file, as `record` and `eventscope` take them.
struct Options
{
    QCommandLineOption token { QStringLiteral("token"),
        QStringLiteral("bearer token (shows in ps: prefer --token-file or $EVENTSCOPE_TOKEN)"), QStringLiteral("T") };
    QCommandLineOption file { QStringLiteral("token-file"),
        QStringLiteral("read the bearer token from the first line of FILE (refused if others can read it)"),
        QStringLiteral("FILE") };
    QCommandLineOption keychain { QStringLiteral("keychain"),
        QStringLiteral("use the token (and a broker's password) remembered in the system keychain for the URL") };

    explicit Options(QCommandLineParser& parser) { parser.addOptions({ token, file, keychain }); }
    /// The token for `url` as the options say; with --keychain and no token given, the keychain's
    /// (which may also put a broker's user and password into `url`).
    bool read(const QCommandLineParser& parser, QUrl* url, QString* out, QString* error) const
    {
        if (!TokenSource::read(parser.value(token), parser.value(file), out, error))
            return false;
        return !out->isEmpty() || !parser.isSet(keychain) || fromKeychain(url, out, error);
    }
};
} // namespace TokenSource
