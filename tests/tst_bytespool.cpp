// SPDX-License-Identifier: MIT
// The spool a compressed capture's decompressed bytes go to: readable where it says, padded, given
// back to the disk when no event needs a segment, and a refusal from the disk is an error, not a crash.
#include "bytespool.h"

#include <QDir>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>
#include <sys/resource.h>

class TestByteSpool : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bytesAreReadWhereWrittenAndPadded()
    {
        QTemporaryDir dir;
        QString error;
        auto spool = ByteSpool::create(dir.path(), 64 << 10, &error);
        QVERIFY2(spool, qPrintable(error));
        std::vector<std::pair<std::shared_ptr<const RawBlock>, const char*>> written;
        std::vector<QByteArray> texts;
        for (int i = 0; i < 500; ++i) {
            texts.push_back(QByteArray(300 + i % 17, char('a' + i % 26)));
            const char* at = nullptr;
            auto block = spool->write(texts.back().constData(), std::size_t(texts.back().size()), 64, &at);
            QVERIFY2(block, qPrintable(spool->error()));
            // inside its segment, with 64 readable bytes after it
            QVERIFY(at >= block->data() && at + texts.back().size() + 64 <= block->data() + block->size());
            written.emplace_back(std::move(block), at);
        }
        for (std::size_t i = 0; i < texts.size(); ++i)
            QCOMPARE(QByteArray(written[i].second, texts[i].size()), texts[i]);
        QVERIFY(written.front().first != written.back().first); // 150 KiB crossed segments
        // a write larger than a segment gets one of its own
        const QByteArray big(200 << 10, 'z');
        const char* at = nullptr;
        auto block = spool->write(big.constData(), std::size_t(big.size()), 64, &at);
        QVERIFY(block);
        QVERIFY(block->size() >= std::size_t(big.size()) + 64);
        QCOMPARE(QByteArray(at, big.size()), big);
        QVERIFY(QDir(dir.path()).entryList(QDir::Files | QDir::Hidden | QDir::System).isEmpty());
    }

    void segmentsNoLongerUsedGiveTheirDiskSpaceBack()
    {
        QTemporaryDir dir;
        QString error;
        auto spool = ByteSpool::create(dir.path(), 1 << 20, &error);
        QVERIFY2(spool, qPrintable(error));
        const QByteArray chunk(512 << 10, 'q');
        std::vector<std::shared_ptr<const RawBlock>> blocks;
        for (int i = 0; i < 8; ++i) {
            const char* at = nullptr;
            blocks.push_back(spool->write(chunk.constData(), std::size_t(chunk.size()), 64, &at));
            QVERIFY(blocks.back());
        }
        const quint64 full = spool->allocatedBytes();
        QVERIFY2(full >= 4u << 20, qPrintable(QString::number(full)));
        // the memory cap dropped the events of the first segments: their blocks go
        blocks.erase(blocks.begin(), blocks.begin() + 6);
        QVERIFY2(spool->allocatedBytes() <= full - (2u << 20), qPrintable(QString::number(spool->allocatedBytes())));
    }

    void aDiskThatRefusesIsAnErrorNotAFault()
    {
        // a file size limit stands in for a full disk: pwrite() and ftruncate() fail (EFBIG)
        QTemporaryDir dir;
        QString error;
        auto spool = ByteSpool::create(dir.path(), 1 << 20, &error);
        QVERIFY2(spool, qPrintable(error));
        const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        rlimit old {};
        getrlimit(RLIMIT_FSIZE, &old);
        rlimit small = old;
        small.rlim_cur = 3u << 20;
        QCOMPARE(setrlimit(RLIMIT_FSIZE, &small), 0);
        const QByteArray chunk(700 << 10, 'w');
        int accepted = 0;
        std::shared_ptr<const RawBlock> last;
        for (int i = 0; i < 10; ++i) {
            const char* at = nullptr;
            auto block = spool->write(chunk.constData(), std::size_t(chunk.size()), 64, &at);
            if (!block)
                break;
            QCOMPARE(QByteArray(at, 16), chunk.left(16));
            last = std::move(block);
            ++accepted;
        }
        setrlimit(RLIMIT_FSIZE, &old);
        std::signal(SIGXFSZ, oldHandler);
        QVERIFY2(accepted >= 1 && accepted < 10, qPrintable(QString::number(accepted)));
        QVERIFY2(spool->error().contains(dir.path()), qPrintable(spool->error()));
    }

    void theSpoolLeavesTheDiskRoomToSpare()
    {
        // it never fills the user's disk: asked to leave more free than any disk has, it takes nothing
        QTemporaryDir dir;
        QString error;
        auto spool = ByteSpool::create(dir.path(), 1 << 20, &error, quint64(1) << 60);
        QVERIFY2(spool, qPrintable(error));
        const char* at = nullptr;
        QVERIFY(!spool->write("{}", 2, 64, &at));
        QVERIFY2(spool->error().contains(QStringLiteral("MiB free")) && spool->error().contains(dir.path()),
            qPrintable(spool->error()));
        QCOMPARE(spool->allocatedBytes(), 0ull);
        // with the default reserve, this machine's disk takes a segment
        auto roomy = ByteSpool::create(dir.path(), 1 << 20, &error);
        QVERIFY(roomy->write("{}", 2, 64, &at));
    }

    void aDirectoryThatCannotBeMadeIsSaid()
    {
        QTemporaryDir dir;
        QFile f(dir.filePath(QStringLiteral("plain")));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        QString error;
        QVERIFY(!ByteSpool::create(f.fileName() + QStringLiteral("/spool"), 1 << 20, &error));
        QVERIFY2(error.contains(f.fileName()), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestByteSpool)
#include "tst_bytespool.moc"
