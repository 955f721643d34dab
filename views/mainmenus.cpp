// SPDX-License-Identifier: MIT
#include "mainmenus.h"

#include "alertpanel.h"
#include "chartspanel.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "mainwindow.h"
#include "navigation.h"
#include "printable.h"
#include "session.h"
#include "sessionfeed.h"
#include "urlredaction.h"

#include <QApplication>
#include <QClipboard>
#include <QFileInfo>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>

namespace {

QMenu* createFileMenu(MainWindow& w, MainMenus* menus)
{
    QMenu* file = w.menuBar()->addMenu(MainWindow::tr("&File"));
    file->addAction(
        MainWindow::tr("Start the &demo bus"), QKeySequence(MainWindow::tr("Ctrl+D")), &w, &MainWindow::askToStartDemo);
    file->addAction(MainWindow::tr("&Connect to a bus..."), QKeySequence(MainWindow::tr("Ctrl+N")), &w,
        [&w] { w.askToConnect(QString()); });
    file->addAction(MainWindow::tr("Open bus &history..."), &w, [&w] { w.askToOpenBusHistory(); })
        ->setToolTip(MainWindow::tr("Read a NATS JetStream stream's past: its last hour, from a sequence, between "
                                    "two times"));
    file->addAction(MainWindow::tr("&Open a capture..."), QKeySequence::Open, &w, &MainWindow::askToOpen);
    file->addAction(MainWindow::tr("Load &schemas..."), &w, &MainWindow::askToLoadSchemas)
        ->setToolTip(MainWindow::tr("Check every payload against its type's JSON Schema"));
    QMenu* connections = file->addMenu(MainWindow::tr("Dis&connect"));
    QObject::connect(connections, &QMenu::aboutToShow, &w, [&w, connections] {
        connections->clear();
        fillConnectionsMenu(connections, w);
    });
    QMenu* recent = file->addMenu(MainWindow::tr("Recent &captures"));
    QObject::connect(recent, &QMenu::aboutToShow, &w, [&w, recent] {
        recent->clear();
        const QStringList paths = w.recentCaptures();
        for (const QString& path : paths)
            recent->addAction(QFileInfo(path).fileName(), &w, [&w, path] { Q_EMIT w.openRequested(path); })
                ->setToolTip(path);
        if (paths.isEmpty())
            recent->addAction(MainWindow::tr("(none yet)"))->setEnabled(false);
    });
    QMenu* exporting = file->addMenu(MainWindow::tr("&Export"));
    exporting->addAction(MainWindow::tr("The &filtered event log..."), QKeySequence(MainWindow::tr("Ctrl+Shift+E")), &w,
        [&w] { w.askToExport(MainWindow::ExportScope::FilteredLog); });
    exporting->addAction(MainWindow::tr("The &selected events..."), &w,
        [&w] { w.askToExport(MainWindow::ExportScope::SelectedEvents); });
    exporting->addAction(
        MainWindow::tr("The &chain in the explorer..."), &w, [&w] { w.askToExport(MainWindow::ExportScope::Chain); });
    file->addSeparator();
    menus->quit = file->addAction(MainWindow::tr("&Quit"), QKeySequence::Quit, &w, &QWidget::close);
    return file;
}

void createViewMenu(MainWindow& w)
{
    QMenu* view = w.menuBar()->addMenu(MainWindow::tr("&View"));
    using View = MainWindow::View;
    const View order[] = { View::Board, View::Charts, View::Log, View::Explorer, View::Breakers, View::DeadLetters,
        View::Alerts, View::Sources, View::Flow, View::Schemas };
    const QString names[] = { MainWindow::tr("Health board"), MainWindow::tr("Charts"), MainWindow::tr("Event log"),
        MainWindow::tr("Correlation explorer"), MainWindow::tr("Breakers"), MainWindow::tr("Dead letters"),
        MainWindow::tr("Alerts"), MainWindow::tr("Sources"), MainWindow::tr("Flow map"), MainWindow::tr("Schemas") };
    for (int i = 0; i < 10; ++i)
        view->addAction(names[i], QKeySequence(QStringLiteral("Ctrl+%1").arg((i + 1) % 10)), &w,
            [&w, v = order[i]] { w.raiseView(v); });
    view->addAction(MainWindow::tr("Consumers"), &w, [&w] { w.raiseView(View::Consumers); });
    view->addSeparator();
    QMenu* origins = view->addMenu(MainWindow::tr("&One origin in its own window"));
    origins->setToolTipsVisible(true);
    // the origins are the session's: connections come and go, so the list is made when it opens
    QObject::connect(origins, &QMenu::aboutToShow, &w, [&w, origins] {
        origins->clear();
        const Session& session = w.feed().session();
        for (std::size_t o = 0; o < session.origins().size(); ++o) {
            const ProfileCounts counts = session.originProfiles(quint16(o));
            const bool decoded = std::any_of(counts.begin(), counts.end(), [](quint64 n) { return n > 0; });
            const QString name = Printable::forDisplay(UrlRedaction::readable(session.originName(quint16(o))), 120);
            QAction* a
                = origins->addAction(decoded ? MainWindow::tr("%1 (decoded as %2)")
                                                   .arg(name, EventProfiles::title(session.originProfile(quint16(o))))
                                             : name,
                    &w, [&w, o] { Q_EMIT w.originWindowRequested(quint16(o)); });
            a->setToolTip(MainWindow::tr("Every view for the events of this origin alone"));
        }
        if (origins->isEmpty()) {
            origins->addAction(MainWindow::tr("(no origin yet)"))->setEnabled(false);
            return;
        }
        // the origins that are live connections can be let go from here too
        if (std::any_of(w.connections().begin(), w.connections().end(),
                [](const MainWindow::Connection& c) { return c.active; })) {
            origins->addSeparator();
            fillConnectionsMenu(origins, w);
        }
    });
    QAction* pause
        = view->addAction(MainWindow::tr("&Pause live updates"), QKeySequence(MainWindow::tr("Ctrl+P")), &w, [&w] {
              const bool paused = !w.charts()->isPaused();
              w.charts()->setPaused(paused);
              w.eventLog()->setFollowing(!paused);
          });
    pause->setToolTip(MainWindow::tr("Hold the charts and the log still; the session keeps recording"));
}

void createGoMenu(MainWindow& w, Navigation& nav)
{
    QMenu* go = w.menuBar()->addMenu(MainWindow::tr("&Go"));
    go->addAction(MainWindow::tr("Show the selected event's &chain"), QKeySequence(MainWindow::tr("Ctrl+J")), &nav,
        [&nav] { nav.showChainOfEvent(nav.selectedEvent()); });
    go->addAction(MainWindow::tr("Copy the selected event as &JSON"), QKeySequence(MainWindow::tr("Ctrl+Shift+C")),
        &nav, [&w, &nav] {
            const std::string_view raw = w.feed().session().raw(nav.selectedEvent());
            if (!raw.empty())
                QApplication::clipboard()->setText(QString::fromUtf8(raw.data(), qsizetype(raw.size())));
        });
    go->addAction(MainWindow::tr("&Filter the event log"), QKeySequence::Find, &w, [&w] {
        w.raiseView(MainWindow::View::Log);
        w.eventLog()->filterEdit()->setFocus();
        w.eventLog()->filterEdit()->selectAll();
    });
    go->addAction(MainWindow::tr("&Search chains"), QKeySequence(MainWindow::tr("Ctrl+Shift+F")), &w, [&w] {
        w.raiseView(MainWindow::View::Explorer);
        w.explorer()->searchEdit()->setFocus();
        w.explorer()->searchEdit()->selectAll();
    });
    go->addAction(MainWindow::tr("Follow the newest &alert"), QKeySequence(MainWindow::tr("Ctrl+E")), &nav,
        [&w, &nav] { nav.followAlert(w.alerts()->rowCount() - 1); });
}

void createHelpMenu(MainWindow& w)
{
    QMenu* help = w.menuBar()->addMenu(MainWindow::tr("&Help"));
    help->addAction(MainWindow::tr("&Keyboard shortcuts"), QKeySequence::HelpContents, &w, [&w] {
        QString text;
        for (QAction* menu : w.menuBar()->actions())
            for (QAction* a : menu->menu()->actions())
                if (!a->shortcut().isEmpty())
                    text += QStringLiteral("%1\t%2\n")
                                .arg(a->shortcut().toString(QKeySequence::NativeText),
                                    a->text().remove(QLatin1Char('&')));
        QMessageBox::information(&w, MainWindow::tr("Keyboard shortcuts"), text);
    });
    help->addAction(MainWindow::tr("&About EventScope"), &w, [&w] {
        QMessageBox::about(&w, MainWindow::tr("About EventScope"),
            MainWindow::tr("EventScope %1: a monitor for event buses.").arg(QApplication::applicationVersion()));
    });
}

} // namespace

