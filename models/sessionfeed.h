// SPDX-License-Identifier: MIT
#pragma once

#include "session.h"

#include <QElapsedTimer>
#include <QObject>
#include <deque>
#include <limits>
#include <memory>

class QTimer;
struct DecodedBatch;

/// The one way batches go into a Session, for a window, a capture being read and the command line.
/// Batches wait in a queue and are taken in slices of a few milliseconds on the owner's event loop, so
/// whoever shows the session stays responsive; between slices the memory cap evicts the oldest events.
/// On top: an ingest limit (events per second, for a monitor that must stay light), a horizon (replay:
/// events up to a time, the rest waits) and the clock the views read as "now" during a replay. Beyond
/// MaxPendingEvents waiting, whole batches are dropped and counted exactly.
class SessionFeed : public QObject
{
    Q_OBJECT
public:
    explicit SessionFeed(Session& session, QObject* parent = nullptr);
    ~SessionFeed() override;

    Session& session() const { return m_session; }

    static constexpr std::size_t MaxPendingEvents = 262144;
    /// Queues a batch; slices take it in from the event loop.
    void ingest(const std::shared_ptr<DecodedBatch>& batch);
    /// Takes in everything waiting now, whatever the ingest limit (a replay's horizon still holds), and
    /// what the memory cap has left to evict.
    void drain();
    /// Events queued and not yet taken in.
    std::size_t pendingEvents() const { return m_pendingEvents; }
    /// Events dropped because the queue was full (counted exactly).
    quint64 dropped() const { return m_dropped; }

    /// At most this many events taken in per second (0, the default: as many as the machine can).
    /// What arrives beyond it waits, and beyond MaxPendingEvents waiting is dropped and counted.
    void setIngestLimit(double eventsPerSecond);
    double ingestLimit() const { return m_ingestLimit; }

    /// Replay: events are taken in only up to this session time, in arrival order; the rest waits.
    /// INT64_MAX (the default): no limit.
    void setHorizon(qint64 timeUs);
    qint64 horizon() const { return m_horizonUs; }
    /// The session time of the next event waiting, or INT64_MIN when none is waiting.
    qint64 nextPendingTimeUs() const;

    /// Replay: the views' "now" (rates, ages, open chains); 0 (the default): the newest event's time in
    /// a recording, the wall clock live.
    void setClock(qint64 nowUs) { m_clockUs = nowUs; }
    qint64 nowUs() const;

    /// Starts again from nothing: the queue is discarded and the session reset (rewound() follows).
    void reset();
    /// The session went back in time (Session::replayTo()): says so to the views (rewound()).
    void notifyRewound();
    /// The session took events in by other means than this feed (restored from an index): advanced().
    void notifyAdvanced();

Q_SIGNALS:
    /// The session went back (reset or replayed to an earlier point): views start again from what it
    /// shows now.
    void rewound();
    /// Slices took events in (at most once per pass of the event loop).
    void advanced();

private:
    void ingestPending();
    /// Takes in up to `step` events of the front batch, or evicts as many when over the memory cap.
    bool ingestSlice(std::size_t step);
    bool refreshAllowance();

    Session& m_session;
    QTimer* m_timer; ///< takes the next slice
    std::deque<std::shared_ptr<DecodedBatch>> m_pending;
    std::size_t m_pendingEvents = 0;
    Session::IngestCursor m_cursor;
    quint64 m_dropped = 0;
    double m_ingestLimit = 0;
    double m_allowance = 0; ///< events that may be taken in now under the limit (a token bucket)
    QElapsedTimer m_allowanceClock;
    qint64 m_horizonUs = std::numeric_limits<qint64>::max();
    bool m_horizonReached = false; ///< the next waiting event is beyond the horizon
    qint64 m_clockUs = 0;
};
