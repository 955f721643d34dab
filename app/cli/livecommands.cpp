// SPDX-License-Identifier: MIT
// The commands that talk to buses: record a live bus, serve a capture as a bus, run the demo bus.
#include "brokerprotocol.h"
#include "busserver.h"
#include "busurl.h"
#include "capturereader.h"
#include "cli.h"
#include "decodedbatch.h"
#include "demobus.h"
#include "eventdecoder.h"
#include "eventrecord.h"
#include "gaptracker.h"
#include "jetstream.h"
#include "optionvalue.h"
#include "printable.h"
#include "streamlister.h"
#include "timestamp.h"
#include "tokensource.h"
#include "urlredaction.h"
#include "websocketsource.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QTimer>
#include <atomic>
#include <csignal>

using namespace Cli;

namespace {
std::atomic<int> g_signal { 0 };

/// Ctrl-C and SIGTERM end a command cleanly: the handler only sets a flag that a timer looks at.
void onSignal(int signal) { g_signal = signal; }

void watchSignals(QObject* context, const std::function<void()>& onStop)
{
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    auto* timer = new QTimer(context);
    QObject::connect(timer, &QTimer::timeout, context, [onStop]() {
        if (g_signal.load())
            onStop();
    });
    timer->start(100);
}

QCommandLineOption portOption()
{
    return QCommandLineOption(QStringLiteral("port"), QStringLiteral("TCP port (0: any free port)"),
        QStringLiteral("P"), QStringLiteral("0"));
}

QCommandLineOption addressOption()
{
    return QCommandLineOption(QStringLiteral("address"), QStringLiteral("address to listen on"), QStringLiteral("A"),
        QStringLiteral("127.0.0.1"));
}

/// A serving command's limits on its clients: how many, and how much may wait for one.
struct ClientLimits
{
    QCommandLineOption maxClients { QStringLiteral("max-clients"),
        QStringLiteral("connections served at once; more are closed (1008) and counted (default 64)"),
        QStringLiteral("N"), QStringLiteral("64") };
    QCommandLineOption backlog { QStringLiteral("client-backlog"),
        QStringLiteral("KiB waiting for one client before it skips events; over it for 10 s, it is closed (1008) "
                       "and counted (default 1024)"),
        QStringLiteral("KIB"), QStringLiteral("1024") };

    explicit ClientLimits(QCommandLineParser& p) { p.addOptions({ maxClients, backlog }); }
    bool read(const QCommandLineParser& p, BusServer::Options& o) const
    {
        double clients = 0, kib = 0;
        if (!numberOption(p, maxClients, 1, 100000, &clients, "eventscope-cli")
            || !numberOption(p, backlog, 16, 1 << 20, &kib, "eventscope-cli"))
            return false;
        o.maxClients = int(clients);
        o.maxClientBacklogBytes = qint64(kib) * 1024;
        return true;
    }
};

/// What a server turned away, for its closing line.
QString turnedAway(const BusServer& server)
{
    return QStringLiteral("%1 slow clients closed, %2 connections refused")
        .arg(server.slowClientsClosed())
        .arg(server.clientsRefused());
}
} // namespace

