// SPDX-License-Identifier: MIT
#pragma once

#include <condition_variable>
#include <mutex>
#include <utility>

/// A value handed from one thread to another under a mutex. Qt 6.4 orders its queued calls with
/// futexes that ThreadSanitizer cannot see, so what only a queued call carries looks racy to it; what
/// goes through here is ordered in a way it sees (and that needs no Qt at all).
template<typename T>
class Handover
{
public:
    /// Notifies under the lock: a waiter may destroy the Handover as soon as wait() returns, so the
    /// notification must be over before the lock is free for it (notified after unlocking, a waiter
    /// woken early could free the condition variable while notify_all() still used it).
    void put(T value)
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_value = std::move(value);
        m_ready = true;
        m_cv.notify_all();
    }
    /// Waits for put(), then takes the value.
    T wait()
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_cv.wait(lock, [this] { return m_ready; });
        m_ready = false;
        return std::move(m_value);
    }
    /// Takes what was put (a default value when nothing was).
    T take()
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_ready = false;
        return std::exchange(m_value, T {});
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_cv;
    T m_value {};
    bool m_ready = false;
};
