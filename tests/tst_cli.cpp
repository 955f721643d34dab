// SPDX-License-Identifier: MIT
// Runs the real eventscope-cli on small checked-in files and checks what it prints and returns. Long
// because it covers every command, each with its errors and exit codes.
#include "brokerprocess.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonParseError>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <cmath>

namespace {
struct Run
{
    int exitCode = -1;
    QByteArray out, err;
};

Run cli(const QStringList& args)
{
    QProcess p;
    p.start(QStringLiteral(EVENTSCOPE_CLI), args);
    p.waitForFinished(60000);
    return { p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError() };
}

/// Starts a long-running eventscope-cli command that prints its URL first.
/// A demo incident of `count` events written by `generate` into `dir`; empty when it failed.
QString generateIncident(const QTemporaryDir& dir, int count)
{
    const QString file = dir.filePath(QStringLiteral("incident.ndjson"));
    const bool ok = cli({ QStringLiteral("generate"), QStringLiteral("--count"), QString::number(count),
                            QStringLiteral("--scenario"), QStringLiteral("incident"), QStringLiteral("-o"), file })
                        .exitCode
        == 0;
    return ok ? file : QString();
}

QUrl startServer(QProcess& p, const QStringList& args)
{
    p.start(QStringLiteral(EVENTSCOPE_CLI), args);
    if (!p.waitForReadyRead(10000))
        return {};
    return QUrl(QString::fromUtf8(p.readLine().trimmed()));
}

QString data(const char* name) { return QStringLiteral(EVENTSCOPE_TEST_DATA "/") + QLatin1String(name); }
} // namespace

class TestCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timeOnTheBusFromABrowsersRecording()
    {
        // a HAR as the browser's developer tools export it: each frame's receive time is the page's, so
        // each source's time on the bus is known (within the histogram's 1/16)
        const Run r = cli({ QStringLiteral("summary"), data("har/chrome-websocket.har"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 20); // the page's own subscribe message is not the bus's
        QCOMPARE(o.value(QLatin1String("malformed")).toInt(), 0);
        const QJsonObject sources = o.value(QLatin1String("sources")).toObject();
        for (const auto& [name, ms] : { std::pair { "booking-service", 120.0 }, { "notification-service", 35.0 } }) {
            const QJsonObject source = sources.value(QLatin1String(name)).toObject();
            QCOMPARE(source.value(QLatin1String("events")).toInt(), 10);
            QCOMPARE(source.value(QLatin1String("timedEvents")).toInt(), 10);
            const double median = source.value(QLatin1String("busTimeMedianMs")).toDouble();
            QVERIFY2(std::abs(median - ms) <= ms / 16,
                qPrintable(QStringLiteral("%1: %2 ms").arg(QLatin1String(name)).arg(median)));
        }
    }

    void summaryJson()
    {
        const Run r = cli({ QStringLiteral("summary"), data("native.ndjson"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 11);
        QCOMPARE(o.value(QLatin1String("malformed")).toInt(), 0);
        QCOMPARE(o.value(QLatin1String("duplicates")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("chains")).toInt(), 2);
        QCOMPARE(o.value(QLatin1String("orphans")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("retries")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("deadLettered")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("gaps")).toInt(), 1);
        const QJsonObject types = o.value(QLatin1String("types")).toObject();
        QCOMPARE(types.value(QLatin1String("booking.created")).toInt(), 2);
        QCOMPARE(types.value(QLatin1String("system.circuit_breaker.state_changed")).toInt(), 3);
        const QJsonObject breaker
            = o.value(QLatin1String("breakers")).toObject().value(QLatin1String("email-gateway")).toObject();
        QCOMPARE(breaker.value(QLatin1String("state")).toString(), QStringLiteral("closed"));
        QCOMPARE(breaker.value(QLatin1String("transitions")).toInt(), 3);
        QCOMPARE(o.value(QLatin1String("firstTimestamp")).toString(), QStringLiteral("2026-11-29T10:00:00.000Z"));
        QCOMPARE(o.value(QLatin1String("lastTimestamp")).toString(), QStringLiteral("2026-11-29T10:00:05.600Z"));
        // one notification: failed once, retried once, dead-lettered: 3 reports, 1 event, 100 %
        const QJsonObject health
            = o.value(QLatin1String("typeHealth")).toObject().value(QLatin1String("notification.created")).toObject();
        QCOMPARE(health.value(QLatin1String("events")).toInt(), 1);
        QCOMPARE(health.value(QLatin1String("failedEvents")).toInt(), 1);
        QCOMPARE(health.value(QLatin1String("failures")).toInt(), 1);
        QCOMPARE(health.value(QLatin1String("retries")).toInt(), 1);
        QCOMPARE(health.value(QLatin1String("deadLettered")).toInt(), 1);
        QCOMPARE(health.value(QLatin1String("failedPercent")).toDouble(), 100.0);
        QCOMPARE(health.value(QLatin1String("deadLetteredPercent")).toDouble(), 100.0);
        const QJsonObject booking
            = o.value(QLatin1String("typeHealth")).toObject().value(QLatin1String("booking.created")).toObject();
        QCOMPARE(booking.value(QLatin1String("failedPercent")).toDouble(), 0.0);
    }

    void foreignEnvelopesOpenWithNoFlag_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("profile");
        QTest::addColumn<int>("events");
        QTest::addColumn<int>("chains");
        QTest::addColumn<int>("duplicates");
        QTest::addRow("EventStoreDB export") << "eventstoredb-export.ndjson"
                                             << "eventstoredb" << 3 << 1 << 0;
        QTest::addRow("EventStoreDB HTTP") << "eventstoredb-http.json"
                                           << "eventstoredb" << 2 << 1 << 0;
        QTest::addRow("MassTransit") << "masstransit.ndjson"
                                     << "masstransit" << 2 << 1 << 0;
        QTest::addRow("Axon") << "axon.ndjson"
                              << "axon" << 2 << 1 << 0;
        QTest::addRow("prooph") << "prooph.json"
                                << "prooph" << 2 << 1 << 0;
        // the spec's batch: B234 under two sources is two events; the third repeats one source's id
        QTest::addRow("CloudEvents batch") << "cloudevents-batch.json"
                                           << "cloudevents" << 3 << 0 << 1;
        QTest::addRow("Dapr") << "dapr.json"
                              << "cloudevents" << 1 << 1 << 0;
    }
    void foreignEnvelopesOpenWithNoFlag()
    {
        QFETCH(QString, file);
        QFETCH(QString, profile);
        QFETCH(int, events);
        QFETCH(int, chains);
        QFETCH(int, duplicates);
        const Run r = cli({ QStringLiteral("summary"), QStringLiteral(EVENTSCOPE_TEST_DATA "/profiles/") + file,
            QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("events")).toInt(), events);
        QCOMPARE(o.value(QLatin1String("malformed")).toInt(), 0);
        QCOMPARE(o.value(QLatin1String("chains")).toInt(), chains);
        QCOMPARE(o.value(QLatin1String("orphans")).toInt(), 0); // every cause found, roots are no orphans
        QCOMPARE(o.value(QLatin1String("duplicates")).toInt(), duplicates);
        const QJsonObject profiles = o.value(QLatin1String("profiles")).toObject();
        QCOMPARE(profiles.size(), 1);
        QCOMPARE(profiles.value(profile).toInt(), events);
        const Run text = cli({ QStringLiteral("summary"), QStringLiteral(EVENTSCOPE_TEST_DATA "/profiles/") + file });
        QVERIFY2(text.out.contains("Decoded as:"), text.out.constData());
    }

    void clockSkewedEventsAreCountedAndPlacedAtTheirNeighbours()
    {
        // a file of 2026 events with one producer 38 minutes behind, one event without a timestamp (first
        // line), the CloudEvents spec's 2018 example in the middle and "time":"yesterday" at the end
        Run r = cli({ QStringLiteral("summary"), QStringLiteral(EVENTSCOPE_TEST_DATA "/clocks/skewed.ndjson"),
            QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 63); // every event kept
        QCOMPARE(o.value(QLatin1String("malformed")).toInt(), 0); // "time":"yesterday" is a clock's fault
        QCOMPARE(o.value(QLatin1String("clockSkewed")).toInt(), 4);
        // the time range covers the trusted events only: no 1970, no 2018, no 38 minutes stretch
        QCOMPARE(o.value(QLatin1String("firstTimestamp")).toString(), QStringLiteral("2026-11-29T10:00:00.000Z"));
        QCOMPARE(o.value(QLatin1String("lastTimestamp")).toString(), QStringLiteral("2026-11-29T10:01:58.000Z"));
        const QJsonArray listed = o.value(QLatin1String("clockSkewedRecords")).toArray();
        QCOMPARE(listed.size(), 4);
        QVERIFY2(listed.at(3).toString().contains(QLatin1String("line 63 ")), qPrintable(listed.at(3).toString()));
        QVERIFY2(listed.at(3).toString().contains(QLatin1String("its timestamp is not a time")),
            qPrintable(listed.at(3).toString()));
        QVERIFY2(listed.at(0).toString().startsWith(QLatin1String("skewed.ndjson line 1 (byte 0): no timestamp")),
            qPrintable(listed.at(0).toString()));
        QVERIFY2(listed.at(1).toString().contains(QLatin1String("line 32 ")), qPrintable(listed.at(1).toString()));
        QVERIFY2(listed.at(1).toString().contains(QLatin1String("is 2278 s behind its neighbours'")),
            qPrintable(listed.at(1).toString()));
        QVERIFY2(listed.at(2).toString().contains(QLatin1String("2018-04-05T17:31:00.000Z")),
            qPrintable(listed.at(2).toString()));

        // a file whose time moves on (two sessions two hours apart) has no wrong clock
        r = cli({ QStringLiteral("summary"), QStringLiteral(EVENTSCOPE_TEST_DATA "/clocks/two-sessions.ndjson"),
            QStringLiteral("--json") });
        o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("clockSkewed")).toInt(), 0);
        QCOMPARE(o.value(QLatin1String("lastTimestamp")).toString(), QStringLiteral("2026-11-29T12:00:39.000Z"));
        // nor does the CloudEvents spec's batch on its own (all of it in 2018)
        r = cli({ QStringLiteral("summary"), QStringLiteral(EVENTSCOPE_TEST_DATA "/profiles/cloudevents-batch.json"),
            QStringLiteral("--json") });
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QLatin1String("clockSkewed")).toInt(), 0);
    }

    void decodingOptions()
    {
        const QString axon = QStringLiteral(EVENTSCOPE_TEST_DATA "/profiles/axon.ndjson");
        // forced: what does not fit is malformed, and says what was looked for
        Run r = cli({ QStringLiteral("summary"), axon, QStringLiteral("--profile"), QStringLiteral("masstransit"),
            QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 1);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 0);
        QVERIFY(o.value(QLatin1String("malformedRecords"))
                    .toArray()
                    .at(0)
                    .toString()
                    .contains(QLatin1String("not a MassTransit event: looked for messageId and messageType")));
        r = cli({ QStringLiteral("summary"), axon, QStringLiteral("--profile"), QStringLiteral("bogus") });
        QCOMPARE(r.exitCode, 64);
        QVERIFY2(
            r.err.contains("--profile: \"bogus\" is not one of native, cloudevents, eventstoredb"), r.err.constData());
        r = cli({ QStringLiteral("summary"), axon, QStringLiteral("--field"), QStringLiteral("corelation=x") });
        QCOMPARE(r.exitCode, 64);
        QVERIFY2(r.err.contains("--field: \"corelation\" is not a role: id, type, time"), r.err.constData());
        // by hand: Axon's fields named as paths
        r = cli({ QStringLiteral("summary"), axon, QStringLiteral("--field"), QStringLiteral("id=identifier"),
            QStringLiteral("--field"), QStringLiteral("type=payloadType"), QStringLiteral("--field"),
            QStringLiteral("correlation=metaData.traceId"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("profiles")).toObject().value(QLatin1String("custom")).toInt(), 2);
        QCOMPARE(o.value(QLatin1String("chains")).toInt(), 1);
    }

    void readsAPipe()
    {
        QFile f(data("native.ndjson"));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QProcess p;
        p.start(QStringLiteral(EVENTSCOPE_CLI),
            { QStringLiteral("summary"), QStringLiteral("/dev/stdin"), QStringLiteral("--json") });
        QVERIFY(p.waitForStarted());
        p.write(f.readAll());
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(
            QJsonDocument::fromJson(p.readAllStandardOutput()).object().value(QLatin1String("events")).toInt(), 11);
    }

    /// Other systems' envelopes (written from their documentation) read through a pipe as from the file:
    /// the first bytes read ahead to recognise each format are handed over again.
    void otherSystemsCapturesReadThroughAPipeAsFromTheFile()
    {
        const char* const fixtures[] { "profiles/axon.ndjson", "profiles/cloudevents-batch.json", "profiles/dapr.json",
            "profiles/eventstoredb-export.ndjson", "profiles/eventstoredb-http.json", "profiles/masstransit.ndjson",
            "profiles/prooph.json", "cloudevents.json" };
        for (const char* name : fixtures) {
            QFile f(data(name));
            QVERIFY2(f.open(QIODevice::ReadOnly), name);
            const Run file = cli(
                { QStringLiteral("summary"), data(name), QStringLiteral("--json"), QStringLiteral("--no-index") });
            QCOMPARE(file.exitCode, 0);
            QProcess p;
            p.start(QStringLiteral(EVENTSCOPE_CLI),
                { QStringLiteral("summary"), QStringLiteral("/dev/stdin"), QStringLiteral("--json") });
            QVERIFY(p.waitForStarted());
            p.write(f.readAll());
            p.closeWriteChannel();
            QVERIFY(p.waitForFinished(30000));
            QCOMPARE(p.exitCode(), 0);
            QJsonObject piped = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
            QJsonObject read = QJsonDocument::fromJson(file.out).object();
            QVERIFY2(read.value(QLatin1String("events")).toInt() > 0, name);
            QVERIFY2(piped == read,
                qPrintable(
                    QLatin1String(name) + QStringLiteral(": ") + QString::fromUtf8(QJsonDocument(piped).toJson())));
        }
    }

    void cloudEventsDocument()
    {
        const Run r = cli({ QStringLiteral("summary"), data("cloudevents.json"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 3);
        QCOMPARE(o.value(QLatin1String("chains")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("gaps")).toInt(), 1); // sequence 3 is missing
    }

    void severalFilesAddUp()
    {
        const Run r = cli(
            { QStringLiteral("summary"), data("native.ndjson"), data("cloudevents.json"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QLatin1String("events")).toInt(), 14);
    }

    void malformedInputExitsOneAndSaysWhere()
    {
        const Run r = cli({ QStringLiteral("summary"), data("malformed.ndjson"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 1);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        // x-1's "timestamp":"yesterday" is a broken clock, not a broken event: kept, clock-skewed
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 3);
        QCOMPARE(o.value(QLatin1String("malformed")).toInt(), 7);
        QCOMPARE(o.value(QLatin1String("clockSkewed")).toInt(), 1);
        const QString first = o.value(QLatin1String("malformedRecords")).toArray().first().toString();
        QVERIFY2(first.startsWith(QLatin1String("malformed.ndjson line 2")), qPrintable(first));
        const Run text = cli({ QStringLiteral("summary"), data("malformed.ndjson") });
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(
            text.out.contains("malformed.ndjson line 7 (byte 164): its timestamp is not a time"), text.out.constData());
    }

    void unreadableOrForeignFilesExitTwo_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("message");
        QTest::addRow("png") << data("not-a-capture.png") << QStringLiteral("not a capture");
        QTest::addRow("missing") << QStringLiteral("/no/such.ndjson") << QStringLiteral("no such file");
    }
    void unreadableOrForeignFilesExitTwo()
    {
        QFETCH(QString, file);
        QFETCH(QString, message);
        const Run r = cli({ QStringLiteral("summary"), file });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(file.toUtf8()) && r.err.contains(message.toUtf8()), r.err.constData());
    }

    void chainTree()
    {
        const Run r = cli(
            { QStringLiteral("chain"), data("native.ndjson"), QStringLiteral("c0000000-0000-4000-8000-000000000001") });
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.split('\n');
        QVERIFY2(lines[0].contains("7 events") && lines[0].contains("1 failed") && lines[0].contains("1 dead-lettered"),
            lines[0].constData());
        QVERIFY2(lines[1].contains("+    0.000s  booking.created"), lines[1].constData());
        QVERIFY2(lines[2].contains("+    0.100s    booking.validated"), lines[2].constData());
        QVERIFY2(lines[3].contains("notification.created") && lines[3].contains("[RETRY attempt 1 in 200 ms")
                && lines[3].contains("[DEAD-LETTERED after 5 attempts")
                && lines[3].contains("[FAILED in email-handler"),
            lines[3].constData());
        QVERIFY(r.out.contains("[DUPLICATE id]"));
    }

    void chainJsonHasFieldsNotSentences()
    {
        const Run r = cli({ QStringLiteral("chain"), data("native.ndjson"),
            QStringLiteral("c0000000-0000-4000-8000-000000000001"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonArray events = QJsonDocument::fromJson(r.out).object().value(QLatin1String("events")).toArray();
        QJsonObject notification;
        for (const QJsonValue& v : events)
            if (v.toObject().value(QLatin1String("type")).toString() == QLatin1String("notification.created"))
                notification = v.toObject();
        QVERIFY(notification.value(QLatin1String("failed")).toBool());
        QVERIFY(notification.value(QLatin1String("retried")).toBool());
        QVERIFY(notification.value(QLatin1String("deadLettered")).toBool());
        QMap<QString, QJsonObject> byKind;
        for (const QJsonValue& v : notification.value(QLatin1String("reports")).toArray())
            byKind[v.toObject().value(QLatin1String("kind")).toString()] = v.toObject();
        QCOMPARE(byKind.value(QStringLiteral("retried")).value(QLatin1String("attempt")).toInt(), 1);
        QCOMPARE(byKind.value(QStringLiteral("retried")).value(QLatin1String("delayMs")).toInt(), 200);
        QCOMPARE(byKind.value(QStringLiteral("deadLettered")).value(QLatin1String("attempts")).toInt(), 5);
        QCOMPARE(byKind.value(QStringLiteral("failed")).value(QLatin1String("handler")).toString(),
            QStringLiteral("email-handler"));
        QCOMPARE(byKind.value(QStringLiteral("failed")).value(QLatin1String("reason")).toString(),
            QStringLiteral("gateway timeout"));
        bool duplicate = false;
        for (const QJsonValue& v : events)
            duplicate |= v.toObject().value(QLatin1String("duplicate")).toBool();
        QVERIFY(duplicate);
    }

    void aDeepChainPrintsALinePerEvent()
    {
        // each event caused by the one before: output and memory must grow with the chain, not its square
        constexpr int Depth = 50000;
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("deep.ndjson"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        for (int i = 0; i < Depth; ++i)
            f.write("{\"id\":\"d" + QByteArray::number(i) + "\",\"type\":\"step\",\"correlationId\":\"deep\""
                + (i ? ",\"causationId\":\"d" + QByteArray::number(i - 1) + '"' : QByteArray()) + "}\n");
        f.close();
        Run r = cli({ QStringLiteral("chain"), file, QStringLiteral("deep") });
        QCOMPARE(r.exitCode, 0);
        const QList<QByteArray> lines = r.out.split('\n');
        QCOMPARE(lines.size(), Depth + 3); // the heading, a line per event, the critical path, the final newline
        QVERIFY2(r.out.size() < 120 * Depth, qPrintable(QString::number(r.out.size())));
        QVERIFY2(lines[Depth].contains("[depth 49999] step  d49999"), lines[Depth].constData());
        // the whole chain is its critical path: said in one bounded line
        QVERIFY2(lines[Depth + 1].startsWith("Critical path: step") && lines[Depth + 1].contains("(50000 hops in all)")
                && lines[Depth + 1].size() < 500,
            lines[Depth + 1].left(500).constData());
        r = cli({ QStringLiteral("chain"), file, QStringLiteral("deep"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonArray events = QJsonDocument::fromJson(r.out).object().value(QLatin1String("events")).toArray();
        QCOMPARE(events.size(), Depth);
        QCOMPARE(events.last().toObject().value(QLatin1String("depth")).toInt(), Depth - 1);
    }

    void criticalPathFollowsTheLatestBranch()
    {
        // a at 0 causes b (100 ms) and c (50 ms); b causes e (200 ms), c causes d (300 ms, the last):
        // the critical path is a -> c -> d, the hops taking 0, 50 and 250 ms
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("branches.ndjson"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const auto line = [](const char* id, int ms, const char* cause) -> QByteArray {
            return "{\"id\":\"" + QByteArray(id) + "\",\"type\":\"step." + QByteArray(id)
                + "\",\"timestamp\":\"2026-11-29T10:00:00." + QByteArray::number(ms).rightJustified(3, '0')
                + "Z\",\"correlationId\":\"k\""
                + (cause ? ",\"causationId\":\"" + QByteArray(cause) + '"' : QByteArray()) + "}\n";
        };
        // and a second delivery of a, later than everything: a duplicate never ends the path
        f.write(line("a", 0, nullptr) + line("c", 50, "a") + line("b", 100, "a") + line("e", 200, "b")
            + line("d", 300, "c") + line("a", 400, nullptr));
        f.close();
        Run r = cli({ QStringLiteral("chain"), file, QStringLiteral("k"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject chain = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(chain.value(QLatin1String("criticalPath")).toArray(),
            (QJsonArray { QStringLiteral("a"), QStringLiteral("c"), QStringLiteral("d") }));
        QHash<QString, QJsonObject> byId;
        for (const QJsonValue& e : chain.value(QLatin1String("events")).toArray())
            byId.insert(e.toObject().value(QLatin1String("id")).toString(), e.toObject());
        QCOMPARE(byId[QStringLiteral("c")].value(QLatin1String("criticalHopMs")).toDouble(), 50.0);
        QCOMPARE(byId[QStringLiteral("d")].value(QLatin1String("criticalHopMs")).toDouble(), 250.0);
        QCOMPARE(byId[QStringLiteral("d")].value(QLatin1String("criticalHopPercent")).toDouble(), 62.5); // of 400 ms
        QVERIFY(!byId[QStringLiteral("b")].contains(QLatin1String("criticalHopMs")));
        r = cli({ QStringLiteral("chain"), file, QStringLiteral("k") });
        QVERIFY2(r.out.contains("Critical path: step.a (+0.000 s, 0.0 %) -> step.c (+0.050 s, 12.5 %) -> step.d "
                                "(+0.250 s, 62.5 %)"),
            r.out.constData());
    }

    void criticalPathOfAnEventStoreDbExport()
    {
        // EventStoreDB's own convention: a root names itself as its cause; its export's 7-digit times
        const Run r = cli({ QStringLiteral("chain"), data("profiles/eventstoredb-export.ndjson"),
            QStringLiteral("c1a7e3b0-0000-4000-8000-0000000000b1"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject chain = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(chain.value(QLatin1String("criticalPath")).toArray(),
            (QJsonArray { QStringLiteral("3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0001"),
                QStringLiteral("3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0002"),
                QStringLiteral("3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0003") }));
        const QJsonArray events = chain.value(QLatin1String("events")).toArray();
        QCOMPARE(events.at(1).toObject().value(QLatin1String("criticalHopMs")).toDouble(), 376.544);
        QCOMPARE(events.at(2).toObject().value(QLatin1String("criticalHopPercent")).toDouble(), 57.0);
    }

    void flowOfOtherSystemsExports()
    {
        // EventStoreDB's $causationId (its root names itself), MassTransit's initiatorId: hop times exact
        Run r = cli({ QStringLiteral("flow"), data("profiles/eventstoredb-export.ndjson"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QJsonArray edges = QJsonDocument::fromJson(r.out).object().value(QLatin1String("edges")).toArray();
        QCOMPARE(edges.size(), 2);
        QJsonObject created = edges.at(1).toObject();
        QCOMPARE(created.value(QLatin1String("from")).toString(), QStringLiteral("BookingCreated"));
        QCOMPARE(created.value(QLatin1String("to")).toString(), QStringLiteral("BookingConfirmed"));
        QCOMPARE(created.value(QLatin1String("p99Ms")).toDouble(), 376.544);
        QCOMPARE(edges.at(0).toObject().value(QLatin1String("maxMs")).toDouble(), 500.0);

        r = cli({ QStringLiteral("flow"), data("profiles/masstransit.ndjson") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("2 event types, 1 causation edge\n"), r.out.constData());
        QVERIFY2(QString::fromUtf8(r.out).contains(QRegularExpression(QStringLiteral(
                     "BookingCreated → NotificationSent +1 +484\\.1 +484\\.1 +484\\.1 +484\\.1 +0\\.0%"))),
            r.out.constData());
    }

    void stagesOfAnEventStoreDbExportAndAGeneratedIncident()
    {
        Run r
            = cli({ QStringLiteral("stages"), data("profiles/eventstoredb-export.ndjson"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("root")).toString(), QStringLiteral("BookingCreated"));
        QJsonArray stages = o.value(QLatin1String("stages")).toArray();
        QCOMPARE(stages.size(), 3);
        QCOMPARE(stages.at(2).toObject().value(QLatin1String("type")).toString(), QStringLiteral("StaffNotified"));
        QCOMPARE(stages.at(2).toObject().value(QLatin1String("p50FromRootMs")).toDouble(), 876.544);
        QCOMPARE(stages.at(2).toObject().value(QLatin1String("p50FromPreviousMs")).toDouble(), 500.0);
        QCOMPARE(stages.at(2).toObject().value(QLatin1String("endedHere")).toInt(), 1);

        QTemporaryDir dir;
        const QString file = generateIncident(dir, 20000);
        QVERIFY(!file.isEmpty());
        r = cli({ QStringLiteral("stages"), file, QStringLiteral("--json"), QStringLiteral("--root"),
            QStringLiteral("booking.created") });
        QCOMPARE(r.exitCode, 0);
        o = QJsonDocument::fromJson(r.out).object();
        const qint64 chains = o.value(QLatin1String("chains")).toInteger();
        QVERIFY(chains > 100);
        // every chain ends at one stage; a stage never has more chains than the root; in time order
        qint64 ended = 0;
        double previous = -1;
        for (const QJsonValue& v : o.value(QLatin1String("stages")).toArray()) {
            const QJsonObject st = v.toObject();
            ended += st.value(QLatin1String("endedHere")).toInteger();
            QVERIFY(st.value(QLatin1String("reached")).toInteger() <= chains);
            QVERIFY(st.value(QLatin1String("p50FromRootMs")).toDouble() >= previous);
            previous = st.value(QLatin1String("p50FromRootMs")).toDouble();
        }
        QCOMPARE(ended, chains);
        r = cli({ QStringLiteral("stages"), file, QStringLiteral("--root"), QStringLiteral("booking.validated") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("stages: no chain starts with booking.validated"), r.err.constData());
    }

    void flowOfAnIncidentKeepsSharesTrue()
    {
        QTemporaryDir dir;
        const QString file = generateIncident(dir, 20000);
        QVERIFY(!file.isEmpty());
        const Run r = cli({ QStringLiteral("flow"), file, QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject flow = QJsonDocument::fromJson(r.out).object();
        QHash<QString, qint64> events, failed;
        for (const QJsonValue& v : flow.value(QLatin1String("nodes")).toArray()) {
            const QJsonObject n = v.toObject();
            events[n.value(QLatin1String("type")).toString()] = n.value(QLatin1String("events")).toInteger();
            failed[n.value(QLatin1String("type")).toString()] = n.value(QLatin1String("failed")).toInteger();
            QVERIFY(n.value(QLatin1String("failedPercent")).toDouble() <= 100.0);
        }
        // the incident's failures are about notifications: counted once each, never more than there are
        QVERIFY(failed.value(QStringLiteral("notification.created")) > 0);
        QVERIFY(failed.value(QStringLiteral("notification.created"))
            <= events.value(QStringLiteral("notification.created")));
        QHash<QString, qint64> into;
        for (const QJsonValue& v : flow.value(QLatin1String("edges")).toArray()) {
            const QJsonObject e = v.toObject();
            QVERIFY(e.value(QLatin1String("failed")).toInteger() <= e.value(QLatin1String("count")).toInteger());
            QVERIFY(e.value(QLatin1String("p50Ms")).toDouble() <= e.value(QLatin1String("p95Ms")).toDouble());
            QVERIFY(e.value(QLatin1String("p95Ms")).toDouble() <= e.value(QLatin1String("p99Ms")).toDouble());
            QVERIFY(e.value(QLatin1String("p99Ms")).toDouble() <= e.value(QLatin1String("maxMs")).toDouble());
            into[e.value(QLatin1String("to")).toString()] += e.value(QLatin1String("count")).toInteger();
        }
        // every event has at most one cause
        for (auto it = into.cbegin(); it != into.cend(); ++it)
            QVERIFY2(it.value() <= events.value(it.key()), qPrintable(it.key()));
        QVERIFY(into.value(QStringLiteral("booking.validated")) > 0);
    }

    void validateAgainstTheShippedSchemasAndAChangedOne()
    {
        QTemporaryDir dir;
        const QString file = generateIncident(dir, 5000);
        QVERIFY(!file.isEmpty());
        const QString shipped = data("../../resources/schemas");
        // the demo platform's own contracts hold for everything the demo sends
        Run r
            = cli({ QStringLiteral("validate"), file, QStringLiteral("--schemas"), shipped, QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("checked")).toInt(), 5000);
        QCOMPARE(o.value(QLatin1String("violating")).toInt(), 0);
        QCOMPARE(o.value(QLatin1String("types")).toArray().size(), 27);

        // the same contracts, where booking.created now also requires a voucher
        QDir(dir.path()).mkdir(QStringLiteral("schemas"));
        for (const QString& name : QDir(shipped).entryList({ QStringLiteral("*.json") }, QDir::Files))
            QVERIFY(QFile::copy(shipped + u'/' + name, dir.filePath(QStringLiteral("schemas/") + name)));
        QFile changed(dir.filePath(QStringLiteral("schemas/booking.created.schema.json")));
        QVERIFY(changed.remove());
        QVERIFY(changed.open(QIODevice::WriteOnly));
        changed.write("{\"allOf\": [{\"$ref\": \"common.json#/definitions/booking\"}, {\"required\": [\"voucher\"]}]}");
        changed.close();
        r = cli({ QStringLiteral("validate"), file, QStringLiteral("--schemas"),
            dir.filePath(QStringLiteral("schemas")), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 1); // some event violates
        o = QJsonDocument::fromJson(r.out).object();
        const QJsonObject created
            = o.value(QLatin1String("violations")).toObject().value(QLatin1String("booking.created")).toObject();
        QVERIFY(created.value(QLatin1String("checked")).toInt() > 0);
        QCOMPARE(created.value(QLatin1String("violating")), created.value(QLatin1String("checked")));
        QCOMPARE(created.value(QLatin1String("violatingPercent")).toDouble(), 100.0);
        QCOMPARE(created.value(QLatin1String("rules")).toObject().keys(),
            QStringList { QStringLiteral("/voucher: required") });
        QCOMPARE(o.value(QLatin1String("violating")), created.value(QLatin1String("violating")));

        // summary says the same under schemaViolations; text names the rule with an example event
        r = cli({ QStringLiteral("summary"), file, QStringLiteral("--schemas"), dir.filePath(QStringLiteral("schemas")),
            QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out)
                     .object()
                     .value(QLatin1String("schemaViolations"))
                     .toObject()
                     .value(QLatin1String("booking.created")),
            QJsonValue(created));
        r = cli(
            { QStringLiteral("validate"), file, QStringLiteral("--schemas"), dir.filePath(QStringLiteral("schemas")) });
        QVERIFY2(r.out.contains("  /voucher: required: ") && r.out.contains(" events, e.g. "), r.out.constData());

        // no schemas named, or none there: said so
        r = cli({ QStringLiteral("validate"), file });
        QCOMPARE(r.exitCode, 64);
        QVERIFY(r.err.contains("--schemas PATH is needed"));
        r = cli(
            { QStringLiteral("validate"), file, QStringLiteral("--schemas"), dir.filePath(QStringLiteral("none")) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("none: no such file or folder"), r.err.constData());
    }

    void schemasLearnsShapesTheirChangesAndExportsARegistry()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("schema-change.ndjson"));
        QVERIFY(cli({ QStringLiteral("generate"), QStringLiteral("--count"), QStringLiteral("20000"),
                        QStringLiteral("--rate"), QStringLiteral("400"), QStringLiteral("--scenario"),
                        QStringLiteral("schema-change"), QStringLiteral("-o"), file })
                    .exitCode
            == 0);
        Run r = cli({ QStringLiteral("schemas"), file, QStringLiteral("--json"), QStringLiteral("--export"),
            dir.filePath(QStringLiteral("learned")) });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject staff = QJsonDocument::fromJson(r.out)
                                      .object()[QLatin1String("types")]
                                      .toObject()[QLatin1String("staff.assigned")]
                                      .toObject();
        // the release at 20 s: staffId a number, available renamed, told once each at the first such event
        QStringList changes;
        for (const QJsonValue& c : staff[QLatin1String("changes")].toArray())
            changes << c[QLatin1String("kind")].toString() + u' ' + c[QLatin1String("path")].toString() + u' '
                    + c[QLatin1String("to")].toString() + u' ' + c[QLatin1String("source")].toString();
        QCOMPARE(changes,
            QStringList({ QStringLiteral("type /staffId integer staff-service"),
                QStringLiteral("added /isAvailable boolean staff-service"),
                QStringLiteral("removed /available  staff-service") }));
        const QString at = staff[QLatin1String("changes")].toArray()[0][QLatin1String("at")].toString();
        QVERIFY2(
            at >= QLatin1String("2026-11-18T11:07:00") && at < QLatin1String("2026-11-18T11:07:01"), qPrintable(at));
        // booking.created never changed
        QVERIFY(QJsonDocument::fromJson(r.out)
                    .object()[QLatin1String("types")]
                    .toObject()[QLatin1String("booking.created")]
                    .toObject()[QLatin1String("changes")]
                    .toArray()
                    .isEmpty());
        // the exported shapes are a registry the same file keeps, and the shipped contracts do not
        r = cli(
            { QStringLiteral("validate"), file, QStringLiteral("--schemas"), dir.filePath(QStringLiteral("learned")) });
        QVERIFY2(r.exitCode == 0, r.out.left(2000).constData());
        QVERIFY(r.out.contains("20000 events checked, 0 violating"));
        r = cli({ QStringLiteral("validate"), file, QStringLiteral("--schemas"), data("../../resources/schemas") });
        QCOMPARE(r.exitCode, 1);
        // and the text says it in words
        r = cli({ QStringLiteral("schemas"), file });
        QVERIFY2(
            r.out.contains("  /staffId string -> integer from staff-service, first "), r.out.left(3000).constData());
    }

    void chainDiffOfTwoEventStoreDbBookings()
    {
        // the export's booking, and a second one written to the same format: confirmed 1.3 s after it
        // was created instead of 0.376544 s, and no staff notified
        QTemporaryDir dir;
        QFile file(dir.filePath(QStringLiteral("two-bookings.ndjson")));
        QFile fixture(data("profiles/eventstoredb-export.ndjson"));
        QVERIFY(file.open(QIODevice::WriteOnly) && fixture.open(QIODevice::ReadOnly));
        file.write(fixture.readAll());
        file.write(
            "{\"eventId\":\"3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0011\",\"eventType\":\"BookingCreated\","
            "\"streamId\":\"booking-BK-2\",\"eventNumber\":0,\"created\":\"2026-11-29T10:00:02.0000000Z\","
            "\"data\":{\"bookingId\":\"BK-2\"},\"metadata\":{\"$correlationId\":"
            "\"c1a7e3b0-0000-4000-8000-0000000000b2\",\"$causationId\":\"3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0011\"}}\n"
            "{\"eventId\":\"3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0012\",\"eventType\":\"BookingConfirmed\","
            "\"streamId\":\"booking-BK-2\",\"eventNumber\":1,\"created\":\"2026-11-29T10:00:03.3000000Z\","
            "\"data\":{\"bookingId\":\"BK-2\"},\"metadata\":{\"$correlationId\":"
            "\"c1a7e3b0-0000-4000-8000-0000000000b2\",\"$causationId\":\"3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0011\"}}\n");
        file.close();
        Run r = cli(
            { QStringLiteral("chain-diff"), file.fileName(), QStringLiteral("c1a7e3b0-0000-4000-8000-0000000000b1"),
                QStringLiteral("c1a7e3b0-0000-4000-8000-0000000000b2"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject diff = QJsonDocument::fromJson(r.out).object();
        const QJsonArray rows = diff.value(QLatin1String("rows")).toArray();
        QCOMPARE(rows.size(), 3);
        const QJsonObject confirmed = rows.at(1).toObject();
        QCOMPARE(confirmed.value(QLatin1String("b")).toObject().value(QLatin1String("type")).toString(),
            QStringLiteral("BookingConfirmed"));
        QCOMPARE(confirmed.value(QLatin1String("hopDeltaMs")).toDouble(), 1300.0 - 376.544);
        QCOMPARE(confirmed.value(QLatin1String("marks")).toArray(), QJsonArray { QStringLiteral("slower") });
        const QJsonObject staff = rows.at(2).toObject();
        QCOMPARE(staff.value(QLatin1String("a")).toObject().value(QLatin1String("type")).toString(),
            QStringLiteral("StaffNotified"));
        QCOMPARE(staff.value(QLatin1String("marks")).toArray(), QJsonArray { QStringLiteral("onlyA") });
        QCOMPARE(staff.value(QLatin1String("difference")).toString(), QStringLiteral("only in A"));

        // the same in words, with a threshold that makes the slower hop no difference
        // "typical" on either side: the typical chain of the other's root (here the only other one)
        r = cli({ QStringLiteral("chain-diff"), file.fileName(), QStringLiteral("typical"),
            QStringLiteral("c1a7e3b0-0000-4000-8000-0000000000b1"), QStringLiteral("--threshold-ms"),
            QStringLiteral("1000") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(
            r.out.startsWith("A: c1a7e3b0-0000-4000-8000-0000000000b2, 2 events over 1.30 s\n"), r.out.constData());
        QVERIFY2(
            r.out.contains("2 steps aligned, 0 only in A, 1 only in B, 0 slower and 0 faster in B by more than 1.00 s"),
            r.out.constData());

        r = cli({ QStringLiteral("chain-diff"), file.fileName(), QStringLiteral("c1a7e3b0-0000-4000-8000-0000000000b1"),
            QStringLiteral("nope") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("chain-diff: no chain with correlation id nope"), r.err.constData());
        r = cli({ QStringLiteral("chain-diff"), file.fileName(), QStringLiteral("a"), QStringLiteral("b"),
            QStringLiteral("--threshold-ms"), QStringLiteral("soon") });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains("--threshold-ms wants milliseconds"), r.err.constData());
    }

    void theBlastRadiusOfAGeneratedIncident()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("incident.ndjson"));
        QCOMPARE(cli({ QStringLiteral("generate"), QStringLiteral("--count"), QStringLiteral("30000"),
                         QStringLiteral("--rate"), QStringLiteral("1000"), QStringLiteral("--scenario"),
                         QStringLiteral("incident"), QStringLiteral("-o"), file })
                     .exitCode,
            0);
        Run r = cli({ QStringLiteral("summary"), file, QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QJsonObject summary = QJsonDocument::fromJson(r.out).object();
        const QJsonObject gateway
            = summary.value(QLatin1String("breakers")).toObject().value(QLatin1String("email-gateway")).toObject();
        const qint64 affected = gateway.value(QLatin1String("affectedChains")).toInteger();
        QVERIFY(affected > 0);
        // never more chains than had a problem; each period's within the whole
        QVERIFY(affected <= summary.value(QLatin1String("chains")).toInteger());
        for (const QJsonValue& p : gateway.value(QLatin1String("openPeriods")).toArray())
            QVERIFY(p.toObject().value(QLatin1String("affectedChains")).toInteger() <= affected);
        // the email handler is learned behind it; the sms handler's few failures are not
        const QJsonArray handlers = gateway.value(QLatin1String("handlers")).toArray();
        QCOMPARE(handlers.size(), 1);
        QCOMPARE(handlers.at(0).toObject().value(QLatin1String("handler")).toString(), QStringLiteral("email-handler"));
        QCOMPARE(handlers.at(0).toObject().value(QLatin1String("association")).toString(), QStringLiteral("learned"));

        // the user's mapping puts the sms handler behind it too
        r = cli({ QStringLiteral("summary"), file, QStringLiteral("--breaker-handler"),
            QStringLiteral("sms-handler=email-gateway") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("behind it: email-handler (learned), sms-handler (mapping)"), r.out.constData());
        r = cli(
            { QStringLiteral("summary"), file, QStringLiteral("--breaker-handler"), QStringLiteral("sms-handler") });
        QCOMPARE(r.exitCode, int(64));
        QVERIFY2(r.err.contains("--breaker-handler wants HANDLER=BREAKER"), r.err.constData());
    }

    void chainJsonAndUnknownChain()
    {
        const Run r = cli({ QStringLiteral("chain"), data("native.ndjson"),
            QStringLiteral("c0000000-0000-4000-8000-000000000002"), QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(o.value(QLatin1String("orphans")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("events")).toArray().first().toObject().value(QLatin1String("orphan")).toBool(),
            true);
        const Run missing = cli({ QStringLiteral("chain"), data("native.ndjson"), QStringLiteral("nope") });
        QCOMPARE(missing.exitCode, 1);
        QVERIFY(missing.err.contains("no chain with correlation id nope"));
    }

    void textFromOutsideNeverActsOnTheTerminal()
    {
        // types that would retitle the terminal, clear it, start a C1 CSI, or reverse what is read
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("hostile.ndjson"));
        QFile f(file);
        QVERIFY(f.open(QIODevice::WriteOnly));
        // JSON escapes for the controls (as a producer would send them), and raw bytes in the last line
        f.write("{\"id\":\"a1\",\"type\":\"x\\u001b]0;pwned\\u0007\",\"correlationId\":\"k\\u001b[2J\"}\n");
        f.write(
            "{\"id\":\"a2\",\"type\":\"csi\\u009b31m\",\"correlationId\":\"k\\u001b[2J\",\"causationId\":\"a1\"}\n");
        f.write("{\"id\":\"a3\",\"type\":\"bidi\\u202etxt.exe\",\"correlationId\":\"k\\u001b[2J\"}\n");
        f.write("{\"id\":\"a4\",\"type\":\"raw\x7f\x1b[0m\"}\n");
        f.close();
        const auto clean = [](const QByteArray& bytes) {
            return !bytes.contains('\x1b') && !bytes.contains('\x07') && !bytes.contains('\x7f')
                && !bytes.contains("\xc2\x9b") && !bytes.contains("\xe2\x80\xae");
        };
        Run r = cli({ QStringLiteral("summary"), file });
        QCOMPARE(r.exitCode, 1); // the last line's raw control bytes are not JSON: malformed
        QVERIFY2(clean(r.out), r.out.constData());
        QVERIFY2(r.out.contains("x\\u001b]0;pwned\\u0007"), r.out.constData()); // readable as what it is
        QVERIFY(r.out.contains("csi\\u009b31m"));
        QVERIFY(r.out.contains("bidi\\u202etxt.exe"));
        // JSON stays JSON, and says exactly what the file said
        r = cli({ QStringLiteral("summary"), file, QStringLiteral("--json") });
        QVERIFY(clean(r.out));
        QJsonParseError error;
        const QJsonObject types
            = QJsonDocument::fromJson(r.out, &error).object().value(QLatin1String("types")).toObject();
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(types.contains(QStringLiteral("x\x1b]0;pwned\x07")));
        QVERIFY(types.contains(QString::fromUtf8("bidi\xe2\x80\xaetxt.exe")));
        // the chain, and a message quoting what was asked for
        r = cli({ QStringLiteral("chain"), file, QStringLiteral("k\x1b[2J") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(clean(r.out), r.out.constData());
        QVERIFY(r.out.contains("k\\u001b[2J"));
        r = cli({ QStringLiteral("chain"), file, QStringLiteral("nope\x1b]0;x\x07") });
        QVERIFY(clean(r.err));
        QVERIFY2(r.err.contains("nope\\u001b]0;x\\u0007"), r.err.constData());
    }

    void generateThenSummarise()
    {
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("g.ndjson"));
        QCOMPARE(cli({ QStringLiteral("generate"), QStringLiteral("--count"), QStringLiteral("3000"),
                         QStringLiteral("-o"), file })
                     .exitCode,
            0);
        const Run r = cli({ QStringLiteral("summary"), file, QStringLiteral("--json") });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out).object().value(QLatin1String("events")).toInt(), 3000);
    }

    void summaryOfACaptureThatGrewReadsOnFromItsIndex()
    {
        // a recording that went on after its summary: the first 30,000 events of the same seed are the
        // same bytes, so the index of the shorter capture holds its beginning
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("recorded.escap"));
        auto generate = [&](int events) {
            return cli({ QStringLiteral("generate"), QStringLiteral("--count"), QString::number(events),
                QStringLiteral("--scenario"), QStringLiteral("incident"), QStringLiteral("--capture"),
                QStringLiteral("-o"), file });
        };
        QCOMPARE(generate(30000).exitCode, 0);
        const qint64 indexed = QFileInfo(file).size();
        const Run first = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--stats") });
        QCOMPARE(first.exitCode, 0);
        QVERIFY2(first.err.contains("index saved to "), first.err.constData());
        QCOMPARE(generate(40000).exitCode, 0);
        const Run whole
            = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--no-index") });
        QCOMPARE(QJsonDocument::fromJson(whole.out).object().value(QLatin1String("events")).toInt(), 40000);
        const Run grown = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--stats") });
        QCOMPARE(grown.exitCode, 0);
        QVERIFY2(grown.err.contains(QStringLiteral("the capture read on from byte %1").arg(indexed).toUtf8())
                && grown.err.contains("index saved to "),
            grown.err.constData());
        QCOMPARE(grown.out, whole.out);
        const Run again = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--stats") });
        QVERIFY2(again.err.contains("stats: opened from its index"), again.err.constData());
        QCOMPARE(again.out, whole.out);
    }

    void summaryReopensFromTheIndexItSaved()
    {
        // 30,000 events (11 MB): big enough to be indexed
        QTemporaryDir dir;
        const QString file = generateIncident(dir, 30000);
        QVERIFY(!file.isEmpty());
        const QString index = file + QStringLiteral(".esidx");
        const Run first = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--stats") });
        QCOMPARE(first.exitCode, 0);
        QVERIFY2(first.err.contains(QByteArray("index saved to " + index.toUtf8())), first.err.constData());
        QVERIFY(QFile::exists(index));
        const Run second
            = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--stats") });
        QCOMPARE(second.exitCode, 0);
        QVERIFY2(second.err.contains("opened from its index"), second.err.constData());
        QCOMPARE(second.out, first.out);
        QCOMPARE(QJsonDocument::fromJson(second.out).object().value(QLatin1String("events")).toInt(), 30000);
        // a damaged index is said to be so, and the capture read instead, to the same summary
        QFile f(index);
        QVERIFY(f.open(QIODevice::ReadWrite));
        QVERIFY(f.seek(f.size() - 100));
        f.write("damage");
        f.close();
        const Run damaged = cli({ QStringLiteral("summary"), file, QStringLiteral("--json") });
        QCOMPARE(damaged.exitCode, 0);
        QVERIFY2(damaged.err.contains(": corrupt: ") && damaged.err.contains("; the capture is read instead"),
            damaged.err.constData());
        QCOMPARE(damaged.out, first.out);
        // --no-index: neither used nor saved
        QVERIFY(QFile::remove(index));
        const Run plain
            = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--no-index") });
        QCOMPARE(plain.out, first.out);
        QVERIFY(!QFile::exists(index));
    }

    void summaryPastItsMemoryCapCountsEveryEvent()
    {
        // 200,000 events (75 MB) through a 4 MiB cap, and through the 16 MiB a summary that saves no
        // index holds: most are dropped once counted, and the summary is the one every event held gives
        QTemporaryDir dir;
        const QString file = generateIncident(dir, 200000);
        QVERIFY(!file.isEmpty());
        const Run held = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--no-index"),
            QStringLiteral("--memory-cap"), QStringLiteral("0") });
        QCOMPARE(held.exitCode, 0);
        const Run capped = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--stats"),
            QStringLiteral("--memory-cap"), QStringLiteral("4") });
        QCOMPARE(capped.exitCode, 0);
        QVERIFY2(capped.err.contains(" past --memory-cap; kept for those to count exactly: "), capped.err.constData());
        QVERIFY2(capped.err.contains("no index saved: "), capped.err.constData());
        QVERIFY(!QFile::exists(file + QStringLiteral(".esidx")));
        QCOMPARE(capped.out, held.out);
        const QJsonObject summary = QJsonDocument::fromJson(capped.out).object();
        QCOMPARE(summary.value(QLatin1String("events")).toInt(), 200000);
        QVERIFY(summary.value(QLatin1String("chains")).toInt() > 10000);
        // a summary that saves no index holds only the newest events unless told otherwise, and what
        // the ones before them keep goes to the page cache
        const Run streamed = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"),
            QStringLiteral("--no-index"), QStringLiteral("--stats") });
        QCOMPARE(streamed.exitCode, 0);
        QCOMPARE(streamed.out, held.out);
        const QRegularExpressionMatch counts
            = QRegularExpression(QStringLiteral("stats: (\\d+) events held, (\\d+) past --memory-cap"))
                  .match(QString::fromUtf8(streamed.err));
        QVERIFY2(counts.hasMatch(), streamed.err.constData());
        QVERIFY2(counts.captured(1).toInt() <= 150000 && counts.captured(2).toInt() >= 50000, streamed.err.constData());
        QVERIFY2(streamed.err.contains("stats: in a record file (page cache): "), streamed.err.constData());
        const Run text = cli({ QStringLiteral("summary"), file, QStringLiteral("--no-index"),
            QStringLiteral("--memory-cap"), QStringLiteral("4") });
        const Run textHeld = cli({ QStringLiteral("summary"), file, QStringLiteral("--no-index"),
            QStringLiteral("--memory-cap"), QStringLiteral("0") });
        QCOMPARE(text.out, textHeld.out);
        const Run bad
            = cli({ QStringLiteral("summary"), file, QStringLiteral("--memory-cap"), QStringLiteral("lots") });
        QCOMPARE(bad.exitCode, 64); // a usage error
        QVERIFY2(bad.err.contains("--memory-cap"), bad.err.constData());

        // past --exact-memory the events past the cap are judged among the newest ids: the incident's
        // duplicates, causes and chains are all recent, so the figures stay those of every event held,
        // but for the blast radius of the reports counted only, and the summary says from where they
        // are estimates
        const Run bounded = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--stats"),
            QStringLiteral("--no-index"), QStringLiteral("--memory-cap"), QStringLiteral("4"),
            QStringLiteral("--exact-memory"), QStringLiteral("2") });
        QCOMPARE(bounded.exitCode, 0);
        QVERIFY2(bounded.err.contains("stats: estimates from event "), bounded.err.constData());
        QJsonObject estimated = QJsonDocument::fromJson(bounded.out).object();
        const QJsonObject estimates = estimated.take(QLatin1String("estimates")).toObject();
        QVERIFY(estimates.value(QLatin1String("fromEvent")).toInt() > 0);
        QVERIFY(estimates.value(QLatin1String("recentIdsReach")).toInt() > 100000);
        QVERIFY(estimates.value(QLatin1String("reportsCountedOnly")).toInt() > 0);
        QJsonObject all = QJsonDocument::fromJson(held.out).object();
        const auto failures = [](const QJsonObject& summary) {
            return summary
                .value(QLatin1String("breakers"))[QLatin1String("email-gateway")][QLatin1String("handlers")][0]
                                                 [QLatin1String("failures")]
                .toInt();
        };
        QVERIFY(failures(estimated) > 0 && failures(estimated) < failures(all));
        estimated.remove(QLatin1String("breakers"));
        all.remove(QLatin1String("breakers"));
        QCOMPARE(estimated, all);
        const Run boundedText
            = cli({ QStringLiteral("summary"), file, QStringLiteral("--no-index"), QStringLiteral("--memory-cap"),
                QStringLiteral("4"), QStringLiteral("--exact-memory"), QStringLiteral("2") });
        QVERIFY2(boundedText.out.contains("Estimated:     from event "), boundedText.out.constData());
        const Run badBound
            = cli({ QStringLiteral("summary"), file, QStringLiteral("--exact-memory"), QStringLiteral("-1") });
        QCOMPARE(badBound.exitCode, 64);
        QVERIFY2(badBound.err.contains("--exact-memory"), badBound.err.constData());
    }

    void recordTheDemoBus()
    {
        QProcess bus;
        const QUrl url
            = startServer(bus, { QStringLiteral("demo-bus"), QStringLiteral("--rate"), QStringLiteral("3000") });
        QVERIFY2(url.isValid() && url.scheme() == QLatin1String("ws"), qPrintable(url.toString()));
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("rec.escap"));
        const Run r
            = cli({ QStringLiteral("record"), url.toString(), QStringLiteral("-o"), file, QStringLiteral("--count"),
                QStringLiteral("2000"), QStringLiteral("--token"), QStringLiteral("s3cret-token") });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.err.contains("recorded"), r.err.constData());
        QVERIFY(!r.err.contains("s3cret-token"));
        const Run s = cli({ QStringLiteral("summary"), file, QStringLiteral("--json") });
        QCOMPARE(s.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(s.out).object();
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 2000); // exactly: not to the end of a batch
        QCOMPARE(o.value(QLatin1String("gaps")).toInt(), 0);
        QVERIFY2(r.err.contains("; 2000 events in "), r.err.constData());
        QFile f(file);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY(!f.readAll().contains("s3cret-token"));
        bus.terminate(); // SIGTERM: the demo bus ends cleanly
        QVERIFY(bus.waitForFinished(5000));
        QCOMPARE(bus.exitCode(), 0);
    }

    void aRecordingKilledMidWayOpensFromItsIndexAndReadsOn()
    {
        // `record` keeps the capture's index as it records; killed (no chance to end the file or the
        // index), it leaves the index of the capture's beginning, which `summary` restores before it
        // reads on: what it says equals a read of the whole
        QProcess bus;
        const QUrl url
            = startServer(bus, { QStringLiteral("demo-bus"), QStringLiteral("--rate"), QStringLiteral("20000") });
        QVERIFY(url.isValid());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("killed.escap"));
        const QString index = file + QStringLiteral(".esidx");
        QProcess record;
        record.start(
            QStringLiteral(EVENTSCOPE_CLI), { QStringLiteral("record"), url.toString(), QStringLiteral("-o"), file });
        QVERIFY(record.waitForStarted());
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(index), 60000); // renamed into place when whole
        const qint64 indexedAt = QFileInfo(file).size();
        QTRY_VERIFY_WITH_TIMEOUT(QFileInfo(file).size() > indexedAt + (1 << 20), 60000);
        record.kill();
        QVERIFY(record.waitForFinished(5000));
        bus.terminate();
        QVERIFY(bus.waitForFinished(5000));
        const Run whole
            = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--no-index") });
        const Run on = cli({ QStringLiteral("summary"), file, QStringLiteral("--json"), QStringLiteral("--stats") });
        QCOMPARE(on.exitCode, 0);
        QVERIFY2(on.err.contains("the capture read on from byte "), on.err.constData());
        QCOMPARE(on.out, whole.out);
        QVERIFY(QJsonDocument::fromJson(on.out).object().value(QLatin1String("events")).toInt() > 20000);
    }

    void recordCountOneWritesOneEvent()
    {
        // the demo bus sends several events a frame at 20,000/s: the file still holds exactly one
        QProcess bus;
        const QUrl url
            = startServer(bus, { QStringLiteral("demo-bus"), QStringLiteral("--rate"), QStringLiteral("20000") });
        QVERIFY(url.isValid());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("one.escap"));
        const Run r = cli({ QStringLiteral("record"), url.toString(), QStringLiteral("-o"), file,
            QStringLiteral("--count"), QStringLiteral("1") });
        QCOMPARE(r.exitCode, 0);
        const Run s = cli({ QStringLiteral("summary"), file, QStringLiteral("--json") });
        QCOMPARE(QJsonDocument::fromJson(s.out).object().value(QLatin1String("events")).toInt(), 1);
        bus.terminate();
        QVERIFY(bus.waitForFinished(5000));
    }

    void recordWithNoBusExitsTwo()
    {
        const Run r = cli({ QStringLiteral("record"), QStringLiteral("ws://127.0.0.1:1/events"), QStringLiteral("-o"),
            QDir::temp().filePath(QStringLiteral("never.escap")), QStringLiteral("--count"), QStringLiteral("5") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("could not connect to ws://127.0.0.1:1/events"), r.err.constData());
    }

    void wssToAPlainPortSaysSo()
    {
        // a bus that speaks ws:// only: wss:// never completes a TLS handshake
        QProcess bus;
        const QUrl url
            = startServer(bus, { QStringLiteral("demo-bus"), QStringLiteral("--rate"), QStringLiteral("10") });
        QVERIFY(url.isValid());
        QUrl wss = url;
        wss.setScheme(QStringLiteral("wss"));
        QTemporaryDir dir;
        const Run r = cli({ QStringLiteral("record"), wss.toString(), QStringLiteral("-o"),
            dir.filePath(QStringLiteral("never.escap")), QStringLiteral("--duration"), QStringLiteral("30") });
        bus.kill();
        bus.waitForFinished();
        QCOMPARE(r.exitCode, 2); // never connected: 2, not 3
        QVERIFY2(r.err.contains(QStringLiteral("TLS handshake with 127.0.0.1:%1 failed: the server did not answer as "
                                               "TLS (is it ws://?)")
                                    .arg(url.port())
                                    .toUtf8()),
            r.err.constData());
    }

    void recordThatNeverConnectsInItsDurationExitsTwoWithAReason()
    {
        // a port that accepts and never answers the upgrade: the duration ends while still connecting
        QTcpServer silent;
        QVERIFY(silent.listen(QHostAddress::LocalHost));
        QTemporaryDir dir;
        const Run r = cli({ QStringLiteral("record"),
            QStringLiteral("ws://127.0.0.1:%1/events").arg(silent.serverPort()), QStringLiteral("-o"),
            dir.filePath(QStringLiteral("never.escap")), QStringLiteral("--duration"), QStringLiteral("2") });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("could not connect to ws://127.0.0.1:"), r.err.constData());
        QVERIFY2(!r.err.contains(": ;"), r.err.constData()); // never an empty reason
    }

    void hostAndPortWithoutASchemeAreNotAUrl_data()
    {
        QTest::addColumn<QString>("typed");
        QTest::addRow("host:port") << "localhost:8080";
        QTest::addRow("ip:port/path") << "127.0.0.1:8080/events";
        QTest::addRow("[ipv6]:port") << "[::1]:9000";
    }
    void hostAndPortWithoutASchemeAreNotAUrl()
    {
        QFETCH(QString, typed);
        const QByteArray expected = QByteArray("not a URL: did you mean ws://" + typed.toUtf8() + '?');
        const Run r = cli({ QStringLiteral("record"), typed, QStringLiteral("-o"), QStringLiteral("x.escap") });
        QCOMPARE(r.exitCode, 64);
        QVERIFY2(r.err.contains(expected), r.err.constData());
        // the window says the same (not "no such file")
        QProcess gui;
        gui.start(QStringLiteral(EVENTSCOPE_GUI), { typed });
        QVERIFY(gui.waitForFinished(30000));
        QCOMPARE(gui.exitCode(), 2);
        QVERIFY2(gui.readAllStandardError().contains(expected), qPrintable(typed));
    }

    void emptyAndAllMalformedFilesSaySoFirst()
    {
        QTemporaryDir dir;
        const QString empty = dir.filePath(QStringLiteral("empty.ndjson"));
        QFile(empty).open(QIODevice::WriteOnly);
        Run r = cli({ QStringLiteral("summary"), empty });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith("0 events: the file is empty\n"), r.out.constData());
        r = cli({ QStringLiteral("summary"), data("malformed.ndjson") });
        QVERIFY2(!r.out.startsWith("0 events"), r.out.constData()); // it holds good events too
        const QString bad = dir.filePath(QStringLiteral("bad.ndjson"));
        QFile f(bad);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"name\":\"x\"}\nnot json\n");
        f.close();
        r = cli({ QStringLiteral("summary"), bad });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(
            r.out.startsWith("0 events: all 2 records are malformed; the first: bad.ndjson line 1"), r.out.constData());
    }

    void helpForEveryCommand_data()
    {
        QTest::addColumn<QString>("command");
        QTest::addColumn<QString>("anOption");
        QTest::addRow("summary") << "summary"
                                 << "--profile <NAME>";
        QTest::addRow("chain") << "chain"
                               << "--json";
        QTest::addRow("compare") << "compare"
                                 << "--field <ROLE=PATH>";
        QTest::addRow("record") << "record"
                                << "--token-in-query";
        QTest::addRow("serve") << "serve"
                               << "--speed <X>";
        QTest::addRow("demo-bus") << "demo-bus"
                                  << "--nats <URL>";
        QTest::addRow("generate") << "generate"
                                  << "--scenario <S>";
    }
    void helpForEveryCommand()
    {
        QFETCH(QString, command);
        QFETCH(QString, anOption);
        const Run asked = cli({ QStringLiteral("help"), command });
        QCOMPARE(asked.exitCode, 0);
        QVERIFY2(
            asked.out.startsWith(QByteArray("usage: eventscope-cli " + command.toUtf8() + ' ')), asked.out.constData());
        QVERIFY2(asked.out.contains(anOption.toUtf8()), asked.out.constData());
        const Run flag = cli({ command, QStringLiteral("--help") });
        QCOMPARE(flag.exitCode, 0);
        QCOMPARE(flag.out, asked.out);
        // the overall usage names the command and the option too
        const Run usage = cli({ QStringLiteral("help") });
        QCOMPARE(usage.exitCode, 0);
        QVERIFY(usage.out.contains(QByteArray("eventscope-cli " + command.toUtf8() + ' ')));
        QVERIFY2(usage.out.contains(anOption.section(u' ', 0, 0).toUtf8()), qPrintable(anOption));
        // an unknown option is named
        const Run typo = cli({ command, QStringLiteral("--jsn") });
        QCOMPARE(typo.exitCode, 64);
        QVERIFY2(typo.err.startsWith(QByteArray(command.toUtf8() + ": unknown option --jsn")), typo.err.constData());
    }

    void recordLostConnectionExitsThree()
    {
        QProcess bus;
        const QUrl url = startServer(bus, { QStringLiteral("demo-bus") });
        QVERIFY(url.isValid());
        QProcess rec;
        QTemporaryDir dir;
        rec.start(QStringLiteral(EVENTSCOPE_CLI),
            { QStringLiteral("record"), url.toString(), QStringLiteral("-o"), dir.filePath(QStringLiteral("r.escap")),
                QStringLiteral("--duration"), QStringLiteral("6") });
        // lost once it has been live (its progress line says so each second): a slow start under a
        // sanitizer is not a connection that never came
        QByteArray said;
        QTRY_VERIFY_WITH_TIMEOUT((said += rec.readAllStandardError(), said.contains(" live")), 5000);
        bus.kill();
        QVERIFY(rec.waitForFinished(20000));
        QCOMPARE(rec.exitCode(), 3);
        said += rec.readAllStandardError();
        QVERIFY2(said.contains("not recovered"), said.constData());
    }

    void serveACaptureAndRecordIt()
    {
        QProcess server;
        const QUrl url = startServer(
            server, { QStringLiteral("serve"), data("native.ndjson"), QStringLiteral("--speed"), QStringLiteral("4") });
        QVERIFY(url.isValid());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("served.escap"));
        const Run r = cli({ QStringLiteral("record"), url.toString(), QStringLiteral("-o"), file,
            QStringLiteral("--count"), QStringLiteral("11") });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o
            = QJsonDocument::fromJson(cli({ QStringLiteral("summary"), file, QStringLiteral("--json") }).out).object();
        QCOMPARE(o.value(QLatin1String("events")).toInt(), 11);
        QCOMPARE(o.value(QLatin1String("duplicates")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("deadLettered")).toInt(), 1);
        QCOMPARE(o.value(QLatin1String("breakers"))
                     .toObject()
                     .value(QLatin1String("email-gateway"))
                     .toObject()
                     .value(QLatin1String("transitions"))
                     .toInt(),
            3);
        server.terminate();
        QVERIFY(server.waitForFinished(5000));
    }

    void usageErrors()
    {
        QCOMPARE(cli({}).exitCode, 64);
        QCOMPARE(cli({ QStringLiteral("summary") }).exitCode, 64);
        QCOMPARE(cli({ QStringLiteral("frobnicate") }).exitCode, 64);
    }

    void brokerUrlsAreCheckedWithoutShowingSecrets_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("reason");
        const QString out = QStringLiteral("/nonexistent/x.escap");
        QTest::addRow("unknown scheme") << QStringList { QStringLiteral("record"), QStringLiteral("kafka+ws://h:1"),
            QStringLiteral("-o"), out } << QStringLiteral("unsupported scheme");
        QTest::addRow("empty subject") << QStringList { QStringLiteral("record"),
            QStringLiteral("nats+ws://ops:hunter2@h:1?subject="), QStringLiteral("-o"), out }
                                       << QStringLiteral("subject is empty");
        QTest::addRow("types with a broker") << QStringList { QStringLiteral("record"), QStringLiteral("mqtt+ws://h:1"),
            QStringLiteral("-o"), out, QStringLiteral("--types"), QStringLiteral("booking.*") }
                                             << QStringLiteral("?topic=");
        QTest::addRow("demo-bus --nats with a bus URL")
            << QStringList { QStringLiteral("demo-bus"), QStringLiteral("--nats"), QStringLiteral("ws://h:1") }
            << QStringLiteral("--nats wants a nats+ws://");
        QTest::addRow("demo-bus --mqtt with a NATS URL")
            << QStringList { QStringLiteral("demo-bus"), QStringLiteral("--mqtt"), QStringLiteral("nats+ws://h:1") }
            << QStringLiteral("--mqtt wants a mqtt+ws://");
    }
    void brokerUrlsAreCheckedWithoutShowingSecrets()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, reason);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 64);
        QVERIFY2(QString::fromUtf8(r.err).contains(reason), r.err.constData());
        QVERIFY(!r.err.contains("hunter2"));
    }

    // the distributed set-up of the README: the demo bus publishing through nats-server, recorded from it
    void demoBusThroughNatsRecorded()
    {
        BrokerProcess nats(BrokerProcess::Nats);
        START_BROKER(nats);
        const QString url = QStringLiteral("nats+ws://127.0.0.1:%1").arg(nats.wsPort());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("nats.escap"));
        QProcess rec;
        rec.start(QStringLiteral(EVENTSCOPE_CLI),
            { QStringLiteral("record"), url + QStringLiteral("?subject=booking.>"), QStringLiteral("-o"), file,
                QStringLiteral("--count"), QStringLiteral("300"), QStringLiteral("--duration"), QStringLiteral("30") });
        QVERIFY(rec.waitForStarted());
        QByteArray progress;
        QTRY_VERIFY_WITH_TIMEOUT(
            (progress += rec.readAllStandardError()).contains(", live") || rec.state() != QProcess::Running, 10000);
        QVERIFY2(rec.state() == QProcess::Running, progress.constData());
        QProcess bus;
        bus.start(QStringLiteral(EVENTSCOPE_CLI),
            { QStringLiteral("demo-bus"), QStringLiteral("--nats"), url, QStringLiteral("--rate"),
                QStringLiteral("2000") });
        QVERIFY(bus.waitForStarted());
        // the recorder stops itself after 30 s at the latest; if it has to, what each party printed says why
        const bool recorderEnded = rec.waitForFinished(45000);
        bus.terminate();
        bus.waitForFinished(5000);
        progress += rec.readAllStandardError();
        const QByteArray story = "recorder: " + progress.right(800) + "\nbus: " + bus.readAllStandardError().right(800)
            + "\nnats-server: " + nats.log().right(800);
        QVERIFY2(recorderEnded, story.constData());
        QVERIFY2(rec.exitCode() == 0, story.constData());
        // it stopped on the count ("recorded 300 events"), not on the clock ("recorded for 30 s")
        QVERIFY2(progress.contains("record: recorded ") && !progress.contains("recorded for"), story.constData());
        const Run s = cli({ QStringLiteral("summary"), file, QStringLiteral("--json") });
        QCOMPARE(s.exitCode, 0);
        const QJsonObject o = QJsonDocument::fromJson(s.out).object();
        QVERIFY(o.value(QLatin1String("events")).toInteger() >= 300);
        const QJsonObject types = o.value(QLatin1String("types")).toObject();
        QVERIFY(types.contains(QLatin1String("booking.created")));
        for (auto it = types.begin(); it != types.end(); ++it) // the subject filter held
            QVERIFY2(it.key().startsWith(QLatin1String("booking.")), qPrintable(it.key()));
    }

    void numbersAreCheckedAndNamed_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("option");
        QTest::addRow("count not a number") << QStringList { QStringLiteral("generate"), QStringLiteral("--count"),
            QStringLiteral("abc") } << QStringLiteral("--count");
        QTest::addRow("negative rate") << QStringList { QStringLiteral("generate"), QStringLiteral("--count"),
            QStringLiteral("5"), QStringLiteral("--rate"), QStringLiteral("-3") }
                                       << QStringLiteral("--rate");
        QTest::addRow("port out of range") << QStringList { QStringLiteral("demo-bus"), QStringLiteral("--port"),
            QStringLiteral("70000") } << QStringLiteral("--port");
        QTest::addRow("speed zero") << QStringList { QStringLiteral("serve"), data("native.ndjson"),
            QStringLiteral("--speed"), QStringLiteral("0") }
                                    << QStringLiteral("--speed");
    }
    void numbersAreCheckedAndNamed()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, option);
        const Run r = cli(args);
        QCOMPARE(r.exitCode, 64);
        QVERIFY2(QString::fromUtf8(r.err).contains(option + QLatin1String(": \"")), r.err.constData());
    }
};

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
