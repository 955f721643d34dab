// SPDX-License-Identifier: MIT
// Fuzzes every file format EventScope opens (its capture format, NDJSON, JSON documents, each plain,
// gzip or zstd), read from a real file the way a user opens one, into a Session; then the bookmarks:
// those the capture holds, and the same bytes as the notes file beside it.
#include "capturenotes.h"
#include "capturereader.h"
#include "eventdecoder.h"
#include "session.h"

#include <QFile>
#include <QString>
#include <cstdint>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    static const QString path = QStringLiteral("/tmp/eventscope-fuzz-capture-%1").arg(::getpid());
    for (const QString& p : { path, CaptureNotes::sidecarPath(path) }) {
        QFile f(p);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return 0;
        f.write(reinterpret_cast<const char*>(data), qint64(size));
    }
    static EventDecoder decoder;
    Session::Config config;
    config.clock = Session::Clock::Recorded;
    config.memoryCapBytes = 0;
    config.rateSeconds = 60;
    Session session(config);
    CaptureReader reader(decoder);
    if (reader.open(path)) {
        CaptureReader::Sink sink;
        sink.addOrigin = [&session](const QString& name) { return session.addOrigin(name); };
        sink.deliver = [&session](DecodedBatch& batch) {
            session.ingest(batch);
            return true;
        };
        reader.read(sink);
    }
    CaptureNotes notes;
    notes.load(path, reader.annotations(), false);
    return 0;
}
