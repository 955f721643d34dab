// SPDX-License-Identifier: MIT
// Faults an operator's connection and recorder meet in the field, each against a real peer: a server
// that dies mid-message, resets the connection, dribbles a frame forever or floods pings; a recorder
// whose disk fills up, or that is killed with SIGKILL.
#include "decodedbatch.h"
#include "livetestutil.h"
#include "rawwebsocketserver.h"
#include "websocketsource.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <csignal>
#include <sys/socket.h>

namespace {
QByteArray busEvent(int n)
{
    return R"({"id":"e)" + QByteArray::number(n) + R"(","type":"booking.created","seq":)" + QByteArray::number(n) + '}';
}

struct Watch
{
    WebSocketSource source;
    std::size_t events = 0;
    std::size_t malformed = 0;
    ConnectionStatus status;
    QString lastLoss;

    explicit Watch(ConnectionSettings s)
        : source(std::move(s), 0)
    {
        QObject::connect(
            &source, &WebSocketSource::batchReady, &source, [this](const std::shared_ptr<DecodedBatch>& b) {
                events += b->events.size();
                malformed += b->malformed.size();
            });
        QObject::connect(&source, &WebSocketSource::statusChanged, &source, [this](const ConnectionStatus& st) {
            status = st;
            if (st.state == ConnectionStatus::Reconnecting)
                lastLoss = st.lastError;
        });
        source.start();
    }
};

/// Starts a long-running eventscope-cli command that prints its URL first.
QUrl startCli(QProcess& p, const QStringList& args)
{
    p.start(QStringLiteral(EVENTSCOPE_CLI), args);
    if (!p.waitForReadyRead(10000))
        return {};
    return QUrl(QString::fromUtf8(p.readLine().trimmed()));
}

/// The demo bus in a process of its own (30 s at most), so the recorder can be made to fail alone.
QUrl startDemoBus(QProcess& p, int rate)
{
    return startCli(p,
        { QStringLiteral("demo-bus"), QStringLiteral("--rate"), QString::number(rate), QStringLiteral("--duration"),
            QStringLiteral("30") });
}

struct Summary
{
    int exitCode = -1;
    qint64 events = -1;
    qint64 malformed = -1;
};

Summary summarise(const QString& file)
{
    QProcess p;
    p.start(QStringLiteral(EVENTSCOPE_CLI), { QStringLiteral("summary"), file, QStringLiteral("--json") });
    p.waitForFinished(30000);
    const QJsonObject o = QJsonDocument::fromJson(p.readAllStandardOutput()).object();
    return { p.exitCode(), o.value(QLatin1String("events")).toInteger(-1),
        o.value(QLatin1String("malformed")).toInteger(-1) };
}
} // namespace

