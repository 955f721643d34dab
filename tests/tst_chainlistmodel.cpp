// SPDX-License-Identifier: MIT
#include "chainlistmodel.h"
#include "demodata.h"
#include "session.h"

#include <QAbstractItemModelTester>
#include <QTest>

class TestChainListModel : public QObject
{
    Q_OBJECT

    static QSet<quint32> chainsOf(const ChainListModel& m)
    {
        QSet<quint32> out;
        for (int r = 0; r < m.rowCount(); ++r)
            out.insert(m.chainAt(r));
        return out;
    }
    static quint64 aliveChains(const Session& s)
    {
        quint64 alive = 0;
        for (quint32 c = 0; c < s.chains().size(); ++c)
            alive += s.chains().alive(c);
        return alive;
    }
    /// Chains alive and newer than the oldest the model shows: one fewer than its rows when it shows
    /// the newest.
    static int newerThanShown(const Session& s, const ChainListModel& m)
    {
        qint64 oldestShown = std::numeric_limits<qint64>::max();
        for (int r = 0; r < m.rowCount(); ++r)
            oldestShown = std::min(oldestShown, s.chains().at(m.chainAt(r)).startUs);
        int newer = 0;
        for (quint32 c = 0; c < s.chains().size(); ++c)
            newer += s.chains().alive(c) && s.chains().at(c).startUs > oldestShown;
        return newer;
    }

private Q_SLOTS:
    void queriesFindTheRightChains()
    {
        Session s(eventTimeConfig());
        ChainListModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLimit(100000);
        const QByteArrayList lines = demoLines(12, 400, earlyIncident());
        // fed in bursts, refreshed between them: rows come and change under the tester
        for (int i = 0; i < lines.size(); i += 700) {
            feed(s, lines.mid(i, 700));
            model.refresh(s.lastEventTimeUs());
        }
        const ChainTracker& chains = s.chains();
        QCOMPARE(std::size_t(model.rowCount()), chains.liveCount());

        const auto expect = [&](auto predicate) {
            QSet<quint32> want;
            for (quint32 c = 0; c < chains.size(); ++c)
                if (chains.alive(c) && predicate(chains.at(c)))
                    want.insert(c);
            return want;
        };
        ChainListModel::Query q;
        q.deadLettered = true;
        model.setQuery(q);
        model.refresh(s.lastEventTimeUs());
        QVERIFY(model.rowCount() > 0);
        QCOMPARE(chainsOf(model), expect([](const Chain& c) { return c.deadLetters > 0; }));
        for (int r = 0; r < model.rowCount(); ++r)
            QCOMPARE(model.index(r, ChainListModel::StatusColumn).data().toString(), QStringLiteral("dead-lettered"));

        q = {};
        q.failed = true;
        q.retried = true; // any of them
        model.setQuery(q);
        model.refresh(s.lastEventTimeUs());
        QCOMPARE(chainsOf(model), expect([](const Chain& c) { return c.failures > 0 || c.retries > 0; }));

        q = {};
        q.openAfterSeconds = 3;
        model.setQuery(q);
        model.refresh(s.lastEventTimeUs());
        const qint64 now = s.lastEventTimeUs();
        QCOMPARE(chainsOf(model), expect([now](const Chain& c) { return c.ends == 0 && now - c.startUs >= 3000000; }));

        // a booking id found in the payloads: that booking's chain
        q = {};
        q.search = QStringLiteral("bk-10004");
        model.setQuery(q);
        while (model.isSearching() || model.rowCount() == 0)
            model.refresh(s.lastEventTimeUs(), 1);
        QCOMPARE(model.rowCount(), 1);
        const quint32 chain = model.chainAt(0);
        const quint32 first = chains.at(chain).first;
        QVERIFY(s.raw(first).find("BK-10004") != std::string_view::npos);

        // the correlation id, and any event id of the chain (in any case), name it directly: found at
        // once, with no time at all for a text search
        q.search = chains.idText(chain);
        model.setQuery(q);
        model.refresh(s.lastEventTimeUs(), 0);
        QCOMPARE(chainsOf(model), QSet<quint32> { chain });
        q.search = s.store().at(chains.at(chain).last).id.toString().toUpper();
        model.setQuery(q);
        QVERIFY(!model.isSearching());
        model.refresh(s.lastEventTimeUs(), 0);
        QCOMPARE(chainsOf(model), QSet<quint32> { chain });
    }

