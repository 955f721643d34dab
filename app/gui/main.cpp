// SPDX-License-Identifier: MIT
// eventscope: the desktop monitor. Wires a source to the session and the main window; nothing more.
#include "decodedbatch.h"
#include "demobus.h"
#include "mainwindow.h"
#include "session.h"
#include "urlredaction.h"
#include "websocketsource.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QThread>
#include <QTimer>
#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("EventScope"));
    QApplication::setOrganizationName(QStringLiteral("EventScope"));
    QApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Monitor for event buses"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("url"), QStringLiteral("A bus to watch (ws:// or wss://)."));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Watch the embedded demo bus."));
    const QCommandLineOption rate(
        QStringLiteral("rate"), QStringLiteral("Demo events per second."), QStringLiteral("N"), QStringLiteral("400"));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
        QStringLiteral("Demo scenario: steady, incident, flood."), QStringLiteral("NAME"), QStringLiteral("incident"));
    const QCommandLineOption seed(
        QStringLiteral("seed"), QStringLiteral("Demo random seed."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption token(
        QStringLiteral("token"), QStringLiteral("Bearer token for the bus."), QStringLiteral("TOKEN"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Write a PNG of the window after --after seconds and exit."), QStringLiteral("FILE"));
    const QCommandLineOption after(QStringLiteral("after"), QStringLiteral("Seconds before the screenshot."),
        QStringLiteral("SECONDS"), QStringLiteral("5"));
    parser.addOptions({ demo, rate, scenario, seed, token, screenshot, after });
    parser.process(app);

    Session session;
    MainWindow window(session);

    // the demo bus runs on its own thread and is watched through the real WebSocket path
    QThread busThread;
    busThread.setObjectName(QStringLiteral("demo-bus"));
    DemoBus* bus = nullptr;
    ConnectionSettings connection;
    if (parser.isSet(demo) || parser.positionalArguments().isEmpty()) {
        DemoBus::Options options;
        options.generator.seed = parser.value(seed).toULongLong();
        options.eventsPerSecond = parser.value(rate).toDouble();
        if (!DemoGenerator::parseScenario(parser.value(scenario), options.generator.scenario)) {
            std::fprintf(stderr, "eventscope: unknown scenario %s\n", qPrintable(parser.value(scenario)));
            return 2;
        }
        bus = new DemoBus(options);
        bus->moveToThread(&busThread);
        QObject::connect(&busThread, &QThread::finished, bus, &QObject::deleteLater);
        busThread.start();
        QString error;
        bool started = false;
        QMetaObject::invokeMethod(
            bus,
            [&]() {
                started = bus->start(&error);
                connection.url = bus->url();
            },
            Qt::BlockingQueuedConnection);
        if (!started) {
            std::fprintf(stderr, "eventscope: cannot start the demo bus: %s\n", qPrintable(error));
            return 2;
        }
    } else {
        connection.url = QUrl::fromUserInput(parser.positionalArguments().constFirst());
        connection.token = parser.value(token);
    }

    const QString shown = UrlRedaction::redacted(connection.url);
    WebSocketSource source(connection, session.addOrigin(shown));
    QObject::connect(&source, &WebSocketSource::batchReady, &window, &MainWindow::ingest);
    QObject::connect(
        &source, &WebSocketSource::statusChanged, &window, [&window, shown, bus](const ConnectionStatus& s) {
            window.setConnectionText(
                (bus ? QObject::tr("Demo bus at %1: %2") : QObject::tr("%1: %2")).arg(shown, s.describe()));
        });
    source.start();
    window.show();

    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        const int ms = int(std::max(0.0, parser.value(after).toDouble()) * 1000);
        QTimer::singleShot(ms, &window, [&window, file]() {
            window.refresh();
            const bool ok = window.grab().save(file, "PNG");
            if (!ok)
                std::fprintf(stderr, "eventscope: cannot write %s\n", qPrintable(file));
            QApplication::exit(ok ? 0 : 1);
        });
    }
    const int rc = app.exec();
    source.stop();
    busThread.quit();
    busThread.wait();
    return rc;
}
