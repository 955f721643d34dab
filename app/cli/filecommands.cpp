// SPDX-License-Identifier: MIT
// The commands that read files: summary, chain, and generate (which writes one).
#include "captureloader.h"
#include "capturewriter.h"
#include "chainreport.h"
#include "cli.h"
#include "decodeas.h"
#include "demogenerator.h"
#include "eventdecoder.h"
#include "optionvalue.h"
#include "printable.h"
#include "schemaregistry.h"
#include "schemareport.h"
#include "scratchfile.h"
#include "sessioncomparison.h"
#include "sessionindex.h"
#include "sessionsummary.h"
#include "shapereport.h"

#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QIODevice>
#include <QJsonDocument>
#include <QRegularExpression>
#include <cstdio>
#include <sys/resource.h>

using namespace Cli;

namespace {
/// `summary`'s memory cap when it saves no index: the newest events held, a few hundred thousand; every
/// one before them costs its id's index slot and, in the page cache, what it keeps (EventStore::Dropped).
constexpr int StreamingCapMiB = 16;

/// stderr, with the control characters of what is written escaped (Printable): messages quote file
/// names, ids and input, and none of it may act on the terminal.
class EscapingStderr : public QIODevice
{
public:
    EscapingStderr() { open(QIODevice::WriteOnly | QIODevice::Unbuffered); }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 len) override
    {
        m_pending.append(data, len);
        // up to the last whole UTF-8 sequence; a sequence cut between two writes waits for its end
        qsizetype whole = m_pending.size();
        for (qsizetype back = 1; back <= 3 && back <= m_pending.size(); ++back) {
            const uchar c = uchar(m_pending.at(m_pending.size() - back));
            if ((c & 0xC0) == 0x80)
                continue; // a continuation byte: look further back for its lead
            const qsizetype needed = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            if (needed > back)
                whole = m_pending.size() - back;
            break;
        }
        const QByteArray out = Printable::escaped(QString::fromUtf8(m_pending.left(whole))).toUtf8();
        std::fwrite(out.constData(), 1, std::size_t(out.size()), stderr);
        std::fflush(stderr);
        m_pending.remove(0, whole);
        return len;
    }

private:
    QByteArray m_pending;
};
} // namespace

QTextStream& Cli::err()
{
    static EscapingStderr device;
    static QTextStream s(&device);
    return s;
}

void Cli::print(const QString& text)
{
    const QByteArray utf8 = Printable::escaped(text).toUtf8();
    std::fwrite(utf8.constData(), 1, std::size_t(utf8.size()), stdout);
    std::fflush(stdout);
}