    void limitKeepsTheNewest()
    {
        Session s(eventTimeConfig());
        feed(s, demoLines(5, 400));
        ChainListModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLimit(10);
        model.refresh(s.lastEventTimeUs());
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(newerThanShown(s, model), 9);
        // the list says how many matched, so the view can say it shows only part
        const quint64 alive = aliveChains(s);
        QVERIFY(alive > 10);
        QCOMPARE(model.matchCount(), alive);
        // new matching chains add to it
        feed(s,
            { nativeEvent("late-1", "booking.created", isoAt(60000), "late-chain-1"),
                nativeEvent("late-2", "booking.created", isoAt(60001), "late-chain-2") });
        model.refresh(s.lastEventTimeUs());
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(model.matchCount(), alive + 2);
    }

    void aCountFarBehindIsWholeAtTheNextRefresh()
    {
        // a file loading: the list was built on the first events, then far more arrive than one refresh's
        // budget reads; the count the view shows ("1,000 of N chains") must be the session's at once
        Session s(eventTimeConfig());
        const QByteArrayList lines = demoLines(20, 400);
        feed(s, lines.mid(0, 50));
        ChainListModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLimit(10);
        model.refresh(s.lastEventTimeUs(), 0);
        feed(s, lines.mid(50));
        QVERIFY(s.store().size() > 4 * 1024); // more than a zero budget reads (1,024 events a check)
        model.refresh(s.lastEventTimeUs(), 0);
        QCOMPARE(model.matchCount(), aliveChains(s));
        QCOMPARE(model.rowCount(), 10);
    }

    void aLookAtEveryChainTakesSlicesAndChangesTheRowsOnceWhole()
    {
        // a look at every chain of a big capture is done a slice per refresh, so the window stays
        // responsive; the rows and the count change once, when it has seen them all
        Session s(eventTimeConfig());
        QByteArrayList lines;
        const int chains = 150000;
        for (int i = 0; i < chains; ++i)
            lines << nativeEvent(
                "e" + QByteArray::number(i), "booking.created", isoAt(i), "chain-" + QByteArray::number(i));
        feed(s, lines, 20000);
        QCOMPARE(s.chains().size(), std::size_t(chains));
        ChainListModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLimit(10);
        model.setSliceMs(0); // 65,536 chains a call
        model.refresh(s.lastEventTimeUs(), 0);
        QVERIFY(model.isLooking());
        QCOMPARE(model.rowCount(), 0); // nothing shown until it is whole
        QCOMPARE(model.matchCount(), quint64(0));
        // events that come meanwhile are read as touched chains once the look is done
        s.ingest(*decodeLines({ nativeEvent("late", "booking.created", isoAt(chains), "chain-late") }));
        int calls = 1;
        while (model.isLooking()) {
            model.refresh(s.lastEventTimeUs(), 0);
            ++calls;
        }
        QCOMPARE(calls, 3); // 150,000 chains, 65,536 a call
        QCOMPARE(model.matchCount(), quint64(chains));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(newerThanShown(s, model), 10); // the nine rows newer than the oldest, and the late chain
        model.refresh(s.lastEventTimeUs(), 0);
        QCOMPARE(model.matchCount(), quint64(chains + 1));
        QCOMPARE(newerThanShown(s, model), 9); // the rows are the newest chains
    }

    void aListBehindIsWholeOnceAskedToBe()
    {
        // fewer events behind than there are chains (the last stretch of a 100 M-event file, 12 M events
        // behind 15.6 M chains): reading them a budget at a time took the list minutes to catch up; once
        // the file is read the window asks for the whole list, and the next refresh is whole
        Session s(eventTimeConfig());
        const QByteArrayList lines = demoLines(60, 400);
        feed(s, lines.mid(0, 21000));
        ChainListModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLimit(10);
        model.refresh(s.lastEventTimeUs());
        feed(s, lines.mid(21000, 3000));
        // behind by fewer events than there are chains, and by more than two zero budgets read
        QVERIFY2(3000 < s.chains().size(), qPrintable(QString::number(s.chains().size())));
        model.refresh(s.lastEventTimeUs(), 0); // reads 1,024 events
        QVERIFY(model.matchCount() < aliveChains(s));
        model.rescan();
        model.refresh(s.lastEventTimeUs(), 0);
        QCOMPARE(model.matchCount(), aliveChains(s));
        QCOMPARE(model.rowCount(), 10);
        QCOMPARE(newerThanShown(s, model), 9); // the rows are the newest chains
    }
};

QTEST_GUILESS_MAIN(TestChainListModel)
#include "tst_chainlistmodel.moc"
