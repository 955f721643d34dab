// SPDX-License-Identifier: MIT
#include "guioptions.h"

#include "optionvalue.h"
#include "printable.h"
#include "screenshot.h"

#include <QCoreApplication>
#include <cstdio>

namespace {
const QCommandLineOption Demo(QStringLiteral("demo"), QStringLiteral("Watch the embedded demo bus."));
const QCommandLineOption Rate(
    QStringLiteral("rate"), QStringLiteral("Demo events per second."), QStringLiteral("N"), QStringLiteral("400"));
const QCommandLineOption Scenario(QStringLiteral("scenario"),
    QStringLiteral("Demo scenario: steady, incident, flood, schema-change."), QStringLiteral("NAME"),
    QStringLiteral("incident"));
const QCommandLineOption Seed(
    QStringLiteral("seed"), QStringLiteral("Demo random seed."), QStringLiteral("N"), QStringLiteral("1"));
const QCommandLineOption Shot(QStringLiteral("screenshot"),
    QStringLiteral("Write a PNG of the window after --after seconds (a capture: once it is read) and exit."),
    QStringLiteral("FILE"));
const QCommandLineOption After(QStringLiteral("after"), QStringLiteral("Seconds before the screenshot."),
    QStringLiteral("SECONDS"), QStringLiteral("5"));
const QCommandLineOption ViewOption(QStringLiteral("view"),
    QStringLiteral(
        "Bring a view forward: board, charts, log, explorer, breakers, flow, deadletters, alerts, "
        "sources, schemas, consumers; or chain-diff: the newest dead-lettered chain beside a typical one; or shapes: "
        "the learned shape of the type that changed last."),
    QStringLiteral("NAME"));
const QCommandLineOption IngestLimit(QStringLiteral("ingest-limit"),
    QStringLiteral("Take in at most N events per second (0: as many as the machine can); the rest is "
                   "dropped and counted."),
    QStringLiteral("N"), QStringLiteral("0"));
const QCommandLineOption MemoryCap(QStringLiteral("memory-cap"),
    QStringLiteral("Heap for the events a session holds, in MiB (default: a quarter of this machine's memory, at "
                   "least 1024; 0: no cap). Past it the oldest events go, still counted in every figure."),
    QStringLiteral("MIB"));
const QCommandLineOption At(QStringLiteral("at"),
    QStringLiteral("A capture: once it is read, replay it to SECONDS after its first event."),
    QStringLiteral("SECONDS"));
const QCommandLineOption PaletteOption(QStringLiteral("palette"),
    QStringLiteral("Colours: light or dark (default: the desktop's)."), QStringLiteral("NAME"));
const QCommandLineOption Compare(QStringLiteral("compare"),
    QStringLiteral("A capture: compare it (before) with FILE (after) in a window of their own."),
    QStringLiteral("FILE"));

const QCommandLineOption Schemas(QStringLiteral("schemas"),
    QStringLiteral("Check every payload against its type's JSON Schema from PATH: a folder of "
                   "TYPE.schema.json files, or one file."),
    QStringLiteral("PATH"));

bool refuse(const char* what, const QString& value)
{
    std::fprintf(stderr, "eventscope: %s %s\n", what, qPrintable(Printable::escaped(value)));
    return false;
}
} // namespace

GuiOptions::GuiOptions()
{
    m_parser.setApplicationDescription(QStringLiteral("Monitor for event buses"));
    m_parser.addHelpOption();
    m_parser.addVersionOption();
    m_parser.addPositionalArgument(QStringLiteral("url|file"),
        QStringLiteral("A bus to watch (ws://, wss://, nats+ws://, mqtt+ws://) or a capture to open."));
    m_parser.addOptions({ Demo, Rate, Scenario, Seed, Shot, After, ViewOption, IngestLimit, MemoryCap, At, Compare,
        PaletteOption, Schemas });
    m_token.emplace(m_parser);
}

bool GuiOptions::parse(const QCoreApplication& app)
{
    m_parser.process(app);
    if (m_parser.isSet(ViewOption)) {
        if (!Screenshot::parseView(m_parser.value(ViewOption), &shot))
            return refuse("unknown view", m_parser.value(ViewOption));
    }
    double seed = 0;
    if (!numberOption(m_parser, Seed, 0, 9e15, &seed, "eventscope")
        || !numberOption(m_parser, IngestLimit, 0, 1e9, &ingestLimit, "eventscope")
        || (m_parser.isSet(At) && !numberOption(m_parser, At, 0, 1e9, &atSeconds, "eventscope"))
        || !numberOption(m_parser, Rate, 1, 500000, &demoOptions.eventsPerSecond, "eventscope")
        || !numberOption(m_parser, After, 0, 86400, &afterSeconds, "eventscope")
        || (m_parser.isSet(MemoryCap) && !numberOption(m_parser, MemoryCap, 0, 1 << 30, &memoryCapMiB, "eventscope")))
        return false;
    demoOptions.generator.seed = quint64(seed);
    if (!DemoGenerator::parseScenario(m_parser.value(Scenario), demoOptions.generator.scenario))
        return refuse("unknown scenario", m_parser.value(Scenario));
    palette = m_parser.value(PaletteOption);
    if (!palette.isEmpty() && palette != QLatin1String("light") && palette != QLatin1String("dark"))
        return refuse("unknown palette", palette);
    target = m_parser.positionalArguments().value(0);
    demo = m_parser.isSet(Demo);
    compare = m_parser.value(Compare);
    screenshot = m_parser.value(Shot);
    schemas = m_parser.value(Schemas);
    return true;
}

bool GuiOptions::readToken(QUrl* url, QString* token, QString* error) const
{
    return m_token->read(m_parser, url, token, error);
}
