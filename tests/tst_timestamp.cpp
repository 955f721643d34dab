// SPDX-License-Identifier: MIT
#include "timestamp.h"

#include <QTest>

class TestTimestamp : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void iso_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<qint64>("micros");
        const qint64 base = 1795946400LL * 1000000; // 2026-11-29T10:00:00Z
        QTest::addRow("Z") << QByteArray("2026-11-29T10:00:00Z") << true << base;
        QTest::addRow("lower z and t") << QByteArray("2026-11-29t10:00:00z") << true << base;
        QTest::addRow("space separator") << QByteArray("2026-11-29 10:00:00Z") << true << base;
        QTest::addRow("millis") << QByteArray("2026-11-29T10:00:00.250Z") << true << base + 250000;
        QTest::addRow("one digit") << QByteArray("2026-11-29T10:00:00.5Z") << true << base + 500000;
        QTest::addRow("micros") << QByteArray("2026-11-29T10:00:00.123456Z") << true << base + 123456;
        QTest::addRow("nanos truncated") << QByteArray("2026-11-29T10:00:00.123456789Z") << true << base + 123456;
        QTest::addRow("comma fraction") << QByteArray("2026-11-29T10:00:00,5Z") << true << base + 500000;
        QTest::addRow("+01:00") << QByteArray("2026-11-29T11:00:00+01:00") << true << base;
        QTest::addRow("-05:30") << QByteArray("2026-11-29T04:30:00-05:30") << true << base;
        QTest::addRow("+0100") << QByteArray("2026-11-29T11:00:00+0100") << true << base;
        QTest::addRow("fraction and offset") << QByteArray("2026-11-29T11:00:00.100+01:00") << true << base + 100000;
        QTest::addRow("epoch") << QByteArray("1970-01-01T00:00:00Z") << true << qint64(0);
        QTest::addRow("before epoch") << QByteArray("1969-12-31T23:59:59Z") << true << qint64(-1000000);
        QTest::addRow("leap day") << QByteArray("2028-02-29T00:00:00Z") << true << qint64(1835395200LL * 1000000);
        QTest::addRow("no zone") << QByteArray("2026-11-29T10:00:00") << false << qint64(0);
        QTest::addRow("no leap day") << QByteArray("2026-02-29T00:00:00Z") << false << qint64(0);
        QTest::addRow("month 13") << QByteArray("2026-13-01T00:00:00Z") << false << qint64(0);
        QTest::addRow("leap second") << QByteArray("2026-11-29T09:59:60Z") << true << base;
        QTest::addRow("second 61") << QByteArray("2026-11-29T10:00:61Z") << false << qint64(0);
        QTest::addRow("minute 60") << QByteArray("2026-11-29T10:60:00Z") << false << qint64(0);
        QTest::addRow("hour 24") << QByteArray("2026-11-29T24:00:00Z") << false << qint64(0);
        QTest::addRow("date only") << QByteArray("2026-11-29") << false << qint64(0);
        QTest::addRow("empty fraction") << QByteArray("2026-11-29T10:00:00.Z") << false << qint64(0);
        QTest::addRow("trailing junk") << QByteArray("2026-11-29T10:00:00Zjunk") << false << qint64(0);
        QTest::addRow("words") << QByteArray("yesterday") << false << qint64(0);
        QTest::addRow("empty") << QByteArray() << false << qint64(0);
        QTest::addRow("bad offset") << QByteArray("2026-11-29T10:00:00+25:00") << false << qint64(0);
    }
    void iso()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QFETCH(qint64, micros);
        const std::string_view view(text.constData(), std::size_t(text.size()));
        qint64 out = -42;
        QCOMPARE(Timestamp::parseIso8601(view, out), valid);
        if (valid)
            QCOMPARE(out, micros);
        // the same answer when date, hour and minute come from the cache: primed by this very minute,
        // by the same minute in another zone, or by another day
        for (const char* primer :
            { "2026-11-29T10:00:59Z", "2026-11-29T09:59:60Z", "2026-11-29T11:00:00+01:00", "1999-01-01T00:00:00Z" }) {
            Timestamp::MinuteCache cache;
            qint64 ignored;
            QVERIFY(Timestamp::parseIso8601(primer, ignored, cache));
            qint64 cached = -42;
            QCOMPARE(Timestamp::parseIso8601(view, cached, cache), valid);
            if (valid)
                QCOMPARE(cached, micros);
        }
    }

    void epochMillis()
    {
        qint64 us = 0;
        QVERIFY(Timestamp::fromEpochMillis(1795946400200.0, us));
        QCOMPARE(us, 1795946400200000LL);
        QVERIFY(Timestamp::fromEpochMillis(1.5, us));
        QCOMPARE(us, 1500LL);
        QVERIFY(!Timestamp::fromEpochMillis(1e300, us));
        QVERIFY(!Timestamp::fromEpochMillis(std::numeric_limits<double>::quiet_NaN(), us));
    }

    void format() { QCOMPARE(Timestamp::toIso8601(1795946400250000LL), QStringLiteral("2026-11-29T10:00:00.250Z")); }

    void formatEveryYearATimestampCanName_data()
    {
        QTest::addColumn<QString>("text");
        for (const char* t : { "1970-01-01T00:00:00.000Z", "1969-12-31T23:59:59.999Z", "2000-02-29T12:34:56.789Z",
                 "2100-03-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "0001-12-31T23:59:59.000Z",
                 "9999-12-31T23:59:59.999Z", "1600-02-29T00:00:00.001Z" })
            QTest::addRow("%s", t) << QString::fromLatin1(t);
    }
    void formatEveryYearATimestampCanName()
    {
        // year 0000 (1 BC) came out as "": a summary said "firstTimestamp": "" and "Time range: .."
        QFETCH(QString, text);
        qint64 us = 0;
        const QByteArray utf8 = text.toLatin1();
        QVERIFY(Timestamp::parseIso8601(std::string_view(utf8.constData(), std::size_t(utf8.size())), us));
        QCOMPARE(Timestamp::toIso8601(us), text);
    }
};

QTEST_GUILESS_MAIN(TestTimestamp)
#include "tst_timestamp.moc"
