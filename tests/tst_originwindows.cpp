// SPDX-License-Identifier: MIT
// Several buses in one session, and every view for one of them: the real windows, fed by real buses.
#include "busserver.h"
#include "decodedbatch.h"
#include "eventdecoder.h"
#include "healthboard.h"
#include "livetestutil.h"
#include "mainwindow.h"
#include "originwindows.h"
#include "session.h"
#include "sessionfeed.h"
#include "sourcehub.h"
#include "typestatsmodel.h"

#include <QMenu>
#include <QMenuBar>
#include <QSet>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>

namespace {
QByteArray busEvent(int n, const QByteArray& type)
{
    return R"({"id":"e)" + type + QByteArray::number(n) + R"(","type":")" + type + R"(","seq":)" + QByteArray::number(n)
        + '}';
}

/// The event types a window's health board lists, with their counts.
QMap<QString, qulonglong> boardOf(MainWindow& w)
{
    w.feed().drain();
    w.refresh();
    QMap<QString, qulonglong> out;
    const QAbstractItemModel* m = w.healthBoard()->table()->model();
    for (int row = 0; row < m->rowCount(); ++row)
        out[m->index(row, TypeStatsModel::TypeColumn).data().toString()]
            = m->index(row, TypeStatsModel::CountColumn).data(TypeStatsModel::SortRole).toULongLong();
    return out;
}

QAction* originAction(MainWindow& w, const QString& origin)
{
    for (QMenu* menu : w.menuBar()->findChildren<QMenu*>()) {
        if (!menu->title().contains(QLatin1String("One origin")))
            continue;
        Q_EMIT menu->aboutToShow();
        // each origin says how its events were decoded
        for (QAction* a : menu->actions())
            if (a->text() == origin + QStringLiteral(" (decoded as EventScope native)"))
                return a;
    }
    return nullptr;
}
} // namespace

class TestOriginWindows : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void oneOriginOfTwoBusesInItsOwnWindow()
    {
        BusServer bookings({}), staff({});
        QVERIFY(bookings.listen());
        QVERIFY(staff.listen());
        Session all;
        MainWindow window(all);
        window.setPersistent(false);
        SourceHub hub(all);
        OriginWindows origins(all);
        QObject::connect(&hub, &SourceHub::batchReady, &window.feed(), &SessionFeed::ingest);
        QObject::connect(&hub, &SourceHub::batchReady, &origins, &OriginWindows::route);
        QObject::connect(&window, &MainWindow::originWindowRequested, &origins, &OriginWindows::open);
        QObject::connect(&hub, &SourceHub::statusTextChanged, &window, &MainWindow::setConnectionText);
        QSignalSpy subscribedA(&bookings, &BusServer::clientSubscribed),
            subscribedB(&staff, &BusServer::clientSubscribed);
        hub.connectTo(fastSettings(bookings.url()));
        hub.connectTo(fastSettings(staff.url()));
        window.showDashboard();
        QTRY_COMPARE(subscribedA.count(), 1);
        QTRY_COMPARE(subscribedB.count(), 1);
        for (int i = 1; i <= 300; ++i)
            bookings.publish(busEvent(i, "booking.created"), "booking.created");
        for (int i = 1; i <= 200; ++i)
            staff.publish(busEvent(i, "staff.assigned"), "staff.assigned");
        QTRY_COMPARE((window.feed().drain(), all.eventCount()), quint64(500));

        // the main window shows both buses
        QCOMPARE(boardOf(window),
            (QMap<QString, qulonglong> {
                { QStringLiteral("booking.created"), 300 }, { QStringLiteral("staff.assigned"), 200 } }));

        // View > One origin > the staff bus: a window with that bus alone, from what is already there
        const QString staffName = staff.url().toString();
        QAction* action = originAction(window, staffName);
        QVERIFY2(action, qPrintable(staffName));
        action->trigger();
        const int found = all.origins().find(staffName.toStdString());
        QVERIFY(found >= 0);
        const quint16 staffOrigin = quint16(found);
        MainWindow* only = origins.window(staffOrigin);
        QVERIFY(only);
        QVERIFY(only->isVisible());
        QVERIFY(only->windowTitle().contains(staffName));
        QCOMPARE(boardOf(*only), (QMap<QString, qulonglong> { { QStringLiteral("staff.assigned"), 200 } }));

        // then it follows that bus live, and only that bus
        for (int i = 301; i <= 350; ++i)
            bookings.publish(busEvent(i, "booking.created"), "booking.created");
        for (int i = 201; i <= 220; ++i)
            staff.publish(busEvent(i, "staff.assigned"), "staff.assigned");
        QTRY_COMPARE((window.feed().drain(), all.eventCount()), quint64(570));
        QTRY_COMPARE((only->feed().drain(), origins.session(staffOrigin)->eventCount()), quint64(220));
        QCOMPARE(boardOf(*only), (QMap<QString, qulonglong> { { QStringLiteral("staff.assigned"), 220 } }));
        QCOMPARE(origins.session(staffOrigin)->gaps().gaps(staffOrigin), quint64(0));
        QCOMPARE(boardOf(window).value(QStringLiteral("booking.created")), qulonglong(350));

        // asking again raises the same window
        action = originAction(window, staffName);
        action->trigger();
        QCOMPARE(origins.window(staffOrigin), only);

        // closing it frees it, session and all; the main window goes on
        only->close();
        QTRY_VERIFY(!origins.window(staffOrigin));
        QVERIFY(!origins.session(staffOrigin));
        staff.publish(busEvent(221, "staff.assigned"), "staff.assigned");
        QTRY_COMPARE((window.feed().drain(), all.eventCount()), quint64(571));
        hub.stopAll();
    }

    // a correlation id that came in a broker header is in the record, not in the raw bytes: kept
    void backfillKeepsWhatCameBesideTheBody()
    {
        Session all;
        all.addOrigin(QStringLiteral("ws://a"));
        const quint16 broker = all.addOrigin(QStringLiteral("nats+ws://b"));
        EventDecoder decoder;
        DecodedBatch batch;
        MessageContext context;
        context.subject = context.type = "booking.noted";
        context.correlation = "BK-9";
        const QByteArray bodies[] = { R"({"bookingId":"BK-9"})", R"({"id":"x1","type":"booking.created"})" };
        for (const QByteArray& body : bodies) {
            batch.frames.push_back(body);
            decoder.decodeMessage(batch.frames.back().constData(), std::size_t(body.size()), 0,
                { broker, SourcePosition::Message, 1, -1 }, 1000, context, batch);
        }
        all.ingest(batch);
        QCOMPARE(all.chains().liveCount(), std::size_t(1));
        OriginWindows origins(all);
        MainWindow* w = origins.open(broker);
        w->feed().drain();
        const Session* only = origins.session(broker);
        QCOMPARE(only->eventCount(), quint64(2));
        QCOMPARE(only->chains().liveCount(), std::size_t(1));
        QCOMPARE(only->chains().idText(only->store().at(only->store().first()).chain), QStringLiteral("BK-9"));
        QVERIFY(!origins.session(0));
    }
};

QTEST_MAIN(TestOriginWindows)
#include "tst_originwindows.moc"
