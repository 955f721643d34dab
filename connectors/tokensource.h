// SPDX-License-Identifier: MIT
#pragma once

#include <QCommandLineOption>
#include <QCommandLineParser>
#include <QString>

/// Where a bearer token comes from without showing in `ps`: a file of its own (readable by its owner
/// only), or the EVENTSCOPE_TOKEN environment variable; --token on the command line still works.
namespace TokenSource {
/// The token: `given` (--token) if set, else the first line of `file` (--token-file) if set, else
/// $EVENTSCOPE_TOKEN, else empty. False, with `error` saying why, when the file cannot be read, is
/// readable by its group or others, or is not a regular file.
bool read(const QString& given, const QString& file, QString* token, QString* error);

/// --token and --token-file, as `record` and `eventscope` take them.
struct Options
{
    QCommandLineOption token { QStringLiteral("token"),
        QStringLiteral("bearer token (shows in ps: prefer --token-file or $EVENTSCOPE_TOKEN)"), QStringLiteral("T") };
    QCommandLineOption file { QStringLiteral("token-file"),
        QStringLiteral("read the bearer token from the first line of FILE (refused if others can read it)"),
        QStringLiteral("FILE") };

    explicit Options(QCommandLineParser& parser) { parser.addOptions({ token, file }); }
    bool read(const QCommandLineParser& parser, QString* out, QString* error) const
    {
        return TokenSource::read(parser.value(token), parser.value(file), out, error);
    }
};
} // namespace TokenSource
