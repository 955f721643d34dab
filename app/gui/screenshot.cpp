// SPDX-License-Identifier: MIT
#include "screenshot.h"

#include "capturewindows.h"
#include "chaindiffwindow.h"
#include "chaintracker.h"
#include "comparewindow.h"
#include "explorerpanel.h"
#include "printable.h"
#include "schemapanel.h"
#include "session.h"
#include "sessionfeed.h"

#include <QApplication>
#include <QTimer>
#include <cstdio>

namespace {
/// The explorer screenshot shows what an operator would open first: the newest dead-lettered chain.
void openWorstChain(const Session& session, MainWindow& window)
{
    const ChainTracker& chains = session.chains();
    quint32 best = ChainTracker::None;
    for (quint32 c = 0; c < chains.size(); ++c)
        if (chains.alive(c) && chains.at(c).deadLetters > 0 && chains.at(c).size >= 4
            && (best == ChainTracker::None || chains.at(c).startUs > chains.at(best).startUs))
            best = c;
    if (best != ChainTracker::None)
        window.showChain(best);
}
} // namespace

bool Screenshot::parseView(const QString& name, Target* target)
{
    if (name == QLatin1String("chain-diff")) {
        *target = Target { MainWindow::View::Explorer, true };
        return true;
    }
    if (name == QLatin1String("shapes")) {
        *target = Target { MainWindow::View::Schemas, false, true };
        return true;
    }
    const std::pair<const char*, MainWindow::View> views[] = { { "board", MainWindow::View::Board },
        { "charts", MainWindow::View::Charts }, { "log", MainWindow::View::Log },
        { "explorer", MainWindow::View::Explorer }, { "breakers", MainWindow::View::Breakers },
        { "flow", MainWindow::View::Flow }, { "deadletters", MainWindow::View::DeadLetters },
        { "alerts", MainWindow::View::Alerts }, { "sources", MainWindow::View::Sources },
        { "schemas", MainWindow::View::Schemas }, { "consumers", MainWindow::View::Consumers } };
    for (const auto& [n, v] : views)
        if (name == QLatin1String(n)) {
            *target = Target { v, false };
            return true;
        }
    return false;
}

void Screenshot::shootAndQuit(MainWindow& window, const QString& file, const Target& target)
{
    const std::optional<MainWindow::View> view = target.view;
    if (view)
        window.raiseView(*view);
    if (view == MainWindow::View::Explorer || view == MainWindow::View::Flow || view == MainWindow::View::Schemas
        || view == MainWindow::View::Consumers) {
        // these want the room: the charts step aside, as a user would arrange it (the schemas beside the
        // board, whose Schema % column then shows)
        window.setViewVisible(MainWindow::View::Charts, false);
        window.setBottomHeight(view == MainWindow::View::Flow ? 700 : view == MainWindow::View::Schemas ? 430 : 620);
    }
    if (view == MainWindow::View::Explorer)
        openWorstChain(window.feed().session(), window);
    window.feed().drain();
    window.refresh();
    if (target.shapes) {
        // the type whose shape changed last, else the first learned
        const auto& types = window.feed().session().shapes().types();
        int latest = -1;
        qint64 latestUs = 0;
        for (std::size_t t = 0; t < types.size(); ++t) {
            if (types[t].events && latest < 0)
                latest = int(t);
            if (!types[t].changes.empty() && types[t].changes.back().timeUs >= latestUs) {
                latest = int(t);
                latestUs = types[t].changes.back().timeUs;
            }
        }
        window.schemaPanel()->showShape(latest);
    }
    QWidget* shot = &window;
    if (target.chainDiff) {
        shot = window.explorer()->compareWithTypical();
        if (!shot) {
            std::fprintf(stderr, "eventscope: no dead-lettered chain with a typical chain to compare it with\n");
            QApplication::exit(1);
            return;
        }
    }
    QApplication::processEvents();
    const bool ok = shot->grab().save(file, "PNG");
    if (!ok)
        std::fprintf(stderr, "eventscope: cannot write %s\n", qPrintable(Printable::escaped(file)));
    QApplication::exit(ok ? 0 : 1);
}

void Screenshot::afterDelay(MainWindow& window, const QString& file, const Target& target, double afterSeconds)
{
    if (target.view)
        window.raiseView(*target.view);
    QTimer::singleShot(
        int(afterSeconds * 1000), &window, [&window, file, target] { shootAndQuit(window, file, target); });
}

void Screenshot::whenLoaded(CaptureWindow* capture, const QString& file, const Target& target, double atSeconds)
{
    const auto shoot = [capture, file, target] { shootAndQuit(*capture->window(), file, target); };
    const auto whenRead = [capture, shoot, atSeconds] {
        if (atSeconds < 0)
            return shoot();
        capture->seek(capture->startUs() + qint64(atSeconds * 1e6));
        auto* wait = new QTimer(capture);
        QObject::connect(wait, &QTimer::timeout, capture, [capture, shoot, wait] {
            if (!capture->isAtPlayhead())
                return;
            wait->stop();
            shoot();
        });
        wait->start(20);
    };
    QObject::connect(capture, &CaptureWindow::loaded, capture, whenRead, Qt::SingleShotConnection);
}

void Screenshot::whenCompared(CompareWindow* comparing, const QString& file)
{
    QObject::connect(comparing, &CompareWindow::ready, comparing, [comparing, file] {
        QApplication::processEvents();
        const bool ok = comparing->errorString().isEmpty() && comparing->grab().save(file, "PNG");
        if (!ok)
            std::fprintf(stderr, "eventscope: %s\n",
                qPrintable(
                    Printable::escaped(comparing->errorString().isEmpty() ? QStringLiteral("cannot write ") + file
                                                                          : comparing->errorString())));
        QApplication::exit(ok ? 0 : 1);
    });
}
