// SPDX-License-Identifier: MIT
#include "streampicker.h"
#include "timestamp.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QLabel>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTest>
#include <QTreeWidget>
#include <QUrlQuery>
#include <cstdlib>

namespace {
qint64 us(const char* text)
{
    qint64 v = 0;
    Timestamp::parseIso8601(text, v);
    return v;
}

std::vector<StreamInfo> twoStreams()
{
    StreamInfo events;
    events.name = QStringLiteral("EVENTS");
    events.subjects = QStringList { QStringLiteral("bus.>") };
    events.messages = 21310;
    events.bytes = 9 << 20;
    events.firstSeq = 1204;
    events.lastSeq = 22513;
    events.firstTimeUs = us("2026-12-05T14:00:00Z");
    events.lastTimeUs = us("2026-12-05T14:20:00Z");
    events.consumers = 4;
    StreamInfo audit;
    audit.name = QStringLiteral("AUDIT");
    return { events, audit };
}

QString item(const QUrl& url, const char* key) { return QUrlQuery(url).queryItemValue(QString::fromLatin1(key)); }
} // namespace

class TestStreamPicker : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // the server asked is the one typed; its streams are listed with their sizes and time ranges
    void listsTheServersStreams()
    {
        StreamPickerDialog d({ QStringLiteral("nats+ws://a:4223,b:4224") });
        QSignalSpy asked(&d, &StreamPickerDialog::listRequested);
        d.listStreams();
        QCOMPARE(asked.size(), 1);
        const QUrl server = asked[0][0].toUrl();
        QCOMPARE(server.host(), QStringLiteral("a"));
        QCOMPARE(item(server, "servers"), QStringLiteral("b:4224")); // the cluster's other server kept
        d.setStreams(server, twoStreams(), {});
        auto* list = d.findChild<QTreeWidget*>();
        QCOMPARE(list->topLevelItemCount(), 2);
        QCOMPARE(list->topLevelItem(0)->text(0), QStringLiteral("EVENTS"));
        QCOMPARE(list->topLevelItem(0)->text(3), QStringLiteral("2026-12-05T14:00:00.000Z"));
        QCOMPARE(list->topLevelItem(1)->text(3), QString()); // an empty stream has no time
        // what an error says stays in the window, and nothing can be opened
        d.setStreams(server, {}, QStringLiteral("the NATS server has no JetStream"));
        QCOMPARE(list->topLevelItemCount(), 0);
        QVERIFY(!d.url().isValid());
        const auto buttons = d.findChildren<QPushButton*>();
        const auto open = std::find_if(
            buttons.begin(), buttons.end(), [](QPushButton* b) { return b->text() == QStringLiteral("&Open"); });
        QVERIFY(open != buttons.end() && !(*open)->isEnabled());
    }

    // each choice of what to read is the URL that reads it
    void eachRangeIsItsUrl()
    {
        StreamPickerDialog d({});
        d.setStreams(QUrl(QStringLiteral("nats+ws://127.0.0.1:4223")), twoStreams(), {});
        d.choose(QStringLiteral("EVENTS"), StreamPickerDialog::Last);
        QUrl url = d.url();
        QCOMPARE(url.scheme(), QStringLiteral("nats+ws"));
        QCOMPARE(item(url, "stream"), QStringLiteral("EVENTS"));
        QCOMPARE(item(url, "from"), QStringLiteral("1h"));
        // up to now: a range with an end, opened as a capture
        const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
        qint64 toUs = 0;
        QVERIFY(Timestamp::parseIso8601(item(url, "to").toStdString(), toUs));
        QVERIFY2(std::abs(toUs - nowUs) < 5000000, qPrintable(item(url, "to")));
        // followed live: no end (a choice below the others)
        d.show();
        QVERIFY(QTest::qWaitForWindowExposed(&d));
        QVERIFY(d.followCheck()->isVisible());
        QVERIFY(d.followCheck()->y() > d.findChild<QTreeWidget*>()->geometry().bottom());
        d.followCheck()->setChecked(true);
        QVERIFY(!QUrlQuery(d.url()).hasQueryItem(QStringLiteral("to")));
        d.followCheck()->setChecked(false);
        d.lastCombo()->setCurrentIndex(0);
        QCOMPARE(item(d.url(), "from"), QStringLiteral("15m"));

        d.choose(QStringLiteral("EVENTS"), StreamPickerDialog::Everything);
        QCOMPARE(item(d.url(), "from"), QStringLiteral("first"));
        QVERIFY(QUrlQuery(d.url()).hasQueryItem(QStringLiteral("to")));
        d.choose(QStringLiteral("EVENTS"), StreamPickerDialog::OnlyNew);
        QCOMPARE(item(d.url(), "from"), QStringLiteral("new"));
        QVERIFY(!QUrlQuery(d.url()).hasQueryItem(QStringLiteral("to"))); // only new is live
        QVERIFY(d.followCheck()->isChecked() && !d.followCheck()->isEnabled());
        // from a sequence: the stream's first, to start with
        d.choose(QStringLiteral("EVENTS"), StreamPickerDialog::FromSequence);
        QCOMPARE(item(d.url(), "from"), QStringLiteral("1204"));
        d.sequenceSpin()->setValue(20000);
        QCOMPARE(item(d.url(), "from"), QStringLiteral("20000"));
        // between two times: the stream's first and last (a second past it), read and then finished
        d.choose(QStringLiteral("EVENTS"), StreamPickerDialog::Between);
        url = d.url();
        QCOMPARE(item(url, "from"), QStringLiteral("2026-12-05T14:00:00.000Z"));
        QCOMPARE(item(url, "to"), QStringLiteral("2026-12-05T14:20:01.000Z"));
        QVERIFY(!d.followCheck()->isChecked() && !d.followCheck()->isEnabled());
        // the other stream
        d.choose(QStringLiteral("AUDIT"), StreamPickerDialog::Everything);
        QCOMPARE(item(d.url(), "stream"), QStringLiteral("AUDIT"));
    }

    void onlyNatsServersAreAsked()
    {
        StreamPickerDialog d({ QStringLiteral("ws://127.0.0.1:8080/events") });
        QSignalSpy asked(&d, &StreamPickerDialog::listRequested);
        d.listStreams();
        QCOMPARE(asked.size(), 0);
        QVERIFY(d.findChild<QLabel*>(QStringLiteral("status"))->text().contains(QLatin1String("nats+ws://")));
    }
};

QTEST_MAIN(TestStreamPicker)
#include "tst_streampicker.moc"
