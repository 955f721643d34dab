// SPDX-License-Identifier: MIT
#include "chaintracker.h"
#include "session.h"
#include "testutil.h"

#include <QTest>

namespace {
QByteArray ts(int ms)
{
    return "2026-11-29T10:00:0" + QByteArray::number(ms / 1000) + '.'
        + QByteArray::number(ms % 1000).rightJustified(3, '0') + 'Z';
}

QString treeText(const Session& s, quint32 chain)
{
    QStringList out;
    for (const ChainNode& n : s.chains().tree(chain, s.store()))
        out << QString(n.depth, u'-') + s.types().string(s.store().at(n.event).type);
    return out.join(u'|');
}
} // namespace

class TestChainTracker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void causationTreeWithFanOutAndSeveralRoots()
    {
        Session s;
        s.ingest(*decodeLines({
            nativeEvent("a", "booking.created", ts(0), "K"),
            nativeEvent("b", "booking.validated", ts(100), "K", "a"),
            nativeEvent("n1", "notification.created", ts(300), "K", "b"),
            nativeEvent("n2", "staff.assigned", ts(200), "K", "b"), // fan-out: children ordered by time
            nativeEvent("x", "booking.reminder", ts(50), "K"), // a second root
            nativeEvent("other", "user.logged_in", ts(0), "L"),
        }));
        QCOMPARE(s.chains().size(), std::size_t(2));
        const quint32 k = s.chains().find(std::string_view("K"));
        QVERIFY(k != ChainTracker::None);
        const Chain& c = s.chains().at(k);
        QCOMPARE(c.size, 5u);
        QCOMPARE(s.chains().members(k, s.store()).size(), std::size_t(5));
        QCOMPARE(c.durationUs(), qint64(300000));
        QCOMPARE(treeText(s, k),
            QStringLiteral(
                "booking.created|-booking.validated|--staff.assigned|--notification.created|booking.reminder"));
        QCOMPARE(s.chains().orphans(k, s.store()), 0);
    }

    void orphanUntilItsParentArrives()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("child", "booking.validated", ts(100), "K", "parent") }));
        QCOMPARE(s.orphanCount(), quint64(1));
        QCOMPARE(s.chains().orphans(0, s.store()), 1);
        s.ingest(*decodeLines({ nativeEvent("parent", "booking.created", ts(0), "K") }));
        QCOMPARE(s.orphanCount(), quint64(0));
        QCOMPARE(treeText(s, 0), QStringLiteral("booking.created|-booking.validated"));
    }

    void causeInAnotherChainMakesARoot()
    {
        Session s;
        s.ingest(*decodeLines(
            { nativeEvent("a", "user.logged_in", ts(0), "L"), nativeEvent("b", "booking.created", ts(10), "K", "a") }));
        QCOMPARE(s.orphanCount(), quint64(0));
        QCOMPARE(treeText(s, s.chains().find(std::string_view("K"))), QStringLiteral("booking.created"));
    }

    void causationCycleDoesNotHang()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("a", "t.a", ts(0), "K", "b"), nativeEvent("b", "t.b", ts(1), "K", "a") }));
        QCOMPARE(treeText(s, 0).count(u'|'), 1);
    }

    void uuidCorrelationFoundInAnyCase()
    {
        Session s;
        s.ingest(*decodeLines({ nativeEvent("a", "t", ts(0), "C0000000-0000-4000-8000-00000000000A") }));
        QVERIFY(s.chains().find(std::string_view("c0000000-0000-4000-8000-00000000000a")) != ChainTracker::None);
        QCOMPARE(s.chains().idText(0), QStringLiteral("c0000000-0000-4000-8000-00000000000a"));
    }
};

QTEST_GUILESS_MAIN(TestChainTracker)
#include "tst_chaintracker.moc"