class TestFaults : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void serverDiesMidMessage()
    {
        RawWebSocketServer raw;
        raw.afterHandshake = [&raw](QTcpSocket* s) {
            if (raw.connections > 1)
                return; // back again: it stays up, quietly
            QByteArray out;
            for (int i = 1; i <= 3; ++i)
                out += RawWebSocketServer::text(busEvent(i));
            const QByteArray fourth = RawWebSocketServer::text(busEvent(4));
            out += fourth.left(fourth.size() / 2); // and then it dies
            s->write(out);
            s->flush();
            s->abort();
        };
        Watch w(fastSettings(raw.url()));
        QTRY_COMPARE(w.events, std::size_t(3));
        QTRY_VERIFY(raw.connections >= 2); // it comes back
        QVERIFY2(!w.lastLoss.isEmpty(), "a loss must say why");
        QCOMPARE(w.malformed, std::size_t(0)); // half a frame is no event, and no garbage either
        QVERIFY(w.status.reconnects >= 1 || w.status.state != ConnectionStatus::Live);
    }

    void connectionReset()
    {
        RawWebSocketServer raw;
        raw.afterHandshake = [](QTcpSocket* s) {
            s->write(RawWebSocketServer::text(busEvent(1)));
            s->flush();
            // SO_LINGER 0: close() sends a TCP RST instead of a FIN
            struct linger l
            {
                1, 0
            };
            ::setsockopt(int(s->socketDescriptor()), SOL_SOCKET, SO_LINGER, &l, sizeof l);
            QTimer::singleShot(50, s, [s]() { s->close(); });
        };
        Watch w(fastSettings(raw.url()));
        QTRY_VERIFY(w.events >= 1);
        QTRY_VERIFY(raw.connections >= 2);
        QVERIFY2(!w.lastLoss.isEmpty(), "a reset must say why");
    }

    // a frame that never ends, a byte at a time: only whole messages and pongs prove life
    void slowLorisFrameIsDeclaredDead()
    {
        RawWebSocketServer raw;
        raw.afterHandshake = [](QTcpSocket* s) {
            s->write(QByteArray("\x81\x7e\x10\x00", 4)); // a 4096-byte text frame begins...
            auto* drip = new QTimer(s);
            QObject::connect(drip, &QTimer::timeout, s, [s]() { s->write("x"); });
            drip->start(50);
        };
        ConnectionSettings s = fastSettings(raw.url());
        s.pingIntervalMs = 100;
        s.deadAfterMs = 600;
        Watch w(s);
        QTRY_VERIFY_WITH_TIMEOUT(!w.lastLoss.isEmpty(), 5000);
        QVERIFY2(w.lastLoss.contains(QLatin1String("dead")), qPrintable(w.lastLoss));
        QCOMPARE(w.events, std::size_t(0));
    }

    void pingFloodDoesNotStopEvents()
    {
        RawWebSocketServer raw;
        raw.afterHandshake = [](QTcpSocket* s) {
            QByteArray out;
            for (int i = 1; i <= 100; ++i) {
                for (int k = 0; k < 200; ++k)
                    out += RawWebSocketServer::frame(9, "ping");
                out += RawWebSocketServer::text(busEvent(i));
            }
            s->write(out);
        };
        Watch w(fastSettings(raw.url()));
        QTRY_COMPARE(w.events, std::size_t(100));
        QCOMPARE(w.status.state, ConnectionStatus::Live);
        QCOMPARE(w.status.reconnects, quint64(0));
        QCOMPARE(w.status.frames, quint64(100)); // 20,000 pings answered, none counted as data
    }

    // the disk fills up while recording (here: a file-size limit): recording stops saying so, the file
    // reads back with everything written before
    void diskFullWhileRecording()
    {
        const QString prlimit = QStandardPaths::findExecutable(QStringLiteral("prlimit"));
        if (prlimit.isEmpty())
            QSKIP("prlimit (util-linux) is not installed");
        QProcess bus;
        const QUrl url = startDemoBus(bus, 5000);
        QVERIFY(url.isValid());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("full.escap"));
        QProcess rec;
        rec.start(prlimit,
            { QStringLiteral("--fsize=262144"), QStringLiteral(EVENTSCOPE_CLI), QStringLiteral("record"),
                url.toString(), QStringLiteral("-o"), file, QStringLiteral("--duration"), QStringLiteral("20") });
        QVERIFY(rec.waitForFinished(20000));
        bus.kill();
        bus.waitForFinished();
        const QByteArray err = rec.readAllStandardError();
        QCOMPARE(rec.exitStatus(), QProcess::NormalExit); // not killed by SIGXFSZ
        QVERIFY2(rec.exitCode() == 2, err.constData());
        QVERIFY2(err.contains("recording stopped"), err.constData());
        QVERIFY2(err.contains("File too large") || err.contains("No space left"), err.constData()); // why, in words
        QVERIFY(QFileInfo(file).size() <= 262144);
        const Summary s = summarise(file);
        QVERIFY2(s.exitCode == 0 || s.exitCode == 1, qPrintable(QString::number(s.exitCode)));
        QVERIFY2(s.events > 300, qPrintable(QString::number(s.events))); // ~700 events fit in 256 KiB
        QVERIFY(s.malformed <= 1); // at most the notice of where the last record was cut
    }

    // killed with SIGKILL: the capture reads back with everything up to the last flush (<= 1 s lost)
    void recorderKilledLosesAtMostASecond()
    {
        QProcess bus;
        const QUrl url = startDemoBus(bus, 2000);
        QVERIFY(url.isValid());
        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("killed.escap"));
        QProcess rec;
        rec.start(
            QStringLiteral(EVENTSCOPE_CLI), { QStringLiteral("record"), url.toString(), QStringLiteral("-o"), file });
        QVERIFY(rec.waitForStarted());
        // progress lines come once a second: "record: N events (...)"
        static const QRegularExpression progress(QStringLiteral("record: (\\d+) events"));
        QByteArray err;
        QList<qint64> counts;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&]() {
                err += rec.readAllStandardError();
                counts.clear();
                auto it = progress.globalMatch(QString::fromUtf8(err));
                while (it.hasNext())
                    counts << it.next().captured(1).toLongLong();
                return counts.size() >= 4 && counts.last() > 2000;
            }(),
            15000);
        ::kill(pid_t(rec.processId()), SIGKILL);
        QVERIFY(rec.waitForFinished(5000));
        bus.kill();
        bus.waitForFinished();
        const Summary s = summarise(file);
        // what had arrived a second before the kill (the progress line before the last) is in the file
        QVERIFY2(s.events >= counts[counts.size() - 2],
            qPrintable(
                QStringLiteral("%1 in the file, %2 a second before").arg(s.events).arg(counts[counts.size() - 2])));
        QVERIFY(s.malformed <= 1);
    }
};

QTEST_GUILESS_MAIN(TestFaults)
#include "tst_faults.moc"
