// SPDX-License-Identifier: MIT
// The commands that read files: summary, chain, and generate (which writes one).
#include "captureloader.h"
#include "cli.h"
#include "demogenerator.h"
#include "eventdecoder.h"
#include "optionvalue.h"
#include "sessioncomparison.h"
#include "sessionsummary.h"

#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonDocument>
#include <cstdio>
#include <sys/resource.h>

using namespace Cli;

QTextStream& Cli::err()
{
    static QTextStream s(stderr);
    return s;
}

void Cli::print(const QString& text)
{
    const QByteArray utf8 = text.toUtf8();
    std::fwrite(utf8.constData(), 1, std::size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

int Cli::usage()
{
    err() << "usage: eventscope-cli summary FILE... [--json] [--stats] [DECODING]\n"
             "       eventscope-cli chain FILE... CORRELATION_ID [--json] [DECODING]\n"
             "       eventscope-cli compare BEFORE AFTER [DECODING]\n"
             "       eventscope-cli record URL -o FILE [--count N] [--duration S] [--token T] [--token-in-query]\n"
             "                             [--types PATTERN]... [--ca FILE] [--insecure]\n"
             "       eventscope-cli serve FILE [--port P] [--speed X] [--loop]\n"
             "       eventscope-cli demo-bus [--port P] [--rate N] [--scenario steady|incident|flood] [--seed N]\n"
             "                               [--duration S] [--cloudevents]\n"
             "       eventscope-cli generate --count N [--seed S] [--rate EVENTS_PER_S] [--scenario "
             "steady|incident|flood]\n"
             "                               [--cloudevents] [-o FILE]\n"
             "DECODING: --profile NAME (one of "
          << EventProfiles::names().remove(QStringLiteral(", custom"))
          << "; default: detected per event)\n"
             "          --field ROLE=PATH (repeatable; roles id, type, time, source, correlation, causation, "
             "payload)\n";
    return Usage;
}

/// Reads every file into the session (decoding on a second thread); false (with a message) when one
/// cannot be read at all.
bool Cli::load(Session& session, const QStringList& files, const DecoderConfig& decoder)
{
    for (const QString& file : files) {
        QString error;
        if (!CaptureLoader::readInto(session, file, &error, decoder)) {
            err() << "eventscope-cli: " << error << Qt::endl;
            return false;
        }
    }
    return true;
}

DecoderOptions::DecoderOptions(QCommandLineParser& parser)
    : profile(QStringLiteral("profile"),
          QStringLiteral("decode every event as this envelope: ") + EventProfiles::names()
              + QStringLiteral(" (default: detected per event)"),
          QStringLiteral("NAME"))
    , field(QStringLiteral("field"),
          QStringLiteral("map a field by hand, ROLE=dotted.path (roles: id, type, time, source, correlation, "
                         "causation, payload); repeatable"),
          QStringLiteral("ROLE=PATH"))
{
    parser.addOptions({ profile, field });
}

bool DecoderOptions::read(const QCommandLineParser& parser, const char* command, DecoderConfig& out) const
{
    if (parser.isSet(profile)) {
        EventProfile p;
        if (!EventProfiles::parse(parser.value(profile), p) || p == EventProfile::Custom) {
            err() << command << ": --profile: \"" << parser.value(profile).left(40) << "\" is not one of "
                  << EventProfiles::names().remove(QStringLiteral(", custom")) << Qt::endl;
            return false;
        }
        out.profile = p;
    }
    for (const QString& mapping : parser.values(field)) {
        const qsizetype eq = mapping.indexOf(u'=');
        const QString role = mapping.left(eq).trimmed();
        const QString path = eq < 0 ? QString() : mapping.mid(eq + 1).trimmed();
        if (eq < 0 || path.isEmpty() || !EventDecoder::isFieldRole(role.toStdString())) {
            err() << command << ": --field: \"" << mapping.left(80)
                  << "\" is not ROLE=PATH with a role of id, type, time, source, correlation, causation, payload"
                  << Qt::endl;
            return false;
        }
        out.fields.emplace_back(role.toStdString(), path.toStdString());
    }
    if (!out.fields.empty() && out.profile && *out.profile != EventProfile::Custom) {
        err() << command << ": --field and --profile cannot be used together (--field makes its own profile)"
              << Qt::endl;
        return false;
    }
    return true;
}

Session::Config Cli::fileConfig()
{
    Session::Config c;
    c.timeBasis = Session::TimeBasis::EventTime;
    c.memoryCapBytes = 0; // a summary covers the whole file: every chain and orphan needs its events
    c.smoothGrowth = false; // nobody waits on a frame: the fastest way through
    return c;
}

int Cli::summary(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("captures to summarise"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("print JSON"));
    const QCommandLineOption stats(QStringLiteral("stats"), QStringLiteral("print time, rate and memory to stderr"));
    p.addOptions({ json, stats });
    const DecoderOptions decoding(p);
    DecoderConfig decoder;
    if (!p.parse(args) || p.positionalArguments().isEmpty())
        return usage();
    if (!decoding.read(p, "summary", decoder))
        return Usage;
    QElapsedTimer timer;
    timer.start();
    Session session(fileConfig());
    if (!load(session, p.positionalArguments(), decoder))
        return BadFile;
    const qint64 elapsedNs = timer.nsecsElapsed();
    if (p.isSet(json))
        print(QString::fromUtf8(QJsonDocument(SessionSummary::toJson(session)).toJson(QJsonDocument::Indented)));
    else
        print(SessionSummary::toText(session));
    if (p.isSet(stats)) {
        rusage usage {};
        getrusage(RUSAGE_SELF, &usage);
        const double seconds = double(elapsedNs) / 1e9;
        const double events = std::max(1.0, double(session.eventCount()));
        // while reading, the indexes by event id and by correlation id are needed to resolve each new
        // event; once read, what a session keeps (as an opened capture's does) is without them
        const std::size_t reading = session.heapBytes();
        session.compact();
        const std::size_t retained = session.heapBytes();
        err() << QStringLiteral("stats: %1 events in %2 s = %3 events/s; peak RSS %4 MiB; session heap %5 MiB "
                                "(%6 B/event while reading, lookup indexes included; %7 B/event retained once "
                                "read; raw bytes in the heap included)")
                     .arg(session.eventCount())
                     .arg(seconds, 0, 'f', 3)
                     .arg(double(session.eventCount()) / seconds, 0, 'f', 0)
                     .arg(double(usage.ru_maxrss) / 1024.0, 0, 'f', 1)
                     .arg(double(reading) / 1048576.0, 0, 'f', 1)
                     .arg(double(reading) / events, 0, 'f', 1)
                     .arg(double(retained) / events, 0, 'f', 1)
              << Qt::endl;
    }
    return session.malformedCount() > 0 ? MalformedInput : Ok;
}

int Cli::chain(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("captures"));
    p.addPositionalArgument(QStringLiteral("correlation-id"), QStringLiteral("the chain to show"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("print JSON"));
    p.addOption(json);
    const DecoderOptions decoding(p);
    DecoderConfig decoder;
    if (!p.parse(args) || p.positionalArguments().size() < 2)
        return usage();
    if (!decoding.read(p, "chain", decoder))
        return Usage;
    QStringList files = p.positionalArguments();
    const QString id = files.takeLast();
    Session session(fileConfig());
    if (!load(session, files, decoder))
        return BadFile;
    const int c = ChainReport::findChain(session, id);
    if (c < 0) {
        err() << "eventscope-cli: no chain with correlation id " << id << " in " << files.join(QStringLiteral(", "))
              << Qt::endl;
        return MalformedInput;
    }
    if (p.isSet(json))
        print(QString::fromUtf8(QJsonDocument(ChainReport::toJson(session, c)).toJson(QJsonDocument::Indented)));
    else
        print(ChainReport::toText(session, c));
    return Ok;
}

int Cli::compare(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("before"), QStringLiteral("a capture"));
    p.addPositionalArgument(QStringLiteral("after"), QStringLiteral("another"));
    const DecoderOptions decoding(p);
    DecoderConfig decoder;
    if (!p.parse(args) || p.positionalArguments().size() != 2)
        return usage();
    if (!decoding.read(p, "compare", decoder))
        return Usage;
    const QStringList files = p.positionalArguments();
    Session a(fileConfig()), b(fileConfig());
    if (!load(a, { files[0] }, decoder) || !load(b, { files[1] }, decoder))
        return BadFile;
    print(SessionComparison::toText(SessionComparison::compare(a, b), files[0], files[1]));
    return Ok;
}

int Cli::generate(const QStringList& args)
{
    QCommandLineParser p;
    const QCommandLineOption count(QStringLiteral("count"), QStringLiteral("events"), QStringLiteral("N"));
    const QCommandLineOption seed(
        QStringLiteral("seed"), QStringLiteral("random seed"), QStringLiteral("S"), QStringLiteral("1"));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("events per second of event time"),
        QStringLiteral("R"), QStringLiteral("2000"));
    const QCommandLineOption scenario(QStringLiteral("scenario"), QStringLiteral("steady, incident or flood"),
        QStringLiteral("S"), QStringLiteral("steady"));
    const QCommandLineOption cloudEvents(QStringLiteral("cloudevents"), QStringLiteral("CloudEvents 1.0 JSON"));
    const QCommandLineOption output(
        { QStringLiteral("o"), QStringLiteral("output") }, QStringLiteral("file"), QStringLiteral("FILE"));
    p.addOptions({ count, seed, rate, scenario, cloudEvents, output });
    if (!p.parse(args) || !p.isSet(count))
        return usage();
    DemoGenerator::Options o;
    double countNumber = 0, seedNumber = 0, perSecond = 0;
    if (!numberOption(p, count, 1, 1e12, &countNumber, "eventscope-cli")
        || !numberOption(p, seed, 0, 9e15, &seedNumber, "eventscope-cli")
        || !numberOption(p, rate, 1, 1e9, &perSecond, "eventscope-cli"))
        return Usage;
    o.seed = quint64(seedNumber);
    o.cloudEvents = p.isSet(cloudEvents);
    if (!DemoGenerator::parseScenario(p.value(scenario), o.scenario))
        return usage();
    const quint64 n = quint64(countNumber);
    QFile out;
    if (p.isSet(output)) {
        out.setFileName(p.value(output));
        if (!out.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
            err() << "eventscope-cli: cannot write " << out.fileName() << ": " << out.errorString() << Qt::endl;
            return BadFile;
        }
    } else if (!out.open(stdout, QIODevice::WriteOnly)) {
        return BadFile;
    }
    DemoGenerator gen(o);
    // a fixed start keeps the same seed producing the same bytes
    const qint64 startUs = 1795000000LL * 1000000;
    QByteArray buf;
    buf.reserve(1 << 20);
    for (quint64 i = 0; gen.count() < n; ++i) {
        gen.next(startUs + qint64(double(i) * 1e6 / perSecond), buf);
        buf.append('\n');
        if (buf.size() > (1 << 20) - 4096) {
            out.write(buf);
            buf.clear();
        }
    }
    out.write(buf);
    return Ok;
}
