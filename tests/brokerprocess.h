// SPDX-License-Identifier: MIT
// Real brokers for the tests: nats-server and mosquitto started on free loopback ports from the
// configs in tests/brokers/, stopped (and restartable on the same ports) by the test.
#pragma once

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>
#include <memory>

inline quint16 freeLoopbackPort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost, 0);
    return probe.serverPort();
}

class BrokerProcess
{
public:
    enum Kind { Nats, Mosquitto };

    /// `auth` is put into the config as is (an authorization block, or mosquitto's auth lines).
    BrokerProcess(Kind kind, const QByteArray& auth = {}, const QByteArray& maxPending = "67108864")
        : m_kind(kind)
        , m_clientPort(freeLoopbackPort())
        , m_wsPort(freeLoopbackPort())
    {
        m_program = QStandardPaths::findExecutable(
            kind == Nats ? QStringLiteral("nats-server") : QStringLiteral("mosquitto"));
        if (m_program.isEmpty())
            m_program = QStandardPaths::findExecutable(
                kind == Nats ? QStringLiteral("nats-server") : QStringLiteral("mosquitto"),
                { QStringLiteral("/usr/sbin") });
        QFile templ(QStringLiteral(EVENTSCOPE_TEST_DATA "/../brokers/")
            + (kind == Nats ? QStringLiteral("nats.conf") : QStringLiteral("mosquitto.conf")));
        if (!templ.open(QIODevice::ReadOnly))
            return;
        QByteArray config = templ.readAll();
        config.replace("@CLIENT_PORT@", QByteArray::number(m_clientPort));
        config.replace("@TCP_PORT@", QByteArray::number(m_clientPort));
        config.replace("@WS_PORT@", QByteArray::number(m_wsPort));
        config.replace("@MAX_PENDING@", maxPending);
        config.replace("@AUTH@", auth);
        config.replace("@DIR@", m_dir.path().toUtf8());
        m_configPath = m_dir.filePath(QStringLiteral("broker.conf"));
        QFile out(m_configPath);
        if (out.open(QIODevice::WriteOnly))
            out.write(config);
    }
    ~BrokerProcess() { stop(); }

    QString directory() const { return m_dir.path(); }
    QString program() const { return m_program; }
    quint16 clientPort() const { return m_clientPort; }
    quint16 wsPort() const { return m_wsPort; }
    QByteArray log() const { return m_log; }

    /// Starts the broker and waits until both its ports accept connections. False (with why) otherwise.
    bool start(QString* why)
    {
        if (m_program.isEmpty()) {
            *why = m_kind == Nats ? QStringLiteral("nats-server is not installed (scripts/setup.sh installs it)")
                                  : QStringLiteral("mosquitto is not installed (scripts/setup.sh installs it)");
            return false;
        }
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        QObject::connect(
            m_process.get(), &QProcess::readyRead, m_process.get(), [this]() { m_log += m_process->readAll(); });
        m_process->start(m_program, { QStringLiteral("-c"), m_configPath });
        if (!m_process->waitForStarted(5000)) {
            *why = QStringLiteral("%1 did not start: %2").arg(m_program, m_process->errorString());
            return false;
        }
        for (int i = 0; i < 200; ++i) {
            if (accepts(m_clientPort) && accepts(m_wsPort))
                return true;
            if (m_process->state() != QProcess::Running)
                break;
            QTest::qWait(25);
        }
        m_log += m_process->readAll();
        *why = QStringLiteral("%1 did not open ports %2 and %3: %4")
                   .arg(m_program)
                   .arg(m_clientPort)
                   .arg(m_wsPort)
                   .arg(QString::fromUtf8(m_log.right(600)));
        return false;
    }

    void stop()
    {
        if (!m_process)
            return;
        m_process->terminate();
        if (!m_process->waitForFinished(5000)) {
            m_process->kill();
            m_process->waitForFinished(2000);
        }
        m_log += m_process->readAll();
        m_process.reset();
    }

    static bool accepts(quint16 port)
    {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, port);
        const bool ok = s.waitForConnected(200);
        s.abort();
        return ok;
    }

private:
    Kind m_kind;
    QTemporaryDir m_dir;
    quint16 m_clientPort;
    quint16 m_wsPort;
    QString m_program;
    QString m_configPath;
    QByteArray m_log;
    std::unique_ptr<QProcess> m_process;
};

/// Skips (saying why) only when the broker is not installed at all; one that is installed must start.
#define START_BROKER(broker)                                                                                           \
    do {                                                                                                               \
        if ((broker).program().isEmpty())                                                                              \
            QSKIP("the broker is not installed here (scripts/setup.sh installs nats-server and mosquitto)");           \
        QString why_;                                                                                                  \
        QVERIFY2((broker).start(&why_), qPrintable(why_));                                                             \
    } while (false)
