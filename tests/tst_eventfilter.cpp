// SPDX-License-Identifier: MIT
#include "eventfilter.h"
#include "glob.h"
#include "jsontext.h"
#include "session.h"
#include "testutil.h"

#include <QTest>

class TestEventFilter : public QObject
{
    Q_OBJECT
    Session m_session;

    /// Which of the fixture's events (by id) the filter matches.
    QStringList matching(const QString& text)
    {
        EventFilter f;
        QString error;
        if (!f.parse(text, &error))
            return { QStringLiteral("error: ") + error };
        QStringList ids;
        const EventStore& store = m_session.store();
        for (quint32 i = store.first(); i != store.end(); ++i)
            if (f.matches(m_session, i)) {
                std::string id;
                JsonText::field(store.raw(store.at(i)), "id", &id);
                ids << QString::fromStdString(id);
            }
        return ids;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_session.ingest(*decodeLines({
            nativeEvent("e1", "booking.created", isoAt(0), "c1", {}, R"({"bookingId":"BK-1","attempts":1})", 1),
            nativeEvent("e2", "booking.confirmed", isoAt(10), "c1", "e1", R"({"bookingId":"BK-1","attempts":3})", 2),
            nativeEvent("e3", "notification.created", isoAt(20), "c2", {},
                R"({"bookingId":"BK-22","note":"Timed Out twice"})", 3),
            nativeEvent(
                "e4", "system.event.dead_lettered", isoAt(30), "c2", "e3", R"({"eventId":"e3","reason":"x"})", 4),
            R"({"specversion":"1.0","id":"e5","source":"svc","type":"booking.created","data":{"bookingId":"BK-5"}})",
        }));
    }

    void aTermForAnyValueMatchesExactlyThatValue()
    {
        // "show in the log" from the board or the Sources view: a name with quotes and backslashes
        Session s;
        s.ingest(*decodeLines({ QByteArray("{\"id\":\"q1\",\"type\":\"odd\\\"type\\\\path\"}"),
            QByteArray("{\"id\":\"q2\",\"type\":\"odd\"}") }));
        const QString type = QStringLiteral("odd\"type\\path");
        EventFilter f;
        QString error;
        QVERIFY2(f.parse(EventFilter::equals(QStringLiteral("type"), type), &error), qPrintable(error));
        QVERIFY(f.matches(s, s.store().first()));
        QVERIFY(!f.matches(s, s.store().first() + 1));
    }