namespace {
/// Each command's synopsis: the overall usage is these lines, and `help COMMAND` starts with its own.
struct Synopsis
{
    const char* command;
    const char* text;
};
constexpr Synopsis synopses[] = {
    { "summary",
        "summary FILE... [--json] [--stats] [--no-index] [--breaker-handler HANDLER=BREAKER]... [--schemas PATH]\n"
        "                               [--profile NAME] [--field ROLE=PATH]..." },
    { "validate", "validate FILE... --schemas PATH [--json] [--profile NAME] [--field ROLE=PATH]..." },
    { "schemas", "schemas FILE... [--json] [--export DIR] [--profile NAME] [--field ROLE=PATH]..." },
    { "chain", "chain FILE... CORRELATION_ID [--json] [--profile NAME] [--field ROLE=PATH]..." },
    { "flow", "flow FILE... [--json] [--profile NAME] [--field ROLE=PATH]..." },
    { "stages", "stages FILE... [--root TYPE] [--json] [--profile NAME] [--field ROLE=PATH]..." },
    { "chain-diff",
        "chain-diff FILE... ID_A ID_B [--threshold-ms MS] [--json] [--profile NAME] [--field ROLE=PATH]..." },
    { "compare", "compare BEFORE AFTER [--profile NAME] [--field ROLE=PATH]..." },
    { "record",
        "record URL -o FILE [--count N] [--duration S] [--token T | --token-file F | --keychain] [--token-in-query] "
        "[--types "
        "PATTERN]...\n"
        "                             [--ca FILE] [--insecure]" },
    { "serve", "serve FILE [--port P] [--address A] [--speed X] [--loop]" },
    { "streams", "streams nats+ws://HOST:PORT [--json]     (a NATS server's JetStream streams, to read one)" },
    { "demo-bus",
        "demo-bus [--port P] [--address A] [--rate N] [--scenario steady|incident|flood|schema-change] [--seed N]\n"
        "                               [--duration S] [--cloudevents] [--nats URL | --mqtt URL]" },
    { "generate",
        "generate --count N [--seed S] [--rate EVENTS_PER_S] [--scenario steady|incident|flood|schema-change]\n"
        "                               [--cloudevents] [-o FILE [--capture]]" },
};

QString usageText()
{
    QString text;
    bool first = true;
    for (const Synopsis& s : synopses) {
        text += (first ? QStringLiteral("usage: eventscope-cli ") : QStringLiteral("       eventscope-cli "))
            + QString::fromLatin1(s.text) + u'\n';
        first = false;
    }
    text += QStringLiteral("       eventscope-cli help COMMAND        (or COMMAND --help: that command's options)\n"
                           "       eventscope-cli --version\n"
                           "--profile NAME: one of ")
        + EventProfiles::names().remove(QStringLiteral(", custom"))
        + QStringLiteral(" (default: detected per event)\n"
                         "--field ROLE=PATH: repeatable; roles id, type, time, source, correlation, causation, "
                         "payload\n"
                         "--schemas PATH: a folder of JSON Schema files (TYPE.schema.json), or one file\n");
    return text;
}
} // namespace

int Cli::usage()
{
    err() << usageText();
    return Usage;
}

int Cli::help(const QStringList& args)
{
    if (args.size() < 2) {
        print(usageText());
        return Ok;
    }
    return -1; // the caller runs the command with --help
}

int Cli::parseCommand(QCommandLineParser& p, const QStringList& args, const char* command)
{
    const QCommandLineOption help(
        { QStringLiteral("h"), QStringLiteral("help") }, QStringLiteral("print this command's options and exit"));
    p.addOption(help);
    if (!p.parse(args)) {
        const QStringList unknown = p.unknownOptionNames();
        if (!unknown.isEmpty()) {
            const QString& name = unknown.constFirst();
            err() << command << ": unknown option " << (name.size() == 1 ? "-" : "--") << name
                  << " (eventscope-cli help " << command << " lists its options)" << Qt::endl;
        } else {
            err() << command << ": " << p.errorText() << Qt::endl;
        }
        return Usage;
    }
    if (p.isSet(help)) {
        QString text = p.helpText();
        // Qt's first line names the binary's path: the command's own synopsis instead
        const qsizetype firstLineEnd = text.indexOf(u'\n');
        for (const Synopsis& s : synopses) {
            if (qstrcmp(s.command, command) == 0)
                text = QStringLiteral("usage: eventscope-cli ") + QString::fromLatin1(s.text) + text.mid(firstLineEnd);
        }
        print(text);
        return Ok;
    }
    return -1;
}

/// Reads every file into the session (decoding on a second thread); false (with a message) when one
/// cannot be read at all.
bool Cli::load(Session& session, const QStringList& files, const DecoderConfig& decoder)
{
    if (decoder.schemas)
        session.setSchemaRegistry(decoder.schemas);
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
        QStringLiteral("decode every event as this envelope: ")
            + EventProfiles::names().remove(QStringLiteral(", custom"))
            + QStringLiteral(" (default: detected per event)"),
        QStringLiteral("NAME"))
    , field(QStringLiteral("field"),
          QStringLiteral("map a field by hand, ROLE=dotted.path (roles: id, type, time, source, correlation, "
                         "causation, payload); repeatable"),
          QStringLiteral("ROLE=PATH"))
    , schemas(QStringLiteral("schemas"),
          QStringLiteral("check each payload against its type's JSON Schema (draft 7) from PATH: a folder of "
                         "TYPE.schema.json files, or one file"),
          QStringLiteral("PATH"))
{
    parser.addOptions({ profile, field, schemas });
}

