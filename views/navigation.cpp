// SPDX-License-Identifier: MIT
#include "navigation.h"

#include "alertpanel.h"
#include "breakerpanel.h"
#include "chartspanel.h"
#include "consumerspanel.h"
#include "deadletterpanel.h"
#include "eventdetail.h"
#include "eventfilter.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "flowmappanel.h"
#include "healthboard.h"
#include "mainwindow.h"
#include "schemapanel.h"
#include "session.h"
#include "sessionfeed.h"
#include "sourcespanel.h"

#include <QApplication>
#include <QStatusBar>

Navigation::Navigation(MainWindow& window)
    : QObject(&window)
    , m_window(window)
{
    connect(window.eventLog(), &EventLogPanel::chainRequested, this, &Navigation::showChainOfEvent);
    connect(window.explorer()->detail(), &EventDetail::chainRequested, this, &Navigation::showChainOfEvent);
    connect(window.deadLetterPanel(), &DeadLetterPanel::chainRequested, this, &Navigation::showChain);
    connect(window.breakerPanel(), &BreakerPanel::eventActivated, this, &Navigation::showChainOfEvent);
    connect(window.charts(), &ChartsPanel::transitionClicked, this, &Navigation::showBreakerTransition);
    connect(window.charts(), &ChartsPanel::affectedChainsRequested, window.breakerPanel(),
        &BreakerPanel::showAffectedChains);
    connect(window.breakerPanel(), &BreakerPanel::chainsRequested, this,
        [this](const std::vector<BlastRadius::ChainRef>& chains, const QString& label) {
            m_window.raiseView(MainWindow::View::Explorer);
            m_window.explorer()->showChains(chains, label);
        });
    connect(window.sourcesPanel(), &SourcesPanel::sourceActivated, this, [this](const QString& source) {
        m_window.raiseView(MainWindow::View::Log);
        m_window.eventLog()->setFilterText(EventFilter::equals(QStringLiteral("source"), source));
    });
    connect(window.healthBoard(), &HealthBoard::typeActivated, this, [this](const QString& type) {
        m_window.raiseView(MainWindow::View::Log);
        m_window.eventLog()->setFilterText(EventFilter::equals(QStringLiteral("type"), type));
    });
    connect(window.flowMap(), &FlowMapPanel::chainsThroughRequested, this,
        [this](const std::vector<std::pair<quint16, quint16>>& pairs, const QString& label) {
            m_window.raiseView(MainWindow::View::Explorer);
            m_window.explorer()->showChainsThrough(pairs, label);
        });
    connect(window.flowMap(), &FlowMapPanel::chainsEndedAtRequested, this,
        [this](int root, int stage, const QString& label) {
            m_window.raiseView(MainWindow::View::Explorer);
            m_window.explorer()->showChainsEndedAt(root, stage, label);
        });
    connect(window.flowMap(), &FlowMapPanel::filterRequested, this, [this](const QString& field, const QString& value) {
        m_window.raiseView(MainWindow::View::Log);
        m_window.eventLog()->setFilterText(EventFilter::equals(field, value));
    });
    connect(window.schemaPanel(), &SchemaPanel::eventsRequested, this, [this](const QString& filter, quint32 event) {
        m_window.raiseView(MainWindow::View::Log);
        m_window.eventLog()->setFilterText(filter);
        if (m_window.feed().session().store().contains(event))
            m_window.eventLog()->selectEvent(event);
    });
    connect(window.alertBanner(), &AlertBanner::evidenceRequested, this, &Navigation::followAlert);
    connect(window.alertPanel(), &AlertPanel::evidenceRequested, this, &Navigation::followAlert);
}

Navigation::~Navigation() = default;

quint32 Navigation::selectedEvent() const
{
    ExplorerPanel* explorer = m_window.explorer();
    if (explorer->isAncestorOf(QApplication::focusWidget()) && explorer->selectedEvent() != 0xFFFFFFFFu)
        return explorer->selectedEvent();
    return m_window.eventLog()->currentEvent();
}

void Navigation::showChainOfEvent(quint32 event)
{
    const Session& session = m_window.feed().session();
    if (!session.store().contains(event))
        return;
    const EventRecord& r = session.store().at(event);
    if (r.chain == EventRecord::NoChain) {
        m_window.statusBar()->showMessage(tr("This event has no correlation id: it belongs to no chain"), 5000);
        return;
    }
    showChain(r.chain, event);
}

void Navigation::showChain(quint32 chain, quint32 event)
{
    m_window.raiseView(MainWindow::View::Explorer);
    m_window.explorer()->showChain(chain, event);
}

void Navigation::showBreakerTransition(quint32 event)
{
    const Session& session = m_window.feed().session();
    BreakerPanel* breakers = m_window.breakerPanel();
    m_window.raiseView(MainWindow::View::Breakers);
    for (std::size_t b = 0; b < session.breakers().size(); ++b)
        for (const BreakerTransition& t : session.breakers().at(b).history)
            if (t.event == event)
                breakers->selectBreaker(int(b));
    breakers->showEventsAround(event);
}

void Navigation::followAlert(int row)
{
    AlertModel* alerts = m_window.alerts();
    if (row < 0 || row >= alerts->rowCount())
        return;
    const Alert& a = alerts->alert(row);
    switch (a.kind) {
    case Alert::BreakerOpened:
        m_window.raiseView(MainWindow::View::Breakers);
        m_window.breakerPanel()->selectBreaker(a.breaker);
        m_window.breakerPanel()->showEventsAround(a.event);
        break;
    case Alert::TypeSilent:
    case Alert::TypeRecovered:
        m_window.raiseView(MainWindow::View::Board);
        m_window.healthBoard()->selectType(a.type);
        break;
    case Alert::SchemaViolated:
        m_window.raiseView(MainWindow::View::Schemas);
        m_window.schemaPanel()->selectType(a.type);
        break;
    case Alert::ShapeChanged:
        m_window.raiseView(MainWindow::View::Schemas);
        m_window.schemaPanel()->showChanges();
        break;
    case Alert::ConsumerLagging:
    case Alert::RedeliveriesRising:
        m_window.raiseView(MainWindow::View::Consumers);
        m_window.consumersPanel()->selectConsumer(a.consumer);
        break;
    case Alert::DeadLettersRising:
        m_window.raiseView(MainWindow::View::DeadLetters);
        m_window.deadLetterPanel()->refresh();
        m_window.deadLetterPanel()->selectReport(a.event);
        if (m_window.feed().session().store().contains(a.event))
            showChainOfEvent(a.event);
        break;
    }
}
