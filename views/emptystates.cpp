// SPDX-License-Identifier: MIT
#include "emptystates.h"

#include "alertpanel.h"
#include "breakerpanel.h"
#include "chartspanel.h"
#include "deadletterpanel.h"
#include "emptystate.h"
#include "eventlogmodel.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "healthboard.h"
#include "mainwindow.h"
#include "sourcespanel.h"

#include <QTableView>

EmptyStates::EmptyStates(MainWindow& window)
    : QObject(&window)
    , m_window(window)
    , m_board(new EmptyState(window.healthBoard()->table(), tr("No events yet")))
    , m_log(new EmptyState(window.eventLog()->table(), tr("No events yet")))
    , m_explorer(new EmptyState(window.explorer()->chainTable(),
          tr("No correlation chains yet: events that carry a correlation id make them")))
    , m_sources(new EmptyState(window.sourcesPanel()->table(), tr("No sources yet")))
{
    for (EmptyState* s : { m_board, m_log, m_explorer, m_sources })
        connect(s, &EmptyState::actionTriggered, this, &EmptyStates::retryRequested);
    new EmptyState(window.breakerPanel()->boardTable(), tr("No circuit breaker has reported a state yet"));
    new EmptyState(window.deadLetterPanel()->table(), tr("No dead letters"));
    new EmptyState(window.alertPanel()->table(), tr("No alerts"));
    // the log also empties when its filter matches nothing: that is said, not blamed on the bus
    connect(window.eventLog()->model(), &QAbstractItemModel::modelReset, this, [this] {
        m_filtered = !m_window.eventLog()->model()->filter().isEmpty();
        apply();
    });
}

EmptyStates::~EmptyStates() = default;

void EmptyStates::setReason(const QString& reason)
{
    m_reason = reason;
    apply();
}

void EmptyStates::setRetryOffered(bool offered)
{
    for (EmptyState* s : { m_board, m_log, m_explorer, m_sources })
        s->setAction(offered ? tr("Retry now") : QString());
}

void EmptyStates::apply()
{
    for (EmptyState* s : { m_board, m_explorer, m_sources })
        s->setReason(m_reason);
    m_log->setWhat(m_filtered ? tr("No event matches the filter") : tr("No events yet"));
    m_log->setReason(m_filtered ? QString() : m_reason);
    m_window.charts()->setWaitingText(m_reason);
}
