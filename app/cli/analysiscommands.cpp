// SPDX-License-Identifier: MIT
// The commands that analyse the causation links of files: flow.
#include "cli.h"
#include "flowreport.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <functional>

using namespace Cli;

namespace {
/// Reads FILE... with the decoding options and prints one report of the session, as JSON or text.
int report(const QStringList& args, const char* command, const std::function<QJsonObject(const Session&)>& json,
    const std::function<QString(const Session&)>& text)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("captures"));
    const QCommandLineOption asJson(QStringLiteral("json"), QStringLiteral("print JSON"));
    p.addOption(asJson);
    const DecoderOptions decoding(p);
    DecoderConfig decoder;
    if (const int rc = parseCommand(p, args, command); rc >= 0)
        return rc;
    if (p.positionalArguments().isEmpty())
        return usage();
    if (!decoding.read(p, command, decoder))
        return Usage;
    Session session(fileConfig());
    if (!load(session, p.positionalArguments(), decoder))
        return BadFile;
    if (p.isSet(asJson))
        print(QString::fromUtf8(QJsonDocument(json(session)).toJson(QJsonDocument::Indented)));
    else
        print(text(session));
    return session.malformedCount() > 0 ? MalformedInput : Ok;
}
} // namespace

int Cli::flow(const QStringList& args) { return report(args, "flow", FlowReport::toJson, FlowReport::toText); }
