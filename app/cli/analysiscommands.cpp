// SPDX-License-Identifier: MIT
// The commands that analyse the chains of files: flow, stages, chain-diff.
#include "chaindiff.h"
#include "chainreport.h"
#include "cli.h"
#include "flowreport.h"
#include "stagereport.h"

#include <QCommandLineParser>
#include <QJsonDocument>
#include <functional>
#include <utility>

using namespace Cli;

namespace {
/// What a report command prints, or why it cannot (an error message, then exit MalformedInput).
struct Report
{
    QJsonObject json;
    QString text;
    QString error;
};

/// Reads FILE... with the decoding options and prints one report of the session, as JSON or text. The
/// last positional arguments, one per `ids` entry (name, description), are not files: `make` gets them.
int report(const QStringList& args, const char* command, const QList<QCommandLineOption>& options,
    const std::function<Report(const Session&, const QCommandLineParser&, const QStringList& ids, bool json)>& make,
    const QList<std::pair<QString, QString>>& ids = {})
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("captures"));
    for (const auto& [name, description] : ids)
        p.addPositionalArgument(name, description);
    const QCommandLineOption asJson(QStringLiteral("json"), QStringLiteral("print JSON"));
    p.addOption(asJson);
    p.addOptions(options);
    const DecoderOptions decoding(p);
    DecoderConfig decoder;
    if (const int rc = parseCommand(p, args, command); rc >= 0)
        return rc;
    if (p.positionalArguments().size() < ids.size() + 1)
        return usage();
    if (!decoding.read(p, command, decoder))
        return Usage;
    QStringList files = p.positionalArguments();
    const QStringList values = files.mid(files.size() - ids.size());
    files.resize(files.size() - ids.size());
    Session session(fileConfig());
    if (!load(session, files, decoder))
        return BadFile;
    const Report r = make(session, p, values, p.isSet(asJson));
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
    return report(args, "flow", {}, [](const Session& s, const QCommandLineParser&, const QStringList&, bool json) {
        return json ? Report { FlowReport::toJson(s), {}, {} } : Report { {}, FlowReport::toText(s), {} };
    });
}

int Cli::stages(const QStringList& args)
{
    const QCommandLineOption root(QStringLiteral("root"),
        QStringLiteral("the type whose chains to follow (default: the type most chains start with)"),
        QStringLiteral("TYPE"));
    return report(args, "stages", { root },
        [&root](const Session& s, const QCommandLineParser& p, const QStringList&, bool json) {
            int type = -1;
            if (p.isSet(root)) {
                type = StageReport::findRoot(s, p.value(root));
                if (type < 0)
                    return Report { {}, {}, QStringLiteral("no chain starts with %1").arg(p.value(root).left(80)) };
            }
            return json ? Report { StageReport::toJson(s, type), {}, {} }
                        : Report { {}, StageReport::toText(s, type), {} };
        });
}

int Cli::chainDiff(const QStringList& args)
{
    const QCommandLineOption threshold(QStringLiteral("threshold-ms"),
        QStringLiteral("a hop is slower or faster when the chains differ by more than this (default 100)"),
        QStringLiteral("MS"), QStringLiteral("100"));
    const auto make = [&threshold](const Session& s, const QCommandLineParser& p, const QStringList& ids, bool json) {
        bool ok = false;
        const double ms = p.value(threshold).toDouble(&ok);
        if (!ok || !(ms >= 0) || ms > 86400e3)
            return Report { {}, {},
                QStringLiteral("--threshold-ms wants milliseconds from 0 to 86400000, not %1")
                    .arg(p.value(threshold).left(80)) };
        // either may be "typical": the typical chain of the other's root
        const bool typicalA = ids.at(0) == QLatin1String("typical");
        const QString& named = typicalA ? ids.at(1) : ids.at(0);
        const int found = ChainReport::findChain(s, named);
        if (found < 0)
            return Report { {}, {}, QStringLiteral("no chain with correlation id %1").arg(named.left(80)) };
        quint32 a = quint32(found), b = ChainTracker::None;
        const QString& other = typicalA ? ids.at(0) : ids.at(1);
        if (other == QLatin1String("typical")) {
            b = ChainDiff::typicalChain(s, a);
            if (b == ChainTracker::None)
                return Report { {}, {}, QStringLiteral("no other chain starts like %1").arg(named.left(80)) };
        } else if (const int second = ChainReport::findChain(s, other); second >= 0) {
            b = quint32(second);
        } else {
            return Report { {}, {}, QStringLiteral("no chain with correlation id %1").arg(other.left(80)) };
        }
        if (typicalA)
            std::swap(a, b);
        ChainDiff::Options options;
        options.thresholdUs = qint64(ms * 1000);
        const ChainDiff diff = ChainDiff::compare(s, a, b, options);
        return json ? Report { diff.toJson(s), {}, {} } : Report { {}, diff.toText(s), {} };
    };
    return report(args, "chain-diff", { threshold }, make,
        { { QStringLiteral("id-a"), QStringLiteral("a correlation id, or typical") },
            { QStringLiteral("id-b"), QStringLiteral("a correlation id, or typical") } });
}