int Cli::demoBus(const QStringList& args)
{
    QCommandLineParser p;
    const QCommandLineOption port = portOption();
    const QCommandLineOption address = addressOption();
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("events per second (1 to 500000)"),
        QStringLiteral("N"), QStringLiteral("400"));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
        QStringLiteral("steady, incident, flood or schema-change"), QStringLiteral("S"), QStringLiteral("steady"));
    const QCommandLineOption seed(
        QStringLiteral("seed"), QStringLiteral("random seed"), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption duration(QStringLiteral("duration"),
        QStringLiteral("seconds, then exit (0: run until stopped)"), QStringLiteral("S"), QStringLiteral("0"));
    const QCommandLineOption cloudEvents(QStringLiteral("cloudevents"), QStringLiteral("publish CloudEvents 1.0 JSON"));
    const QCommandLineOption nats(QStringLiteral("nats"),
        QStringLiteral("publish through this NATS server's WebSocket endpoint (nats+ws://HOST:PORT)"),
        QStringLiteral("URL"));
    const QCommandLineOption mqtt(QStringLiteral("mqtt"),
        QStringLiteral("publish through this MQTT broker's WebSocket endpoint (mqtt+ws://HOST:PORT)"),
        QStringLiteral("URL"));
    const QCommandLineOption jetStream(QStringLiteral("jetstream"),
        QStringLiteral("with --nats: publish into this JetStream stream (made when missing, subjects bus.TYPE), "
                       "the services as durable consumers acknowledging at their own pace"),
        QStringLiteral("STREAM"));
    p.addOptions({ port, address, rate, scenario, seed, duration, cloudEvents, nats, mqtt, jetStream });
    const ClientLimits limits(p);
    if (const int rc = parseCommand(p, args, "demo-bus"); rc >= 0)
        return rc;
    DemoBus::Options o;
    double portNumber = 0, seedNumber = 0;
    if (!limits.read(p, o.server) || !numberOption(p, port, 0, 65535, &portNumber, "eventscope-cli")
        || !numberOption(p, rate, 1, 500000, &o.eventsPerSecond, "eventscope-cli")
        || !numberOption(p, duration, 0, 1e9, &o.durationSeconds, "eventscope-cli")
        || !numberOption(p, seed, 0, 9e15, &seedNumber, "eventscope-cli"))
        return Usage;
    o.server.port = quint16(portNumber);
    o.server.address = QHostAddress(p.value(address));
    o.generator.seed = quint64(seedNumber);
    o.generator.cloudEvents = p.isSet(cloudEvents);
    if (!DemoGenerator::parseScenario(p.value(scenario), o.generator.scenario))
        return usage();
    if (p.isSet(nats) && p.isSet(mqtt))
        return usage();
    if (p.isSet(jetStream)) {
        o.jetStream = p.value(jetStream).toUtf8();
        if (!p.isSet(nats) || !JetStream::isValidName(o.jetStream)) {
            err() << "eventscope-cli: --jetstream wants --nats and a stream name (no white space, '.', '*', '>')"
                  << Qt::endl;
            return Usage;
        }
    }
    if (p.isSet(nats) || p.isSet(mqtt)) {
        o.brokerUrl = QUrl(p.value(p.isSet(nats) ? nats : mqtt), QUrl::TolerantMode);
        BrokerEndpoint endpoint;
        QString why;
        const auto wanted = p.isSet(nats) ? BrokerEndpoint::Nats : BrokerEndpoint::Mqtt;
        if (!BrokerEndpoint::parse(o.brokerUrl, endpoint, &why) || endpoint.protocol != wanted) {
            err() << "eventscope-cli: " << (p.isSet(nats) ? "--nats" : "--mqtt") << " wants a "
                  << (p.isSet(nats) ? "nats+ws:// or nats+wss://" : "mqtt+ws:// or mqtt+wss://") << " URL"
                  << (why.isEmpty() ? QString() : QStringLiteral(" (") + why + u')') << Qt::endl;
            return Usage;
        }
    }
    DemoBus bus(o);
    QString error;
    if (!bus.start(&error)) {
        err() << "eventscope-cli: cannot listen on " << p.value(address) << ':' << p.value(port) << ": " << error
              << Qt::endl;
        return BadFile;
    }
    print(UrlRedaction::redacted(bus.url()) + u'\n');
    QObject::connect(&bus, &DemoBus::finished, qApp, &QCoreApplication::quit);
    watchSignals(&bus, []() { QCoreApplication::quit(); });
    QCoreApplication::exec();
    err() << "demo-bus: published " << bus.published() << " events; " << turnedAway(bus.server());
    if (!o.brokerUrl.isEmpty())
        err() << ", " << bus.brokerDropped() << " dropped before the broker took them";
    err() << Qt::endl;
    return Ok;
}

