// SPDX-License-Identifier: MIT
#include "windowexport.h"

#include "eventexport.h"
#include "eventlogmodel.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "session.h"
#include "sessionfeed.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QItemSelectionModel>
#include <QMessageBox>
#include <QTableView>

void WindowExport::ask(MainWindow& w, MainWindow::ExportScope scope)
{
    QString filters = MainWindow::tr("NDJSON, one event per line (*.ndjson);;CSV (*.csv)");
    if (scope == MainWindow::ExportScope::Chain)
        filters += MainWindow::tr(";;Text report (*.txt)");
    QString chosen;
    QString path = QFileDialog::getSaveFileName(&w, MainWindow::tr("Export"), QString(), filters, &chosen);
    if (path.isEmpty())
        return;
    // the extension decides; a name without one gets the chosen filter's
    if (QFileInfo(path).suffix().isEmpty())
        path += chosen.contains(QLatin1String("*.csv")) ? QStringLiteral(".csv")
            : chosen.contains(QLatin1String("*.txt"))   ? QStringLiteral(".txt")
                                                        : QStringLiteral(".ndjson");
    QString message;
    if (write(w, scope, path, &message))
        w.setConnectionText(message);
    else
        QMessageBox::warning(&w, MainWindow::tr("Export"), message);
}

bool WindowExport::write(MainWindow& w, MainWindow::ExportScope scope, const QString& path, QString* message)
{
    const Session& session = w.feed().session();
    std::vector<quint32> events;
    int chain = -1;
    switch (scope) {
    case MainWindow::ExportScope::FilteredLog:
        events = EventExport::matching(session, w.eventLog()->model()->filter());
        break;
    case MainWindow::ExportScope::SelectedEvents: {
        QModelIndexList rows = w.eventLog()->table()->selectionModel()->selectedRows();
        for (const QModelIndex& row : rows)
            events.push_back(row.data(EventLogModel::EventIndexRole).toUInt());
        std::sort(events.begin(), events.end());
        break;
    }
    case MainWindow::ExportScope::Chain: {
        const quint32 chosen = w.explorer()->currentChain();
        if (chosen == ChainTracker::None || chosen >= session.chains().size() || !session.chains().alive(chosen)) {
            *message = MainWindow::tr("No chain is chosen in the correlation explorer.");
            return false;
        }
        chain = int(chosen);
        events = session.chains().members(chosen, session.store());
        break;
    }
    }
    return EventExport::toFile(session, events, chain, path, w.eventLog()->model()->fieldColumns(), message);
}
