// SPDX-License-Identifier: MIT
// Export: NDJSON that reads back as the same events, CSV a spreadsheet opens safely, a filtered log,
// and a write failure reported.
#include "captureloader.h"
#include "capturereader.h"
#include "demodata.h"
#include "eventexport.h"
#include "eventfilter.h"
#include "session.h"

#include <QBuffer>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

namespace {
Session::Config fileConfig()
{
    Session::Config c;
    c.clock = Session::Clock::Recorded;
    return c;
}

std::vector<quint32> all(const Session& s)
{
    std::vector<quint32> out;
    for (quint32 i = s.store().first(); i != s.store().end(); ++i)
        out.push_back(i);
    return out;
}
} // namespace

class TestEventExport : public QObject
{
    Q_OBJECT
    QTemporaryDir m_dir;

private Q_SLOTS:
    void ndjsonReadsBackAsTheSameEvents()
    {
        Session session(fileConfig());
        const QByteArrayList lines = demoLines(20, 500, earlyIncident());
        feed(session, lines);
        // and one event that arrived pretty-printed (a whole JSON document): it must stay on one line
        QByteArray pretty = nativeEvent("7d3c2e1a-0000-4000-8000-000000000001", "booking.created", isoAt(30000),
            "7d3c2e1a-0000-4000-8000-0000000000aa", {}, "{\"bookingId\": \"BK-1\",\n  \"note\": \"a, \\\"b\\\"\"}");
        pretty.replace(",\"", ",\n  \"");
        session.ingest(*decodeLines({ pretty }, TestT0));

        const QString path = m_dir.filePath(QStringLiteral("export.ndjson"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        const EventExport::Result r = EventExport::write(session, all(session), EventExport::Format::NdJson, f);
        f.close();
        QVERIFY(r.error.isEmpty());
        QCOMPARE(r.written, quint64(lines.size() + 1));
        QCOMPARE(r.gone, quint64(0));

        Session back(fileConfig());
        QString error;
        QVERIFY2(CaptureLoader::readInto(back, path, &error), qPrintable(error));
        QCOMPARE(back.malformedCount(), quint64(0));
        QCOMPARE(back.eventCount(), session.eventCount());
        QCOMPARE(back.chains().liveCount(), session.chains().liveCount());
        QCOMPARE(back.retries().entries().size(), session.retries().entries().size());
        for (quint32 i = 0; i < 200; ++i) {
            const EventRecord& a = session.store().at(session.store().first() + i * 37 % quint32(lines.size()));
            const quint32 j = back.store().findId(a.id);
            QVERIFY(j != EventStore::NotFound);
            QCOMPARE(back.types().string(back.store().at(j).type), session.types().string(a.type));
            QCOMPARE(back.store().at(j).eventTimeUs, a.eventTimeUs);
        }
        // the pretty one: its payload intact (commas and quotes in strings kept)
        const quint32 p = back.store().findId(Uuid::fromText("7d3c2e1a-0000-4000-8000-000000000001", nullptr));
        QVERIFY(p != EventStore::NotFound);
        QVERIFY(back.raw(p).find("\"a, \\\"b\\\"\"") != std::string_view::npos);
    }

    void csvHasAHeaderQuotingAndFieldColumns()
    {
        Session session(fileConfig());
        session.ingest(
            *decodeLines({ nativeEvent("11111111-0000-4000-8000-000000000001", "booking.created", isoAt(0),
                               "c0ffee00-0000-4000-8000-000000000001", {},
                               "{\"bookingId\":\"BK-1\",\"note\":\"late, \\\"again\\\"\\nsecond line\"}", 5),
                             nativeEvent("11111111-0000-4000-8000-000000000002", "booking.validated", isoAt(10),
                                 "c0ffee00-0000-4000-8000-000000000001", "11111111-0000-4000-8000-000000000001",
                                 "{\"bookingId\":\"=HYPERLINK(\\\"http://x\\\")\",\"amount\":-12.5}") },
                TestT0, session.addOrigin(QStringLiteral("bus"))));
        QBuffer out;
        out.open(QIODevice::WriteOnly);
        const QStringList fields { QStringLiteral("payload.bookingId"), QStringLiteral("payload.note"),
            QStringLiteral("payload.amount") };
        const EventExport::Result r = EventExport::write(session, all(session), EventExport::Format::Csv, out, fields);
        QCOMPARE(r.written, quint64(2));
        const QList<QByteArray> rows = out.data().split('\n');
        QCOMPARE(rows[0],
            QByteArray("received,timestamp,type,source,id,correlation_id,causation_id,seq,origin,"
                       "payload.bookingId,payload.note,payload.amount\r"));
        // a field with a comma, quotes and a line break: one quoted cell, quotes doubled
        QVERIFY2(out.data().contains(",BK-1,\"late, \"\"again\"\"\nsecond line\","), out.data().constData());
        QVERIFY(rows[1].contains(",booking.created,"));
        QVERIFY(rows[1].contains(",11111111-0000-4000-8000-000000000001,c0ffee00-0000-4000-8000-000000000001,,5,bus,"));
        // the second: its cause by id; a formula made harmless; a negative number left alone
        QVERIFY(out.data().contains(
            ",11111111-0000-4000-8000-000000000001,,bus,\"'=HYPERLINK(\"\"http://x\"\")\",,-12.5\r"));
    }

    void csvCells_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QByteArray>("cell");
        QTest::addRow("plain") << QByteArray("booking.created") << QByteArray("booking.created");
        QTest::addRow("comma") << QByteArray("a,b") << QByteArray("\"a,b\"");
        QTest::addRow("quote") << QByteArray("say \"hi\"") << QByteArray("\"say \"\"hi\"\"\"");
        QTest::addRow("formula") << QByteArray("=1+2") << QByteArray("'=1+2");
        QTest::addRow("at") << QByteArray("@SUM(A1)") << QByteArray("'@SUM(A1)");
        QTest::addRow("plus") << QByteArray("+cmd") << QByteArray("'+cmd");
        QTest::addRow("negative number") << QByteArray("-3") << QByteArray("-3");
        QTest::addRow("minus word") << QByteArray("-x") << QByteArray("'-x");
        QTest::addRow("empty") << QByteArray() << QByteArray();
    }
    void csvCells()
    {
        QFETCH(QByteArray, text);
        QFETCH(QByteArray, cell);
        QCOMPARE(EventExport::csvCell(text), cell);
    }

    void aFilteredLogExportsEveryMatchNotOnlyTheShownRows()
    {
        Session session(fileConfig());
        const QByteArrayList lines = demoLines(30, 1000, earlyIncident());
        feed(session, lines);
        EventFilter filter;
        QString error;
        QVERIFY2(filter.parse(QStringLiteral("type == \"booking.created\""), &error), qPrintable(error));
        const std::vector<quint32> matches = EventExport::matching(session, filter);
        const qsizetype expected = std::count_if(
            lines.begin(), lines.end(), [](const QByteArray& l) { return l.contains("\"type\":\"booking.created\""); });
        QVERIFY(expected > 100);
        QCOMPARE(qsizetype(matches.size()), expected);
        QCOMPARE(EventExport::matching(session, EventFilter()).size(), std::size_t(lines.size()));
    }

    void aWriteFailureIsReported()
    {
        if (!QFile::exists(QStringLiteral("/dev/full")))
            QSKIP("no /dev/full on this system to make a write fail");
        Session session(fileConfig());
        feed(session, demoLines(30, 1000));
        QFile full(QStringLiteral("/dev/full"));
        QVERIFY(full.open(QIODevice::WriteOnly | QIODevice::Unbuffered));
        const EventExport::Result r = EventExport::write(session, all(session), EventExport::Format::NdJson, full);
        QVERIFY(!r.error.isEmpty());
    }
};

QTEST_MAIN(TestEventExport)
#include "tst_eventexport.moc"
