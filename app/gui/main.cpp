// SPDX-License-Identifier: MIT
// eventscope: the desktop monitor. Wires a source to the session and the main window; nothing more.
#include "demofeed.h"
#include "mainwindow.h"
#include "session.h"

#include <QApplication>
#include <QCommandLineParser>
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
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Watch the embedded demo bus."));
    const QCommandLineOption rate(QStringLiteral("rate"), QStringLiteral("Demo events per second."),
        QStringLiteral("N"), QStringLiteral("400"));
    const QCommandLineOption scenario(QStringLiteral("scenario"), QStringLiteral("Demo scenario: steady, incident, flood."),
        QStringLiteral("NAME"), QStringLiteral("incident"));
    const QCommandLineOption seed(QStringLiteral("seed"), QStringLiteral("Demo random seed."), QStringLiteral("N"),
        QStringLiteral("1"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Write a PNG of the window after --after seconds and exit."), QStringLiteral("FILE"));
    const QCommandLineOption after(QStringLiteral("after"), QStringLiteral("Seconds before the screenshot."),
        QStringLiteral("SECONDS"), QStringLiteral("5"));
    parser.addOptions({ demo, rate, scenario, seed, screenshot, after });
    parser.process(app);

    Session session;
    MainWindow window(session);
    std::unique_ptr<DemoFeed> feed;
    if (parser.isSet(demo) || parser.positionalArguments().isEmpty()) {
        DemoGenerator::Options options;
        options.seed = parser.value(seed).toULongLong();
        if (!DemoGenerator::parseScenario(parser.value(scenario), options.scenario)) {
            std::fprintf(stderr, "eventscope: unknown scenario %s\n", qPrintable(parser.value(scenario)));
            return 2;
        }
        const quint16 origin = session.addOrigin(QStringLiteral("demo"));
        feed = std::make_unique<DemoFeed>(options, std::max(1.0, parser.value(rate).toDouble()), origin);
        QObject::connect(feed.get(), &DemoFeed::batchReady, &window, &MainWindow::ingest);
        window.setConnectionText(QObject::tr("Demo bus (in-process), scenario %1").arg(parser.value(scenario)));
        feed->start();
    }
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
    return app.exec();
}
