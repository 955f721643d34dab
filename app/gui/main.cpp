// SPDX-License-Identifier: MIT
// eventscope: the desktop monitor. Wires sources to the session and the main window; nothing more.
#include "brokerprotocol.h"
#include "busurl.h"
#include "capturewindows.h"
#include "colours.h"
#include "comparewindow.h"
#include "decodeaseditor.h"
#include "guioptions.h"
#include "mainwindow.h"
#include "originwindows.h"
#include "printable.h"
#include "recordingcontrols.h"
#include "recordingindexer.h"
#include "schemapanel.h"
#include "schemaregistry.h"
#include "screenshot.h"
#include "session.h"
#include "sessionfeed.h"
#include "sourcehub.h"
#include "streamlister.h"
#include "urlredaction.h"

#include <QApplication>
#include <QFileInfo>
#include <QMessageBox>
#include <cstdio>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("EventScope"));
    QApplication::setOrganizationName(QStringLiteral("EventScope"));
    QApplication::setApplicationVersion(QStringLiteral(EVENTSCOPE_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("eventscope"));

    GuiOptions options;
    if (!options.parse(app))
        return 2;

    if (!options.palette.isEmpty()) {
        QApplication::setStyle(QStringLiteral("Fusion"));
        QApplication::setPalette(
            options.palette == QLatin1String("dark") ? Colours::darkPalette() : Colours::lightPalette());
    }
    if (options.memoryCapMiB >= 0) // every session of this process: the live one, captures, origins
        setDefaultMemoryCap(std::size_t(options.memoryCapMiB) << 20);
    Session session;
    SessionFeed feed(session);
    feed.setIngestLimit(options.ingestLimit);
    MainWindow window(feed);
    // screenshots are of the default layout, whatever this user has arranged
    window.setPersistent(options.screenshot.isEmpty());
    SourceHub sources(session);
    QObject::connect(&sources, &SourceHub::batchReady, &feed, &SessionFeed::ingest);
    QObject::connect(&sources, &SourceHub::statusTextChanged, &window, &MainWindow::setConnectionText);
    QObject::connect(&sources, &SourceHub::droppedChanged, &window, &MainWindow::setDroppedCount);
    QObject::connect(&sources, &SourceHub::sourceAdded, &window, &MainWindow::showDashboard);
    QObject::connect(&sources, &SourceHub::notice, &window, &MainWindow::showNotice);
    // File > Disconnect, the status bar's menu and Retry now
    QObject::connect(&sources, &SourceHub::statusTextChanged, &window, [&sources, &window] {
        QList<MainWindow::Connection> list;
        for (const SourceHub::Connection& c : sources.connections())
            list.push_back({ c.origin, c.name, c.demo, c.active, c.waiting });
        window.setConnections(list);
    });
    QObject::connect(&window, &MainWindow::disconnectRequested, &sources, &SourceHub::disconnectOrigin);
    QObject::connect(&window, &MainWindow::disconnectAllRequested, &sources, &SourceHub::disconnectAll);
    QObject::connect(&window, &MainWindow::retryRequested, &sources, &SourceHub::retryNow);
    // File > Record, the flight recorder (its options persist only for the user's own window)
    RecordingControls recording(window, session, sources, options.screenshot.isEmpty());
    // View > One origin: a window per bus of several, fed only that bus's batches
    OriginWindows origins(session);
    QObject::connect(&sources, &SourceHub::batchReady, &origins, &OriginWindows::route);
    QObject::connect(&sources, &SourceHub::statusTextChanged, &origins, &OriginWindows::setConnectionText);
    QObject::connect(&window, &MainWindow::originWindowRequested, &origins, &OriginWindows::open);
    QObject::connect(&origins, &OriginWindows::opened, &origins, [&origins, &window](MainWindow* w) {
        QObject::connect(w, &MainWindow::originWindowRequested, &origins, &OriginWindows::open);
        // its File menu adds buses to the same session, as the main window's does
        QObject::connect(w, &MainWindow::demoRequested, &window, &MainWindow::askToStartDemo);
        QObject::connect(w, &MainWindow::connectRequested, &window, &MainWindow::connectRequested);
    });
    QObject::connect(&window, &MainWindow::demoRequested, &window, [&] {
        QString error;
        if (!sources.startDemo(options.demoOptions, &error))
            window.setConnectionText(QObject::tr("Cannot start the demo bus: %1").arg(error));
    });
    // a range of a bus's history (stream= and to=) opens as a capture would, in a window of its own
    CaptureWindows captures;
    captures.setPersistent(options.screenshot.isEmpty());
    QObject::connect(&window, &MainWindow::connectRequested, &window, [&](const ConnectionRequest& r) {
        ConnectionSettings settings;
        settings.url = r.url;
        settings.token = r.token;
        settings.tokenInQuery = r.tokenInQuery;
        settings.caFile = r.caFile;
        settings.acceptInvalidCertificates = r.acceptInvalidCertificates;
        for (const auto& [name, value] : r.headers)
            settings.headers.append({ name.toLatin1(), value.toUtf8() });
        settings.types = r.types;
        r.decodeAs.applyTo(settings.decoder);
        window.addRecentConnection(UrlRedaction::withoutCredentials(r.url).toString());
        if (CaptureSession::isHistoryRead(settings.url)) {
            QString error;
            if (!captures.openHistory(settings, &error))
                QMessageBox::warning(&window, QObject::tr("Cannot read the bus's history"), error);
            return;
        }
        sources.connectRemembering(settings, r.remember);
    });

    // File > Open bus history: the server's streams, asked for here (views do not talk to buses)
    QObject::connect(&window, &MainWindow::streamsRequested, &window, [&window](const QUrl& server) {
        auto* lister = new StreamLister(server, &window);
        QObject::connect(lister, &StreamLister::finished, &window,
            [&window, lister, server](const std::vector<StreamInfo>& streams, const QString& error) {
                window.showStreams(server, streams, error);
                lister->deleteLater();
            });
        QString error;
        if (!lister->start(&error)) {
            window.showStreams(server, {}, error);
            lister->deleteLater();
        }
    });

    // schemas: from the command line for every window, from File > Load schemas for the window asked in
    // (the main window's for the captures opened from then on too)
    const auto useSchemas
        = [&](const std::shared_ptr<const SchemaRegistry>& registry, const QList<SchemaProblem>& problems) {
              sources.setSchemas(registry);
              session.setSchemaRegistry(registry);
              window.schemaPanel()->setProblems(problems);
              captures.setSchemas(registry, problems);
          };
    const auto loadSchemas = [](const QString& path, QWidget* from, QList<SchemaProblem>* problems) {
        auto registry = SchemaRegistry::load(path, problems);
        if (!registry)
            QMessageBox::warning(from, QObject::tr("Cannot load schemas"),
                problems->isEmpty() ? path : problems->constLast().describe());
        return registry;
    };
    QObject::connect(&window, &MainWindow::schemasRequested, &window, [&](const QString& path) {
        QList<SchemaProblem> problems;
        if (const auto registry = loadSchemas(path, &window, &problems)) {
            useSchemas(registry, problems);
            window.raiseView(MainWindow::View::Schemas);
        }
    });
    if (!options.schemas.isEmpty()) {
        QList<SchemaProblem> problems;
        const auto registry = SchemaRegistry::load(options.schemas, &problems);
        for (const SchemaProblem& p : std::as_const(problems))
            std::fprintf(stderr, "eventscope: schemas: %s\n", qPrintable(Printable::escaped(p.describe())));
        if (!registry)
            return 2;
        useSchemas(registry, problems);
    }
    const auto openCapture = [&captures](const QString& path, const std::optional<DecodeAs>& decodeAs, QWidget* from) {
        QString error;
        if (!captures.open(path, &error, decodeAs))
            QMessageBox::warning(from, QObject::tr("Cannot open the capture"), error);
    };
    QObject::connect(&window, &MainWindow::openRequested, &window,
        [&](const QString& p, const std::optional<DecodeAs>& d) { openCapture(p, d, &window); });
    QObject::connect(&captures, &CaptureWindows::opened, &captures, [&](CaptureWindow* c) {
        MainWindow* w = c->window();
        QObject::connect(w, &MainWindow::schemasRequested, c, [&captures, c, w](const QString& path) {
            QList<SchemaProblem> problems;
            if (captures.loadSchemas(c, path, &problems))
                w->raiseView(MainWindow::View::Schemas);
            else
                QMessageBox::warning(
                    w, QObject::tr("Cannot load schemas"), problems.isEmpty() ? path : problems.constLast().describe());
        });
        QObject::connect(w, &MainWindow::openRequested, w,
            [&, w](const QString& p, const std::optional<DecodeAs>& d) { openCapture(p, d, w); });
        // its File menu watches buses in the main window, as an origin window's does
        QObject::connect(w, &MainWindow::demoRequested, &window, [&window] {
            window.show();
            window.askToStartDemo();
        });
        QObject::connect(w, &MainWindow::connectRequested, &window, [&window](const ConnectionRequest& r) {
            window.show();
            Q_EMIT window.connectRequested(r);
        });
    });
    // a positional argument that is not a bus URL is a capture to open
    const QString& target = options.target;
    if (const QString hint = BusUrl::missingSchemeHint(target); !hint.isEmpty() && !QFileInfo::exists(target)) {
        std::fprintf(stderr, "eventscope: %s\n", qPrintable(Printable::escaped(hint)));
        return 2;
    }
    const QUrl targetUrl = BusUrl::fromText(target);
    const bool isFile = !target.isEmpty()
        && (QFileInfo::exists(target) || targetUrl.scheme().isEmpty() || targetUrl.scheme() == QLatin1String("file"));
    CaptureWindow* opened = nullptr;

    if (isFile && !options.demo) {
        QString error;
        const QString path = targetUrl.scheme() == QLatin1String("file") ? targetUrl.toLocalFile() : target;
        opened = captures.open(path, &error);
        if (!opened) {
            std::fprintf(stderr, "eventscope: %s\n", qPrintable(Printable::escaped(error)));
            return 2;
        }
    } else if (options.demo) {
        QString error;
        if (!sources.startDemo(options.demoOptions, &error)) {
            std::fprintf(stderr, "eventscope: cannot start the demo bus: %s\n", qPrintable(Printable::escaped(error)));
            return 2;
        }
    } else if (!target.isEmpty()) {
        ConnectionSettings settings;
        settings.url = targetUrl;
        QString tokenError;
        if (!options.readToken(&settings.url, &settings.token, &tokenError)) {
            std::fprintf(stderr, "eventscope: %s\n", qPrintable(Printable::escaped(tokenError)));
            return 2;
        }
        if (options.screenshot.isEmpty()) // decoded as chosen last for this URL in File > Connect
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
        if (CaptureSession::isHistoryRead(settings.url)) {
            opened = captures.openHistory(settings, &why);
            if (!opened) {
                std::fprintf(stderr, "eventscope: %s\n", qPrintable(Printable::escaped(why)));
                return 2;
            }
        } else {
            sources.connectTo(settings);
        }
    } else {
        window.showStartPage();
    }
    if (!opened)
        window.show();

    if (opened && !options.compare.isEmpty()) {
        CompareWindow* comparing = opened->compareWith(options.compare);
        if (!options.screenshot.isEmpty())
            Screenshot::whenCompared(comparing, options.screenshot);
    } else if (opened && !options.screenshot.isEmpty()) {
        Screenshot::whenLoaded(opened, options.screenshot, options.shot, options.atSeconds);
    } else if (opened && options.atSeconds >= 0) {
        QObject::connect(
            opened, &CaptureWindow::loaded, opened,
            [opened, at = options.atSeconds] { opened->seek(opened->startUs() + qint64(at * 1e6)); },
            Qt::SingleShotConnection);
    } else if (!options.screenshot.isEmpty()) {
        Screenshot::afterDelay(window, options.screenshot, options.shot, options.afterSeconds);
    }
    const int rc = app.exec();
    sources.stopAll();
    // quits at once: a recording that has just ended keeps its last index made while it was recorded,
    // and its next open reads on from there
    RecordingIndexer::stopAll();
    return rc;
}
