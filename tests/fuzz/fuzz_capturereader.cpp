// SPDX-License-Identifier: MIT
// Fuzzes every file format EventScope opens (its capture format, NDJSON, JSON documents, each plain,
// gzip or zstd), read from a real file the way a user opens one, into a Session.
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
    {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return 0;
        f.write(reinterpret_cast<const char*>(data), qint64(size));
    }
    static EventDecoder decoder;
    Session::Config config;
    config.timeBasis = Session::TimeBasis::EventTime;
    config.memoryCapBytes = 0;
    config.rateSeconds = 60;
    Session session(config);
    QString error;
    CaptureReader::readInto(session, path, decoder, &error);
    return 0;
}
