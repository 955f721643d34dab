// SPDX-License-Identifier: MIT
// Fuzzes the reader of a capture's saved index (SessionIndex). A valid index of a small capture (the demo
// bus's incident: breakers, retries, dead letters, malformed lines, learned shapes) is made once; each
// input either damages it (byte patches, a cut) or is a whole index of its own. Its checksums are then
// made to match, so every input reaches the checks of what the index says: a hostile index must be
// refused or restore a session that works, never crash, hang or read out of bounds.
#include "capturereader.h"
#include "demogenerator.h"
#include "eventdecoder.h"
#include "session.h"
#include "sessionindex.h"
#include "sessionsummary.h"

#include <QFile>
#include <cstdint>
#include <cstring>
#include <unistd.h>

namespace {
Session::Config config()
{
    Session::Config c;
    c.clock = Session::Clock::Recorded;
    c.memoryCapBytes = 0;
    c.rateSeconds = 60;
    return c;
}

struct Fixture
{
    /// Events that come after the capture's (the same demo bus, later), decoded.
    DecodedBatch more() const
    {
        DecodedBatch batch;
        for (const QByteArray& line : moreLines) {
            batch.frames.push_back(line);
            const QByteArray& held = batch.frames.back();
            SourcePosition at { 0, SourcePosition::Frame, quint64(batch.frames.size()), -1 };
            moreDecoder->decode(held.constData(), std::size_t(held.size()), 0, at, 1'790'000'001'000'000, batch);
        }
        return batch;
    }
    QByteArrayList moreLines;
    EventDecoder* moreDecoder = nullptr;
    std::unique_ptr<Session> session; ///< holds the mapped capture the index's events point into
    std::shared_ptr<const RawBlock> capture;
    CaptureIdentity identity;
    quint64 key = 0;
    QByteArray index;
};

const Fixture& fixture()
{
    static const Fixture f = [] {
        Fixture f;
        DemoGenerator::Options o;
        o.seed = 3;
        o.scenario = DemoGenerator::Scenario::Incident;
        o.incidentStartSeconds = 0.02;
        o.incidentSeconds = 0.05;
        DemoGenerator gen(o);
        QByteArray lines;
        qint64 t = 1'790'000'000'000'000;
        for (; gen.count() < 300; t += 500) {
            gen.next(t, lines);
            lines += gen.count() % 97 == 0 ? "\n{\"id\": broken\n" : "\n";
        }
        for (QByteArray more; gen.count() < 340; t += 500) {
            more.clear();
            gen.next(t, more);
            for (const QByteArray& line : more.split('\n'))
                if (!line.isEmpty())
                    f.moreLines << line;
        }
        const QString path = QStringLiteral("/tmp/eventscope-fuzz-index-%1.ndjson").arg(::getpid());
        QFile file(path);
        if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate) || file.write(lines) != lines.size())
            std::abort();
        file.close();
        DecoderConfig decoding;
        decoding.learnShapes = true;
        static EventDecoder decoder(decoding);
        f.moreDecoder = &decoder;
        f.session = std::make_unique<Session>(config());
        CaptureReader reader(decoder);
        if (!reader.open(path))
            std::abort();
        CaptureReader::Sink sink;
        sink.addOrigin = [&f](const QString& name) { return f.session->addOrigin(name); };
        sink.deliver = [&f](DecodedBatch& batch) {
            f.session->ingest(batch);
            return true;
        };
        reader.read(sink);
        if (!SessionIndex::whyNot(*f.session).isEmpty())
            std::abort();
        f.capture = std::shared_ptr<const RawBlock>(
            f.session->store().rawStore().blockOf(f.session->store().at(0).rawChunk()), [](const RawBlock*) {});
        f.identity.size = f.capture->size();
        f.key = SessionIndex::settingsKey(config(), decoding);
        f.index = SessionIndex::make(*f.session, f.identity, f.key, {});
        QFile::remove(path); // mapped: the bytes stay while the session holds them
        return f;
    }();
    return f;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    const Fixture& f = fixture();
    QByteArray index;
    if (size >= SessionIndex::HeaderBytes && std::memcmp(data, f.index.constData(), 8) == 0) {
        // a whole index: made to belong to the fixture's capture and settings
        index = QByteArray(reinterpret_cast<const char*>(data), qsizetype(size));
        std::memcpy(index.data() + 16, &f.identity.size, 8);
        std::memcpy(index.data() + 24, f.index.constData() + 24, 24); // time and hashes of the capture
        std::memcpy(index.data() + 48, &f.key, 8);
    } else {
        // the valid index damaged: a cut (first four bytes), then (offset, xor) patches of five bytes
        index = f.index;
        if (size >= 4) {
            quint32 cut;
            std::memcpy(&cut, data, 4);
            if (cut & 0x80000000u)
                index.truncate(qsizetype(cut & 0x7FFFFFFFu) % (index.size() + 1));
            data += 4;
            size -= 4;
        }
        for (; size >= 5 && !index.isEmpty(); data += 5, size -= 5) {
            quint32 at;
            std::memcpy(&at, data, 4);
            index[qsizetype(at % quint32(index.size()))] ^= char(data[4]);
        }
    }
    SessionIndex::seal(index);
    Session restored(config());
    QString why;
    if (SessionIndex::read(index, f.identity, f.key, true, f.capture, restored, nullptr, &why)) {
        // what the views do with it: summarise, walk chains, replay back and forth
        SessionSummary::toJson(restored);
        for (quint32 c = 0; c < restored.chains().size(); ++c) {
            restored.chains().tree(c, restored.store());
            restored.stages().chainStage(c, restored.chains().at(c).opener);
        }
        // the figures restored whole, as the views read them
        for (const StageTracker::Stage& stage : restored.stages().stages())
            stage.fromRoot.quantileUs(0.99);
        for (const FlowTracker::Edge& edge : restored.flow().edges())
            edge.hop.quantileUs(0.5);
        for (std::size_t source = 0; source < restored.sources().size(); ++source)
            restored.busTimes().quantileUs(quint16(source), 0.5);
        const RateSeries& all = restored.rates().all();
        all.rate(all.headSecond(), 60);
        all.countInMinute(all.headSecond() / 60);
        // events after it (a capture appended to): every tracker takes them on from the restored state
        restored.ingest(f.more());
        restored.replayTo(restored.storedCount() / 2);
        restored.replayTo(restored.storedCount());
    }
    return 0;
}