    void filters_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QStringList>("ids");
        const auto ids = [](std::initializer_list<const char*> l) {
            QStringList out;
            for (const char* s : l)
                out << QString::fromLatin1(s);
            return out;
        };
        QTest::addRow("empty matches all") << QString() << ids({ "e1", "e2", "e3", "e4", "e5" });
        QTest::addRow("type glob word") << QStringLiteral("booking.*") << ids({ "e1", "e2", "e5" });
        QTest::addRow("type equals") << QStringLiteral("type == booking.confirmed") << ids({ "e2" });
        QTest::addRow("type == glob") << QStringLiteral("type == \"system.*\"") << ids({ "e4" });
        QTest::addRow("payload field") << QStringLiteral("payload.bookingId == \"BK-1\"") << ids({ "e1", "e2" });
        QTest::addRow("payload finds CloudEvents data") << QStringLiteral("payload.bookingId == BK-5") << ids({ "e5" });
        QTest::addRow("numeric compare") << QStringLiteral("payload.attempts >= 2") << ids({ "e2" });
        QTest::addRow("free text, any case") << QStringLiteral("\"timed out\"") << ids({ "e3" });
        QTest::addRow("and by juxtaposition") << QStringLiteral("booking.* BK-1") << ids({ "e1", "e2" });
        QTest::addRow("or and not") << QStringLiteral("type == booking.created || !(payload.bookingId ~ \"BK-*\")")
                                    << ids({ "e1", "e4", "e5" });
        QTest::addRow("contains") << QStringLiteral("payload.note contains TIMED") << ids({ "e3" });
        QTest::addRow("missing field never equals") << QStringLiteral("payload.nothing == 1") << ids({});
        QTest::addRow("missing field differs")
            << QStringLiteral("payload.note != x") << ids({ "e1", "e2", "e3", "e4", "e5" });
        QTest::addRow("correlation id") << QStringLiteral("correlationId == c2") << ids({ "e3", "e4" });
        QTest::addRow("seq") << QStringLiteral("seq > 2 and seq < 4") << ids({ "e3" });
        QTest::addRow("source") << QStringLiteral("source == svc") << ids({ "e5" });
    }
    void filters()
    {
        QFETCH(QString, filter);
        QFETCH(QStringList, ids);
        QCOMPARE(matching(filter), ids);
    }

    void errorsSayWhatAndWhere_data()
    {
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("error");
        QTest::addRow("unterminated") << QStringLiteral("type == \"booking") << QStringLiteral("unterminated string");
        QTest::addRow("no value") << QStringLiteral("payload.x ==") << QStringLiteral("column 13: expected a value");
        QTest::addRow("unbalanced") << QStringLiteral("(booking.*") << QStringLiteral("expected \")\"");
        QTest::addRow("stray paren") << QStringLiteral("booking.* )") << QStringLiteral("column 11: unexpected");
        QTest::addRow("dangling or") << QStringLiteral("a ||") << QStringLiteral("expected a term");
        // found by fuzz_controlmessages: nesting without bound overflowed the stack (parsing, matching, freeing)
        QTest::addRow("deep parentheses") << QString(100000, u'(') << QStringLiteral("nested more than 64 deep");
        QTest::addRow("deep nots") << QString(100000, u'!') + QStringLiteral("a")
                                   << QStringLiteral("nested more than 64 deep");
        QTest::addRow("endless terms") << QStringLiteral("a && ").repeated(20000) + QStringLiteral("a")
                                       << QStringLiteral("more than 1000 terms");
    }
    void errorsSayWhatAndWhere()
    {
        QFETCH(QString, filter);
        QFETCH(QString, error);
        EventFilter f;
        QString why;
        QVERIFY(f.parse(QStringLiteral("type == booking.created"), nullptr));
        QVERIFY(!f.parse(filter, &why));
        QVERIFY2(why.contains(error), qPrintable(why));
        // a failed parse leaves the previous filter in place
        QCOMPARE(f.text(), QStringLiteral("type == booking.created"));
    }

    void globs()
    {
        QVERIFY(globMatch("booking.*", "booking.created"));
        QVERIFY(globMatch("*.created", "booking.created"));
        QVERIFY(globMatch("b?oking.*d", "booking.created"));
        QVERIFY(!globMatch("booking.*", "bookings"));
        QVERIFY(globMatch("*", ""));
        QVERIFY(!globMatch("a*b*c", "aXbY"));
        // a '*' in the text where the pattern has its wildcard: still a wildcard
        QVERIFY(globMatch("/lines/*", "/lines/*/sku: required"));
        QVERIFY(globMatch("a*", "a*b"));
    }

    void jsonText()
    {
        std::string out;
        QVERIFY(JsonText::field(R"({"a":{"b":[1,{"c":"x"}]}})", "a.b.1.c", &out));
        QCOMPARE(out, std::string("x"));
        QVERIFY(JsonText::field(R"({"a":{"b":[1,2]}})", "a.b", &out));
        QCOMPARE(out, std::string("[1,2]"));
        QVERIFY(!JsonText::field(R"({"a":1})", "a.b", &out));
        QVERIFY(!JsonText::field("not json", "a", &out));
        // found by scanning past the members before it: strings holding brackets, quotes and commas,
        // nested values, spaces anywhere; only the value itself is parsed
        const char* doc = "{ \"s\" : \"a},\\\"[\" , \"n\":{\"x\":[1,{\"y\":\"]\"}]},\n\"id\" :\t\"k-1\" ,"
                          "\"num\": -1.50e0, \"t\": true, \"esc\": \"a\\u00e9\\n\", \"arr\": [ 10 , 20 ] }";
        QVERIFY(JsonText::field(doc, "id", &out));
        QCOMPARE(out, std::string("k-1"));
        QVERIFY(JsonText::field(doc, "n.x.1.y", &out));
        QCOMPARE(out, std::string("]"));
        QVERIFY(JsonText::field(doc, "num", &out));
        QCOMPARE(out, std::string("-1.5"));
        QVERIFY(JsonText::field(doc, "t", &out));
        QCOMPARE(out, std::string("true"));
        QVERIFY(JsonText::field(doc, "esc", &out));
        QCOMPARE(out, std::string("a\xc3\xa9\n"));
        QVERIFY(JsonText::field(doc, "arr.1", &out));
        QCOMPARE(out, std::string("20"));
        QVERIFY(JsonText::field(doc, "n", &out));
        QCOMPARE(out, std::string("{\"x\":[1,{\"y\":\"]\"}]}"));
        QVERIFY(!JsonText::field(doc, "arr.2", &out));
        QVERIFY(!JsonText::field(doc, "s.x", &out));
        QVERIFY(!JsonText::field(doc, "missing", &out));
        QVERIFY(!JsonText::field(doc, "n.x.one", &out));
        // an escaped key is compared unescaped (by the parser)
        QVERIFY(JsonText::field("{\"a\\u0062\":1,\"ab\":2}", "ab", &out));
        QCOMPARE(out, std::string("1"));
        // a long string keeps its start and end when shortened for reading
        const std::string longDoc = "{\"k\":\"" + std::string(5000, 'x') + "\u00e9end\"}";
        bool shortened = false;
        const QString shown = JsonText::prettyShortened(longDoc, 1000, &shortened);
        QVERIFY(shortened);
        QVERIFY2(shown.size() < 1200, qPrintable(QString::number(shown.size())));
        QVERIFY(shown.contains(QStringLiteral("more bytes)")));
        QVERIFY(shown.endsWith(QStringLiteral("\u00e9end\"\n}")));
        QVERIFY(!shown.contains(QChar::ReplacementCharacter));
        QCOMPARE(
            JsonText::prettyShortened("{\"k\":\"short\"}", 1000, &shortened), JsonText::pretty("{\"k\":\"short\"}"));
        QVERIFY(!shortened);
        // pretty keeps the keys in their order and indents
        QCOMPARE(JsonText::pretty("{\"z\":1,\"a\":[true,null],\"s\":\"q\\\"x\"}"),
            QStringLiteral("{\n  \"z\": 1,\n  \"a\": [\n    true,\n    null\n  ],\n  \"s\": \"q\\\"x\"\n}"));
        QCOMPARE(JsonText::pretty("{broken"), QStringLiteral("{broken"));
        QVERIFY(JsonText::containsFolded("Email Gateway Timed Out", "timed out"));
        QVERIFY(!JsonText::containsFolded("abc", "abcd"));
    }
};

QTEST_GUILESS_MAIN(TestEventFilter)
#include "tst_eventfilter.moc"
