// SPDX-License-Identifier: MIT
// The real window (offscreen): every view fed, navigation between them, settings, export, long and
// hostile text, deep chains, breakers of several origins. One fixture: each case builds its window.
#include "alertpanel.h"
#include "breakermodel.h"
#include "breakerpanel.h"
#include "breakertimelineview.h"
#include "chaindiffmodel.h"
#include "chaindiffwindow.h"
#include "chainlistmodel.h"
#include "chaintreemodel.h"
#include "chartspanel.h"
#include "consumermodel.h"
#include "consumerspanel.h"
#include "deadletterpanel.h"
#include "decodeaseditor.h"
#include "demodata.h"
#include "emptystate.h"
#include "eventdetail.h"
#include "eventlogmodel.h"
#include "eventlogpanel.h"
#include "explorerpanel.h"
#include "flowmappanel.h"
#include "flowmapview.h"
#include "healthboard.h"
#include "mainwindow.h"
#include "printable.h"
#include "rememberedconnection.h"
#include "schemamodel.h"
#include "schemapanel.h"
#include "schemaregistry.h"
#include "serieschartview.h"
#include "session.h"
#include "sessionfeed.h"
#include "sessiontablemodel.h"
#include "shapetimeline.h"
#include "sourcehub.h"
#include "sourcespanel.h"
#include "sourcestatsmodel.h"
#include "stagefunnelview.h"
#include "typestatsmodel.h"
#include "waterfallview.h"

#include <QAbstractItemModelTester>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QFile>
#include <QHeaderView>
#include <QImage>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QScrollArea>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QToolButton>
#include <QTreeView>

class TestMainWindow : public QObject
{
    Q_OBJECT

    static QStringList column(const QAbstractItemModel* m, int col)
    {
        QStringList out;
        for (int r = 0; r < m->rowCount(); ++r)
            out << m->index(r, col).data().toString();
        return out;
    }
    static bool dockShown(MainWindow& w, const char* name)
    {
        for (QDockWidget* d : w.findChildren<QDockWidget*>())
            if (d->objectName() == QLatin1String(name))
                return d->isVisible() && !d->visibleRegion().isEmpty();
        return false;
    }
    /// 16 s of demo traffic with the email gateway failing from 2 s to 8 s, on event time.
    static void feedIncident(Session& s, MainWindow& w)
    {
        const QByteArrayList lines = demoLines(16, 400, earlyIncident());
        for (int i = 0; i < lines.size(); i += 800) {
            w.feed().ingest(decodeLines(lines.mid(i, 800)));
            w.feed().drain();
            w.refresh();
        }
        QVERIFY(s.breakers().size() > 0);
    }

private Q_SLOTS:
    void startTheDemoAndWatchTheIncidentLive()
    {
        Session s;
        MainWindow w(s);
        SourceHub hub(s);
        connect(&hub, &SourceHub::batchReady, &w.feed(), &SessionFeed::ingest);
        connect(&hub, &SourceHub::statusTextChanged, &w, &MainWindow::setConnectionText);
        connect(&hub, &SourceHub::sourceAdded, &w, &MainWindow::showDashboard);
        DemoBus::Options options;
        options.generator = earlyIncident();
        options.eventsPerSecond = 1500;
        connect(&w, &MainWindow::demoRequested, &w, [&] {
            QString error;
            QVERIFY2(hub.startDemo(options, &error), qPrintable(error));
        });
        w.showStartPage();
        w.show();
        QVERIFY(w.isOnStartPage());
        QPushButton* start = nullptr;
        for (QPushButton* b : w.findChildren<QPushButton*>())
            if (b->text() == QLatin1String("Start the demo bus"))
                start = b;
        QVERIFY(start);
        // before any breaker reports, the timeline says so rather than showing an empty band
        QVERIFY(!w.charts()->breakerTimeline()->emptyText().isEmpty());
        QTest::mouseClick(start, Qt::LeftButton);
        QVERIFY(!w.isOnStartPage());
        // a live, populated board within seconds
        QTRY_VERIFY_WITH_TIMEOUT(w.healthBoard()->table()->model()->rowCount() >= 10, 10000);
        QTRY_VERIFY_WITH_TIMEOUT(w.counter(QStringLiteral("events"))->text() != QLatin1String("0 events"), 5000);
        QVERIFY(w.findChild<QLabel*>() != nullptr);
        // the incident: the breaker opens, on the board (in words) and in the timeline, and an alert is raised
        const QAbstractItemModel* board = w.breakerPanel()->boardTable()->model();
        QTRY_VERIFY_WITH_TIMEOUT(column(board, BreakerModel::StateColumn).contains(QStringLiteral("OPEN"))
                || w.breakerPanel()->model()->index(0, BreakerModel::TransitionsColumn).data().toInt() > 0,
            15000);
        QTRY_VERIFY_WITH_TIMEOUT(w.charts()->breakerTimeline()->transitionsShown() > 0, 5000);
        QCOMPARE(w.charts()->breakerTimeline()->emptyText(), QString());
        QTRY_VERIFY_WITH_TIMEOUT(w.alertBanner()->isVisible(), 5000);
        QVERIFY2(w.alertBanner()->text().contains(QLatin1String("email-gateway")), qPrintable(w.alertBanner()->text()));
        // follow it: the breakers come forward with the events around the transition
        QPushButton* evidence = nullptr;
        for (QPushButton* b : w.alertBanner()->findChildren<QPushButton*>())
            evidence = b;
        QVERIFY(evidence);
        QTest::mouseClick(evidence, Qt::LeftButton);
        QVERIFY(dockShown(w, "breakers"));
        const QTableView* around = w.breakerPanel()->aroundTable();
        QVERIFY(around->model()->rowCount() > 0);
        const QModelIndex current = around->currentIndex();
        QVERIFY(current.isValid());
        QCOMPARE(current.siblingAtColumn(EventLogModel::TypeColumn).data().toString(),
            QStringLiteral("system.circuit_breaker.state_changed"));
        hub.stopAll();
    }

