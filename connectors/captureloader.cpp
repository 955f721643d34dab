// SPDX-License-Identifier: MIT
#include "captureloader.h"

#include "eventdecoder.h"
#include "session.h"
#include "sessionfeed.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QMetaObject>
#include <array>
#include <thread>

#ifdef Q_OS_LINUX
#include <sched.h>
#endif

CaptureLoader::CaptureLoader(QObject* parent)
    : QObject(parent)
{ }

CaptureLoader::~CaptureLoader()
{
    cancel();
    if (m_thread.joinable())
        m_thread.join();
}

bool CaptureLoader::open(const QString& path, QString* error)
{
    Q_ASSERT(!m_reader);
    m_path = path;
    m_decoder = std::make_unique<EventDecoder>(m_decoderConfig);
    CaptureReader::Options options;
    options.batchEvents = m_batchEvents;
    m_reader = std::make_unique<CaptureReader>(*m_decoder, options);
    if (!m_reader->open(path)) {
        if (error)
            *error = m_reader->errorString();
        m_reader.reset();
        return false;
    }
    return true;
}

void CaptureLoader::start()
{
    Q_ASSERT(m_reader && !m_thread.joinable());
    // a fresh Session names origin 0 "" (no origin): the same numbering spares the taker a translation
    m_origins = QStringList { QString() };
    m_thread = std::thread([this] { run(); });
}

void CaptureLoader::cancel()
{
    m_cancel = true;
    m_space.notify_all();
}

void CaptureLoader::run()
{
    QElapsedTimer sinceProgress;
    sinceProgress.start();
    CaptureReader::Sink sink;
    sink.addOrigin = [this](const QString& name) {
        const std::lock_guard<std::mutex> lock(m_mutex);
        const qsizetype known = m_origins.indexOf(name);
        if (known >= 0)
            return quint16(known);
        m_origins << name;
        return quint16(m_origins.size() - 1);
    };
    sink.deliver = [this](DecodedBatch& batch) {
        std::unique_lock<std::mutex> lock(m_mutex);
        std::shared_ptr<DecodedBatch> out;
        if (!m_free.empty()) {
            out = std::move(m_free.back());
            m_free.pop_back();
        } else {
            out = std::make_shared<DecodedBatch>();
            // grown from empty, the events' vector was reallocated a dozen times per batch: a tenth of
            // a one-core summary in copies and page faults
            out->events.reserve(BatchEvents);
        }
        m_readEvents += qint64(batch.events.size());
        lock.unlock();
        // the reader goes on with an empty (recycled) batch, over the same mapped file
        std::swap(*out, batch);
        batch.clear();
        batch.stableBlock = out->stableBlock;
        // a compressed file's events point into the reader's buffer, reused once this returns
        out->ownExternalBytes();
        lock.lock();
        m_space.wait(lock, [this] { return m_cancel || m_queue.size() < QueuedBatches; });
        if (m_cancel)
            return false;
        const bool wasEmpty = m_queue.empty();
        m_queue.push_back(std::move(out));
        lock.unlock();
        m_ready.notify_one();
        if (wasEmpty)
            Q_EMIT batchesReady();
        return true;
    };
    sink.progress = [this, &sinceProgress](qint64 done, qint64 total) {
        noteProgress(done, total);
        if (sinceProgress.elapsed() >= 20 || done == total) {
            sinceProgress.restart();
            Q_EMIT progress(done, total);
        }
    };
    const bool ok = m_reader->read(sink);
    const QString error = ok || m_cancel ? QString() : m_reader->errorString();
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        m_ended = true;
        m_error = error;
    }
    m_ready.notify_all();
    Q_EMIT batchesReady(); // the taker sees the end even when nothing more was queued
    Q_EMIT finished(error);
}

std::vector<std::shared_ptr<DecodedBatch>> CaptureLoader::take(std::size_t maxEvents)
{
    std::vector<std::shared_ptr<DecodedBatch>> out;
    std::size_t events = 0;
    {
        const std::lock_guard<std::mutex> lock(m_mutex);
        while (!m_queue.empty() && (out.empty() || events + m_queue.front()->events.size() <= maxEvents)) {
            events += m_queue.front()->events.size();
            out.push_back(std::move(m_queue.front()));
            m_queue.pop_front();
        }
    }
    if (!out.empty())
        m_space.notify_one();
    return out;
}

