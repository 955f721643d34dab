// SPDX-License-Identifier: MIT
// eventscope-cli's commands and the little they share.
#pragma once

#include "eventdecoder.h"
#include "jsonschema.h"
#include "session.h"

#include <QCommandLineOption>
#include <QStringList>
#include <QTextStream>

class QCommandLineParser;

namespace Cli {
enum Exit { Ok = 0, MalformedInput = 1, SchemaViolations = 1, BadFile = 2, ConnectionLost = 3, Usage = 64 };

QTextStream& err();
void print(const QString& text);
/// Every command's synopsis on stderr; returns Usage.
int usage();
/// `help` alone prints the usage on stdout (returns Ok); `help COMMAND` returns -1: run COMMAND --help.
int help(const QStringList& args);
/// Parses a command's arguments: --help prints its synopsis and options on stdout (returns Ok); an
/// unknown option is named ("summary: unknown option --jsn", returns Usage). -1: go on.
int parseCommand(QCommandLineParser& parser, const QStringList& args, const char* command);
/// Reads every file into the session; false (with a message) when one cannot be read at all.
bool load(Session& session, const QStringList& files, const DecoderConfig& decoder = {});
/// --profile and --field, the decoding options of the commands that read files.
struct DecoderOptions
{
    explicit DecoderOptions(QCommandLineParser& parser);
    /// Fills `out`; false, with a message naming `command` and the option, when a value is wrong.
    /// --schemas loads its registry into `out.schemas`, its broken files told on stderr and kept in
    /// `schemaProblems`.
    bool read(const QCommandLineParser& parser, const char* command, DecoderConfig& out) const;
    QCommandLineOption profile, field, schemas;
    mutable QList<SchemaProblem> schemaProblems;
};
Session::Config fileConfig();

int summary(const QStringList& args);
int chain(const QStringList& args);
int compare(const QStringList& args);
int flow(const QStringList& args);
int stages(const QStringList& args);
int validate(const QStringList& args);
int schemas(const QStringList& args);
int chainDiff(const QStringList& args);
int generate(const QStringList& args);
int demoBus(const QStringList& args);
int record(const QStringList& args);
int serve(const QStringList& args);
int streams(const QStringList& args);
} // namespace Cli