bool DecoderOptions::read(const QCommandLineParser& parser, const char* command, DecoderConfig& out) const
{
    DecodeAs choice;
    if (parser.isSet(profile)) {
        EventProfile p;
        if (!EventProfiles::parse(parser.value(profile), p) || p == EventProfile::Custom) {
            err() << command << ": --profile: \"" << parser.value(profile).left(40) << "\" is not one of "
                  << EventProfiles::names().remove(QStringLiteral(", custom")) << Qt::endl;
            return false;
        }
        choice.profile = p;
    }
    for (const QString& mapping : parser.values(field)) {
        QString why;
        if (!choice.addField(mapping, &why)) {
            err() << command << ": --field: " << why << Qt::endl;
            return false;
        }
    }
    if (!choice.fields.empty() && choice.profile) {
        err() << command << ": --field and --profile cannot be used together (--field makes its own profile)"
              << Qt::endl;
        return false;
    }
    if (!choice.isAutomatic())
        choice.applyTo(out);
    if (parser.isSet(schemas)) {
        schemaProblems.clear();
        out.schemas = SchemaRegistry::load(parser.value(schemas), &schemaProblems);
        for (const SchemaProblem& problem : std::as_const(schemaProblems))
            err() << command << ": schemas: " << problem.describe() << Qt::endl;
        if (!out.schemas)
            return false;
    }
    return true;
}

