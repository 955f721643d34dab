// SPDX-License-Identifier: MIT
#include "stringpool.h"

#include <QElapsedTimer>
#include <QTest>
#include <set>

class TestStringPool : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void internsOnce()
    {
        StringPool pool;
        const auto a = pool.intern("booking.created");
        const auto b = pool.intern("user.logged_in");
        QVERIFY(a != b);
        QCOMPARE(pool.intern("booking.created"), a);
        QCOMPARE(pool.view(a), std::string_view("booking.created"));
        QCOMPARE(pool.string(b), QStringLiteral("user.logged_in"));
        QCOMPARE(pool.find("user.logged_in"), int(b));
        QCOMPARE(pool.find("nope"), -1);
        QCOMPARE(pool.intern(""), StringPool::Id(0));
    }

    void lookalikesKeepTheirOwnIds()
    {
        // intern() remembers recent strings by length, first and last byte: strings alike in all three
        // share that place and must still get their own ids, however they alternate
        StringPool pool;
        const std::vector<std::string> alike { "booking.created", "booking.deleted", "bxxxxxxxxxxxxxd",
            "b.............d" };
        std::vector<StringPool::Id> ids;
        for (const std::string& s : alike)
            ids.push_back(pool.intern(s));
        QCOMPARE(std::set<StringPool::Id>(ids.begin(), ids.end()).size(), alike.size());
        for (int round = 0; round < 50; ++round) {
            const std::size_t i = std::size_t(round * 7 % 4);
            QCOMPARE(pool.intern(alike[i]), ids[i]);
            QCOMPARE(pool.intern(alike[i]), ids[i]); // and again, now remembered
        }
        // moved (as a Session is), the pool still finds its strings in place
        StringPool moved = std::move(pool);
        for (std::size_t i = 0; i < alike.size(); ++i) {
            QCOMPARE(moved.intern(alike[i]), ids[i]);
            QCOMPARE(moved.view(ids[i]), std::string_view(alike[i]));
        }
        QCOMPARE(moved.size(), std::size_t(2 + alike.size()));
    }

    void boundedWithOverflowCounted()
    {
        StringPool pool(100);
        for (int i = 0; i < 1000; ++i)
            pool.intern(std::to_string(i));
        QCOMPARE(pool.size(), std::size_t(100));
        QCOMPARE(pool.overflowed(), quint64(902)); // "" and "(other)" take two places
        QCOMPARE(pool.intern("999"), pool.overflowId());
        QCOMPARE(pool.string(pool.overflowId()), QStringLiteral("(other)"));
        // everything interned before the cap is still found after the table grew several times
        for (int i = 0; i < 98; ++i)
            QCOMPARE(pool.find(std::to_string(i)), i + 2);
    }

    void manyDistinctStringsStayFast()
    {
        // a hostile stream of unique names: interning stays linear (no rebuild per string)
        StringPool pool(65535);
        QElapsedTimer t;
        t.start();
        for (int i = 0; i < 200000; ++i)
            pool.intern("type-" + std::to_string(i));
        QCOMPARE(pool.size(), std::size_t(65535));
        QVERIFY2(t.elapsed() < 5000, qPrintable(QString::number(t.elapsed())));
    }
};

QTEST_GUILESS_MAIN(TestStringPool)
#include "tst_stringpool.moc"
