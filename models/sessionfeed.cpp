// SPDX-License-Identifier: MIT
#include "sessionfeed.h"

#include "decodedbatch.h"
#include "modelslogging.h"

#include <QDateTime>
#include <QThread>
#include <QTimer>
#include <algorithm>
#include <utility>

SessionFeed::SessionFeed(Session& session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(0);
    connect(m_timer, &QTimer::timeout, this, &SessionFeed::ingestPending);
}

SessionFeed::~SessionFeed() = default;

void SessionFeed::ingest(const std::shared_ptr<DecodedBatch>& batch)
{
    Q_ASSERT(QThread::currentThread() == thread());
    const std::size_t n = batch->events.size();
    if (m_pendingEvents + n > MaxPendingEvents && !m_pending.empty()) {
        if (m_dropped == 0)
            qCWarning(lcModels, "the session cannot keep up: %zu events wait; whole batches are dropped and counted",
                m_pendingEvents);
        m_dropped += n + batch->malformed.size();
        return;
    }
    m_pending.push_back(batch);
    m_pendingEvents += n;
    if (!m_timer->isActive())
        m_timer->start(0);
}

void SessionFeed::setIngestLimit(double eventsPerSecond)
{
    m_ingestLimit = std::max(0.0, eventsPerSecond);
    m_allowance = 0;
    m_allowanceClock.start();
}

bool SessionFeed::refreshAllowance()
{
    // grows at the limit's rate and holds at most a tenth of a second's worth
    m_allowance
        = std::min(m_ingestLimit / 10, m_allowance + m_ingestLimit * double(m_allowanceClock.nsecsElapsed()) / 1e9);
    m_allowanceClock.start();
    return m_allowance >= 1;
}

bool SessionFeed::ingestSlice(std::size_t step)
{
    // The memory cap comes first, within a batch too: a batch taken in slowly under an ingest limit
    // would otherwise let the cap be overrun.
    if (m_session.overCap()) {
        m_session.evictSome(std::min<std::size_t>(step, 512));
        return false;
    }
    std::size_t most = step;
    if (m_ingestLimit > 0) {
        if (!refreshAllowance())
            return false;
        most = std::min<std::size_t>(most, std::size_t(m_allowance));
    }
    const DecodedBatch& batch = *m_pending.front();
    if (m_horizonUs != std::numeric_limits<qint64>::max()) {
        // replay: up to the first event beyond the horizon
        std::size_t n = 0;
        for (std::size_t i = m_cursor.next; i < batch.events.size() && n < most; ++i, ++n) {
            if (batch.events[i].receiveTimeUs > m_horizonUs)
                break;
        }
        m_horizonReached = n < most && m_cursor.next + n < batch.events.size();
        if (n == 0)
            return false;
        most = n;
    }
    const std::size_t before = m_cursor.next;
    const bool whole = m_session.ingestSome(batch, m_cursor, most);
    if (m_ingestLimit > 0)
        m_allowance -= double((whole ? batch.events.size() : m_cursor.next) - before);
    if (!whole)
        return false;
    m_pendingEvents -= batch.events.size();
    m_pending.pop_front();
    m_cursor = {};
    return true;
}

void SessionFeed::ingestPending()
{
    QElapsedTimer slice;
    slice.start();
    const quint64 before = m_session.eventCount();
    // a few milliseconds at a time: timers, input and painting get their turn in between
    bool allowed = true;
    m_horizonReached = false;
    // 512 events are well under a millisecond of ingest, or of eviction; the clock is read after each,
    // so a slow stretch (fresh pages, a busy core) cannot hold the loop much past its 4 ms
    while (!m_pending.empty() && slice.nsecsElapsed() < 4 * 1000000 && allowed && !m_horizonReached) {
        ingestSlice(512);
        allowed = m_ingestLimit <= 0 || refreshAllowance();
    }
    if (m_session.eventCount() != before)
        Q_EMIT advanced();
    // replay at the horizon: nothing more until it moves (setHorizon() starts the slices again)
    if (m_horizonReached)
        return;
    // a timer, not a posted call: posted events posted while posted events are delivered run in the
    // same pass, so the event loop's timers (and input) would never get a turn between slices. Under
    // an ingest limit that has run out, the next slice waits for a few milliseconds' allowance.
    if (!m_pending.empty())
        m_timer->start(allowed ? 0 : 5);
}

void SessionFeed::setHorizon(qint64 timeUs)
{
    m_horizonUs = timeUs;
    m_horizonReached = false;
    if (!m_pending.empty() && !m_timer->isActive())
        m_timer->start(0);
}

qint64 SessionFeed::nextPendingTimeUs() const
{
    // the front batch's next event: ingestSlice() pops a batch as soon as it is done
    if (m_pending.empty() || m_cursor.next >= m_pending.front()->events.size())
        return std::numeric_limits<qint64>::min();
    return m_pending.front()->events[m_cursor.next].receiveTimeUs; // the session time (Session::Clock)
}

qint64 SessionFeed::nowUs() const
{
    if (m_clockUs != 0)
        return m_clockUs;
    return m_session.config().clock == Session::Clock::Live ? QDateTime::currentMSecsSinceEpoch() * 1000
                                                            : m_session.lastEventTimeUs();
}

void SessionFeed::reset()
{
    m_pending.clear();
    m_pendingEvents = 0;
    m_cursor = {};
    m_horizonReached = false;
    m_session.reset();
    Q_EMIT rewound();
}

void SessionFeed::notifyRewound() { Q_EMIT rewound(); }

void SessionFeed::notifyAdvanced() { Q_EMIT advanced(); }

void SessionFeed::drain()
{
    // everything waiting now, whatever the ingest limit; a replay's horizon still holds
    const double limit = std::exchange(m_ingestLimit, 0.0);
    const quint64 before = m_session.eventCount();
    m_horizonReached = false;
    // nothing waits for a turn here: whole batches at a time, the cap still checked between them
    while (!m_pending.empty() && !m_horizonReached)
        ingestSlice(std::numeric_limits<std::size_t>::max() / 2);
    m_ingestLimit = limit;
    while (m_session.overCap())
        m_session.evictSome(EventStore::ChunkSize);
    if (m_session.eventCount() != before)
        Q_EMIT advanced();
}
