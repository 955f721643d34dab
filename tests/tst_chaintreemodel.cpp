// SPDX-License-Identifier: MIT
#include "chaintreemodel.h"
#include "demodata.h"
#include "session.h"
#include "testutil.h"

#include <QAbstractItemModelTester>
#include <QTest>

class TestChainTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theCriticalPathIsMarked()
    {
        // a at 0 causes c (50 ms) and b (100 ms); b causes e (200 ms); c causes d (300 ms, the last)
        Session s(eventTimeConfig());
        const auto line = [](const char* id, int ms, const char* cause) {
            return nativeEvent(QByteArray("e0000000-0000-4000-8000-00000000000") + id, "step", isoAt(ms), "k",
                cause ? QByteArray("e0000000-0000-4000-8000-00000000000") + cause : QByteArray());
        };
        s.ingest(*decodeLines({ line("a", 0, nullptr), line("c", 50, "a"), line("b", 100, "a"), line("e", 200, "b"),
            line("d", 300, "c") }));
        ChainTreeModel m(s);
        m.setChain(s.store().at(0).chain);
        QStringList critical;
        for (const TimelineEntry& e : m.timeline())
            if (e.critical)
                critical << s.store().at(e.event).id.toString().right(1);
        QCOMPARE(critical, (QStringList { QStringLiteral("a"), QStringLiteral("c"), QStringLiteral("d") }));
    }

    void treeAndTimelineOfAChain()
    {
        Session s(eventTimeConfig());
        const QByteArray payload = R"({"x":1})";
        s.ingest(*decodeLines(
            {
                nativeEvent("a", "booking.created", isoAt(0), "k", {}, payload),
                nativeEvent("b", "booking.validated", isoAt(100), "k", "a", payload),
                nativeEvent("c", "notification.created", isoAt(150), "k", "a", payload),
                nativeEvent("f", "system.handler.failed", isoAt(200), "k", "c",
                    R"({"handler":"email","eventId":"c","eventType":"notification.created","error":"timeout"})"),
                nativeEvent("r", "system.event.retry_scheduled", isoAt(210), "k", "c",
                    R"({"eventId":"c","eventType":"notification.created","attempt":1,"delayMs":400})"),
                nativeEvent("d", "system.event.dead_lettered", isoAt(900), "k", "c",
                    R"({"eventId":"c","eventType":"notification.created","attempts":5,"reason":"gave up"})"),
            },
            TestT0));
        ChainTreeModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setChain(s.chains().find(std::string_view("k")));
        // one root (a) with two children (b, c); c has three (the failure, the retry, the dead letter)
        QCOMPARE(model.rowCount(), 1);
        const QModelIndex root = model.index(0, 0);
        QCOMPARE(root.data().toString(), QStringLiteral("booking.created"));
        QCOMPARE(model.rowCount(root), 2);
        const QModelIndex c = model.index(1, 0, root);
        QCOMPARE(c.data().toString(), QStringLiteral("notification.created"));
        QCOMPARE(model.rowCount(c), 3);
        QCOMPARE(model.index(0, ChainTreeModel::OffsetColumn, c).data().toString(), QStringLiteral("+200.0 ms"));

        const auto& timeline = model.timeline();
        QCOMPARE(timeline.size(), std::size_t(6));
        QCOMPARE(model.startUs(), TestT0);
        // the retry keeps its backoff, so the chain ends when the retry was due, or at the dead letter
        const auto retry = std::find_if(
            timeline.begin(), timeline.end(), [](const TimelineEntry& e) { return e.kind == TimelineEntry::Retry; });
        QVERIFY(retry != timeline.end());
        QCOMPARE(retry->delayMs, qint64(400));
        QCOMPARE(timeline[std::size_t(retry->parent)].event, s.store().findId(Uuid::fromText("c", nullptr)));
        QVERIFY(std::any_of(timeline.begin(), timeline.end(),
            [](const TimelineEntry& e) { return e.kind == TimelineEntry::DeadLetter; }));
        QVERIFY(std::any_of(
            timeline.begin(), timeline.end(), [](const TimelineEntry& e) { return e.kind == TimelineEntry::Failure; }));
        QCOMPARE(model.endUs(), TestT0 + 900000);

        // a new event in the chain rebuilds; another refresh without change does nothing
        s.ingest(*decodeLines({ nativeEvent("g", "booking.confirmed", isoAt(1000), "k", "b", payload) }, TestT0));
        QVERIFY(model.refresh());
        QVERIFY(!model.refresh());
        QCOMPARE(model.timeline().size(), std::size_t(7));
        QVERIFY(model.indexOfEvent(s.store().findId(Uuid::fromText("g", nullptr))).isValid());
    }

    void demoChainsUnderTheTester()
    {
        Session s(eventTimeConfig());
        feed(s, demoLines(10, 400, earlyIncident()));
        ChainTreeModel model(s);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        int withDeadLetters = 0;
        for (quint32 c = 0; c < s.chains().size() && withDeadLetters < 5; ++c) {
            if (!s.chains().alive(c) || s.chains().at(c).deadLetters == 0)
                continue;
            ++withDeadLetters;
            model.setChain(c);
            QCOMPARE(model.timeline().size(), std::size_t(s.chains().at(c).size));
            QVERIFY(std::any_of(model.timeline().begin(), model.timeline().end(),
                [](const TimelineEntry& e) { return e.kind == TimelineEntry::DeadLetter; }));
        }
        QCOMPARE(withDeadLetters, 5);
    }
};

QTEST_GUILESS_MAIN(TestChainTreeModel)
#include "tst_chaintreemodel.moc"
