// SPDX-License-Identifier: MIT
#include "recordingindexer.h"

#include "capturereader.h"
#include "capturesession.h"
#include "connectorslogging.h"
#include "decodedbatch.h"
#include "eventdecoder.h"
#include "session.h"

#include <QFileInfo>
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

struct RecordingIndexer::State
{
    QString path;
    Options options;
    mutable std::mutex mutex;
    std::condition_variable wake;
    quint64 complete = 0; ///< where the capture's complete records end
    bool ended = false; ///< finish(): `complete` is the whole capture
    bool stopped = false; ///< no more indexes (the program ends)
    bool done = false; ///< the thread has ended
    std::atomic<bool> cancel { false }; ///< gives up the read under way
    int written = 0;
    quint64 indexed = 0;
    quint64 indexBytes = 0; ///< of every index written
    std::thread thread;

    void run();
    /// Brings the index up to the capture's first `bytes`: false with `error` when it cannot be.
    bool index(quint64 bytes, QString* error);
};

namespace {
/// Every indexer's thread, joined by finishAll() (or, at the latest, when the program's statics go).
struct Registry
{
    std::mutex mutex;
    std::vector<std::shared_ptr<RecordingIndexer::State>> states;
    ~Registry() { stopAndJoin(true, false); }
    /// Joins the threads that have ended (`all`: every one, or with `path` that capture's, stopping those
    /// whose recording goes on, and with `stopEnded` those whose last index is yet to be made too).
    void stopAndJoin(bool all, bool stopEnded, const QString& path = {})
    {
        std::vector<std::shared_ptr<RecordingIndexer::State>> joining;
        {
            const std::lock_guard<std::mutex> lock(mutex);
            for (auto it = states.begin(); it != states.end();) {
                RecordingIndexer::State& s = **it;
                std::unique_lock<std::mutex> stateLock(s.mutex);
                const bool chosen = all && (path.isEmpty() || s.path == path);
                if (chosen && (!s.ended || stopEnded)) {
                    s.stopped = true;
                    s.cancel = true;
                    s.wake.notify_all();
                }
                if (chosen || s.done) {
                    joining.push_back(std::move(*it));
                    it = states.erase(it);
                } else {
                    ++it;
                }
            }
        }
        for (const auto& s : joining) {
            if (s->thread.joinable())
                s->thread.join();
        }
    }
};

Registry& registry()
{
    static Registry r;
    return r;
}
} // namespace

RecordingIndexer::RecordingIndexer(const QString& path, Options options)
    : m_state(std::make_shared<State>())
{
    m_state->path = path;
    m_state->options = options;
    SessionIndex::remove(path); // an earlier capture's, which this one replaced
    registry().stopAndJoin(false, false);
    m_state->thread = std::thread([state = m_state] { state->run(); });
    const std::lock_guard<std::mutex> lock(registry().mutex);
    registry().states.push_back(m_state);
}

RecordingIndexer::~RecordingIndexer()
{
    const std::lock_guard<std::mutex> lock(m_state->mutex);
    if (!m_state->ended) {
        m_state->stopped = true;
        m_state->cancel = true;
        m_state->wake.notify_all();
    }
}

void RecordingIndexer::grew(quint64 bytes)
{
    const std::lock_guard<std::mutex> lock(m_state->mutex);
    m_state->complete = std::max(m_state->complete, bytes);
    m_state->wake.notify_all();
}

void RecordingIndexer::finish(quint64 bytes)
{
    const std::lock_guard<std::mutex> lock(m_state->mutex);
    m_state->complete = std::max(m_state->complete, bytes);
    m_state->ended = true;
    m_state->wake.notify_all();
}

int RecordingIndexer::indexesWritten() const
{
    const std::lock_guard<std::mutex> lock(m_state->mutex);
    return m_state->written;
}

quint64 RecordingIndexer::indexedBytes() const
{
    const std::lock_guard<std::mutex> lock(m_state->mutex);
    return m_state->indexed;
}

quint64 RecordingIndexer::indexBytesWritten() const
{
    const std::lock_guard<std::mutex> lock(m_state->mutex);
    return m_state->indexBytes;
}

void RecordingIndexer::finishAll() { registry().stopAndJoin(true, false); }

void RecordingIndexer::stopAll() { registry().stopAndJoin(true, true); }

void RecordingIndexer::finish(const QString& path) { registry().stopAndJoin(true, false, path); }

void RecordingIndexer::State::run()
{
    quint64 next = options.firstBytes;
    for (;;) {
        quint64 bytes = 0;
        bool last = false;
        {
            std::unique_lock<std::mutex> lock(mutex);
            wake.wait(lock, [&] { return stopped || ended || complete >= next; });
            if (stopped)
                break;
            bytes = complete;
            last = ended;
        }
        // smaller captures are read whole each time they are opened: no index
        if (bytes >= options.firstBytes && bytes >= SessionIndex::MinimumCaptureBytes && bytes != indexed) {
            QString error;
            if (index(bytes, &error)) {
                const std::lock_guard<std::mutex> lock(mutex);
                ++written;
                indexed = bytes;
            } else if (!cancel) {
                qCWarning(lcConnectors) << "no index of" << path << "while recording:" << error;
            }
        }
        if (last)
            break;
        next = std::max(bytes + options.minimumStep, quint64(double(bytes) * options.growth));
    }
    const std::lock_guard<std::mutex> lock(mutex);
    done = true;
}

bool RecordingIndexer::State::index(quint64 bytes, QString* error)
{
    // as the window would open the capture's first `bytes`: from the last index, reading on from its end
    const Session::Config config = CaptureSession::sessionConfig();
    const DecoderConfig decoding = CaptureSession::decoderConfig();
    const quint64 key = SessionIndex::settingsKey(config, decoding);
    auto session = std::make_unique<Session>(config);
    SessionIndex::Extra extra;
    SessionIndex::ReadOnAt at;
    QString why;
    if (!SessionIndex::load(path, key, true, *session, &extra, &why, &at, bytes)) {
        if (!why.isEmpty())
            qCInfo(lcConnectors) << "indexing" << path << "from its beginning:" << why;
        session = std::make_unique<Session>(config); // names a refused index left behind go with it
        extra = {};
        at = {};
    }
    EventDecoder decoder(decoding);
    CaptureReader::Options options;
    options.maxBytes = bytes; // the writer goes on after them
    CaptureReader reader(decoder, options);
    if (!reader.open(path)) {
        *error = reader.errorString();
        return false;
    }
    if (at.offset != 0)
        reader.setReadOn(extra.readOn, at.offset, at.capture);
    // on this thread, a batch at a time as it is decoded (a SessionFeed's slices are for a window's turns)
    CaptureReader::Sink sink;
    sink.addOrigin = [&session](const QString& name) { return session->addOrigin(name); };
    sink.deliver = [this, &session](DecodedBatch& batch) {
        session->ingest(batch);
        return !cancel;
    };
    if (!reader.read(sink)) {
        *error = cancel ? QStringLiteral("stopped") : reader.errorString();
        return false;
    }
    extra.readOn = reader.readOnState();
    if (extra.readOn.records == 0) {
        *error = QStringLiteral("the capture is damaged");
        return false;
    }
    for (const auto& annotation : reader.annotations())
        extra.annotations.push_back(annotation);
    extra.appendable = true; // an undamaged EventScope capture: bookmarks go into it
    QString where;
    if (!SessionIndex::save(path, *session, key, extra, &where, error))
        return false;
    const std::lock_guard<std::mutex> lock(mutex);
    indexBytes += quint64(QFileInfo(where).size());
    return true;
}