int Cli::record(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("url"),
        QStringLiteral("the bus (ws://, wss://) or a broker (nats+ws://, mqtt+ws://, and +wss)"));
    const QCommandLineOption output(
        { QStringLiteral("o"), QStringLiteral("output") }, QStringLiteral("capture file"), QStringLiteral("FILE"));
    const QCommandLineOption count(
        QStringLiteral("count"), QStringLiteral("stop after N valid events"), QStringLiteral("N"));
    const QCommandLineOption duration(
        QStringLiteral("duration"), QStringLiteral("stop after S seconds"), QStringLiteral("S"));
    const QCommandLineOption tokenInQuery(
        QStringLiteral("token-in-query"), QStringLiteral("send the token as ?token="));
    const QCommandLineOption types(QStringLiteral("types"), QStringLiteral("type pattern to subscribe to (repeatable)"),
        QStringLiteral("PATTERN"));
    const QCommandLineOption ca(
        QStringLiteral("ca"), QStringLiteral("CA certificates (PEM) to trust"), QStringLiteral("FILE"));
    const QCommandLineOption insecure(QStringLiteral("insecure"), QStringLiteral("accept invalid TLS certificates"));
    p.addOptions({ output, count, duration, tokenInQuery, types, ca, insecure });
    const TokenSource::Options token(p);
    if (const int rc = parseCommand(p, args, "record"); rc >= 0)
        return rc;
    if (p.positionalArguments().size() != 1 || !p.isSet(output))
        return usage();

    if (const QString hint = BusUrl::missingSchemeHint(p.positionalArguments().constFirst()); !hint.isEmpty()) {
        err() << "record: " << hint << Qt::endl;
        return Usage;
    }
    ConnectionSettings settings;
    settings.url = BusUrl::fromText(p.positionalArguments().constFirst()); // "?subject=booking.>" as typed
    BrokerEndpoint endpoint;
    QString urlError;
    if (!BrokerEndpoint::parse(settings.url, endpoint, &urlError)) {
        err() << "eventscope-cli: cannot connect to " << UrlRedaction::redacted(settings.url) << ": " << urlError
              << Qt::endl;
        return Usage;
    }
    if (endpoint.protocol != BrokerEndpoint::Bus && p.isSet(types)) {
        err() << "eventscope-cli: --types filters an EventScope bus; a broker filters by the URL's "
              << (endpoint.protocol == BrokerEndpoint::Nats ? "?subject=" : "?topic=") << Qt::endl;
        return Usage;
    }
    QString tokenError;
    if (!token.read(p, &settings.url, &settings.token, &tokenError)) {
        err() << "record: " << tokenError << Qt::endl;
        return Usage;
    }
    settings.tokenInQuery = p.isSet(tokenInQuery);
    settings.types = p.values(types);
    settings.caFile = p.value(ca);
    settings.acceptInvalidCertificates = p.isSet(insecure);
    double countNumber = 0, seconds = 0;
    if ((p.isSet(count) && !numberOption(p, count, 1, 9e15, &countNumber, "eventscope-cli"))
        || (p.isSet(duration) && !numberOption(p, duration, 0.001, 1e9, &seconds, "eventscope-cli")))
        return Usage;
    const quint64 maxEvents = quint64(countNumber);
    settings.recordEvents = maxEvents; // the source closes the file at exactly that many
    const QString shown = UrlRedaction::redacted(settings.url);

    WebSocketSource source(settings, 0);
    GapTracker gaps;
    quint64 events = 0;
    int exitCode = Ok;
    QString ending;
    QElapsedTimer clock;
    clock.start();
    bool finished = false;
    auto finish = [&](int code, const QString& why) {
        if (finished)
            return;
        finished = true;
        exitCode = code;
        ending = why;
        QCoreApplication::quit();
    };
    QObject::connect(&source, &WebSocketSource::batchReady, &source, [&](const std::shared_ptr<DecodedBatch>& b) {
        events += b->events.size();
        for (const DecodedEvent& e : b->events) {
            if (e.flags & EventRecord::HasSeq)
                gaps.add(0, e.seq);
        }
        if (maxEvents > 0 && events >= maxEvents)
            finish(Ok, QStringLiteral("recorded %1 events").arg(maxEvents));
    });
    QObject::connect(&source, &WebSocketSource::statusChanged, &source, [&](const ConnectionStatus& s) {
        if (s.state == ConnectionStatus::Finished)
            finish(Ok, QStringLiteral("%1: %2").arg(shown, s.describe()));
        else if (s.state == ConnectionStatus::Failed)
            finish(s.everConnected ? ConnectionLost : BadFile, QStringLiteral("%1: %2").arg(shown, s.describe()));
        else if (!s.everConnected && s.state == ConnectionStatus::Reconnecting)
            finish(BadFile, QStringLiteral("could not connect to %1: %2").arg(shown, s.lastError));
    });
    QObject::connect(&source, &WebSocketSource::recordingFailed, &source,
        [&](const QString& error) { finish(BadFile, QStringLiteral("recording stopped: ") + error); });

    QTimer progress;
    QObject::connect(&progress, &QTimer::timeout, &source, [&]() {
        const ConnectionStatus s = source.status();
        err() << QStringLiteral("record: %1 events (%2/s), %3 reconnects, %4 gaps, %5 dropped, %6 malformed, %7")
                     .arg(events)
                     .arg(double(events) / std::max(0.001, clock.elapsed() / 1000.0), 0, 'f', 0)
                     .arg(s.reconnects)
                     .arg(gaps.gaps(0))
                     .arg(s.dropped)
                     .arg(s.malformed)
                     .arg(s.describe()
                         + (s.reconnects > 0 && s.state == ConnectionStatus::Live && !s.lastError.isEmpty()
                                 ? QStringLiteral(" (last loss: ") + s.lastError + u')'
                                 : QString()))
              << Qt::endl;
        if (seconds > 0 && clock.elapsed() >= seconds * 1000) {
            if (s.state == ConnectionStatus::Live)
                finish(Ok, QStringLiteral("recorded for %1 s").arg(seconds));
            else if (!s.everConnected) // never connected: a bad address or setting, not a lost connection
                finish(BadFile,
                    QStringLiteral("could not connect to %1 within %2 s: %3")
                        .arg(shown)
                        .arg(seconds)
                        .arg(s.lastError.isEmpty() ? s.describe() : s.lastError));
            else
                finish(ConnectionLost,
                    QStringLiteral("connection lost and not recovered: ")
                        + (s.lastError.isEmpty() ? s.describe() : s.lastError));
        }
    });
    progress.start(seconds > 0 && seconds < 1 ? int(seconds * 1000) : 1000);
    watchSignals(&source, [&]() {
        const bool live = source.status().state == ConnectionStatus::Live;
        finish(live || !source.status().everConnected ? Ok : ConnectionLost, QStringLiteral("interrupted"));
    });

    // a file-size limit (or a full disk) must fail the write, not kill the process: the file stays valid
    std::signal(SIGXFSZ, SIG_IGN);
    source.start();
    source.startRecording(p.value(output));
    QCoreApplication::exec();
    source.stop();
    // what the file holds: every event taken in, or exactly --count of them
    const quint64 written = maxEvents > 0 ? std::min(events, maxEvents) : events;
    err() << "record: " << ending << "; " << written << " events in " << p.value(output) << Qt::endl;
    return exitCode;
}

