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
        const std::string_view view(text.constData(), std::size_t(text.size()));
        Uuid u, portable;
        QCOMPARE(Uuid::parse(view, u), valid);
        QCOMPARE(Uuid::parsePortable(view, portable), valid);
        if (valid) {
            QCOMPARE(u.toString(), canonical);
            QCOMPARE(portable, u);
        }
    }

    void everyByteInEveryPlaceIsJudgedAlikeWithAndWithoutSimd()
    {
        // all 256 byte values in each of the 36 places of a valid id (mixed case), through parse() (SIMD
        // where the CPU has it) and parsePortable(): the same verdict and, when valid, the same id
        const QByteArray valid("09afAF19-bcde-4F0a-8b9c-d0e1f2a3b4c5");
        const auto hexValue = [](char c) {
            return c >= '0' && c <= '9' ? c - '0'
                : c >= 'a' && c <= 'f'  ? c - 'a' + 10
                : c >= 'A' && c <= 'F'  ? c - 'A' + 10
                                        : -1;
        };
        int accepted = 0;
        for (int place = 0; place < valid.size(); ++place) {
            for (int byte = 0; byte < 256; ++byte) {
                QByteArray text = valid;
                text[place] = char(byte);
                const std::string_view view(text.constData(), std::size_t(text.size()));
                Uuid u, portable;
                const bool ok = Uuid::parse(view, u);
                QCOMPARE(Uuid::parsePortable(view, portable), ok);
                const bool dashPlace = place == 8 || place == 13 || place == 18 || place == 23;
                QCOMPARE(ok, dashPlace ? byte == '-' : hexValue(char(byte)) >= 0);
                if (!ok)
                    continue;
                ++accepted;
                QCOMPARE(portable, u);
                // the changed digit is where it belongs in the 128 bits
                if (!dashPlace) {
                    const int digit = place - (place > 8) - (place > 13) - (place > 18) - (place > 23);
                    const quint64 word = digit < 16 ? u.hi : u.lo;
                    QCOMPARE(int((word >> ((15 - digit % 16) * 4)) & 0xF), hexValue(char(byte)));
                }
            }
        }
        QCOMPARE(accepted, 32 * 22 + 4); // 22 hex characters (0-9, a-f, A-F) in each digit's place
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