    void sortAndFilterTheBoard()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        // the board's sorting proxy over the type model, checked through every change that follows
        QAbstractItemModelTester tester(w.healthBoard()->table()->model());
        feedIncident(s, w);
        QTableView* table = w.healthBoard()->table();
        const QAbstractItemModel* m = table->model();
        // errors first: the type with failures and dead letters leads
        QCOMPARE(m->index(0, TypeStatsModel::TypeColumn).data().toString(), QStringLiteral("notification.created"));
        // sort by count (a click on the header, then another for descending)
        table->horizontalHeader()->setSortIndicator(TypeStatsModel::CountColumn, Qt::DescendingOrder);
        for (int r = 1; r < m->rowCount(); ++r)
            QVERIFY(m->index(r - 1, TypeStatsModel::CountColumn).data(TypeStatsModel::SortRole).toULongLong()
                >= m->index(r, TypeStatsModel::CountColumn).data(TypeStatsModel::SortRole).toULongLong());
        // filter by name
        QTest::keyClicks(w.healthBoard()->filterEdit(), QStringLiteral("user."));
        QVERIFY(m->rowCount() >= 2);
        for (const QString& type : column(m, TypeStatsModel::TypeColumn))
            QVERIFY2(type.startsWith(QLatin1String("user.")), qPrintable(type));
        w.healthBoard()->filterEdit()->clear();
        // and by domain
        auto* domains = w.healthBoard()->findChild<QComboBox*>();
        domains->setCurrentIndex(domains->findData(QStringLiteral("booking")));
        QVERIFY(m->rowCount() >= 8);
        for (const QString& type : column(m, TypeStatsModel::TypeColumn))
            QVERIFY2(type.startsWith(QLatin1String("booking.")), qPrintable(type));
    }

    void theFlowMapDrawsItsLastChangeThoughNoRefreshFollows()
    {
        // a capture restored from its index gets its whole flow in one turn, moments after the map was
        // built from its first events, and no refresh comes after the load's own
        Session s(eventTimeConfig());
        FlowMapPanel panel(s);
        panel.show();
        const QByteArrayList lines = demoLines(10, 400, earlyIncident());
        feed(s, lines.mid(0, 1));
        panel.refresh(s.lastEventTimeUs());
        QVERIFY(panel.view()->graph().edges.empty()); // one event: no link yet
        feed(s, lines.mid(1));
        panel.refresh(s.lastEventTimeUs()); // within the second of the last build: left for when it is up
        QVERIFY(panel.view()->graph().edges.empty());
        QTRY_VERIFY_WITH_TIMEOUT(!panel.view()->graph().edges.empty(), 3000);
        QVERIFY(panel.rootBox()->count() > 0);
    }

    void theFlowMapLeadsToTheChainsThroughALink()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        feedIncident(s, w);
        w.raiseView(MainWindow::View::Flow);
        QVERIFY(dockShown(w, "flow"));
        FlowMapPanel* panel = w.flowMap();
        panel->refresh(s.lastEventTimeUs());
        panel->rebuild(); // the window's own refresh may have built it a moment ago, from part of the events
        FlowMapView* view = panel->view();
        const FlowGraph& g = view->graph();
        QVERIFY(g.nodes.size() >= 10);
        // the booking saga runs left to right: created before validated before confirmed
        const auto nodeNamed = [&](const char* label) {
            for (std::size_t i = 0; i < g.nodes.size(); ++i)
                if (g.nodes[i].label == QLatin1String(label))
                    return int(i);
            return -1;
        };
        const int created = nodeNamed("booking.created"), validated = nodeNamed("booking.validated");
        QVERIFY(created >= 0 && validated >= 0);
        QVERIFY(view->nodeRect(created).right() < view->nodeRect(validated).left());
        QVERIFY(view->nodeRect(validated).right() < view->nodeRect(nodeNamed("booking.confirmed")).left());
        // the failing notifications' box says so
        QVERIFY(view->nodeText(nodeNamed("notification.created")).contains(QLatin1String("% failed")));
        int edge = -1;
        for (std::size_t i = 0; i < g.edges.size(); ++i)
            if (g.edges[i].from == created && g.edges[i].to == validated)
                edge = int(i);
        QVERIFY(edge >= 0);
        QVERIFY(view->edgeText(edge).contains(QLatin1String("hop time p50")));
        view->grab(); // paints it
        QVERIFY(view->edgeLabelsDrawn() > 0);
        // a click on the link: the explorer lists the chains through it, slowest first
        QScrollArea* scroll = qobject_cast<QScrollArea*>(view->parentWidget()->parentWidget());
        QVERIFY(scroll);
        scroll->ensureVisible(int(view->edgeMidpoint(edge).x()), int(view->edgeMidpoint(edge).y()));
        QCOMPARE(view->edgeAt(view->edgeMidpoint(edge)), edge);
        QTest::mouseClick(view, Qt::LeftButton, {}, view->edgeMidpoint(edge).toPoint());
        QVERIFY(dockShown(w, "explorer"));
        QVERIFY(w.explorer()->throughFilter().contains(QStringLiteral("booking.created → booking.validated")));
        const QAbstractItemModel* chains = w.explorer()->chainTable()->model();
        QVERIFY(chains->rowCount() > 0);
        const quint16 createdType = quint16(s.types().find("booking.created"));
        const quint16 validatedType = quint16(s.types().find("booking.validated"));
        for (int r = 0; r < chains->rowCount(); ++r) {
            const quint32 chain = chains->index(r, 0).data(ChainListModel::ChainRole).toUInt();
            bool through = false;
            for (const quint32 e : s.chains().members(chain, s.store())) {
                const qint32 delta = s.store().parentDeltaAt(e);
                through = through
                    || (delta != 0 && s.store().typeAt(e + quint32(delta)) == createdType
                        && s.store().typeAt(e) == validatedType);
            }
            QVERIFY(through);
            if (r > 0)
                QVERIFY(chains->index(r - 1, ChainListModel::DurationColumn).data(ChainListModel::SortRole).toDouble()
                    >= chains->index(r, ChainListModel::DurationColumn).data(ChainListModel::SortRole).toDouble());
        }
        // chains that never got validated (rejected at once) are not listed
        QVERIFY(quint64(chains->rowCount()) < s.chains().createdCount());
        // the funnel beside it: the bookings' stages, a click on one lists the chains that ended there
        w.raiseView(MainWindow::View::Flow);
        StageFunnelView* funnel = panel->funnel();
        QCOMPARE(funnel->root(), int(createdType));
        QVERIFY(funnel->rows().size() >= 5);
        QCOMPARE(funnel->rows().front().type, int(createdType));
        QCOMPARE(funnel->rows().front().reachedPercent, 100.0);
        const quint16 rejectedType = quint16(s.types().find("booking.rejected"));
        int rejectedRow = -1;
        for (std::size_t r = 0; r < funnel->rows().size(); ++r)
            if (funnel->rows()[r].type == rejectedType)
                rejectedRow = int(r);
        QVERIFY(rejectedRow > 0);
        QVERIFY(funnel->rows()[std::size_t(rejectedRow)].endedHere > 0);
        QVERIFY(funnel->rowText(rejectedRow).contains(QLatin1String("ended here")));
        QTest::mouseClick(funnel, Qt::LeftButton, {}, funnel->rowRect(rejectedRow).center().toPoint());
        QVERIFY(dockShown(w, "explorer"));
        QVERIFY(w.explorer()->throughFilter().contains(QStringLiteral("Ended at booking.created → booking.rejected")));
        QCOMPARE(quint64(chains->rowCount()), quint64(funnel->rows()[std::size_t(rejectedRow)].endedHere));
        for (int r = 0; r < chains->rowCount(); ++r) {
            const quint32 chain = chains->index(r, 0).data(ChainListModel::ChainRole).toUInt();
            QCOMPARE(s.store().typeAt(s.chains().members(chain, s.store()).back()), rejectedType);
        }
        // a click on a box filters the log to its type
        w.raiseView(MainWindow::View::Flow);
        QTest::mouseClick(view, Qt::LeftButton, {}, view->nodeRect(validated).center().toPoint());
        QVERIFY(dockShown(w, "log"));
        QVERIFY(w.eventLog()->filterEdit()->text().contains(QLatin1String("booking.validated")));
    }

    void aDeadLetteredChainBesideATypicalOneAndBack()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        feedIncident(s, w);
        w.raiseView(MainWindow::View::Explorer);
        ExplorerPanel* explorer = w.explorer();
        quint32 dead = ChainTracker::None;
        for (quint32 c = 0; c < s.chains().size() && dead == ChainTracker::None; ++c)
            if (s.chains().alive(c) && s.chains().at(c).deadLetters > 0)
                dead = c;
        QVERIFY(dead != ChainTracker::None);
        explorer->showChain(dead);
        // the menu offers the typical chain; "with A" waits for a chain selected as A
        QMenu* menu = explorer->compareButton()->menu();
        Q_EMIT menu->aboutToShow();
        QVERIFY(menu->actions().at(0)->isEnabled());
        QVERIFY(!menu->actions().at(1)->isEnabled());
        ChainDiffWindow* diff = explorer->compareWithTypical();
        QVERIFY(diff);
        QVERIFY(QTest::qWaitForWindowExposed(diff));
        QAbstractItemModelTester tester(diff->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(diff->model()->diff().chainB(), dead);
        const quint32 typical = diff->model()->diff().chainA();
        QCOMPARE(s.chains().at(typical).deadLetters, quint32(0));
        QVERIFY(s.chains().at(typical).ends > 0);
        // the dead letter is B's alone: a row says so in words, coloured as worse
        const QAbstractItemModel* rows = diff->table()->model();
        int deadRow = -1;
        for (int r = 0; r < rows->rowCount() && deadRow < 0; ++r)
            if (rows->index(r, ChainDiffModel::Difference).data().toString().contains(QLatin1String("dead")))
                deadRow = r;
        QVERIFY(deadRow >= 0);
        QVERIFY(rows->index(deadRow, ChainDiffModel::Difference).data(ChainDiffModel::ProblemRole).toInt() != 0);
        QVERIFY(rows->index(deadRow, ChainDiffModel::Difference).data(Qt::BackgroundRole).isValid());
        QVERIFY(diff->summary()->text().contains(QLatin1String("only in B")));
        // only what differs: fewer rows, every one marked
        const int all = rows->rowCount();
        diff->onlyDifferences()->setChecked(true);
        QVERIFY(rows->rowCount() < all);
        for (int r = 0; r < rows->rowCount(); ++r)
            QVERIFY(rows->index(r, 0).data(ChainDiffModel::MarksRole).toInt() != 0);
        // a threshold of an hour: no hop is slower or faster
        diff->onlyDifferences()->setChecked(false);
        diff->threshold()->setValue(3600000);
        for (int r = 0; r < rows->rowCount(); ++r)
            QCOMPARE(
                rows->index(r, 0).data(ChainDiffModel::MarksRole).toInt() & (ChainDiff::Slower | ChainDiff::Faster), 0);
        // double-click a step only in B: the explorer shows it in its chain
        int onlyB = -1;
        for (int r = 0; r < rows->rowCount() && onlyB < 0; ++r)
            if (rows->index(r, 0).data(ChainDiffModel::MarksRole).toInt() == ChainDiff::OnlyB)
                onlyB = r;
        QVERIFY(onlyB >= 0);
        const quint32 event = rows->index(onlyB, 0).data(ChainDiffModel::EventBRole).toUInt();
        const QModelIndex cell = rows->index(onlyB, ChainDiffModel::AStep); // the empty side: B's step is meant
        diff->table()->scrollTo(cell);
        explorer->showChain(typical); // elsewhere, so that only the double-click can bring it there
        QSignalSpy activated(diff, &ChainDiffWindow::eventActivated);
        QTest::mouseClick(diff->table()->viewport(), Qt::LeftButton, {}, diff->table()->visualRect(cell).center());
        QTest::mouseDClick(diff->table()->viewport(), Qt::LeftButton, {}, diff->table()->visualRect(cell).center());
        QCOMPARE(activated.size(), 1);
        QCOMPARE(explorer->currentChain(), dead);
        QCOMPARE(explorer->selectedEvent(), event);
        // a chain nothing else starts like has no typical chain: said, not offered
        w.feed().ingest(decodeLines({ nativeEvent("lone-1", "audit.exported", {}, "lone-chain") }));
        w.feed().drain();
        const quint32 lone = s.chains().find(std::string_view("lone-chain"));
        QVERIFY(lone != ChainTracker::None);
        QCOMPARE(ChainDiff::typicalChain(s, lone), ChainTracker::None);
        explorer->showChain(lone);
        Q_EMIT menu->aboutToShow();
        QVERIFY(!menu->actions().at(0)->isEnabled());
        QVERIFY(menu->actions().at(0)->text().contains(QLatin1String("no other chain starts like this one")));
        QCOMPARE(explorer->compareWithTypical(), nullptr);
        // select the typical chain as A, then compare the dead-lettered one with it
        explorer->showChain(typical);
        explorer->selectForCompare();
        explorer->showChain(dead);
        Q_EMIT menu->aboutToShow();
        QVERIFY(menu->actions().at(1)->isEnabled());
        menu->actions().at(1)->trigger();
        ChainDiffWindow* second = nullptr;
        for (ChainDiffWindow* d : explorer->findChildren<ChainDiffWindow*>())
            if (d != diff)
                second = d;
        QVERIFY(second);
        QCOMPARE(second->model()->diff().chainA(), typical);
        QCOMPARE(second->model()->diff().chainB(), dead);
    }

    void aProducerThatChangesItsPayloadIsCaughtLive()
    {
        // the demo bus, live; schemas loaded while it runs (the running connection takes them up); from
        // 2 s on staff-service sends staffId as a number and renames available
        Session s;
        MainWindow w(s);
        SourceHub hub(s);
        connect(&hub, &SourceHub::batchReady, &w.feed(), &SessionFeed::ingest);
        DemoBus::Options options;
        options.generator.scenario = DemoGenerator::Scenario::SchemaChange;
        options.generator.incidentStartSeconds = 2;
        options.eventsPerSecond = 1500;
        QString error;
        QVERIFY2(hub.startDemo(options, &error), qPrintable(error));
        w.showDashboard();
        w.show();
        // before schemas: the panel says how to load them, and the board has no schema column
        w.raiseView(MainWindow::View::Schemas);
        EmptyState* empty = w.schemaPanel()->typeTable()->findChild<EmptyState*>();
        QVERIFY(empty && empty->text().contains(QLatin1String("No schemas loaded")));
        QVERIFY(empty->actionButton()->isVisible());
        QTRY_VERIFY_WITH_TIMEOUT(s.eventCount() > 0, 10000);
        w.refresh();
        QVERIFY(w.healthBoard()->table()->isColumnHidden(TypeStatsModel::SchemaPercentColumn));

        QList<SchemaProblem> problems;
        const auto registry
            = SchemaRegistry::load(QStringLiteral(EVENTSCOPE_TEST_DATA "/../../resources/schemas"), &problems);
        QVERIFY(registry && problems.isEmpty());
        hub.setSchemas(registry);
        s.setSchemaRegistry(registry);
        QTRY_VERIFY_WITH_TIMEOUT(s.schemas().violating() > 20, 15000);
        w.refresh();
        QVERIFY(!w.healthBoard()->table()->isColumnHidden(TypeStatsModel::SchemaPercentColumn));
        QVERIFY(w.schemaPanel()->statusLabel()->text().contains(QLatin1String("27 types")));

        // the worst type first; its rules below, each with the events that broke it
        const QAbstractItemModel* types = w.schemaPanel()->typeTable()->model();
        const QString worst = types->index(0, SchemaTypeModel::TypeColumn).data().toString();
        QVERIFY2(worst.startsWith(QLatin1String("staff.")), qPrintable(worst));
        QVERIFY(types->index(1, SchemaTypeModel::TypeColumn).data().toString().startsWith(QLatin1String("staff.")));
        QCOMPARE(types->index(2, SchemaTypeModel::ViolatingColumn).data().toString(), QStringLiteral("0"));
        const QAbstractItemModel* rules = w.schemaPanel()->ruleTable()->model();
        QCOMPARE(rules->rowCount(), 3);
        QStringList broken = column(rules, SchemaRuleModel::RuleColumn);
        broken.sort();
        QCOMPARE(broken,
            QStringList({ QStringLiteral("/available: required"),
                QStringLiteral("/isAvailable: additionalProperties false"), QStringLiteral("/staffId: type string") }));

        // an alert said so, and following it brings the type forward
        QTRY_VERIFY_WITH_TIMEOUT(w.alerts()->rowCount() > 0, 5000);
        int alert = -1;
        for (int r = 0; r < w.alerts()->rowCount(); ++r)
            if (w.alerts()->alert(r).kind == Alert::SchemaViolated)
                alert = r;
        QVERIFY(alert >= 0);
        QVERIFY2(w.alerts()->alert(alert).text.contains(QLatin1String("breaks its schema from staff-service: /")),
            qPrintable(w.alerts()->alert(alert).text));

        // the shape learned without any schema: the change, in words, and an alert for it
        const QAbstractItemModel* changes = w.schemaPanel()->changeTable()->model();
        QTRY_VERIFY_WITH_TIMEOUT(changes->rowCount() >= 6, 5000); // three changes each of the two staff types
        QVERIFY(column(changes, ShapeChangeModel::ChangeColumn).contains(QStringLiteral("/staffId string -> integer")));
        QVERIFY(column(changes, ShapeChangeModel::ChangeColumn).contains(QStringLiteral("/available no longer sent")));
        QVERIFY(column(changes, ShapeChangeModel::SourceColumn).contains(QStringLiteral("staff-service")));
        bool shapeAlert = false;
        for (int r = 0; r < w.alerts()->rowCount(); ++r)
            shapeAlert = shapeAlert
                || (w.alerts()->alert(r).kind == Alert::ShapeChanged
                    && w.alerts()->alert(r).text.contains(QLatin1String("changed shape: /staffId string -> integer")));
        QVERIFY(shapeAlert);

        // the changes over time: a lane for each staff type, one mark for the event that showed its three
        // changes, which says them in words; clicked, its change is picked in the list and its shape shown
        w.schemaPanel()->showChanges();
        w.refresh();
        ShapeTimeline* timeline = w.schemaPanel()->timeline();
        QCOMPARE(timeline->lanes().size(), std::size_t(2));
        QStringList lanes;
        for (const quint16 t : timeline->lanes())
            lanes << s.types().string(t);
        lanes.sort();
        QCOMPARE(
            lanes, QStringList({ QStringLiteral("staff.assigned"), QStringLiteral("staff.availability_changed") }));
        const std::vector<ShapeTimeline::Mark> marks = timeline->marks();
        QCOMPARE(marks.size(), std::size_t(2));
        const quint16 assigned = quint16(s.types().find("staff.assigned"));
        const auto mark = std::find_if(
            marks.begin(), marks.end(), [&](const ShapeTimeline::Mark& m) { return m.type == assigned; });
        QVERIFY(mark != marks.end());
        QCOMPARE(mark->changes, quint32(3));
        const QString said = timeline->markText(*mark);
        QVERIFY2(
            said.contains(QLatin1String("/staffId string -> integer")) && said.contains(QLatin1String("staff-service")),
            qPrintable(said));
        QTRY_VERIFY(timeline->isVisible() && timeline->width() > 300);
        const QPoint at = timeline->markPosition(*mark).toPoint();
        QCOMPARE(timeline->markAt(at).type, assigned);
        QTest::mouseClick(timeline, Qt::LeftButton, {}, at);
        QCOMPARE(
            w.schemaPanel()->changeTable()->currentIndex().data(ShapeChangeModel::TypeRole).toUInt(), uint(assigned));
        QCOMPARE(w.schemaPanel()->shapeTypeBox()->currentText(), QStringLiteral("staff.assigned"));

        // its learned shape: both releases' fields, with their shares and an example each
        w.schemaPanel()->showShape(assigned);
        const QAbstractItemModel* fields = w.schemaPanel()->fieldTable()->model();
        const QStringList paths = column(fields, ShapeFieldModel::FieldColumn);
        QVERIFY2(paths.contains(QStringLiteral("/isAvailable")) && paths.contains(QStringLiteral("/available")),
            qPrintable(paths.join(u' ')));
        const int staffRow = int(paths.indexOf(QStringLiteral("/staffId")));
        QCOMPARE(
            fields->index(staffRow, ShapeFieldModel::TypesColumn).data().toString(), QStringLiteral("string|integer"));
        QCOMPARE(fields->index(staffRow, ShapeFieldModel::PresentColumn).data().toString(), QStringLiteral("100.0 %"));
        QVERIFY(
            fields->index(staffRow, ShapeFieldModel::ExampleColumn).data().toString().startsWith(QLatin1String("ST-")));
        const int renamed = int(paths.indexOf(QStringLiteral("/isAvailable")));
        const double share
            = fields->index(renamed, ShapeFieldModel::PresentColumn).data(ShapeFieldModel::SortRole).toDouble();
        QVERIFY2(share > 0 && share < 1, qPrintable(QString::number(share)));

        // exported, every learned shape is a registry that loads as it is and that the events keep
        QTemporaryDir learned;
        QVERIFY(learned.isValid());
        const int written = w.schemaPanel()->exportShapes(learned.path(), &error);
        QVERIFY2(written >= 10, qPrintable(error));
        QList<SchemaProblem> learnedProblems;
        const auto fromShapes = SchemaRegistry::load(learned.path(), &learnedProblems);
        QVERIFY(fromShapes && learnedProblems.isEmpty());
        QCOMPARE(fromShapes->types().size(), written);
        QVERIFY(fromShapes->types().contains(QStringLiteral("staff.assigned")));
        QVERIFY(w.schemaPanel()->exportShape(learned.filePath(QStringLiteral("one.schema.json")), &error));
        QVERIFY(QFile::exists(learned.filePath(QStringLiteral("one.schema.json"))));

        // a rule, double-clicked: the log shows the events that broke it, and only those
        int staffId = -1;
        for (int r = 0; r < rules->rowCount(); ++r)
            if (rules->index(r, 0).data().toString() == QLatin1String("/staffId: type string"))
                staffId = r;
        QTableView* ruleTable = w.schemaPanel()->ruleTable();
        const QRect cell = ruleTable->visualRect(rules->index(staffId, 0));
        QTest::mouseClick(ruleTable->viewport(), Qt::LeftButton, {}, cell.center());
        QTest::mouseDClick(ruleTable->viewport(), Qt::LeftButton, {}, cell.center());
        QVERIFY(dockShown(w, "log"));
        QCOMPARE(w.eventLog()->filterEdit()->text(), QStringLiteral("schema == \"/staffId: type string\""));
        w.refresh();
        const QAbstractItemModel* log = w.eventLog()->table()->model();
        QTRY_VERIFY_WITH_TIMEOUT(log->rowCount() > 0, 5000);
        for (int r = 0; r < log->rowCount(); ++r)
            QVERIFY(log->index(r, EventLogModel::TypeColumn).data().toString().startsWith(QLatin1String("staff.")));
        hub.stopAll();
    }

    void whichServiceFallsBehindIsOneLook()
    {
        // a stream's consumers as a broker reports them, once a second for a minute: email falls behind
        Session s;
        MainWindow w(s);
        w.showDashboard();
        w.show();
        w.raiseView(MainWindow::View::Consumers);
        ConsumersPanel* panel = w.consumersPanel();
        QVERIFY(panel->table()->findChild<EmptyState*>()->isVisible());
        const qint64 t0 = QDateTime::currentMSecsSinceEpoch() * 1000 - 60'000'000;
        for (int second = 0; second < 60; ++second) {
            DecodedBatch b;
            for (const char* name : { "notification-sms", "notification-email", "booking-projector" }) {
                ConsumerSample c;
                c.timeUs = t0 + qint64(second) * 1000000;
                c.stream = "EVENTS";
                c.name = name;
                const bool email = std::string_view(name) == "notification-email";
                c.lagUs = email ? qint64(second) * 2000000 : 150000;
                c.pending = email ? quint64(second) * 40 : 0;
                c.ackPending = email ? 100 : 2;
                c.redelivered = email ? quint64(second) : 0;
                b.consumers.push_back(c);
            }
            w.feed().ingest(std::make_shared<DecodedBatch>(std::move(b)));
        }
        w.feed().drain();
        w.refresh();
        // the table: the one furthest behind first, with its lag in words
        const QAbstractItemModel* table = panel->table()->model();
        QCOMPARE(table->rowCount(), 3);
        QCOMPARE(
            table->index(0, ConsumerModel::ConsumerColumn).data().toString(), QStringLiteral("notification-email"));
        QCOMPARE(table->index(0, ConsumerModel::LagColumn).data().toString(), QStringLiteral("1 min 58 s"));
        QCOMPARE(table->index(0, ConsumerModel::PendingColumn).data().toString(), QStringLiteral("2,360"));
        QVERIFY(!panel->table()->findChild<EmptyState*>()->isVisible());
        // the chart: a line each, email's rising to its lag now
        QCOMPARE(panel->chart()->emptyText(), QString());
        QVERIFY(panel->chart()->pointsShown() >= 3 * 2);
        // and an alert that brings the consumer forward
        QTRY_VERIFY_WITH_TIMEOUT(w.alerts()->rowCount() > 0, 5000);
        int lagging = -1;
        for (int r = 0; r < w.alerts()->rowCount(); ++r)
            if (w.alerts()->alert(r).kind == Alert::ConsumerLagging)
                lagging = r;
        QVERIFY(lagging >= 0);
        w.raiseView(MainWindow::View::Log);
        Q_EMIT w.alertPanel()->evidenceRequested(lagging);
        QVERIFY(dockShown(w, "consumers"));
        QCOMPARE(panel->table()->currentIndex().siblingAtColumn(ConsumerModel::ConsumerColumn).data().toString(),
            QStringLiteral("notification-email"));
    }

    void theChainsABreakersTripAffected()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        feedIncident(s, w);
        const int gateway = s.breakers().find(0, "email-gateway");
        QVERIFY(gateway >= 0);
        const BlastRadius radius(s);
        const BlastRadius::Breaker* b = radius.find(std::size_t(gateway));
        QVERIFY(b && !b->periods.empty());
        QVERIFY(b->affectedChains > 0);
        // the board's button: every chain any of its trips affected, in the explorer
        w.raiseView(MainWindow::View::Breakers);
        BreakerPanel* panel = w.breakerPanel();
        panel->selectBreaker(gateway);
        QVERIFY(panel->affectedButton()->isEnabled());
        QTest::mouseClick(panel->affectedButton(), Qt::LeftButton);
        QVERIFY(dockShown(w, "explorer"));
        QVERIFY(w.explorer()->throughFilter().contains(QLatin1String("Affected by email-gateway")));
        const QAbstractItemModel* chains = w.explorer()->chainTable()->model();
        QCOMPARE(std::size_t(chains->rowCount()), b->affectedChains);
        for (int r = 0; r < chains->rowCount(); ++r) {
            const quint32 chain = chains->index(r, 0).data(ChainListModel::ChainRole).toUInt();
            const Chain& c = s.chains().at(chain);
            QVERIFY(c.failures + c.retries + c.deadLetters > 0);
        }
        // the timeline's lane, at a time inside the first trip: that trip's chains
        ChartsPanel* charts = w.charts();
        charts->refresh(s.lastEventTimeUs());
        BreakerTimelineView* timeline = charts->breakerTimeline();
        const BlastRadius::Period& first = b->periods.front();
        const qint64 middle = (first.fromUs + first.toUs) / 2;
        qint64 atUs = 0;
        QCOMPARE(timeline->breakerAt(timeline->lanePoint(gateway, middle), &atUs), gateway);
        QVERIFY(std::abs(atUs - middle) < 200000); // within a pixel or so
        Q_EMIT timeline->affectedChainsRequested(gateway, atUs);
        QVERIFY(w.explorer()->throughFilter().contains(QLatin1String("not closed ")));
        QCOMPARE(std::size_t(chains->rowCount()), first.chains.size());
    }

    void filterTheLogByAPayloadFieldAndOpenAChain()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        feedIncident(s, w);
        w.raiseView(MainWindow::View::Log);
        EventLogPanel* log = w.eventLog();
        // a bad filter says why and changes nothing
        QTest::keyClicks(log->filterEdit(), QStringLiteral("payload.bookingId =="));
        QTest::keyClick(log->filterEdit(), Qt::Key_Return);
        QLabel* error = nullptr;
        for (QLabel* l : log->findChildren<QLabel*>())
            if (l->text().startsWith(QLatin1String("Filter not applied")))
                error = l;
        QVERIFY(error && error->isVisible());
        log->filterEdit()->clear();
        QTest::keyClicks(log->filterEdit(), QStringLiteral("payload.bookingId == \"BK-10004\""));
        QTest::keyClick(log->filterEdit(), Qt::Key_Return);
        QVERIFY(!error->isVisible());
        QTRY_VERIFY(!log->model()->isFilling() && log->model()->rowCount() >= 5);
        const QAbstractItemModel* rows = log->table()->model();
        for (int r = 0; r < rows->rowCount(); ++r)
            QVERIFY(s.raw(log->model()->eventAt(r)).find("\"BK-10004\"") != std::string_view::npos);
        // pick an event: its detail shows the JSON and its clocks
        log->table()->setFocus();
        log->table()->selectRow(2);
        const quint32 event = log->model()->eventAt(2);
        QVERIFY(log->detail()->findChild<QPlainTextEdit*>()->toPlainText().contains(QLatin1String("\"BK-10004\"")));
        QVERIFY(log->detail()->clocksText().contains(QLatin1String("published")));
        // "show its chain" from the keyboard
        w.activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(&w));
        QTest::keySequence(&w, QKeySequence(QStringLiteral("Ctrl+J")));
        QVERIFY(dockShown(w, "explorer"));
        QCOMPARE(w.explorer()->currentChain(), s.store().at(event).chain);
        QCOMPARE(w.explorer()->selectedEvent(), event);
        QCOMPARE(w.explorer()->waterfall()->selectedEvent(), event);
        QVERIFY(w.explorer()->treeModel()->rowCount() > 0);
    }

    void followADeadLetterAlertToTheFailingStep()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        feedIncident(s, w);
        int row = -1;
        for (int r = 0; r < w.alerts()->rowCount(); ++r)
            if (w.alerts()->alert(r).kind == Alert::DeadLettersRising)
                row = r;
        QVERIFY(row >= 0);
        w.followAlert(row);
        QVERIFY(dockShown(w, "explorer"));
        const quint32 chain = w.explorer()->currentChain();
        QVERIFY(chain != ChainTracker::None);
        QVERIFY(s.chains().at(chain).deadLetters > 0);
        // the explorer lands on the dead letter: the failing step, drawn as such in the waterfall
        const quint32 selected = w.explorer()->selectedEvent();
        QCOMPARE(s.types().string(s.store().at(selected).type), QStringLiteral("system.event.dead_lettered"));
        QVERIFY(w.explorer()->waterfall()->isVisible());
        int dl = 0;
        for (const TimelineEntry& e : w.explorer()->treeModel()->timeline())
            dl += e.kind == TimelineEntry::DeadLetter;
        QVERIFY2(dl > 0, qPrintable(QString::number(w.explorer()->treeModel()->timeline().size())));
        w.explorer()->waterfall()->grab(); // paints it
        QVERIFY(w.explorer()->waterfall()->deadLetterMarksDrawn() > 0);
        QVERIFY(w.explorer()->waterfall()->backoffBarsDrawn() > 0);
        // and the dead letters list knows it
        QVERIFY(w.deadLetterPanel()->table()->model()->rowCount() > 0);
    }

    void aWindowThatCannotKeepUpDropsWholeBatchesAndCountsThem()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        const QByteArrayList lines = demoLines(2, 400);
        // batches arrive faster than the event loop runs: beyond MaxPendingEvents they are dropped
        quint64 offered = 0;
        int batches = 0;
        while (offered < SessionFeed::MaxPendingEvents + 3 * 800) {
            const auto batch = decodeLines(lines.mid(0, 800), TestT0 + batches);
            offered += batch->events.size();
            ++batches;
            w.feed().ingest(batch);
        }
        QVERIFY(w.feed().dropped() > 0);
        QCOMPARE(w.feed().dropped() % 800, 0ull); // whole batches
        w.feed().drain();
        QCOMPARE(s.eventCount() + w.feed().dropped(), offered);
        w.refresh();
        QVERIFY(w.counter(QStringLiteral("dropped"))->text() != QLatin1String("0 dropped"));
        QVERIFY(w.counter(QStringLiteral("evicted"))->isHidden()); // nothing was evicted
    }

    void listsThatShowOnlyPartSaySo()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.eventLog()->model()->setMaxRows(100);
        w.explorer()->chainModel()->setLimit(20);
        w.feed().ingest(decodeLines(demoLines(4, 300)));
        w.feed().drain();
        w.showDashboard();
        w.show();
        w.raiseView(MainWindow::View::Log);
        w.refresh();
        QTRY_VERIFY(!w.eventLog()->model()->isFilling());
        w.refresh();
        const QString log = w.findChild<QLabel*>(QStringLiteral("logCount"))->text();
        QCOMPARE(log, QStringLiteral("100 of %1 events shown (the newest)").arg(QLocale().toString(s.retainedCount())));
        w.raiseView(MainWindow::View::Explorer);
        w.refresh();
        QTRY_VERIFY(!w.explorer()->chainModel()->isSearching());
        QTest::qWait(1100); // the list refreshes once a second
        w.refresh();
        const QString chains = w.findChild<QLabel*>(QStringLiteral("chainCount"))->text();
        QVERIFY2(chains.startsWith(QStringLiteral("20 of ")) && chains.endsWith(QStringLiteral("refine the search")),
            qPrintable(chains));
    }

    void evictedIsCountedApartFromDropped()
    {
        // the memory cap retires events that every figure counted: "evicted", never "dropped"
        Session::Config config = eventTimeConfig();
        config.memoryCapBytes = std::size_t(16) << 20;
        Session s(config);
        MainWindow w(s);
        const QByteArrayList lines = demoLines(60, 2500);
        for (qsizetype i = 0; i < lines.size(); i += 5000) {
            w.feed().ingest(decodeLines(lines.mid(i, 5000)));
            w.feed().drain();
        }
        QVERIFY(s.evictedCount() > 0);
        QCOMPARE(s.eventCount(), quint64(lines.size())); // every event counted
        w.refresh();
        QCOMPARE(w.counter(QStringLiteral("dropped"))->text(), QStringLiteral("0 dropped"));
        QCOMPARE(w.counter(QStringLiteral("evicted"))->text(), tr("%L1 evicted").arg(s.evictedCount()));
        QVERIFY(!w.counter(QStringLiteral("evicted"))->isHidden());
    }

    void theSourcesViewShowsEachProducersTimeOnTheBus()
    {
        // live frames: each source's events published some time before they arrived
        Session s;
        MainWindow w(s);
        w.showDashboard();
        w.show();
        QAbstractItemModelTester tester(w.sourcesPanel()->model());
        QByteArrayList lines;
        for (int i = 0; i < 50; ++i) {
            const bool slow = i % 2;
            // frame n arrives at TestT0 + n ms; the slow producer published 300 ms before, the other 40 ms
            // after (its clock runs ahead)
            const qint64 arrivesMs = i + 1;
            lines << "{\"id\":\"e" + QByteArray::number(i) + "\",\"type\":\"booking.created\",\"source\":\""
                    + (slow ? "booking-service" : "clock \\\"ahead\\\"") + "\",\"timestamp\":\""
                    + isoAt(slow ? arrivesMs - 300 : arrivesMs + 40) + "\"}";
        }
        w.feed().ingest(decodeLines(lines, TestT0));
        w.feed().drain();
        w.refresh();
        w.refresh();
        w.refresh();
        w.raiseView(MainWindow::View::Sources);
        QTableView* table = w.sourcesPanel()->table();
        const QAbstractItemModel* rows = table->model();
        QCOMPARE(rows->rowCount(), 2);
        QMap<QString, int> rowOf;
        for (int r = 0; r < rows->rowCount(); ++r)
            rowOf[rows->index(r, SourceStatsModel::SourceColumn).data().toString()] = r;
        QVERIFY(rowOf.contains(QStringLiteral("booking-service")));
        const int slow = rowOf.value(QStringLiteral("booking-service"));
        const int ahead = rowOf.value(QStringLiteral("clock \"ahead\""));
        QCOMPARE(rows->index(slow, SourceStatsModel::EventsColumn).data().toInt(), 25);
        const qint64 median
            = rows->index(slow, SourceStatsModel::MedianColumn).data(SourceStatsModel::SortRole).toLongLong();
        QVERIFY2(std::abs(median - 300000) <= 300000 / 16, qPrintable(QString::number(median)));
        QVERIFY(rows->index(slow, SourceStatsModel::MedianColumn).data().toString().endsWith(QLatin1String(" ms")));
        // a clock ahead reads negative, and is marked
        QVERIFY(rows->index(ahead, SourceStatsModel::P99Column).data(SourceStatsModel::SortRole).toLongLong() < 0);
        QVERIFY(rows->index(ahead, SourceStatsModel::P99Column).data(Qt::ForegroundRole).isValid());
        // a source opens its events in the log, quotes and all
        table->setFocus();
        table->setCurrentIndex(rows->index(ahead, 0));
        QTest::keyClick(table, Qt::Key_Return);
        QCOMPARE(w.eventLog()->filterEdit()->text(), QStringLiteral("source == \"clock \\\"ahead\\\"\""));
        QTRY_VERIFY(!w.eventLog()->model()->isFilling() && w.eventLog()->model()->rowCount() == 25);
    }

    void breakersOfOneNameFromTwoOriginsCanBeMerged()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        const quint16 busA = s.addOrigin(QStringLiteral("ws://bus-a/events"));
        const quint16 busB = s.addOrigin(QStringLiteral("ws://bus-b/events"));
        const auto transition = [](const char* id, qint64 ms, const char* from, const char* to) {
            return nativeEvent(id, "system.circuit_breaker.state_changed", isoAt(ms), {}, {},
                QByteArray("{\"breaker\":\"email-gateway\",\"from\":\"") + from + "\",\"to\":\"" + to + "\"}");
        };
        w.feed().ingest(decodeLines({ transition("a1", 1000, "closed", "open") }, 0, busA));
        w.feed().ingest(decodeLines(
            { transition("b1", 1500, "closed", "open"), transition("b2", 2500, "open", "closed") }, 0, busB));
        w.feed().drain();
        for (int i = 0; i < 3; ++i)
            w.refresh();
        w.raiseView(MainWindow::View::Breakers);
        BreakerPanel* panel = w.breakerPanel();
        const QAbstractItemModel* board = panel->boardTable()->model();
        // per origin by default: two breakers, each named by its origin
        QCOMPARE(board->rowCount(), 2);
        QVERIFY(board->index(0, BreakerModel::NameColumn).data().toString().contains(QLatin1String(" @ ws://bus-")));
        QVERIFY(!panel->mergeOrigins()->isHidden());
        panel->mergeOrigins()->setChecked(true);
        QCOMPARE(board->rowCount(), 1);
        QCOMPARE(board->index(0, BreakerModel::NameColumn).data().toString(),
            QStringLiteral("email-gateway (all 2 origins)"));
        QCOMPARE(board->index(0, BreakerModel::StateColumn).data().toString(), QStringLiteral("OPEN"));
        QTRY_COMPARE(panel->historyModel()->rowCount(), 3); // every origin's transitions
        panel->mergeOrigins()->setChecked(false);
        QCOMPARE(board->rowCount(), 2);
    }

    // a NATS URL offers the stream picker, which takes over with the server typed
    void theConnectDialogOffersTheStreamPicker()
    {
        ConnectDialog dialog({});
        QPushButton* pick = nullptr;
        for (QPushButton* b : dialog.findChildren<QPushButton*>())
            if (b->text() == QLatin1String("Pick a &stream..."))
                pick = b;
        QVERIFY(pick);
        dialog.setUrl(QStringLiteral("ws://bus.example:8080/events"));
        QVERIFY(!pick->isEnabled()); // only NATS keeps streams
        dialog.setUrl(QStringLiteral("nats+ws://a:4223,b:4224"));
        QVERIFY(pick->isEnabled());
        QSignalSpy asked(&dialog, &ConnectDialog::streamPickRequested);
        pick->click();
        QCOMPARE(asked.size(), 1);
        QCOMPARE(asked[0][0].toString(), QStringLiteral("nats+ws://a:4223,b:4224"));
    }

    void theConnectDialogDecodesAsChosen()
    {
        ConnectDialog dialog({});
        dialog.setUrl(QStringLiteral("ws://bus.example:8080/events"));
        QPushButton* connect = nullptr;
        for (QPushButton* b : dialog.findChildren<QPushButton*>())
            if (b->text() == QLatin1String("Connect"))
                connect = b;
        QVERIFY(connect && connect->isEnabled());
        QVERIFY(dialog.request().decodeAs.isAutomatic());
        QComboBox* as = dialog.decodeAs()->profileBox();
        as->setCurrentIndex(as->findText(QStringLiteral("MassTransit")));
        QCOMPARE(dialog.request().decodeAs.profile, std::optional<EventProfile>(EventProfile::MassTransit));
        // fields by hand: none named yet, or a path that cannot be one, and Connect waits
        as->setCurrentIndex(as->count() - 1);
        QVERIFY(!connect->isEnabled());
        dialog.decodeAs()->fieldEdit(QStringLiteral("correlation"))->setText(QStringLiteral("meta;corr"));
        QVERIFY(!connect->isEnabled());
        dialog.decodeAs()->fieldEdit(QStringLiteral("correlation"))->setText(QStringLiteral("meta.corr"));
        QVERIFY(connect->isEnabled());
        QCOMPARE(dialog.request().decodeAs.toText(), QStringLiteral("correlation=meta.corr"));
        // a URL chosen before comes with the choices made for it then: decoding, headers, types
        dialog.setRememberedChoices([](const QString& url) {
            ConnectDialog::Remembered r;
            if (url.contains(QLatin1String("esdb"))) {
                r.decodeAs.profile = EventProfile::EventStoreDb;
                r.connection.headers = { { QStringLiteral("X-Tenant"), QStringLiteral("acme") } };
                r.connection.types = { QStringLiteral("booking.*"), QStringLiteral("user.*") };
            }
            return r;
        });
        dialog.setUrl(QStringLiteral("ws://esdb.example/events"));
        ConnectionRequest r = dialog.request();
        QCOMPARE(r.decodeAs.profile, std::optional<EventProfile>(EventProfile::EventStoreDb));
        QCOMPARE(
            r.headers, (QList<QPair<QString, QString>> { { QStringLiteral("X-Tenant"), QStringLiteral("acme") } }));
        QCOMPARE(r.types, (QStringList { QStringLiteral("booking.*"), QStringLiteral("user.*") }));
        // a header line that is not "Name: value" says which line, and Connect waits
        QPlainTextEdit* headers = dialog.findChild<QPlainTextEdit*>();
        headers->setPlainText(QStringLiteral("X-Tenant: acme\nnot a header"));
        QVERIFY(!connect->isEnabled());
        headers->setPlainText(QStringLiteral("X-Tenant: acme\nAuthorization: Bearer s3cr3t"));
        QVERIFY(connect->isEnabled());
        QCOMPARE(dialog.request().headers.size(), 2);
    }

    void secretHeadersAreNeverRememberedInSettings()
    {
        QTemporaryDir dir;
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
        QSettings settings;
        const QString key = QStringLiteral("ws://bus.example/events?types=booking.*");
        RememberedConnection::save(settings, key,
            { { { QStringLiteral("X-Tenant"), QStringLiteral("acme") },
                  { QStringLiteral("Authorization"), QStringLiteral("Bearer s3cr3t-1") },
                  { QStringLiteral("X-Api-Key"), QStringLiteral("s3cr3t-2") },
                  { QStringLiteral("Cookie"), QStringLiteral("sid=s3cr3t-3") } },
                { QStringLiteral("booking.*") } });
        settings.sync();
        const RememberedConnection back = RememberedConnection::load(settings, key);
        QCOMPARE(
            back.headers, (QList<QPair<QString, QString>> { { QStringLiteral("X-Tenant"), QStringLiteral("acme") } }));
        QCOMPARE(back.types, QStringList { QStringLiteral("booking.*") });
        QFile file(settings.fileName());
        QVERIFY(file.open(QIODevice::ReadOnly));
        QVERIFY(!file.readAll().contains("s3cr3t"));
    }

    void aDeepChainOpensInTheExplorer()
    {
        // 50,000 events, each caused by the one before: the explorer shows the first 5,000 as a tree
        // 5,000 deep (built and expanded without recursion) and says how many it leaves out
        constexpr int Depth = 50000;
        QByteArrayList lines;
        for (int i = 0; i < Depth; ++i)
            lines << nativeEvent("d" + QByteArray::number(i), "step", isoAt(i), "deep",
                i > 0 ? "d" + QByteArray::number(i - 1) : QByteArray());
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        for (int i = 0; i < Depth; i += 5000)
            w.feed().ingest(decodeLines(lines.mid(i, 5000)));
        w.feed().drain();
        QCOMPARE(s.eventCount(), quint64(Depth));
        w.raiseView(MainWindow::View::Explorer);
        ExplorerPanel* explorer = w.explorer();
        const quint32 deepest = ChainTreeModel::MaxEvents - 1; // stored in the order they came
        explorer->showChain(s.store().at(0).chain, deepest);
        w.refresh();
        QCoreApplication::processEvents();
        QCOMPARE(explorer->treeModel()->timeline().size(), std::size_t(ChainTreeModel::MaxEvents));
        QCOMPARE(explorer->treeModel()->hidden(), quint32(Depth - ChainTreeModel::MaxEvents));
        QCOMPARE(explorer->waterfall()->rowOfEvent(deepest), ChainTreeModel::MaxEvents - 1);
        QModelIndex index = explorer->treeModel()->index(0, 0);
        int depth = 1;
        while (explorer->treeModel()->rowCount(index) == 1) {
            index = explorer->treeModel()->index(0, 0, index);
            ++depth;
        }
        QCOMPARE(depth, ChainTreeModel::MaxEvents);
        QVERIFY(explorer->treeView()->isExpanded(index.parent()));
        QCOMPARE(explorer->selectedEvent(), deepest);
    }

    void aMegabyteNameCostsTheWindowWhatAShortOneDoes()
    {
        // one event whose type is nearly the whole 1 MiB event limit, with control characters and a bidi
        // override in it; a breaker and a dead letter with long names and reasons
        const auto rss = [] {
            QFile statm(QStringLiteral("/proc/self/statm"));
            statm.open(QIODevice::ReadOnly);
            return statm.readAll().split(' ').value(1).toLongLong() * 4096;
        };
        QByteArray type = "huge.";
        type += QByteArray(1000000, 'x');
        type += "\\u001b[2J\\u202eend";
        const QByteArray name(400000, 'b'), reason(400000, 'r');
        QByteArrayList lines;
        for (int i = 0; i < 50; ++i)
            lines << nativeEvent("n" + QByteArray::number(i), "notification.created", isoAt(i * 10), "k");
        lines << nativeEvent("big", type, isoAt(600), "k", "n1");
        lines << nativeEvent("t1", "system.circuit_breaker.state_changed", isoAt(700), {}, {},
            "{\"breaker\":\"" + name + "\",\"from\":\"closed\",\"to\":\"open\",\"reason\":\"" + reason + "\"}");
        lines << nativeEvent("d1", "system.event.dead_lettered", isoAt(800), "k", {},
            "{\"eventId\":\"big\",\"attempts\":5,\"reason\":\"" + reason + "\"}");

        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const int minimumWidth = w.minimumSizeHint().width();
        const qint64 before = rss();
        QElapsedTimer clock;
        clock.start();
        w.feed().ingest(decodeLines(lines));
        w.feed().drain();
        for (MainWindow::View v :
            { MainWindow::View::Board, MainWindow::View::Log, MainWindow::View::Explorer, MainWindow::View::Breakers,
                MainWindow::View::DeadLetters, MainWindow::View::Alerts, MainWindow::View::Sources }) {
            w.raiseView(v);
            for (int i = 0; i < 3; ++i)
                w.refresh();
            QCoreApplication::processEvents(); // painted, tooltips and legends laid out
        }
        // and the event itself in the log: its detail has the whole JSON
        w.raiseView(MainWindow::View::Log);
        EventLogPanel* log = w.eventLog();
        log->setFilterText(QStringLiteral("id == \"big\""));
        QTRY_VERIFY(!log->model()->isFilling() && log->model()->rowCount() == 1);
        log->table()->selectRow(0);
        QCoreApplication::processEvents();
        const qint64 ms = clock.elapsed();
        const qint64 grew = rss() - before;
#if defined(__SANITIZE_ADDRESS__)
        // every memory access checked: the same work takes two to four times as long
        QVERIFY2(ms < 15000, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        Q_UNUSED(grew); // AddressSanitizer keeps freed memory in quarantine: the growth says nothing there
#else
        QVERIFY2(ms < 5000, qPrintable(QStringLiteral("%1 ms").arg(ms)));
        // the event's own bytes (3 MB, kept by the session) and what the views need for short names;
        // laying out the long ones whole took 47 MiB more
        QVERIFY2(grew < (qint64(32) << 20), qPrintable(QStringLiteral("%1 MiB").arg(grew >> 20)));
#endif
        // no label asks for the room of the whole name: the window is not pushed wider than the screen
        QVERIFY2(w.minimumSizeHint().width() <= minimumWidth + 10,
            qPrintable(QStringLiteral("%1 -> %2").arg(minimumWidth).arg(w.minimumSizeHint().width())));
        // the detail pane shortens the long strings it lays out, and gives the whole on request
        EventDetail* detail = log->detail();
        QVERIFY(detail->isShortened());
        QVERIFY2(detail->shownJson().size() < 16 * 1024, qPrintable(QString::number(detail->shownJson().size())));
        QVERIFY(detail->rawJson().size() > 1000000);
        detail->showInFull();
        QVERIFY(!detail->isShortened());
        QVERIFY(detail->shownJson().size() > 1000000);

        // every view shows a bounded form on one line; the whole text is kept
        const QAbstractItemModel* board = w.healthBoard()->table()->model();
        bool found = false;
        for (int r = 0; r < board->rowCount(); ++r) {
            const QString shown = board->index(r, TypeStatsModel::TypeColumn).data().toString();
            if (!shown.startsWith(QLatin1String("huge.")))
                continue;
            found = true;
            QVERIFY(shown.size() <= Printable::DisplayChars);
            QVERIFY(shown.endsWith(QStringLiteral("\\u001b[2J\\u202eend")));
            QVERIFY(board->index(r, TypeStatsModel::TypeColumn).data(Qt::ToolTipRole).toString().size()
                <= Printable::TooltipChars);
            QCOMPARE(board->index(r, TypeStatsModel::TypeColumn).data(TypeStatsModel::SortRole).toString().size(),
                type.size() - 10); // the JSON escapes read as one character each
        }
        QVERIFY(found);
        for (const QAbstractSeries* series : w.charts()->rateChart()->chart()->series())
            QVERIFY(series->name().size() <= 60);
        const QAbstractItemModel* breakers = w.breakerPanel()->boardTable()->model();
        QCOMPARE(breakers->rowCount(), 1);
        QVERIFY(breakers->index(0, BreakerModel::NameColumn).data().toString().size() <= Printable::DisplayChars);
        QVERIFY(breakers->index(0, BreakerModel::ReasonColumn).data().toString().size() <= Printable::DisplayChars);
        QVERIFY(detail->shownJson().contains(QLatin1String("huge.xxxx")));
    }

    void layoutAndChoicesPersist()
    {
        QTemporaryDir dir;
        QSettings::setDefaultFormat(QSettings::IniFormat);
        QSettings::setPath(QSettings::IniFormat, QSettings::UserScope, dir.path());
        {
            Session s(eventTimeConfig());
            MainWindow w(s);
            w.setPersistent(true);
            w.show();
            QVERIFY(w.eventLog()->setFilterText(QStringLiteral("booking.*")));
            w.charts()->setWindowSeconds(900);
            w.addRecentConnection(QStringLiteral("ws://bus.example.com/events"));
            // a column the user made narrower than its typical width stays so
            w.eventLog()->table()->horizontalHeader()->resizeSection(EventLogModel::CorrelationColumn, 60);
            w.close();
        }
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.setPersistent(true);
        QCOMPARE(w.eventLog()->filterEdit()->text(), QStringLiteral("booking.*"));
        QCOMPARE(w.charts()->windowSeconds(), 900);
        QCOMPARE(w.eventLog()->table()->horizontalHeader()->sectionSize(EventLogModel::CorrelationColumn), 60);
        // URLs are kept, credentials never are
        QSettings settings;
        const QString all = QString::fromUtf8([&] {
            QFile f(settings.fileName());
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }());
        QVERIFY(all.contains(QLatin1String("bus.example.com")));
    }

    void columnsHoldWhatTheyUsuallyShow_data()
    {
        QTest::addColumn<int>("pointSize");
        QTest::addRow("default font") << 0;
        QTest::addRow("a font twice as large") << 2 * QApplication::font().pointSize();
    }
    void columnsHoldWhatTheyUsuallyShow()
    {
        // every table's columns, in the default layout, fit a typical value and their title whole
        QFETCH(int, pointSize);
        const QFont original = QApplication::font();
        if (pointSize > 0) {
            QFont large = original;
            large.setPointSize(pointSize);
            QApplication::setFont(large);
        }
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        const QList<QTableView*> tables { w.healthBoard()->table(), w.eventLog()->table(), w.explorer()->chainTable(),
            w.deadLetterPanel()->table(), w.sourcesPanel()->table(), w.breakerPanel()->boardTable(),
            w.breakerPanel()->historyTable(), w.alertPanel()->table() };
        int checked = 0;
        for (QTableView* table : tables) {
            const QAbstractItemModel* m = table->model();
            for (int c = 0; c < m->columnCount(); ++c) {
                const QString typical = m->headerData(c, Qt::Horizontal, SessionTableModel::TypicalTextRole).toString();
                if (typical.isEmpty() || table->isColumnHidden(c))
                    continue;
                const QString title = m->headerData(c, Qt::Horizontal).toString();
                const int width = table->horizontalHeader()->sectionSize(c);
                // the title with the sort arrow beside it (not "Started (UTC"), the value with a margin
                QHeaderView* header = table->horizontalHeader();
                const int arrow = header->style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, header)
                    + 2 * header->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header);
                QVERIFY2(width >= table->fontMetrics().horizontalAdvance(typical) + 6
                        && width >= header->fontMetrics().horizontalAdvance(title) + arrow,
                    qPrintable(QStringLiteral("%1: %2 px for '%3' / '%4'")
                                   .arg(table->objectName())
                                   .arg(width)
                                   .arg(typical, title)));
                ++checked;
            }
        }
        QVERIFY(checked > 40);
        // the board's type names that are longer than usual keep both ends
        QCOMPARE(w.healthBoard()->table()->textElideMode(), Qt::ElideMiddle);
        QApplication::setFont(original);
    }

    void urlsReadAsTheyWereMeant()
    {
        // a NATS wildcard and an MQTT topic read as typed; the exact text stays for tooltips and reconnecting
        Session s(eventTimeConfig());
        const QString nats = QStringLiteral("nats+ws://bus:4223/?subject=orders.%3E");
        const quint16 origin = s.addOrigin(nats);
        MainWindow w(s);
        w.showDashboard();
        w.feed().ingest(
            decodeLines({ nativeEvent("a0000000-0000-4000-8000-000000000001", "order.placed", isoAt(0)) }, 0, origin));
        w.feed().drain();
        w.refresh();
        const QAbstractItemModel* log = w.eventLog()->table()->model();
        QCOMPARE(log->rowCount(), 1);
        QCOMPARE(log->index(0, EventLogModel::OriginColumn).data().toString(),
            QStringLiteral("nats+ws://bus:4223/?subject=orders.>"));
        QVERIFY(log->index(0, EventLogModel::OriginColumn).data(Qt::ToolTipRole).toString().startsWith(nats));
        const QString mqtt = QStringLiteral("mqtt+ws://bus/mqtt?topic=bookings/%23");
        w.addRecentConnection(mqtt);
        w.showStartPage();
        QListWidget* recent = nullptr;
        for (QListWidget* l : w.findChildren<QListWidget*>())
            if (l->accessibleName() == QLatin1String("Recent connections"))
                recent = l;
        QVERIFY(recent);
        QCOMPARE(recent->item(0)->text(), QStringLiteral("mqtt+ws://bus/mqtt?topic=bookings/#"));
        QCOMPARE(recent->item(0)->data(Qt::UserRole).toString(), mqtt);
        QCOMPARE(recent->item(0)->toolTip(), mqtt);
    }

    void disconnectKeepsTheEventsAndRetryDoesNotWait()
    {
        Session s;
        MainWindow w(s);
        SourceHub hub(s);
        // wired as the application wires them
        connect(&hub, &SourceHub::batchReady, &w.feed(), &SessionFeed::ingest);
        QString status;
        connect(&hub, &SourceHub::statusTextChanged, &w, [&](const QString& text) {
            status = text;
            w.setConnectionText(text);
            QList<MainWindow::Connection> list;
            for (const SourceHub::Connection& c : hub.connections())
                list.push_back({ c.origin, c.name, c.demo, c.active, c.waiting });
            w.setConnections(list);
        });
        connect(&w, &MainWindow::disconnectRequested, &hub, &SourceHub::disconnectOrigin);
        connect(&w, &MainWindow::retryRequested, &hub, &SourceHub::retryNow);
        w.showDashboard();
        w.show();
        // a bus that refuses, waiting 3 s or more between attempts: Retry now tries at once
        ConnectionSettings refused;
        refused.url = QUrl(QStringLiteral("ws://127.0.0.1:9/events"));
        refused.initialBackoffMs = 6000;
        hub.connectTo(refused);
        EmptyState* board = w.healthBoard()->table()->viewport()->findChild<EmptyState*>();
        QTRY_VERIFY_WITH_TIMEOUT(board->actionButton()->isVisible(), 5000);
        QCOMPARE(board->actionButton()->text(), QStringLiteral("Retry now"));
        // (offered while connecting too; the first refusal leads to attempt 1's wait)
        QTRY_VERIFY2_WITH_TIMEOUT(board->text().contains(QLatin1String("reconnecting in"))
                && board->text().contains(QLatin1String("attempt 1")),
            qPrintable(board->text()), 5000);
        QTest::mouseClick(board->actionButton(), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(board->text().contains(QLatin1String("attempt 2")), 2000);

        // the demo bus, then File > Disconnect: its events stay, no more come, the status says when
        DemoBus::Options options;
        options.eventsPerSecond = 1000;
        QString error;
        QVERIFY2(hub.startDemo(options, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(s.eventCount() > 200, 10000);
        QMenu* disconnectMenu = nullptr;
        for (QMenu* m : w.fileMenu()->findChildren<QMenu*>())
            if (m->title() == QLatin1String("Dis&connect"))
                disconnectMenu = m;
        QVERIFY(disconnectMenu);
        // the origin list offers the same
        QMenu* originMenu = nullptr;
        for (QMenu* m : w.menuBar()->findChildren<QMenu*>())
            if (m->title() == QLatin1String("&One origin in its own window"))
                originMenu = m;
        QVERIFY(originMenu);
        Q_EMIT originMenu->aboutToShow();
        const QList<QAction*> offered = originMenu->actions();
        QVERIFY(std::any_of(offered.begin(), offered.end(),
            [](QAction* a) { return a->text().startsWith(QLatin1String("Disconnect the demo bus")); }));
        Q_EMIT disconnectMenu->aboutToShow();
        QAction* demo = nullptr;
        for (QAction* a : disconnectMenu->actions())
            if (a->text().startsWith(QLatin1String("Disconnect the demo bus")))
                demo = a;
        QVERIFY(demo);
        demo->trigger();
        w.feed().drain();
        const quint64 kept = s.eventCount();
        QVERIFY(kept > 200);
        QTest::qWait(600);
        w.feed().drain();
        QCOMPARE(s.eventCount(), kept);
        QTRY_VERIFY2(
            status.contains(QLatin1String("Demo bus at ")) && status.contains(QLatin1String(": disconnected at ")),
            qPrintable(status));
        // and the demo can be started again, its events joining the same origin
        QVERIFY2(hub.startDemo(options, &error), qPrintable(error));
        QTRY_VERIFY_WITH_TIMEOUT(s.eventCount() > kept + 100, 10000);
        hub.stopAll();
    }

    void startingTheDemoBesideABusAsksFirst()
    {
        Session s;
        MainWindow w(s);
        QSignalSpy demo(&w, &MainWindow::demoRequested);
        // nothing watched, or only the demo: no question
        w.askToStartDemo();
        QCOMPARE(demo.size(), 1);
        // a real bus watched: asked, and No starts nothing; Yes starts it
        w.setConnections({ { 1, QStringLiteral("ws://bus/events"), false, true, false } });
        for (const auto answer : { QMessageBox::No, QMessageBox::Yes }) {
            bool asked = false;
            QTimer::singleShot(0, &w, [&] {
                auto* box = qobject_cast<QMessageBox*>(QApplication::activeModalWidget());
                QVERIFY(box);
                asked = box->text().contains(QLatin1String("watching a bus"));
                box->button(answer)->click();
            });
            w.askToStartDemo();
            QVERIFY(asked);
        }
        QCOMPARE(demo.size(), 2);
        // a bus the user disconnected is not watched any more
        w.setConnections({ { 1, QStringLiteral("ws://bus/events"), false, false, false } });
        w.askToStartDemo();
        QCOMPARE(demo.size(), 3);
    }

    void emptyViewsSayWhatTheyWaitFor()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        const QString why = QStringLiteral(
            "ws://127.0.0.1:9/events: reconnecting in 2.5 s (attempt 4, last error: Connection refused)");
        w.setConnectionText(why);
        w.refresh();
        const auto stateOf = [](QAbstractItemView* view) { return view->viewport()->findChild<EmptyState*>(); };
        for (QTableView* view : { w.healthBoard()->table(), w.eventLog()->table(), w.explorer()->chainTable(),
                 w.sourcesPanel()->table() }) {
            EmptyState* state = stateOf(view);
            QVERIFY(state);
            QVERIFY(state->isShown());
            QVERIFY2(state->text().contains(why), qPrintable(state->text()));
        }
        // good news is said as such, without a reason
        QCOMPARE(stateOf(w.deadLetterPanel()->table())->text(), QStringLiteral("No dead letters"));
        QVERIFY(w.charts()->rateChart()->emptyText().contains(why));
        QVERIFY(w.charts()->problemChart()->emptyText().contains(why));
        // events: every view shows them, and the charts their axes
        feedIncident(s, w);
        QVERIFY(!stateOf(w.healthBoard()->table())->isShown());
        QVERIFY(!stateOf(w.eventLog()->table())->isShown());
        QCOMPARE(w.charts()->rateChart()->emptyText(), QString());
        // a filter that matches nothing says so, not that the bus is silent
        QVERIFY(w.eventLog()->setFilterText(QStringLiteral("type == \"no.such.type\"")));
        w.refresh();
        QTRY_VERIFY(stateOf(w.eventLog()->table())->isShown());
        QCOMPARE(stateOf(w.eventLog()->table())->text(), QStringLiteral("No event matches the filter"));
    }

    void followsADarkPalette()
    {
        const QPalette original = QApplication::palette();
        QPalette dark;
        dark.setColor(QPalette::Window, QColor(0x20, 0x20, 0x20));
        dark.setColor(QPalette::Base, QColor(0x18, 0x18, 0x18));
        dark.setColor(QPalette::WindowText, Qt::white);
        dark.setColor(QPalette::Text, Qt::white);
        QApplication::setPalette(dark);
        {
            Session s(eventTimeConfig());
            MainWindow w(s);
            QCOMPARE(w.charts()->rateChart()->chart()->theme(), QChart::ChartThemeDark);
            QCOMPARE(w.charts()->breakerTimeline()->chart()->theme(), QChart::ChartThemeDark);
        }
        QApplication::setPalette(original);
        Session s(eventTimeConfig());
        MainWindow w(s);
        QCOMPARE(w.charts()->rateChart()->chart()->theme(), QChart::ChartThemeLight);
    }

    void chartsGetDecimatedSeries()
    {
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        feedIncident(s, w);
        w.charts()->setWindowSeconds(3600);
        w.refresh();
        SeriesChartView* rates = w.charts()->rateChart();
        QVERIFY(rates->pointsShown() > 0);
        // at most two points per pixel of plot width, per series
        const int pixels = int(rates->chart()->plotArea().width());
        QVERIFY2(rates->pointsShown() <= 6 * 2 * qsizetype(pixels), qPrintable(QString::number(rates->pointsShown())));
        QVERIFY(w.charts()->problemChart()->pointsShown() > 0);
        QVERIFY(w.charts()->breakerTimeline()->transitionsShown() >= 3);
        // the hour's axis reaches back before the session; the lines begin at its first second, since a
        // zero before it would say the bus was idle while nobody watched it
        const double firstMs = double(s.rates().all().firstSecond()) * 1000.0;
        QVERIFY(rates->timeAt(int(rates->chart()->plotArea().left()) + 2) < qint64(firstMs) - 600000);
        QCOMPARE(rates->firstPointMs(), firstMs);
        QCOMPARE(w.charts()->problemChart()->firstPointMs(), firstMs);
    }

    void theChartsTopNIsTheBusiestInTheWindowNotInTheSession()
    {
        // eight types busy for minutes and calm now; a failure type busy only now: it is on the chart
        Session s(eventTimeConfig());
        MainWindow w(s);
        w.showDashboard();
        w.show();
        QByteArrayList lines;
        int n = 0;
        for (int ms = 0; ms < 260000; ms += 200) {
            const bool calm = ms >= 200000;
            for (int t = 0; t < 8; ++t)
                if (!calm || ms % 1000 == 0)
                    lines << nativeEvent(
                        "e" + QByteArray::number(n++), "booking.step" + QByteArray::number(t), isoAt(ms));
            if (calm && ms % 400 == 0)
                lines << nativeEvent("e" + QByteArray::number(n++), "payment.failed", isoAt(ms));
        }
        w.feed().ingest(decodeLines(lines));
        w.feed().drain();
        w.charts()->setWindowSeconds(60);
        for (int i = 0; i < 3; ++i)
            w.refresh();
        QStringList shown;
        for (const QAbstractSeries* series : w.charts()->rateChart()->chart()->series())
            shown << series->name();
        QCOMPARE(shown.size(), 6);
        QVERIFY2(shown.contains(QStringLiteral("payment.failed")), qPrintable(shown.join(u',')));
        QCOMPARE(s.rates().type(quint16(s.types().find("payment.failed")))->total(), quint64(150));
    }

    void liveChartsBeginAtTheFirstWholeSecond()
    {
        // watching began 0.7 s before the second ended: that second holds 300 events where the next
        // ones hold 1,000, and drawn it would read as a dip in the bus's traffic
        Session s; // live: receive time
        ChartsPanel charts(s);
        charts.setWindowSeconds(60);
        charts.show();
        QByteArrayList lines;
        for (int i = 0; i < 3300; ++i)
            lines << nativeEvent("e" + QByteArray::number(i), "booking.created");
        s.ingest(*decodeLines(lines, TestT0 + 700'000 - 1000)); // the n-th at +n ms
        const qint64 firstSecond = (TestT0 + 700'000) / 1'000'000;
        QCOMPARE(s.rates().all().firstSecond(), firstSecond);
        charts.refresh(TestT0 + 5'000'000);
        QCOMPARE(charts.rateChart()->firstPointMs(), double(firstSecond + 1) * 1000.0);
        QCOMPARE(charts.problemChart()->firstPointMs(), double(firstSecond + 1) * 1000.0);
    }

    void demoScreenshotIsPopulated()
    {
        QTemporaryDir dir;
        const QString png = dir.filePath(QStringLiteral("demo.png"));
        QProcess p;
        p.start(QStringLiteral(EVENTSCOPE_GUI),
            { QStringLiteral("--demo"), QStringLiteral("--screenshot"), png, QStringLiteral("--after"),
                QStringLiteral("10") }); // seconds of live data: the charts draw only what was watched
        // (6 s left under 100 chart pixels once in an ASan build on a loaded machine: its start-up eats into them)
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QImage image(png);
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1280 && image.height() >= 800);
        // a populated window has many distinct colours (text, rows, chart lines), not a blank one
        QSet<QRgb> colours;
        for (int y = 0; y < image.height(); y += 5)
            for (int x = 0; x < image.width(); x += 5)
                colours.insert(image.pixel(x, y));
        QVERIFY2(colours.size() > 40, qPrintable(QString::number(colours.size())));
        // the chart area (the right-hand dock) holds the series' colours, not only greys
        int coloured = 0;
        for (int y = 60; y < image.height() / 2; y += 2)
            for (int x = image.width() * 2 / 3; x < image.width(); x += 2) {
                const QColor c(image.pixel(x, y));
                coloured += c.saturation() > 120 && c.value() > 80;
            }
        qInfo("chart pixels in colour: %d", coloured);
        QVERIFY2(coloured > 100, qPrintable(QString::number(coloured)));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_mainwindow.moc"