int Cli::serve(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("file"), QStringLiteral("capture to serve"));
    const QCommandLineOption port = portOption();
    const QCommandLineOption address = addressOption();
    const QCommandLineOption speed(QStringLiteral("speed"), QStringLiteral("time scale (2: twice as fast)"),
        QStringLiteral("X"), QStringLiteral("1"));
    const QCommandLineOption loop(QStringLiteral("loop"), QStringLiteral("start again at the end"));
    p.addOptions({ port, address, speed, loop });
    const ClientLimits limits(p);
    if (const int rc = parseCommand(p, args, "serve"); rc >= 0)
        return rc;
    if (p.positionalArguments().size() != 1)
        return usage();
    double scale = 1, portNumber = 0;
    if (!numberOption(p, speed, 0.001, 1e6, &scale, "eventscope-cli")
        || !numberOption(p, port, 0, 65535, &portNumber, "eventscope-cli"))
        return Usage;
    Session session(fileConfig());
    if (!load(session, p.positionalArguments()))
        return BadFile;
    BusServer::Options o;
    if (!limits.read(p, o))
        return Usage;
    o.port = quint16(portNumber);
    o.address = QHostAddress(p.value(address));
    o.storeCapacity = std::max<std::size_t>(o.storeCapacity, std::size_t(session.eventCount()));
    BusServer server(o);
    QString error;
    if (!server.listen(&error)) {
        err() << "eventscope-cli: cannot listen: " << error << Qt::endl;
        return BadFile;
    }
    print(server.url().toString() + u'\n');
    const EventStore& store = session.store();
    const quint32 n = store.size();
    if (n == 0) {
        err() << "serve: no events in " << p.positionalArguments().constFirst() << Qt::endl;
        return MalformedInput;
    }
    // events go out when their time (relative to the first, scaled by --speed) has come
    QElapsedTimer clock;
    clock.start();
    quint32 next = 0;
    const qint64 firstUs = store.at(0).receiveTimeUs;
    QTimer timer;
    QObject::connect(&timer, &QTimer::timeout, &server, [&]() {
        const double nowUs = double(clock.nsecsElapsed()) / 1000.0 * scale;
        while (next < n && double(store.at(next).receiveTimeUs - firstUs) <= nowUs) {
            const EventRecord& r = store.at(next);
            if (r.has(EventRecord::HasSeq))
                server.setNextSeq(r.seq());
            const std::string_view raw = store.raw(r);
            const std::string_view type = session.types().view(r.type);
            server.publish(
                QByteArray(raw.data(), qsizetype(raw.size())), QByteArrayView(type.data(), qsizetype(type.size())));
            ++next;
        }
        if (next == n) {
            if (!p.isSet(loop)) {
                timer.stop();
                err() << "serve: all " << n << " events published; still serving (Ctrl-C ends)" << Qt::endl;
                return;
            }
            next = 0;
            clock.restart();
        }
    });
    // the replay starts when the first client subscribes, so it sees the capture from its beginning
    QObject::connect(&server, &BusServer::clientSubscribed, &server, [&]() {
        if (!timer.isActive() && next == 0) {
            clock.restart();
            timer.start(5);
        }
    });
    watchSignals(&server, []() { QCoreApplication::quit(); });
    QCoreApplication::exec();
    err() << "serve: " << turnedAway(server) << Qt::endl;
    return Ok;
}