Session::Config Cli::fileConfig()
{
    Session::Config c;
    c.clock = Session::Clock::Recorded;
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
    const QCommandLineOption behind(QStringLiteral("breaker-handler"),
        QStringLiteral("a handler behind a breaker, for failures that name no breaker and that the session does "
                       "not show behind one (repeatable)"),
        QStringLiteral("HANDLER=BREAKER"));
    const QCommandLineOption noIndex(
        QStringLiteral("no-index"), QStringLiteral("read the capture whole: neither use its saved index nor save one"));
    const QCommandLineOption memoryCap(QStringLiteral("memory-cap"),
        QStringLiteral("heap for the events held (default: %1 when an index is saved, a quarter of this machine's "
                       "memory, at least 1024; else %2: only the newest are held; 0: hold every event): past it "
                       "the oldest go, counted exactly as if held, and no index is saved")
            .arg(defaultMemoryCap() >> 20)
            .arg(StreamingCapMiB),
        QStringLiteral("MIB"));
    const QCommandLineOption exactMemory(QStringLiteral("exact-memory"),
        QStringLiteral("heap for counting the events past --memory-cap exactly (default %1, a quarter of this "
                       "machine's memory, at least 1024; 0: no bound): past it duplicates, causes and chains are "
                       "looked for among the newest ids only (at 1024, 70 M at least), and the summary says from "
                       "which event its figures are estimates")
            .arg(defaultMemoryCap() >> 20),
        QStringLiteral("MIB"));
    p.addOptions({ json, stats, behind, noIndex, memoryCap, exactMemory });
    const DecoderOptions decoding(p);
    DecoderConfig decoder;
    if (const int rc = parseCommand(p, args, "summary"); rc >= 0)
        return rc;
    if (p.positionalArguments().isEmpty())
        return usage();
    if (!decoding.read(p, "summary", decoder))
        return Usage;
    // one plain file: from its index when a valid one is saved, else read whole (and indexed)
    const QStringList files = p.positionalArguments();
    const bool indexed = !p.isSet(noIndex) && files.size() == 1 && !decoder.schemas && QFileInfo(files[0]).isFile();
    const bool savesIndex = indexed && QFileInfo(files[0]).size() >= qint64(SessionIndex::MinimumCaptureBytes);
    // A summary counts every event but needs only the newest held: past the cap the oldest go and what
    // they count in is kept for them (Session::Config::exactBeyondCap). Only a saved index needs every
    // event's record (a window opens the capture from it); a summary that saves none holds the newest
    // few hundred thousand (StreamingCapMiB) and keeps, for each event before them, its id and index
    // slot. Schema breaches name example events, so with --schemas every event is held.
    double capMiB = double(savesIndex ? defaultMemoryCap() >> 20 : StreamingCapMiB);
    if (p.isSet(memoryCap) && !numberOption(p, memoryCap, 0, 1 << 30, &capMiB, "summary"))
        return Usage;
    Session::Config config = fileConfig();
    config.memoryCapBytes = decoder.schemas ? 0 : std::size_t(capMiB) << 20;
    config.exactBeyondCap = true;
    double exactMiB = double(defaultMemoryCap() >> 20);
    if (p.isSet(exactMemory) && !numberOption(p, exactMemory, 0, 1 << 30, &exactMiB, "summary"))
        return Usage;
    config.exactBeyondCapBytes = std::size_t(exactMiB) << 20;
    // full chunks of records, and of what the dropped events keep, go to the page cache (a record
    // file), not the heap: the cap holds more, and what is kept beyond it is mostly index slots
    config.recordDirectory = ScratchFile::defaultDirectory();
    config.fileRecords = savesIndex || config.memoryCapBytes == 0; // else the cap bounds the records held
    config.maxReports = Session::Config::WholeCaptureReports; // every report, for the index
    BlastRadius::Options blast;
    for (const QString& pair : p.values(behind)) {
        const qsizetype eq = pair.indexOf(u'=');
        if (eq <= 0 || eq == pair.size() - 1) {
            err() << "summary: --breaker-handler wants HANDLER=BREAKER, not " << pair.left(80) << Qt::endl;
            return Usage;
        }
        blast.mapping[pair.left(eq).toStdString()] = pair.mid(eq + 1).toStdString();
    }
    QElapsedTimer timer;
    timer.start();
    // the index it may save serves the window too, whose Schemas view needs the payloads' shapes: learned
    // while reading (a few per cent), so that opening the capture next takes no parse
    decoder.learnShapes = savesIndex;
    const quint64 key = SessionIndex::settingsKey(config, decoder);
    auto owned = std::make_unique<Session>(config);
    bool fromIndex = false;
    SessionIndex::Extra extra; // what the index kept, and where a read of the capture stood
    SessionIndex::ReadOnAt readOn; // the capture grew since its index was saved: the rest is read on
    QString readOnText;
    if (indexed) {
        QString why;
        fromIndex = SessionIndex::load(files[0], key, false, *owned, &extra, &why, &readOn);
        if (!fromIndex) {
            owned = std::make_unique<Session>(config); // names a refused index left behind go with it
            if (!why.isEmpty())
                err() << "summary: the index " << why << "; the capture is read instead" << Qt::endl;
        }
    }
    Session& session = *owned;
    if (fromIndex && readOn.offset != 0) {
        // from the index's end, then indexed whole again (its bookmarks, then those read on)
        QString error;
        SessionIndex::Extra found;
        if (!CaptureLoader::readInto(session, files[0], &error, decoder, &extra.readOn, &readOn, &found)) {
            err() << "eventscope-cli: " << error << Qt::endl;
            return BadFile;
        }
        extra.readOn = found.readOn;
        for (auto& annotation : found.annotations)
            extra.annotations.push_back(std::move(annotation));
        fromIndex = false;
        readOnText = QStringLiteral("opened from its index, the capture read on from byte %1 (it grew since); ")
                         .arg(readOn.offset);
    } else if (!fromIndex && indexed) {
        // one file (no schemas): what its index keeps beside the events (bookmarks, where the read stood)
        QString error;
        if (!CaptureLoader::readInto(session, files[0], &error, decoder, nullptr, nullptr, &extra)) {
            err() << "eventscope-cli: " << error << Qt::endl;
            return BadFile;
        }
    } else if (!fromIndex && !load(session, files, decoder)) {
        return BadFile;
    }
    const qint64 elapsedNs = timer.nsecsElapsed();
    qint64 bytes = 0;
    for (const QString& file : p.positionalArguments())
        bytes += QFileInfo(file).isFile() ? QFileInfo(file).size() : 1; // a pipe: not known to be empty
    if (const QString why = SessionSummary::whyNoEvents(session, bytes); !why.isEmpty()) {
        if (p.isSet(json))
            err() << "summary: " << why << Qt::endl;
        else
            print(why + u'\n');
    }
    if (p.isSet(json))
        print(QString::fromUtf8(QJsonDocument(SessionSummary::toJson(session, blast)).toJson(QJsonDocument::Indented)));
    else
        print(SessionSummary::toText(session, blast));
    // saved after the summary is out: the next summary and the window open it without a parse
    QString indexText;
    if (indexed && !fromIndex && session.evictedCount() > 0) {
        indexText = QStringLiteral("no index saved: %1 of the events were past --memory-cap (counted, not held)")
                        .arg(session.evictedCount());
    } else if (indexed && !fromIndex && QFileInfo(files[0]).size() >= qint64(SessionIndex::MinimumCaptureBytes)) {
        QString where, error;
        if (SessionIndex::save(files[0], session, key, extra, &where, &error))
            indexText = QStringLiteral("index saved to %1").arg(where);
        else
            indexText = QStringLiteral("no index saved: %1").arg(error);
    } else if (fromIndex) {
        indexText = QStringLiteral("opened from its index");
    }
    if (p.isSet(stats)) {
        if (!indexText.isEmpty())
            err() << "stats: " << readOnText << indexText << Qt::endl;
        rusage usage {};
        getrusage(RUSAGE_SELF, &usage);
        const double seconds = double(elapsedNs) / 1e9;
        // while reading, the indexes by event id and by correlation id are needed to resolve each new
        // event; once read, what a session keeps (as an opened capture's does) is without them
        const std::size_t reading = session.heapBytes();
        session.compact().reset();
        const std::size_t retained = session.heapBytes();
        const double held = std::max(1.0, double(session.retainedCount()));
        err() << QStringLiteral("stats: %1 events in %2 s = %3 events/s; peak RSS %4 MiB; session heap %5 MiB "
                                "(%6 B/event while reading, lookup indexes included; %7 B/event retained once "
                                "read; raw bytes in the heap included)")
                     .arg(session.eventCount())
                     .arg(seconds, 0, 'f', 3)
                     .arg(double(session.eventCount()) / seconds, 0, 'f', 0)
                     .arg(double(usage.ru_maxrss) / 1024.0, 0, 'f', 1)
                     .arg(double(reading) / 1048576.0, 0, 'f', 1)
                     .arg(double(reading) / held, 0, 'f', 1)
                     .arg(double(retained) / held, 0, 'f', 1)
              << Qt::endl;
        const EventStore& store = session.store();
        if (store.recordFileBytes() > 0)
            err() << QStringLiteral("stats: in a record file (page cache): %1 MiB (full chunks of records, and "
                                    "what events past --memory-cap keep)")
                         .arg(double(store.recordFileBytes()) / 1048576.0, 0, 'f', 1)
                  << Qt::endl;
        else if (!store.recordFileError().isEmpty())
            err() << "stats: records on the heap: " << store.recordFileError() << Qt::endl;
        if (session.evictedCount() > 0) {
            const std::size_t kept = session.evictedHeapBytes();
            err() << QStringLiteral("stats: %1 events held, %2 past --memory-cap; kept for those to count%5: "
                                    "%3 MiB (%4 B/event)")
                         .arg(session.retainedCount())
                         .arg(session.evictedCount())
                         .arg(double(kept) / 1048576.0, 0, 'f', 1)
                         .arg(double(kept) / double(session.evictedCount()), 0, 'f', 1)
                         .arg(session.estimated() ? QString() : QStringLiteral(" exactly"))
                  << Qt::endl;
        }
        if (session.estimated())
            err() << QStringLiteral("stats: estimates from event %1 (--exact-memory): %2 MiB hold the newest %3 ids "
                                    "past --memory-cap at least (%4 held)")
                         .arg(session.estimatedFrom())
                         .arg(double(session.recentIds()->bytes()) / 1048576.0, 0, 'f', 1)
                         .arg(session.recentIds()->reach())
                         .arg(session.recentIds()->held())
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
    if (const int rc = parseCommand(p, args, "chain"); rc >= 0)
        return rc;
    if (p.positionalArguments().size() < 2)
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
    if (const int rc = parseCommand(p, args, "compare"); rc >= 0)
        return rc;
    if (p.positionalArguments().size() != 2)
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
    const QCommandLineOption capture(QStringLiteral("capture"),
        QStringLiteral("write an EventScope capture (each event a frame received at its time) to -o FILE"));
    p.addOptions({ count, seed, rate, scenario, cloudEvents, output, capture });
    if (const int rc = parseCommand(p, args, "generate"); rc >= 0)
        return rc;
    if (!p.isSet(count) || (p.isSet(capture) && !p.isSet(output)))
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
    // a fixed start keeps the same seed producing the same bytes
    const qint64 startUs = 1795000000LL * 1000000;
    if (p.isSet(capture)) {
        const QUrl source(QStringLiteral("demo://generated"));
        CaptureWriter writer;
        bool ok = writer.open(p.value(output), source, startUs) && writer.writeOrigin(1, source);
        DemoGenerator gen(o);
        QByteArray lines;
        for (quint64 i = 0; ok && gen.count() < n; ++i) {
            const qint64 t = startUs + qint64(double(i) * 1e6 / perSecond);
            lines.clear();
            gen.next(t, lines);
            for (const QByteArray& line : lines.split('\n'))
                ok = ok && (line.isEmpty() || writer.writeFrame(1, t, line));
        }
        ok = ok && writer.flush();
        writer.close();
        if (!ok) {
            err() << "eventscope-cli: cannot write " << p.value(output) << ": " << writer.errorString() << Qt::endl;
            return BadFile;
        }
        return Ok;
    }
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

int Cli::validate(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("captures whose payloads to check"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("print JSON"));
    p.addOption(json);
    const DecoderOptions decoding(p);
    DecoderConfig decoder;
    if (const int rc = parseCommand(p, args, "validate"); rc >= 0)
        return rc;
    if (p.positionalArguments().isEmpty())
        return usage();
    if (!p.isSet(decoding.schemas)) {
        err() << "validate: --schemas PATH is needed: the JSON Schemas to check the payloads against" << Qt::endl;
        return Usage;
    }
    if (!decoding.read(p, "validate", decoder))
        return BadFile;
    Session session(fileConfig());
    if (!load(session, p.positionalArguments(), decoder))
        return BadFile;
    if (p.isSet(json))
        print(QString::fromUtf8(
            QJsonDocument(SchemaReport::toJson(session, decoding.schemaProblems)).toJson(QJsonDocument::Indented)));
    else
        print(SchemaReport::toText(session, {})); // the files left out were told on stderr
    return session.schemas().violating() > 0 ? SchemaViolations : Ok;
}

int Cli::schemas(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("files"), QStringLiteral("captures whose payload shapes to learn"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("print JSON"));
    const QCommandLineOption exportTo(QStringLiteral("export"),
        QStringLiteral("write each type's learned shape as DIR/TYPE.schema.json (JSON Schema draft 7), to start "
                       "a registry"),
        QStringLiteral("DIR"));
    p.addOptions({ json, exportTo });
    const DecoderOptions decoding(p);
    DecoderConfig decoder;
    if (const int rc = parseCommand(p, args, "schemas"); rc >= 0)
        return rc;
    if (p.positionalArguments().isEmpty())
        return usage();
    if (!decoding.read(p, "schemas", decoder))
        return Usage;
    decoder.learnShapes = true; // only this command shows them: the others leave the work out
    Session session(fileConfig());
    if (!load(session, p.positionalArguments(), decoder))
        return BadFile;
    if (p.isSet(exportTo)) {
        QString error;
        if (ShapeReport::exportSchemas(session, p.value(exportTo), &error) < 0) {
            err() << "schemas: " << error << Qt::endl;
            return BadFile;
        }
    }
    if (p.isSet(json))
        print(QString::fromUtf8(QJsonDocument(ShapeReport::toJson(session)).toJson(QJsonDocument::Indented)));
    else
        print(ShapeReport::toText(session));
    return Ok;
}
