// SPDX-License-Identifier: MIT
#include "blastradius.h"
#include "chaintracker.h"
#include "session.h"
#include "sessionsummary.h"
#include "testutil.h"

#include <QJsonArray>
#include <QTest>

namespace {
QByteArray transition(const QByteArray& id, qint64 ms, const char* breaker, const char* from, const char* to)
{
    return nativeEvent(id, "system.circuit_breaker.state_changed", isoAt(ms), {}, {},
        QByteArray("{\"breaker\":\"") + breaker + "\",\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
}

/// A notification in chain `chain` at `ms`, and a failure about it `ms` + 1 in `handler`, naming
/// `breaker` when given.
QByteArrayList failedNotification(
    const QByteArray& chain, qint64 ms, const char* handler, const char* breaker = nullptr)
{
    QByteArray payload = "{\"handler\":\"" + QByteArray(handler) + "\",\"eventId\":\"n" + chain + "\"";
    if (breaker)
        payload += ",\"breaker\":\"" + QByteArray(breaker) + '"';
    payload += ",\"error\":\"timeout\"}";
    return { nativeEvent("n" + chain, "notification.created", isoAt(ms), chain),
        nativeEvent("f" + chain, "system.handler.failed", isoAt(ms + 1), chain, "n" + chain, payload) };
}

/// email-gateway: not closed from 1 s to 3.5 s (open, half-open, closed), and again from 10 s on.
/// Failures of email-handler before (A), in (B, with a retry), in the grace after (C), after it (D) and
/// in the second period (E); one naming the breaker itself (F); one of sms-handler (G).
QByteArrayList incident()
{
    QByteArrayList lines;
    lines << failedNotification("A", 500, "email-handler");
    lines << transition("t1", 1000, "email-gateway", "closed", "open");
    lines << failedNotification("B", 1500, "email-handler");
    lines << nativeEvent("rB", "system.event.retry_scheduled", isoAt(1600), "B", "fB",
        "{\"eventId\":\"nB\",\"attempt\":1,\"delayMs\":200}");
    lines << failedNotification("F", 2000, "mystery-handler", "email-gateway");
    lines << failedNotification("G", 2500, "sms-handler");
    lines << transition("t2", 3000, "email-gateway", "open", "half_open");
    lines << transition("t3", 3500, "email-gateway", "half_open", "closed");
    lines << failedNotification("C", 3600, "email-handler");
    lines << failedNotification("D", 9000, "email-handler");
    lines << transition("t4", 10000, "email-gateway", "closed", "open");
    lines << failedNotification("E", 11000, "email-handler");
    lines << nativeEvent("last", "user.logged_in", isoAt(12000), "U");
    return lines;
}

QStringList chainIds(const Session& s, const std::vector<BlastRadius::ChainRef>& chains)
{
    QStringList ids;
    for (const BlastRadius::ChainRef& c : chains)
        ids << s.chains().idText(c.slot);
    ids.sort();
    return ids;
}
} // namespace

class TestBlastRadius : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void theChainsHitWhileTheBreakerWasNotClosed()
    {
        Session s;
        s.ingest(*decodeLines(incident()));
        const int gateway = s.breakers().find(0, "email-gateway");
        QVERIFY(gateway >= 0);
        const BlastRadius radius(s);
        const BlastRadius::Breaker* b = radius.find(std::size_t(gateway));
        QVERIFY(b);
        QCOMPARE(b->periods.size(), std::size_t(2));
        QCOMPARE(b->periods[0].fromUs, TestT0 + 1000000);
        QCOMPARE(b->periods[0].toUs, TestT0 + 3500000); // half-open is not closed
        QVERIFY(!b->periods[0].ongoing);
        QVERIFY(b->periods[1].ongoing); // still open at the session's last event
        QCOMPARE(b->periods[1].toUs, TestT0 + 12000000);

        // in the period: B (failure and retry), F (names the breaker); in its 5 s of grace: C; not A
        // (before), not D (after the grace), not G (sms-handler, not behind it)
        QCOMPARE(chainIds(s, b->periods[0].chains),
            (QStringList { QStringLiteral("B"), QStringLiteral("C"), QStringLiteral("F") }));
        QCOMPARE(b->periods[0].failures, quint64(3));
        QCOMPARE(b->periods[0].retries, quint64(1)); // the retry names no handler: its event's failure does
        QCOMPARE(chainIds(s, b->periods[1].chains), QStringList { QStringLiteral("E") });
        QCOMPARE(b->affectedChains, std::size_t(4));
        QCOMPARE(chainIds(s, radius.chains(std::size_t(gateway))),
            (QStringList { QStringLiteral("B"), QStringLiteral("C"), QStringLiteral("E"), QStringLiteral("F") }));

