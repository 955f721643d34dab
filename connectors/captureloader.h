// SPDX-License-Identifier: MIT
#pragma once

#include "capturereader.h"
#include "decodedbatch.h"
#include "eventdecoder.h"

#include <QObject>
#include <QStringList>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

/// Reads a capture file on a thread of its own, for a window: decoding happens there, and the decoded
/// batches wait in a bounded queue that the owner's thread empties with take(). When the queue is full
/// the reader waits: a file is never dropped from, however slow the window. Origins are named by the
/// reader with ids of its own (in origins() order, from 1; 0 is "no origin", as in a Session); the taker maps them to
/// its session's.
class Session;
class SessionFeed;

class CaptureLoader : public QObject
{
    Q_OBJECT
public:
    static constexpr std::size_t BatchEvents = 4096;
    /// readInto() on one core: decoded and ingested in turn, a batch this size stays in the cache
    static constexpr std::size_t OneCoreBatchEvents = 1024;
    static constexpr std::size_t QueuedBatches = 8;

    explicit CaptureLoader(QObject* parent = nullptr);
    ~CaptureLoader() override; ///< cancels reading and waits for the thread

    /// How events are decoded (a forced profile, fields mapped by hand); before open().
    void setDecoderConfig(DecoderConfig config) { m_decoderConfig = std::move(config); }
    /// Recognises the file now; false with a message naming the file and why when it is not a capture.
    bool open(const QString& path, QString* error);
    /// Starts reading on the loader's thread (after open()).
    void start();
    /// Stops reading soon; what was read stays available. finished() follows.
    void cancel();

    /// Takes queued batches, in file order, up to about `maxEvents` events (at least one batch).
    std::vector<std::shared_ptr<DecodedBatch>> take(std::size_t maxEvents);
    /// Gives a taken batch back once ingested, for the reader to fill again (its memory already
    /// faulted in); ignored when someone else still holds it.
    void recycle(std::shared_ptr<DecodedBatch> batch);
    /// As take(), but waits until a batch is queued or reading has ended (then returns nothing).
    std::vector<std::shared_ptr<DecodedBatch>> waitAndTake(std::size_t maxEvents);
    /// Hands queued batches, up to about `maxEvents` events, to `feed` (without waiting): the reader's
    /// origins are named in its session and the batches' origin ids rewritten where the numberings
    /// differ, and the session's indexes are sized for the file (sizeSession()). Returns the batches
    /// handed over. The one way a window and readInto() take what the reader decoded.
    std::size_t feed(SessionFeed& feed, std::size_t maxEvents);
    /// After reading has ended: why it failed, or empty (read to the end, or cancelled).
    QString errorString() const;

    /// Reads a whole file into a session, decoding on the loader's thread while this thread ingests:
    /// the two cores share the work. With one core to run on (a container's quota, taskset), both on this
    /// thread instead, a small batch at a time, so decoded events are ingested while still in the cache.
    /// False, with a message naming the file, when it cannot be read.
    /// With `readOn`, on from where a saved index of the file ends (setReadOn()). `found`, if given, gets
    /// what an index of the file keeps beside its events: the bookmarks read and where the read stood.
    static bool readInto(Session& session, const QString& path, QString* error, const DecoderConfig& decoder = {},
        const SessionIndex::Extra::ReadOn* readOn = nullptr, const SessionIndex::ReadOnAt* at = nullptr,
        SessionIndex::Extra* found = nullptr);
    /// Reads on from where a saved index of the file ends (CaptureReader::setReadOn()): after open(),
    /// before start().
    void setReadOn(const SessionIndex::Extra::ReadOn& state, const SessionIndex::ReadOnAt& at)
    {
        m_reader->setReadOn(state, at.offset, at.capture);
    }
    /// After finished(): where the read stood, for an index of the file (CaptureReader::readOnState()).
    SessionIndex::Extra::ReadOn readOnState() const;
    /// The cores this process may run on (its CPU affinity), at least 1.
    static int availableCores();
    /// Sizes `session`'s indexes for the whole file (Session::expectEvents()): a plain file's size over the
    /// bytes per event of the first batches taken, then the share of chains once 65,536 events are in; but
    /// for at most 8 times the events in hand, sized again as more come, so a file unlike its first events
    /// gets no tables for events it never holds. Call it with each take of batches, before they are
    /// ingested. A compressed file's count is guessed from the events read per compressed byte so far.
    /// Sized once, the indexes are neither rehashed nor zeroed twice on the way (one core, 1 M events:
    /// 1.03 -> 0.92 s, and 7-10 % less peak memory below a million); a window grows smoothly (no
    /// table held ahead).
    void sizeSession(Session& session, const std::vector<std::shared_ptr<DecodedBatch>>& batches);
    /// The origin names the reader has given ids so far (a batch's origins are all named before it is
    /// queued).
    QStringList origins() const;
    /// Reading has ended (finished, failed or cancelled) and every batch has been taken.
    bool isDone() const;
    bool wasCancelled() const { return m_cancel; }

