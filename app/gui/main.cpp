// SPDX-License-Identifier: MIT
// eventscope: the desktop monitor. Wires sources to the session and the main window; nothing more.
#include "brokerprotocol.h"
#include "busurl.h"
#include "capturewindows.h"
#include "comparewindow.h"
#include "decodeaseditor.h"
#include "mainwindow.h"
#include "optionvalue.h"
#include "originwindows.h"
#include "printable.h"
#include "recordingcontrols.h"
#include "screenshot.h"
#include "session.h"
#include "sessionfeed.h"
#include "sourcehub.h"
#include "tokensource.h"
#include "urlredaction.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QMessageBox>
#include <QTimer>
#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("EventScope"));
    QApplication::setOrganizationName(QStringLiteral("EventScope"));
    QApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("eventscope"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Monitor for event buses"));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("url|file"),
        QStringLiteral("A bus to watch (ws://, wss://, nats+ws://, mqtt+ws://) or a capture to open."));
    const QCommandLineOption demo(QStringLiteral("demo"), QStringLiteral("Watch the embedded demo bus."));
    const QCommandLineOption rate(
        QStringLiteral("rate"), QStringLiteral("Demo events per second."), QStringLiteral("N"), QStringLiteral("400"));
    const QCommandLineOption scenario(QStringLiteral("scenario"),
        QStringLiteral("Demo scenario: steady, incident, flood."), QStringLiteral("NAME"), QStringLiteral("incident"));
    const QCommandLineOption seed(
        QStringLiteral("seed"), QStringLiteral("Demo random seed."), QStringLiteral("N"), QStringLiteral("1"));
    const QCommandLineOption screenshot(QStringLiteral("screenshot"),
        QStringLiteral("Write a PNG of the window after --after seconds (a capture: once it is read) and exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption after(QStringLiteral("after"), QStringLiteral("Seconds before the screenshot."),
        QStringLiteral("SECONDS"), QStringLiteral("5"));
    const QCommandLineOption view(QStringLiteral("view"),
        QStringLiteral("Bring a view forward: board, charts, log, explorer, breakers, deadletters, alerts, sources."),
        QStringLiteral("NAME"));
    const QCommandLineOption ingestLimit(QStringLiteral("ingest-limit"),
        QStringLiteral("Take in at most N events per second (0: as many as the machine can); the rest is "
                       "dropped and counted."),
        QStringLiteral("N"), QStringLiteral("0"));
    const QCommandLineOption at(QStringLiteral("at"),
        QStringLiteral("A capture: once it is read, replay it to SECONDS after its first event."),
        QStringLiteral("SECONDS"));
    const QCommandLineOption compare(QStringLiteral("compare"),
        QStringLiteral("A capture: compare it (before) with FILE (after) in a window of their own."),
        QStringLiteral("FILE"));
    parser.addOptions({ demo, rate, scenario, seed, screenshot, after, view, ingestLimit, at, compare });
    const TokenSource::Options token(parser);
    parser.process(app);

    MainWindow::View shownView = MainWindow::View::Charts;
    if (parser.isSet(view) && !Screenshot::parseView(parser.value(view), &shownView)) {
        std::fprintf(stderr, "eventscope: unknown view %s\n", qPrintable(Printable::escaped(parser.value(view))));
        return 2;
    }
    DemoBus::Options options;
    double seedNumber = 0, afterSeconds = 0, limit = 0, atSeconds = -1;
    if (!numberOption(parser, seed, 0, 9e15, &seedNumber, "eventscope")
        || !numberOption(parser, ingestLimit, 0, 1e9, &limit, "eventscope")
        || (parser.isSet(at) && !numberOption(parser, at, 0, 1e9, &atSeconds, "eventscope"))
        || !numberOption(parser, rate, 1, 500000, &options.eventsPerSecond, "eventscope")
        || !numberOption(parser, after, 0, 86400, &afterSeconds, "eventscope"))
        return 2;
    options.generator.seed = quint64(seedNumber);
    if (!DemoGenerator::parseScenario(parser.value(scenario), options.generator.scenario)) {
        std::fprintf(
            stderr, "eventscope: unknown scenario %s\n", qPrintable(Printable::escaped(parser.value(scenario))));
        return 2;
    }

    Session session;
    SessionFeed feed(session);
    feed.setIngestLimit(limit);
    MainWindow window(feed);
    // screenshots are of the default layout, whatever this user has arranged
    window.setPersistent(!parser.isSet(screenshot));
    SourceHub sources(session);
    QObject::connect(&sources, &SourceHub::batchReady, &feed, &SessionFeed::ingest);
    QObject::connect(&sources, &SourceHub::statusTextChanged, &window, &MainWindow::setConnectionText);
    QObject::connect(&sources, &SourceHub::droppedChanged, &window, &MainWindow::setDroppedCount);
    QObject::connect(&sources, &SourceHub::sourceAdded, &window, &MainWindow::showDashboard);
    QObject::connect(&sources, &SourceHub::notice, &window, &MainWindow::showNotice);
    // File > Record, the flight recorder (its options persist only for the user's own window)
    RecordingControls recording(window, session, sources, !parser.isSet(screenshot));
    // View > One origin: a window per bus of several, fed only that bus's batches
    OriginWindows origins(session);
    QObject::connect(&sources, &SourceHub::batchReady, &origins, &OriginWindows::route);
    QObject::connect(&sources, &SourceHub::statusTextChanged, &origins, &OriginWindows::setConnectionText);
    QObject::connect(&window, &MainWindow::originWindowRequested, &origins, &OriginWindows::open);
    QObject::connect(&origins, &OriginWindows::opened, &origins, [&origins, &window](MainWindow* w) {
        QObject::connect(w, &MainWindow::originWindowRequested, &origins, &OriginWindows::open);
        // its File menu adds buses to the same session, as the main window's does
        QObject::connect(w, &MainWindow::demoRequested, &window, &MainWindow::demoRequested);
        QObject::connect(w, &MainWindow::connectRequested, &window, &MainWindow::connectRequested);
    });
    QObject::connect(&window, &MainWindow::demoRequested, &window, [&] {
        QString error;
        if (!sources.startDemo(options, &error))
            window.setConnectionText(QObject::tr("Cannot start the demo bus: %1").arg(error));
    });
    QObject::connect(&window, &MainWindow::connectRequested, &window, [&](const ConnectionRequest& r) {
        ConnectionSettings settings;
        settings.url = r.url;
        settings.token = r.token;
        settings.tokenInQuery = r.tokenInQuery;
        settings.caFile = r.caFile;
        settings.acceptInvalidCertificates = r.acceptInvalidCertificates;
        r.decodeAs.applyTo(settings.decoder);
        window.addRecentConnection(UrlRedaction::withoutCredentials(r.url).toString());
        sources.connectRemembering(settings, r.remember);
    });

    CaptureWindows captures;
    captures.setPersistent(!parser.isSet(screenshot));
    const auto openCapture = [&captures](const QString& path, const std::optional<DecodeAs>& decodeAs, QWidget* from) {
        QString error;
        if (!captures.open(path, &error, decodeAs))
            QMessageBox::warning(from, QObject::tr("Cannot open the capture"), error);
    };
    QObject::connect(&window, &MainWindow::openRequested, &window,
        [&](const QString& p, const std::optional<DecodeAs>& d) { openCapture(p, d, &window); });
    QObject::connect(&captures, &CaptureWindows::opened, &captures, [&](CaptureWindow* c) {
        MainWindow* w = c->window();
        QObject::connect(w, &MainWindow::openRequested, w,
            [&, w](const QString& p, const std::optional<DecodeAs>& d) { openCapture(p, d, w); });
        // its File menu watches buses in the main window, as an origin window's does
        QObject::connect(w, &MainWindow::demoRequested, &window, [&window] {
            window.show();
            Q_EMIT window.demoRequested();
        });
        QObject::connect(w, &MainWindow::connectRequested, &window, [&window](const ConnectionRequest& r) {
            window.show();
            Q_EMIT window.connectRequested(r);
        });
    });
    // a positional argument that is not a bus URL is a capture to open
    const QString target = parser.positionalArguments().value(0);
    if (const QString hint = BusUrl::missingSchemeHint(target); !hint.isEmpty() && !QFileInfo::exists(target)) {
        std::fprintf(stderr, "eventscope: %s\n", qPrintable(Printable::escaped(hint)));
        return 2;
    }
    const QUrl targetUrl(target, QUrl::TolerantMode);
    const bool isFile = !target.isEmpty()
        && (QFileInfo::exists(target) || targetUrl.scheme().isEmpty() || targetUrl.scheme() == QLatin1String("file"));
    CaptureWindow* opened = nullptr;

    if (isFile && !parser.isSet(demo)) {
        QString error;
        const QString path = targetUrl.scheme() == QLatin1String("file") ? targetUrl.toLocalFile() : target;
        opened = captures.open(path, &error);
        if (!opened) {
            std::fprintf(stderr, "eventscope: %s\n", qPrintable(Printable::escaped(error)));
            return 2;
        }
    } else if (parser.isSet(demo)) {
        QString error;
        if (!sources.startDemo(options, &error)) {
            std::fprintf(stderr, "eventscope: cannot start the demo bus: %s\n", qPrintable(Printable::escaped(error)));
            return 2;
        }
    } else if (!parser.positionalArguments().isEmpty()) {
        ConnectionSettings settings;
        settings.url = QUrl(parser.positionalArguments().constFirst(), QUrl::TolerantMode);
        QString tokenError;
        if (!token.read(parser, &settings.url, &settings.token, &tokenError)) {
            std::fprintf(stderr, "eventscope: %s\n", qPrintable(Printable::escaped(tokenError)));
            return 2;
        }
        if (!parser.isSet(screenshot)) // decoded as chosen last for this URL in File > Connect
            DecodeAsEditor::remembered(UrlRedaction::withoutCredentials(settings.url).toString())
                .applyTo(settings.decoder);
        BrokerEndpoint endpoint;
        QString why;
        if (!BrokerEndpoint::parse(settings.url, endpoint, &why)) {
            std::fprintf(stderr, "eventscope: cannot connect to %s: %s\n",
                qPrintable(Printable::escaped(UrlRedaction::redacted(settings.url))),
                qPrintable(Printable::escaped(why)));
            return 2;
        }
        sources.connectTo(settings);
    } else {
        window.showStartPage();
    }
    if (!opened)
        window.show();

    if (opened && parser.isSet(compare)) {
        CompareWindow* comparing = opened->compareWith(parser.value(compare));
        if (parser.isSet(screenshot)) {
            // the comparison is what is shot, once both files are read
            const QString file = parser.value(screenshot);
            QObject::connect(comparing, &CompareWindow::ready, comparing, [comparing, file] {
                QApplication::processEvents();
                const bool ok = comparing->errorString().isEmpty() && comparing->grab().save(file, "PNG");
                if (!ok)
                    std::fprintf(stderr, "eventscope: %s\n",
                        qPrintable(Printable::escaped(comparing->errorString().isEmpty()
                                ? QStringLiteral("cannot write ") + file
                                : comparing->errorString())));
                QApplication::exit(ok ? 0 : 1);
            });
        }
    } else if (opened && atSeconds >= 0 && !parser.isSet(screenshot)) {
        QObject::connect(
            opened, &CaptureWindow::loaded, opened,
            [opened, atSeconds] { opened->seek(opened->startUs() + qint64(atSeconds * 1e6)); },
            Qt::SingleShotConnection);
    }
    if (parser.isSet(screenshot) && opened && !parser.isSet(compare)) {
        // a capture: once it is all read and every view is built
        const QString file = parser.value(screenshot);
        const std::optional<MainWindow::View> raised = parser.isSet(view) ? std::optional(shownView) : std::nullopt;
        const auto shoot = [opened, file, raised] { Screenshot::shootAndQuit(*opened->window(), file, raised); };
        // with --at: replayed to there first, then shot once every event up to it is taken in
        const auto whenRead = [opened, shoot, atSeconds] {
            if (atSeconds < 0)
                return shoot();
            opened->seek(opened->startUs() + qint64(atSeconds * 1e6));
            auto* wait = new QTimer(opened);
            QObject::connect(wait, &QTimer::timeout, opened, [opened, shoot, wait] {
                if (!opened->isAtPlayhead())
                    return;
                wait->stop();
                shoot();
            });
            wait->start(20);
        };
        QObject::connect(opened, &CaptureWindow::loaded, opened, whenRead, Qt::SingleShotConnection);
    } else if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        const std::optional<MainWindow::View> raised = parser.isSet(view) ? std::optional(shownView) : std::nullopt;
        if (raised)
            window.raiseView(*raised);
        QTimer::singleShot(int(afterSeconds * 1000), &window,
            [&window, file, raised] { Screenshot::shootAndQuit(window, file, raised); });
    }
    const int rc = app.exec();
    sources.stopAll();
    return rc;
}
