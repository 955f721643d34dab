// SPDX-License-Identifier: MIT
// The commands that analyse the chains of files: flow, stages.
#include "cli.h"
#include "flowreport.h"
#include "stagereport.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <functional>

using namespace Cli;

namespace {
/// What a report command prints, or why it cannot (an error message, then exit MalformedInput).
struct Report
{
    QJsonObject json;
    QString text;
    QString error;
};

/// Reads FILE... with the decoding options and prints one report of the session, as JSON or text.
int report(const QStringList& args, const char* command, const QList<QCommandLineOption>& options,
    const std::function<Report(const Session&, const QCommandLineParser&, bool json)>& make)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("captures"));
    const QCommandLineOption asJson(QStringLiteral("json"), QStringLiteral("print JSON"));
    p.addOption(asJson);
    p.addOptions(options);
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
    const Report r = make(session, p, p.isSet(asJson));
    if (!r.error.isEmpty()) {
        err() << command << ": " << r.error << Qt::endl;
        return MalformedInput;
    }
    if (p.isSet(asJson))
        print(QString::fromUtf8(QJsonDocument(r.json).toJson(QJsonDocument::Indented)));
    else
        print(r.text);
    return session.malformedCount() > 0 ? MalformedInput : Ok;
}
} // namespace

int Cli::flow(const QStringList& args)
{
    return report(args, "flow", {}, [](const Session& s, const QCommandLineParser&, bool json) {
        return json ? Report { FlowReport::toJson(s), {}, {} } : Report { {}, FlowReport::toText(s), {} };
    });
}

int Cli::stages(const QStringList& args)
{
    const QCommandLineOption root(QStringLiteral("root"),
        QStringLiteral("the type whose chains to follow (default: the type most chains start with)"),
        QStringLiteral("TYPE"));
    return report(args, "stages", { root }, [&root](const Session& s, const QCommandLineParser& p, bool json) {
        int type = -1;
        if (p.isSet(root)) {
            type = StageReport::findRoot(s, p.value(root));
            if (type < 0)
                return Report { {}, {}, QStringLiteral("no chain starts with %1").arg(p.value(root).left(80)) };
        }
        return json ? Report { StageReport::toJson(s, type), {}, {} } : Report { {}, StageReport::toText(s, type), {} };
    });
}
