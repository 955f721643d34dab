// SPDX-License-Identifier: MIT
#pragma once

#include <QCoreApplication>
#include <QObject>
#include <QPointer>
#include <QThread>
#include <memory>
#include <utility>

/// The one way EventScope runs a piece of work off the GUI thread: `work()` runs on a thread of its
/// own, and `deliver(result)` then runs on the GUI thread, only if `owner` still exists (a window closed
/// meanwhile gets nothing, and nothing touches it). The thread deletes itself when done. Owners live on
/// the GUI thread (asserted); the work must not touch them, only what it was given.
///
/// A BackgroundJobs object also lets the latest request win: a result is delivered only if no newer job
/// was started through the same object since (a search typed again, a file chosen again).
class BackgroundJobs
{
public:
    template<typename Work, typename Deliver>
    static void run(QObject* owner, Work work, Deliver deliver)
    {
        start(owner, std::move(work), std::move(deliver), {}, 0);
    }

    /// As run(), but only the newest job started through this object delivers.
    template<typename Work, typename Deliver>
    void runLatest(QObject* owner, Work work, Deliver deliver)
    {
        start(owner, std::move(work), std::move(deliver), m_generation, ++*m_generation);
    }

private:
    template<typename Work, typename Deliver>
    static void start(QObject* owner, Work work, Deliver deliver, std::shared_ptr<quint64> generation, quint64 mine)
    {
        Q_ASSERT(owner && owner->thread() == QCoreApplication::instance()->thread());
        Q_ASSERT(QThread::currentThread() == owner->thread());
        QThread* thread
            = QThread::create([owner = QPointer<QObject>(owner), work = std::move(work), deliver = std::move(deliver),
                                  generation = std::move(generation), mine]() mutable {
                  auto result = work();
                  // posted to the application object, which outlives every owner; the owner is looked at
                  // only there, on the GUI thread, where it can be deleted
                  QMetaObject::invokeMethod(
                      QCoreApplication::instance(),
                      [owner, deliver = std::move(deliver), result = std::move(result), generation, mine]() mutable {
                          if (owner && (!generation || *generation == mine))
                              deliver(std::move(result));
                      },
                      Qt::QueuedConnection);
              });
        QObject::connect(thread, &QThread::finished, thread, &QObject::deleteLater);
        thread->start();
    }

    std::shared_ptr<quint64> m_generation = std::make_shared<quint64>(0);
};
