// SPDX-License-Identifier: MIT
// eventscope-cli: EventScope's analysis without a window, for scripts (as tshark is to Wireshark).
#include "cli.h"
#include "recordingindexer.h"

#include <QCoreApplication>

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("eventscope-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
    QStringList args = app.arguments();
    if (args.size() < 2)
        return Cli::usage();
    QString command = args.takeAt(1);
    if (command == QLatin1String("help") || command == QLatin1String("--help") || command == QLatin1String("-h")) {
        if (Cli::help(args) >= 0)
            return Cli::Ok;
        command = args.takeAt(1);
        args = { args.constFirst(), QStringLiteral("--help") };
    }
    if (command == QLatin1String("summary"))
        return Cli::summary(args);
    if (command == QLatin1String("chain"))
        return Cli::chain(args);
    if (command == QLatin1String("flow"))
        return Cli::flow(args);
    if (command == QLatin1String("stages"))
        return Cli::stages(args);
    if (command == QLatin1String("schemas"))
        return Cli::schemas(args);
    if (command == QLatin1String("validate"))
        return Cli::validate(args);
    if (command == QLatin1String("chain-diff"))
        return Cli::chainDiff(args);
    if (command == QLatin1String("compare"))
        return Cli::compare(args);
    if (command == QLatin1String("generate"))
        return Cli::generate(args);
    if (command == QLatin1String("record")) {
        const int rc = Cli::record(args);
        RecordingIndexer::finishAll(); // the capture's index, whole, before the command returns
        return rc;
    }
    if (command == QLatin1String("serve"))
        return Cli::serve(args);
    if (command == QLatin1String("streams"))
        return Cli::streams(args);
    if (command == QLatin1String("demo-bus"))
        return Cli::demoBus(args);
    if (command == QLatin1String("--version")) {
        Cli::print(QStringLiteral("eventscope-cli " EVENTSCOPE_VERSION "\n"));
        return Cli::Ok;
    }
    Cli::err() << "eventscope-cli: unknown command " << command.left(80) << Qt::endl;
    return Cli::usage();
}