void fillConnectionsMenu(QMenu* menu, MainWindow& w)
{
    const QList<MainWindow::Connection>& connections = w.connections();
    int active = 0;
    for (const MainWindow::Connection& c : connections) {
        if (!c.active)
            continue;
        ++active;
        const QString name = Printable::forDisplay(UrlRedaction::readable(c.name), 120);
        menu->addAction(c.demo ? MainWindow::tr("Disconnect the demo bus (%1)").arg(name)
                               : MainWindow::tr("Disconnect %1").arg(name),
            &w, [&w, origin = c.origin] { Q_EMIT w.disconnectRequested(origin); });
    }
    if (active == 0) {
        menu->addAction(MainWindow::tr("(no connection)"))->setEnabled(false);
        return;
    }
    menu->addSeparator();
    menu->addAction(MainWindow::tr("Disconnect &all"), QKeySequence(MainWindow::tr("Ctrl+Shift+W")), &w,
        &MainWindow::disconnectAllRequested);
    if (std::any_of(connections.begin(), connections.end(), [](const MainWindow::Connection& c) { return c.waiting; }))
        menu->addAction(MainWindow::tr("&Retry now"), &w, &MainWindow::retryRequested);
}

MainMenus createMainMenus(MainWindow& window, Navigation& navigation)
{
    MainMenus menus;
    menus.file = createFileMenu(window, &menus);
    createViewMenu(window);
    createGoMenu(window, navigation);
    createHelpMenu(window);
    return menus;
}
