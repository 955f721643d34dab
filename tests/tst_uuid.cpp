// SPDX-License-Identifier: MIT
#include "uuid.h"

#include <QTest>

class TestUuid : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("canonical");
        QTest::addRow("lower") << QByteArray("123e4567-e89b-42d3-a456-426614174000") << true
                               << QStringLiteral("123e4567-e89b-42d3-a456-426614174000");
        QTest::addRow("upper") << QByteArray("123E4567-E89B-42D3-A456-426614174000") << true
                               << QStringLiteral("123e4567-e89b-42d3-a456-426614174000");
        QTest::addRow("nil") << QByteArray("00000000-0000-0000-0000-000000000000") << true
                             << QStringLiteral("00000000-0000-0000-0000-000000000000");
        QTest::addRow("no dashes") << QByteArray("123e4567e89b42d3a456426614174000") << false << QString();
        QTest::addRow("braces") << QByteArray("{123e4567-e89b-42d3-a456-426614174000}") << false << QString();
        QTest::addRow("bad digit") << QByteArray("123e4567-e89b-42d3-a456-42661417400g") << false << QString();
        QTest::addRow("dash moved") << QByteArray("123e456-7e89b-42d3-a456-426614174000") << false << QString();
        QTest::addRow("empty") << QByteArray() << false << QString();
        QTest::addRow("high bytes") << QByteArray("\xff\xff\xff\xff\xff\xff\xff\xff-ffff-ffff-ffff-ffffffffffff")
                                    << false << QString();
    }
    void parse()
    {
        QFETCH(QByteArray, text);
        QFETCH(bool, valid);
        QFETCH(QString, canonical);
        Uuid u;
        QCOMPARE(Uuid::parse(std::string_view(text.constData(), std::size_t(text.size())), u), valid);
        if (valid)
            QCOMPARE(u.toString(), canonical);
    }

    void caseInsensitiveIdsAreEqual()
    {
        bool h1 = true, h2 = true;
        const Uuid a = Uuid::fromText("123e4567-e89b-42d3-a456-426614174000", &h1);
        const Uuid b = Uuid::fromText("123E4567-E89B-42D3-A456-426614174000", &h2);
        QVERIFY(!h1 && !h2);
        QCOMPARE(a, b);
    }

    void otherIdsAreHashedStably()
    {
        bool hashed = false;
        const Uuid a = Uuid::fromText("order-77", &hashed);
        QVERIFY(hashed);
        QCOMPARE(a, Uuid::fromText("order-77", nullptr));
        QVERIFY(a != Uuid::fromText("order-78", nullptr));
        QVERIFY(!a.isNull());
    }
};

QTEST_GUILESS_MAIN(TestUuid)
#include "tst_uuid.moc"
