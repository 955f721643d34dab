// SPDX-License-Identifier: MIT
#include "recentitems.h"
#include "urlredaction.h"

#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

class TestUrlRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void readableDecodesForTheEyeOnly_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("readable");
        QTest::addRow("NATS wildcard") << QStringLiteral("nats+ws://bus:4223/?subject=orders.%3E")
                                       << QStringLiteral("nats+ws://bus:4223/?subject=orders.>");
        QTest::addRow("MQTT multi-level wildcard") << QStringLiteral("mqtt+ws://bus/mqtt?topic=bookings/%23")
                                                   << QStringLiteral("mqtt+ws://bus/mqtt?topic=bookings/#");
        QTest::addRow("escaped slash and space")
            << QStringLiteral("ws://bus/ev%20ents?subject=a%2Fb") << QStringLiteral("ws://bus/ev ents?subject=a/b");
        QTest::addRow("a file name is left alone")
            << QStringLiteral("capture 100%25.ndjson") << QStringLiteral("capture 100%25.ndjson");
    }
    void readableDecodesForTheEyeOnly()
    {
        QFETCH(QString, url);
        QFETCH(QString, readable);
        QCOMPARE(UrlRedaction::readable(url), readable);
        // the recent connections keep the exact text: it connects to the same place again
        const QUrl exact(
            UrlRedaction::withoutCredentials(QUrl(url, QUrl::TolerantMode)).toString(), QUrl::TolerantMode);
        QCOMPARE(exact.query(QUrl::FullyDecoded), QUrl(url, QUrl::TolerantMode).query(QUrl::FullyDecoded));
    }

    void recentItemsFromHandEditedSettings()
    {
        // what File > Recent offers is read back from settings a user may edit: no credentials, no
        // scheme EventScope does not connect to, no relative path, at most ten
        QTemporaryDir dir;
        QSettings s(dir.filePath(QStringLiteral("r.ini")), QSettings::IniFormat);
        s.setValue(QStringLiteral("connections/recent"),
            QStringList { QStringLiteral("wss://ops:hunter2@bus.example.com/events"),
                QStringLiteral("file:///etc/passwd"),
                QStringLiteral("nats+ws://nats.example.com:4223?subject=orders.>") });
        const QStringList urls = RecentItems::connections(s);
        QCOMPARE(urls.size(), 2);
        QVERIFY(!urls.join(u' ').contains(QLatin1String("hunter2")));
        QVERIFY(urls.constFirst().startsWith(QLatin1String("wss://bus.example.com")));
        s.setValue(QStringLiteral("captures/recent"),
            QStringList { QStringLiteral("relative.escap"), QStringLiteral("/data/a.escap") });
        QCOMPARE(RecentItems::captures(s), QStringList { QStringLiteral("/data/a.escap") });
        QStringList many;
        for (int i = 0; i < 15; ++i)
            many = RecentItems::withFirst(many, QStringLiteral("ws://h%1/").arg(i % 12));
        QCOMPARE(many.size(), RecentItems::Most);
        QCOMPARE(many.constFirst(), QStringLiteral("ws://h2/"));
        QCOMPARE(many.count(QStringLiteral("ws://h2/")), 1);
    }

    void redact_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("expected");
        QTest::addRow("plain") << QStringLiteral("ws://bus:8080/events") << QStringLiteral("ws://bus:8080/events");
        QTest::addRow("user and password")
            << QStringLiteral("wss://alice:s3cret@bus/events") << QStringLiteral("wss://bus/events");
        QTest::addRow("token") << QStringLiteral("wss://bus/events?token=abc&types=booking.*")
                               << QStringLiteral("wss://bus/events?token=REDACTED&types=booking.*");
        QTest::addRow("access_token") << QStringLiteral("wss://bus/?access_token=abc")
                                      << QStringLiteral("wss://bus/?access_token=REDACTED");
        QTest::addRow("password param") << QStringLiteral("nats+ws://bus/?password=pw&subject=%3E")
                                        << QStringLiteral("nats+ws://bus/?password=REDACTED&subject=>");
        // shown as typed (a NATS wildcard reads as itself), but what would change the URL's meaning stays
        // encoded: an & or = inside a value, and MQTT's # (a fragment otherwise)
        QTest::addRow("wildcards readable, delimiters kept")
            << QStringLiteral("nats+ws://bus/?subject=a.*.%3E%26b%3Dc&x=1")
            << QStringLiteral("nats+ws://bus/?subject=a.*.>%26b%3Dc&x=REDACTED");
        QTest::addRow("mqtt multi-level wildcard")
            << QStringLiteral("mqtt+ws://bus/?topic=events/%23") << QStringLiteral("mqtt+ws://bus/?topic=events/%23");
        QTest::addRow("api key") << QStringLiteral("wss://bus/?apikey=k1&types=booking.*")
                                 << QStringLiteral("wss://bus/?apikey=REDACTED&types=booking.*");
        // secrets go by any name: every value is hidden but those of the buses' own harmless parameters
        for (const char* name :
            { "sig", "jwt", "pwd", "session", "access_key", "code", "X-Amz-Signature", "privateKey", "anything" })
            QTest::addRow("%s", name) << QStringLiteral("wss://bus/?%1=s3cr3t&topic=a/b").arg(QLatin1String(name))
                                      << QStringLiteral("wss://bus/?%1=REDACTED&topic=a/b").arg(QLatin1String(name));
        QTest::addRow("fragment") << QStringLiteral("wss://bus/events#access_token=s3cr3t")
                                  << QStringLiteral("wss://bus/events#REDACTED");
        QTest::addRow("harmless ones kept") << QStringLiteral("nats+ws://bus/?stream=EVENTS&from=1h&Subject=x.y&qos=1")
                                            << QStringLiteral("nats+ws://bus/?stream=EVENTS&from=1h&Subject=x.y&qos=1");
        QTest::addRow("Authorization") << QStringLiteral("wss://bus/?Authorization=Bearer%20x")
                                       << QStringLiteral("wss://bus/?Authorization=REDACTED");
        QTest::addRow("file") << QStringLiteral("file:///tmp/capture.escap")
                              << QStringLiteral("file:///tmp/capture.escap");
    }
    void redact()
    {
        QFETCH(QString, url);
        QFETCH(QString, expected);
        QCOMPARE(UrlRedaction::redacted(QUrl(url)), expected);
        QCOMPARE(QUrl(expected), UrlRedaction::redact(QUrl(url))); // read back, the same URL
        QVERIFY(!UrlRedaction::redacted(QUrl(url)).contains(QLatin1String("s3cr")));
    }

    void aRecentConnectionKeepsOnlyWhatIsHarmless()
    {
        QCOMPARE(UrlRedaction::withoutCredentials(
                     QUrl(QStringLiteral("wss://u:p@bus/events?sig=abc&types=booking.*&session=1#frag"))),
            QUrl(QStringLiteral("wss://bus/events?types=booking.*")));
    }
};

QTEST_GUILESS_MAIN(TestUrlRedaction)
#include "tst_urlredaction.moc"
