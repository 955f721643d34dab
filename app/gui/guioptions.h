// SPDX-License-Identifier: MIT
#pragma once

#include "demobus.h"
#include "mainwindow.h"
#include "screenshot.h"
#include "tokensource.h"

#include <QCommandLineParser>
#include <QString>
#include <optional>

class QCoreApplication;
class QUrl;

/// The command line of `eventscope`, parsed and checked: what to watch or open, the demo's options, the
/// ingest limit, and what a screenshot run shoots.
class GuiOptions
{
public:
    GuiOptions();

    /// Parses the application's arguments (--help and --version print and exit, as everywhere); false
    /// after saying on stderr which option is wrong and why.
    bool parse(const QCoreApplication& app);
    /// The token for `url` as --token, --token-file, $EVENTSCOPE_TOKEN or --keychain say.
    bool readToken(QUrl* url, QString* token, QString* error) const;

    QString target; ///< a bus URL or a capture file (empty: none given)
    bool demo = false;
    DemoBus::Options demoOptions;
    double ingestLimit = 0; ///< events per second, 0: no limit
    double memoryCapMiB = -1; ///< --memory-cap (-1: the default, defaultMemoryCap())
    double atSeconds = -1; ///< a capture: replay to this many seconds after its first event (-1: no)
    QString compare; ///< a capture: compare it with this file
    QString screenshot; ///< write a PNG here and exit (empty: run as usual)
    double afterSeconds = 5; ///< a live screenshot's wait
    Screenshot::Target shot; ///< the view brought forward, or a chain diff
    QString palette; ///< "light", "dark" or empty (the desktop's)
    QString schemas; ///< JSON Schemas to check payloads against (empty: none)

private:
    QCommandLineParser m_parser;
    std::optional<TokenSource::Options> m_token; ///< its options come last in --help
};
