// SPDX-License-Identifier: MIT
#pragma once

#include "sessionindex.h"

#include <QString>
#include <memory>

/// Keeps the saved index (SessionIndex) of a capture being recorded up to date as the capture grows, on a
/// thread of its own, so that a recording opens from its index at once, and a crash leaves an index of
/// a prefix of it: opening it then restores that and reads on from its end (Restore::readOnFrom()).
///
/// Each time the capture's complete records have grown by a quarter since the last index (at least
/// 64 MiB; the first at SessionIndex::MinimumCaptureBytes), the index is brought up to them: restored
/// from the last one, the records since read on, and the whole written again to a temporary file
/// renamed into place; and once more, whole, when the recording ends. Writing the whole index each time
/// (there is no appending to one) costs about five times the final index's bytes over a recording;
/// a crash leaves at most a quarter of the capture (or 64 MiB) to be read on.
class RecordingIndexer
{
public:
    struct Options
    {
        quint64 firstBytes = SessionIndex::MinimumCaptureBytes;
        quint64 minimumStep = quint64(64) << 20;
        double growth = 1.25;
    };
    /// Starts the thread for the capture at `path`, just created (any index of an earlier capture there
    /// is removed).
    RecordingIndexer(const QString& path, Options options);
    /// The recording goes on without it: the thread ends as finish() would, by itself.
    ~RecordingIndexer();
    RecordingIndexer(const RecordingIndexer&) = delete;
    RecordingIndexer& operator=(const RecordingIndexer&) = delete;

    /// The capture's complete records now end at `bytes` (the writer flushed them): cheap, any thread.
    void grew(quint64 bytes);
    /// The recording has ended at `bytes`: the last index is made of the whole capture, then the thread
    /// ends.
    void finish(quint64 bytes);
    /// Indexes made so far, the capture bytes the newest holds, and the bytes of every index written (for
    /// tests and benchmarks).
    int indexesWritten() const;
    quint64 indexedBytes() const;
    quint64 indexBytesWritten() const;

    /// Waits until every recording's last index is written (at a program's end, after its recordings
    /// ended); an indexer whose recording has not ended is stopped instead (stopAll()).
    static void finishAll();
    /// Stops every indexer and waits for its thread: a read under way is given up (an index being
    /// written is finished), and the last index of a recording that has just ended is not made; its
    /// capture then opens from the one before and reads on. A window quits at once this way.
    static void stopAll();
    /// Waits for the indexer of the capture at `path`, if there is one (finishAll() for it alone): a
    /// capture about to move takes its index with it.
    static void finish(const QString& path);

    struct State; ///< shared with the thread, which outlives the indexer

private:
    std::shared_ptr<State> m_state;
};
