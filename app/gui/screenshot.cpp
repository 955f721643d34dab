// SPDX-License-Identifier: MIT
#include "screenshot.h"

#include "chaintracker.h"
#include "printable.h"
#include "session.h"
#include "sessionfeed.h"

#include <QApplication>
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

bool Screenshot::parseView(const QString& name, MainWindow::View* view)
{
    const std::pair<const char*, MainWindow::View> views[]
        = { { "board", MainWindow::View::Board }, { "charts", MainWindow::View::Charts },
              { "log", MainWindow::View::Log }, { "explorer", MainWindow::View::Explorer },
              { "breakers", MainWindow::View::Breakers }, { "deadletters", MainWindow::View::DeadLetters },
              { "alerts", MainWindow::View::Alerts }, { "sources", MainWindow::View::Sources } };
    for (const auto& [n, v] : views)
        if (name == QLatin1String(n)) {
            *view = v;
            return true;
        }
    return false;
}

void Screenshot::shootAndQuit(MainWindow& window, const QString& file, std::optional<MainWindow::View> view)
{
    if (view)
        window.raiseView(*view);
    if (view == MainWindow::View::Explorer) {
        // the explorer wants the room: the charts step aside, as a user would arrange it
        window.setViewVisible(MainWindow::View::Charts, false);
        window.setBottomHeight(620);
        openWorstChain(window.feed().session(), window);
    }
    window.feed().drain();
    window.refresh();
    QApplication::processEvents();
    const bool ok = window.grab().save(file, "PNG");
    if (!ok)
        std::fprintf(stderr, "eventscope: cannot write %s\n", qPrintable(Printable::escaped(file)));
    QApplication::exit(ok ? 0 : 1);
}