int Cli::streams(const QStringList& args)
{
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("url"), QStringLiteral("a NATS server (nats+ws://, nats+wss://)"));
    const QCommandLineOption json(QStringLiteral("json"), QStringLiteral("print JSON"));
    p.addOption(json);
    if (const int rc = parseCommand(p, args, "streams"); rc >= 0)
        return rc;
    if (p.positionalArguments().size() != 1)
        return usage();
    const QUrl url = BusUrl::fromText(p.positionalArguments().constFirst());
    StreamLister lister(url);
    std::vector<StreamInfo> found;
    QString failure;
    QObject::connect(&lister, &StreamLister::finished, qApp,
        [&found, &failure](const std::vector<StreamInfo>& streams, const QString& error) {
            found = streams;
            failure = error;
            QCoreApplication::quit();
        });
    QString error;
    if (!lister.start(&error)) {
        err() << "streams: " << error << Qt::endl;
        return Usage;
    }
    QCoreApplication::exec();
    if (!failure.isEmpty()) {
        err() << "streams: " << UrlRedaction::redacted(url) << ": " << failure << Qt::endl;
        return ConnectionLost;
    }
    const auto time = [](qint64 us) { return us > 0 ? Timestamp::toIso8601(us) : QString(); };
    if (p.isSet(json)) {
        QJsonArray list;
        for (const StreamInfo& s : found)
            list.append(QJsonObject { { QStringLiteral("name"), s.name },
                { QStringLiteral("subjects"), QJsonArray::fromStringList(s.subjects) },
                { QStringLiteral("messages"), qint64(s.messages) }, { QStringLiteral("bytes"), qint64(s.bytes) },
                { QStringLiteral("firstSeq"), qint64(s.firstSeq) }, { QStringLiteral("lastSeq"), qint64(s.lastSeq) },
                { QStringLiteral("firstTimestamp"),
                    s.firstTimeUs > 0 ? QJsonValue(time(s.firstTimeUs)) : QJsonValue() },
                { QStringLiteral("lastTimestamp"), s.lastTimeUs > 0 ? QJsonValue(time(s.lastTimeUs)) : QJsonValue() },
                { QStringLiteral("consumers"), qint64(s.consumers) } });
        print(QString::fromUtf8(QJsonDocument(list).toJson(QJsonDocument::Indented)));
        return Ok;
    }
    if (found.empty()) {
        print(QStringLiteral("No streams on this server.\n"));
        return Ok;
    }
    QString out = QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                      .arg(QStringLiteral("Stream"), -20)
                      .arg(QStringLiteral("Messages"), 12)
                      .arg(QStringLiteral("Bytes"), 10)
                      .arg(QStringLiteral("First"), -24)
                      .arg(QStringLiteral("Last"), -24)
                      .arg(QStringLiteral("Consumers"), 9)
                      .arg(QStringLiteral("Subjects"));
    for (const StreamInfo& s : found)
        out += QStringLiteral("%1  %2  %3  %4  %5  %6  %7\n")
                   .arg(Printable::forDisplay(s.name.toStdString(), 255), -20)
                   .arg(s.messages, 12)
                   .arg(QLocale::c().formattedDataSize(qint64(s.bytes), 1, QLocale::DataSizeTraditionalFormat), 10)
                   .arg(time(s.firstTimeUs), -24)
                   .arg(time(s.lastTimeUs), -24)
                   .arg(s.consumers, 9)
                   .arg(Printable::forDisplay(s.subjects.join(u' ').toStdString(), 200));
    QUrl example = url;
    if (example.path().isEmpty())
        example.setPath(QStringLiteral("/"));
    example.setQuery(QStringLiteral("stream=") + found.front().name + QStringLiteral("&from=1h"));
    out += QStringLiteral("\nRead one (here: its last hour): eventscope '%1'\n").arg(UrlRedaction::redacted(example));
    print(out);
    return Ok;
}