void CaptureLoader::recycle(std::shared_ptr<DecodedBatch> batch)
{
    if (!batch || batch.use_count() != 1)
        return;
    const std::lock_guard<std::mutex> lock(m_mutex);
    // a few: the others are freed while the session still grows and can reuse their memory (all kept
    // until the end, an opened window measured 1-4 MB more); as a new batch's events are reserved at
    // once, making one costs no more than refilling one
    if (m_free.size() < 4)
        m_free.push_back(std::move(batch));
}

std::vector<std::shared_ptr<DecodedBatch>> CaptureLoader::waitAndTake(std::size_t maxEvents)
{
    {
        std::unique_lock<std::mutex> lock(m_mutex);
        m_ready.wait(lock, [this] { return m_ended || !m_queue.empty(); });
    }
    return take(maxEvents);
}

void CaptureLoader::adoptOrigins(Session& session, const std::vector<std::shared_ptr<DecodedBatch>>& batches)
{
    const QStringList names = origins();
    std::vector<quint16>& map = m_originMap;
    for (qsizetype i = qsizetype(map.size()); i < names.size(); ++i)
        map.push_back(session.addOrigin(names[i]));
    bool identity = true;
    for (std::size_t i = 0; i < map.size(); ++i)
        identity = identity && map[i] == i;
    if (identity)
        return;
    for (const std::shared_ptr<DecodedBatch>& batch : batches) {
        for (DecodedEvent& e : batch->events)
            e.origin = map[e.origin];
        for (MalformedRecord& m : batch->malformed)
            m.position.origin = map[m.position.origin];
        for (MalformedRecord& m : batch->skewed)
            m.position.origin = map[m.position.origin];
        for (ConsumerSample& c : batch->consumers)
            c.origin = map[c.origin];
    }
}

std::size_t CaptureLoader::feed(SessionFeed& feed, std::size_t maxEvents)
{
    const std::vector<std::shared_ptr<DecodedBatch>> batches = take(maxEvents);
    handOver(feed, batches);
    return batches.size();
}

void CaptureLoader::handOver(SessionFeed& feed, const std::vector<std::shared_ptr<DecodedBatch>>& batches)
{
    adoptOrigins(feed.session(), batches);
    sizeSession(feed.session(), batches);
    for (const std::shared_ptr<DecodedBatch>& batch : batches)
        feed.ingest(batch);
}

QString CaptureLoader::errorString() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_error;
}

int CaptureLoader::availableCores()
{
#ifdef Q_OS_LINUX
    cpu_set_t set;
    CPU_ZERO(&set);
    if (sched_getaffinity(0, sizeof(set), &set) == 0)
        return std::max(1, CPU_COUNT(&set));
#endif
    return std::max(1, int(std::thread::hardware_concurrency()));
}

bool CaptureLoader::readInto(Session& session, const QString& path, QString* error, const DecoderConfig& decoder,
    const SessionIndex::Extra::ReadOn* readOn, const SessionIndex::ReadOnAt* at, SessionIndex::Extra* found)
{
    CaptureLoader loader;
    loader.setDecoderConfig(decoder);
    const bool oneCore = availableCores() < 2;
    if (oneCore)
        loader.m_batchEvents = OneCoreBatchEvents;
    if (!loader.open(path, error))
        return false;
    if (readOn && at)
        loader.setReadOn(*readOn, *at);
    SessionFeed feed(session);
    if (oneCore) {
        const bool ok = loader.readHere(feed, error);
        if (found) {
            found->annotations = loader.m_reader->annotations();
            found->readOn = loader.m_reader->readOnState();
        }
        return ok;
    }
    loader.start();
    for (;;) {
        std::vector<std::shared_ptr<DecodedBatch>> batches = loader.waitAndTake(QueuedBatches * BatchEvents);
        if (batches.empty())
            break;
        loader.handOver(feed, batches);
        feed.drain();
        for (std::shared_ptr<DecodedBatch>& batch : batches)
            loader.recycle(std::move(batch));
    }
    if (found) {
        found->annotations = loader.annotations();
        found->readOn = loader.readOnState();
    }
    const QString failure = loader.errorString();
    if (!failure.isEmpty()) {
        if (error)
            *error = failure;
        return false;
    }
    return true;
}

