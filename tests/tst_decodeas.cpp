// SPDX-License-Identifier: MIT
#include "decodeas.h"
#include "eventdecoder.h"

#include <QTest>

class TestDecodeAs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aChoiceKeptAsTextComesBackTheSame()
    {
        DecodeAs fields;
        QString why;
        QVERIFY(fields.addField(QStringLiteral("id=eventId"), &why));
        QVERIFY(fields.addField(QStringLiteral("correlation"), QStringLiteral("metadata.$correlationId"), &why));
        QCOMPARE(fields.toText(), QStringLiteral("id=eventId;correlation=metadata.$correlationId"));
        QCOMPARE(DecodeAs::fromText(fields.toText()), std::optional<DecodeAs>(fields));
        QCOMPARE(fields.describe(), QStringLiteral("fields id=eventId, correlation=metadata.$correlationId"));

        DecodeAs profile;
        profile.profile = EventProfile::EventStoreDb;
        QCOMPARE(profile.toText(), QStringLiteral("profile=eventstoredb"));
        QCOMPARE(DecodeAs::fromText(profile.toText()), std::optional<DecodeAs>(profile));
        QCOMPARE(profile.describe(), QStringLiteral("EventStoreDB"));

        QVERIFY(DecodeAs::fromText(QString())->isAutomatic());
        QCOMPARE(DecodeAs().describe(), QStringLiteral("detected per event"));
    }

    void whatIsChosenReachesTheDecoder()
    {
        DecodeAs choice;
        QVERIFY(choice.addField(QStringLiteral("type=kind"), nullptr));
        DecoderConfig config;
        choice.applyTo(config);
        QCOMPARE(config.fields.size(), std::size_t(1));
        QCOMPARE(config.fields.front().first, std::string("type"));
        QCOMPARE(config.fields.front().second, std::string("kind"));
        QVERIFY(!config.profile);
        DecodeAs axon;
        axon.profile = EventProfile::Axon;
        axon.applyTo(config);
        QVERIFY(config.fields.empty());
        QCOMPARE(config.profile, std::optional<EventProfile>(EventProfile::Axon));
    }

    void aSettingThatIsNotAChoiceIsRefusedWithAReason_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        QTest::addRow("unknown profile") << QStringLiteral("profile=kafka") << QStringLiteral("is not one of");
        QTest::addRow("custom is not a profile to force")
            << QStringLiteral("profile=custom") << QStringLiteral("is not one of");
        QTest::addRow("unknown role") << QStringLiteral("corelation=meta.corr") << QStringLiteral("is not a role");
        QTest::addRow("no path") << QStringLiteral("id=") << QStringLiteral("must be a dotted field name");
        QTest::addRow("no =") << QStringLiteral("id") << QStringLiteral("is not ROLE=PATH");
        QTest::addRow("twice") << QStringLiteral("id=a;id=b") << QStringLiteral("mapped twice");
        QTest::addRow("a path too long") << QStringLiteral("id=") + QString(DecodeAs::MaxPathLength + 1, u'a')
                                         << QStringLiteral("must be a dotted field name");
        QTest::addRow("a megabyte") << QString(1 << 20, u'x') << QStringLiteral("characters long");
    }
    void aSettingThatIsNotAChoiceIsRefusedWithAReason()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString why;
        QVERIFY(!DecodeAs::fromText(text, &why));
        QVERIFY2(why.contains(reason), qPrintable(why));
    }
};

QTEST_GUILESS_MAIN(TestDecodeAs)
#include "tst_decodeas.moc"
