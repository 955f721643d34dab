// SPDX-License-Identifier: MIT
#include "background.h"

#include <QTest>
#include <atomic>
#include <memory>

class TestBackground : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void workRunsOffTheOwnersThreadAndTheResultComesBackOnIt()
    {
        QObject owner;
        QThread* worker = nullptr;
        QThread* deliveredOn = nullptr;
        int result = 0;
        BackgroundJobs::run(
            &owner,
            [&worker] {
                worker = QThread::currentThread();
                return 42;
            },
            [&](int r) {
                deliveredOn = QThread::currentThread();
                result = r;
            });
        QTRY_COMPARE(result, 42);
        QVERIFY(worker != nullptr && worker != QThread::currentThread());
        QCOMPARE(deliveredOn, QThread::currentThread());
    }

    void anOwnerGoneMeanwhileGetsNothing()
    {
        auto owner = std::make_unique<QObject>();
        std::atomic<bool> release { false };
        std::atomic<bool> finished { false };
        bool delivered = false;
        BackgroundJobs::run(
            owner.get(),
            [&] {
                while (!release)
                    QThread::msleep(1);
                finished = true;
                return 1;
            },
            [&delivered](int) { delivered = true; });
        owner.reset(); // the window closes while its job runs
        release = true;
        QTRY_VERIFY(finished);
        QTest::qWait(50); // the delivery, had it been posted to a live owner, would have run by now
        QVERIFY(!delivered);
    }

    void theLatestRequestWins()
    {
        QObject owner;
        BackgroundJobs jobs;
        std::atomic<bool> releaseFirst { false };
        QList<int> delivered;
        jobs.runLatest(
            &owner,
            [&] {
                while (!releaseFirst)
                    QThread::msleep(1);
                return 1;
            },
            [&delivered](int r) { delivered << r; });
        jobs.runLatest(
            &owner, [] { return 2; }, [&delivered](int r) { delivered << r; });
        QTRY_COMPARE(delivered, QList<int> { 2 });
        releaseFirst = true; // the older job ends after the newer one: its result is dropped
        QTest::qWait(50);
        QCOMPARE(delivered, QList<int> { 2 });
        // and every job of plain run() delivers
        QList<int> all;
        for (int i = 0; i < 3; ++i)
            BackgroundJobs::run(
                &owner, [i] { return i; }, [&all](int r) { all << r; });
        QTRY_COMPARE(all.size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestBackground)
#include "tst_background.moc"