        // email-handler is learned (3 of its 5 failures inside); mystery-handler named the breaker
        QCOMPARE(b->handlers.size(), std::size_t(2));
        QCOMPARE(b->handlers[0].name, std::string("email-handler"));
        QCOMPARE(b->handlers[0].association, BlastRadius::Association::Learned);
        QCOMPARE(b->handlers[0].failures, quint64(5));
        QCOMPARE(b->handlers[0].inside, quint64(3));
        QCOMPARE(b->handlers[1].name, std::string("mystery-handler"));
        QCOMPARE(b->handlers[1].association, BlastRadius::Association::Field);

        QCOMPARE(radius.periodAt(std::size_t(gateway), TestT0 + 8500000), 0); // the grace's last moment
        QCOMPARE(radius.periodAt(std::size_t(gateway), TestT0 + 8500001), -1);
        QCOMPARE(radius.periodAt(std::size_t(gateway), TestT0 + 999999), -1);
    }

    void theUsersMappingAddsAHandlerTheSessionCannotShow()
    {
        Session s;
        s.ingest(*decodeLines(incident()));
        BlastRadius::Options o;
        o.mapping["sms-handler"] = "email-gateway";
        const BlastRadius radius(s, o);
        const BlastRadius::Breaker* b = radius.find(std::size_t(s.breakers().find(0, "email-gateway")));
        QCOMPARE(chainIds(s, b->periods[0].chains),
            (QStringList { QStringLiteral("B"), QStringLiteral("C"), QStringLiteral("F"), QStringLiteral("G") }));
        QCOMPARE(b->handlers.back().name, std::string("sms-handler"));
        QCOMPARE(b->handlers.back().association, BlastRadius::Association::Mapping);
        // a mapping never overrides what the session learned
        o.mapping = { { "email-handler", "nothing-like-it" } };
        QCOMPARE(
            BlastRadius(s, o).find(std::size_t(s.breakers().find(0, "email-gateway")))->affectedChains, std::size_t(4));
    }

    void aHandlerOutsideThePeriodsIsNotLearned()
    {
        // two failures inside of five: not most of them
        Session s;
        QByteArrayList lines;
        lines << transition("t1", 1000, "email-gateway", "closed", "open");
        lines << failedNotification("B", 1500, "email-handler") << failedNotification("C", 1600, "email-handler");
        lines << transition("t2", 2000, "email-gateway", "open", "closed");
        for (const char* chain : { "X", "Y", "Z" })
            lines << failedNotification(chain, 20000 + 1000 * (chain[0] - 'X'), "email-handler");
        s.ingest(*decodeLines(lines));
        const BlastRadius radius(s);
        const BlastRadius::Breaker* b = radius.find(std::size_t(s.breakers().find(0, "email-gateway")));
        QCOMPARE(b->affectedChains, std::size_t(0));
        QVERIFY(b->handlers.empty());
    }

    void summaryJsonHasEachBreakersAffectedChains()
    {
        Session s;
        s.ingest(*decodeLines(incident()));
        const QJsonObject gateway = SessionSummary::toJson(s)
                                        .value(QLatin1String("breakers"))
                                        .toObject()
                                        .value(QLatin1String("email-gateway"))
                                        .toObject();
        QCOMPARE(gateway.value(QLatin1String("affectedChains")).toInt(), 4);
        const QJsonArray periods = gateway.value(QLatin1String("openPeriods")).toArray();
        QCOMPARE(periods.size(), 2);
        QCOMPARE(periods.at(0).toObject().value(QLatin1String("affectedChains")).toInt(), 3);
        QCOMPARE(
            periods.at(0).toObject().value(QLatin1String("to")).toString(), QStringLiteral("2026-11-29T10:00:03.500Z"));
        QVERIFY(periods.at(1).toObject().value(QLatin1String("to")).isNull()); // still open
        QCOMPARE(
            gateway.value(QLatin1String("handlers")).toArray().at(0).toObject().value(QLatin1String("association")),
            QJsonValue(QStringLiteral("learned")));
        QVERIFY(SessionSummary::toText(s).contains(QLatin1String("behind it: email-handler (learned), "
                                                                 "mystery-handler (field)")));
    }
};

QTEST_GUILESS_MAIN(TestBlastRadius)
#include "tst_blastradius.moc"