    QString path() const { return m_path; }
    CaptureReader::Format format() const { return m_reader ? m_reader->format() : CaptureReader::Format::Unknown; }
    CaptureReader::Compression compression() const
    {
        return m_reader ? m_reader->compression() : CaptureReader::Compression::None;
    }
    /// After finished(): the capture's bookmarks and comments (JSON, with their times).
    std::vector<std::pair<qint64, QByteArray>> annotations() const;

Q_SIGNALS:
    /// The queue has batches again (sent when it goes from empty to not empty).
    void batchesReady();
    /// Input bytes read of the total (the compressed size for compressed files), at most ~50 times a second.
    void progress(qint64 done, qint64 total);
    /// Reading has ended; `error` is empty when the whole file was read (or reading was cancelled).
    void finished(const QString& error);

private:
    void run();
    bool readHere(SessionFeed& feed, QString* error);
    void adoptOrigins(Session& session, const std::vector<std::shared_ptr<DecodedBatch>>& batches);
    void handOver(SessionFeed& feed, const std::vector<std::shared_ptr<DecodedBatch>>& batches);
    template<typename Batches>
    void sizeSessionFor(Session& session, const Batches& batches);
    /// On the reader's thread, after each delivery: input bytes read of the total.
    void noteProgress(qint64 done, qint64 total);

    QString m_path;
    DecoderConfig m_decoderConfig;
    std::unique_ptr<EventDecoder> m_decoder;
    std::unique_ptr<CaptureReader> m_reader;
    /// A std::thread, not a QThread: ThreadSanitizer sees its join() as the end of the reader's work, but
    /// not a QThread's wait() (Qt is not built for it), so every read would be reported as a race.
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_space;
    std::deque<std::shared_ptr<DecodedBatch>> m_queue;
    QStringList m_origins;
    std::atomic<bool> m_cancel { false };
    bool m_ended = false; ///< under m_mutex
    std::vector<std::shared_ptr<DecodedBatch>> m_free; ///< under m_mutex: recycled batches
    QString m_error; ///< under m_mutex, set when reading ends
    std::size_t m_batchEvents = BatchEvents;
    qint64 m_expectedEvents = -1; ///< sizeSession(): the guess, on the taking thread
    std::size_t m_sizedFor = 0; ///< sizeSession(): the events the indexes were last sized for
    bool m_chainsExpected = false;
    qint64 m_eventsBefore = -1; ///< sizeSession(): the session's events before this file's
    qint64 m_readEvents = 0; ///< under m_mutex: events the reader has delivered
    struct Inflation
    {
        qint64 events = 0; ///< events delivered when `done` compressed bytes of `total` were read
        qint64 done = 0;
        qint64 total = 0;
    };
    Inflation m_inflation; ///< under m_mutex
    std::condition_variable m_ready; ///< a batch was queued, or reading ended
    std::vector<quint16> m_originMap; ///< on the taking thread: the reader's origin id -> the session's
};
