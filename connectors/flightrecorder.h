// SPDX-License-Identifier: MIT
#pragma once

#include "eventfilter.h"

#include <QObject>
#include <QString>
#include <QStringList>
#include <memory>

class Session;

/// The flight recorder: the last N minutes of the live session, always at hand, saved as a capture on
/// demand or when a trigger fires (a breaker opens, a dead letter arrives, an event matches a filter),
/// with the minutes before the trigger and some seconds after it. What it saves comes from the
/// session's retained events (their raw JSON, receive times and origins), so it keeps what the memory
/// cap keeps: the notice says so when the cap had already dropped part of the window. Files are
/// written on a thread of their own.
class FlightRecorder : public QObject
{
    Q_OBJECT
public:
    struct Options
    {
        int minutes = 5; ///< kept before a trigger (and saved by saveNow())
        int afterSeconds = 30; ///< recorded after a trigger before the file is written
        QString directory; ///< where triggered captures go
        bool onBreakerOpen = true;
        bool onDeadLetter = false;
        QString filter; ///< a display filter; empty: no filter trigger
    };

    explicit FlightRecorder(const Session& session, QObject* parent = nullptr);
    ~FlightRecorder() override;

    /// False with `error` when the filter does not parse.
    bool setOptions(const Options& options, QString* error);
    const Options& options() const { return m_options; }
    /// Armed: check() fires triggers. Saving on demand works either way.
    void setArmed(bool armed);
    bool isArmed() const { return m_armed; }

    /// Looks at what arrived since the last call (call it once a second): fires triggers, and writes a
    /// triggered capture once its after-seconds have passed. `nowUs` is the session's clock.
    void check(qint64 nowUs);
    /// Writes the last `minutes` before `nowUs` to `path` now (on the writer's thread).
    void saveNow(const QString& path, qint64 nowUs);
    /// A triggered capture is waiting for its after-seconds.
    bool isPending() const { return m_pendingUntilUs != 0; }

    /// The capture file name for a trigger at `timeUs`: eventscope-flight-YYYYMMDD-HHMMSS-REASON.escap.
    static QString fileNameFor(qint64 timeUs, const QString& reason);

Q_SIGNALS:
    void triggered(const QString& reason);
    /// A capture was written: `events` of them, from `fromUs` to `toUs`; `note` says what was missing.
    void saved(const QString& path, quint64 events, const QString& note);
    void failed(const QString& error);

private:
    void save(const QString& path, qint64 fromUs, qint64 toUs, const QString& reason);

    const Session& m_session;
    Options m_options;
    EventFilter m_filter;
    bool m_armed = false;
    quint32 m_nextEvent = 0;
    quint64 m_deadLetters = 0;
    std::vector<quint64> m_transitions; ///< per breaker, transitions already looked at
    qint64 m_triggerUs = 0; ///< when the pending trigger fired
    qint64 m_pendingUntilUs = 0;
    QStringList m_reasons;
};