void CaptureLoader::sizeSession(Session& session, const std::vector<std::shared_ptr<DecodedBatch>>& batches)
{
    sizeSessionFor(session, batches);
}

template<typename Batches>
void CaptureLoader::sizeSessionFor(Session& session, const Batches& batches)
{
    // so the indexes are sized once instead of growing (and, in a window, holding their next table ahead)
    std::size_t taken = 0;
    for (const auto& batch : batches)
        taken += batch->events.size();
    if (m_expectedEvents < 0 && compression() == CaptureReader::Compression::None && taken > 0) {
        double bytes = 0;
        for (const auto& batch : batches) {
            for (const DecodedEvent& e : batch->events)
                bytes += double(e.rawLength) + 1; // and its line's end
        }
        // on top of what the session holds already (the files before this one)
        m_expectedEvents
            = qint64(session.eventCount()) + qint64(double(QFileInfo(m_path).size()) / (bytes / double(taken)));
    }
    if (compression() != CaptureReader::Compression::None && taken > 0) {
        // the events read per compressed byte so far, over the whole compressed file: the guess is
        // made again with each take, as the ratio settles
        if (m_eventsBefore < 0)
            m_eventsBefore = qint64(session.eventCount());
        const std::lock_guard<std::mutex> lock(m_mutex);
        if (m_inflation.done > 0 && m_inflation.events >= 4096)
            m_expectedEvents = m_eventsBefore
                + qint64(double(m_inflation.events) * double(m_inflation.total) / double(m_inflation.done));
    }
    if (m_expectedEvents <= 0)
        return;
    // The guess trusts the first events to be like the rest. A file that is not (a few small events and
    // then gigabytes of something else) must not get tables for millions of events it never holds:
    // the indexes are sized for at most 8 times the events in hand, and again as more come: at twice
    // the last size each time (each resize moves every entry), and once for the whole file's guess.
    const std::size_t inHand = session.eventCount() + taken;
    const std::size_t whole = std::size_t(m_expectedEvents);
    const std::size_t target = std::min<std::size_t>(whole, 8 * std::max<std::size_t>(inHand, 4096));
    const bool chainsNow = !m_chainsExpected && session.eventCount() >= 65536; // chains by their share so far
    if ((target > m_sizedFor && (target >= 2 * m_sizedFor || target == whole)) || chainsNow) {
        m_sizedFor = std::max(m_sizedFor, target);
        m_chainsExpected = m_chainsExpected || chainsNow;
        session.expectEvents(target);
    }
}

bool CaptureLoader::readHere(SessionFeed& feed, QString* error)
{
    // Two threads on one core hand each other batches of 4,096 events that have left the cache by the
    // time they are ingested; here each batch (OneCoreBatchEvents) is ingested as soon as it is decoded.
    Session& session = feed.session();
    CaptureReader::Sink sink;
    sink.addOrigin = [&session](const QString& name) { return session.addOrigin(name); };
    sink.deliver = [this, &feed, &session](DecodedBatch& batch) {
        {
            const std::lock_guard<std::mutex> lock(m_mutex);
            m_readEvents += qint64(batch.events.size());
        }
        const std::array<const DecodedBatch*, 1> batches { &batch };
        sizeSessionFor(session, batches);
        // the reader's own batch, taken in before deliver() returns: lent, not owned (no deleter)
        feed.ingest(std::shared_ptr<DecodedBatch>(std::shared_ptr<DecodedBatch>(), &batch));
        feed.drain();
        return true;
    };
    sink.progress = [this](qint64 done, qint64 total) { noteProgress(done, total); };
    if (m_reader->read(sink))
        return true;
    if (error)
        *error = m_reader->errorString();
    return false;
}

void CaptureLoader::noteProgress(qint64 done, qint64 total)
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    m_inflation = { m_readEvents, done, total };
}

QStringList CaptureLoader::origins() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_origins;
}

bool CaptureLoader::isDone() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    return m_ended && m_queue.empty();
}

SessionIndex::Extra::ReadOn CaptureLoader::readOnState() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_ended || !m_reader)
        return {};
    return m_reader->readOnState();
}

std::vector<std::pair<qint64, QByteArray>> CaptureLoader::annotations() const
{
    const std::lock_guard<std::mutex> lock(m_mutex);
    if (!m_ended || !m_reader)
        return {};
    return m_reader->annotations();
}
