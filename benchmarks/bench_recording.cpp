// SPDX-License-Identifier: MIT
// A recording with its index kept as it is written (RecordingIndexer), against the same recording
// without: the demo bus's events written through a CaptureWriter at a steady rate (wall clock), the
// indexer told of each flush as CaptureRecorder tells it. For each round, alternately plain and indexed,
// it reports the process's CPU time per event, the indexes written and their bytes, how long the last
// index took after the recording ended, and how long the capture then takes to open from it.
//   usage: eventscope-bench-recording EVENTS [ROUNDS] [EVENTS_PER_SECOND] [DIR]
//          (default: 3 rounds, 50000 events/s, build/bench)
#include "benchutil.h"
#include "capturesession.h"
#include "capturewriter.h"
#include "demogenerator.h"
#include "recordingindexer.h"
#include "session.h"
#include "sessionindex.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QThread>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace {
/// When not given: 3 rounds, and events written at 50,000 a second (ten times the busy bus).
constexpr int DefaultRounds = 3;
constexpr quint64 DefaultEventsPerSecond = 50000;

struct Round
{
    double cpuNsPerEvent = 0;
    double wallSeconds = 0;
    double indexes = 0;
    double indexMiB = 0;
    double lastIndexMs = 0;
    double reopenMs = 0;
    double captureMiB = 0;
};

Round record(const QString& path, quint64 events, double perSecond, bool indexed)
{
    QFile::remove(path);
    SessionIndex::remove(path);
    Round r;
    const double cpuBefore = cpuSeconds();
    QElapsedTimer wall;
    wall.start();
    CaptureWriter writer;
    const QUrl bus(QStringLiteral("ws://bench/events"));
    const qint64 t0 = 1795000000LL * 1000000;
    if (!writer.open(path, bus, t0) || !writer.writeOrigin(1, bus)) {
        std::fprintf(stderr, "cannot write %s\n", qPrintable(path));
        std::exit(1);
    }
    std::unique_ptr<RecordingIndexer> indexer;
    if (indexed)
        indexer = std::make_unique<RecordingIndexer>(path, RecordingIndexer::Options());
    DemoGenerator::Options o;
    o.seed = 7;
    DemoGenerator gen(o);
    QByteArray lines;
    quint64 noted = 0;
    // paced by the wall clock, a few milliseconds of events at a time, as a bus delivers them
    for (quint64 i = 0; gen.count() < events; ++i) {
        const qint64 t = t0 + qint64(double(i) * 1e6 / perSecond);
        lines.clear();
        gen.next(t, lines);
        for (const QByteArray& line : lines.split('\n'))
            if (!line.isEmpty())
                writer.writeFrame(1, t, line);
        if (indexer && writer.bytesWritten() != noted)
            indexer->grew(noted = writer.bytesWritten());
        if (i % 256 == 0) {
            const qint64 due = qint64(double(i) * 1000 / perSecond);
            if (due > wall.elapsed())
                QThread::msleep(quint64(due - wall.elapsed()));
        }
    }
    writer.close();
    r.captureMiB = double(QFileInfo(path).size()) / (1 << 20);
    QElapsedTimer last;
    last.start();
    if (indexer) {
        indexer->finish(writer.bytesWritten());
        RecordingIndexer::finishAll();
        r.indexes = indexer->indexesWritten();
        r.indexMiB = double(indexer->indexBytesWritten()) / (1 << 20);
    }
    r.lastIndexMs = double(last.nsecsElapsed()) / 1e6;
    r.wallSeconds = double(wall.nsecsElapsed()) / 1e9;
    r.cpuNsPerEvent = (cpuSeconds() - cpuBefore) * 1e9 / double(events);
    if (indexer) {
        Session session(CaptureSession::sessionConfig());
        const quint64 key = SessionIndex::settingsKey(CaptureSession::sessionConfig(), CaptureSession::decoderConfig());
        QString why;
        QElapsedTimer open;
        open.start();
        if (!SessionIndex::load(path, key, true, session, nullptr, &why))
            std::fprintf(stderr, "no index to open from: %s\n", qPrintable(why));
        r.reopenMs = double(open.nsecsElapsed()) / 1e6;
    }
    return r;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    const std::size_t n = v.size();
    return n == 0 ? 0 : (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2);
}
} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 2) {
        std::fprintf(stderr, "usage: eventscope-bench-recording EVENTS [ROUNDS] [EVENTS_PER_SECOND] [DIR]\n");
        return 64;
    }
    const quint64 events = args.at(1).toULongLong();
    const int rounds = args.size() > 2 ? args.at(2).toInt() : DefaultRounds;
    // whole events per second, as `generate --rate` takes them
    const double perSecond = double(args.size() > 3 ? args.at(3).toULongLong() : DefaultEventsPerSecond);
    if (events == 0 || rounds < 1 || !(perSecond > 0)) {
        std::fprintf(stderr, "eventscope-bench-recording: EVENTS, ROUNDS and EVENTS_PER_SECOND must be positive\n");
        return 64;
    }
    const QString dir = args.size() > 4 ? args.at(4) : QStringLiteral("build/bench");
    QDir().mkpath(dir);
    const QString path = dir + QStringLiteral("/recording-%1.escap").arg(events);
    std::vector<Round> plain, indexed;
    for (int i = 0; i < rounds; ++i) {
        // alternately, so that a busy stretch of the machine falls on both
        plain.push_back(record(path, events, perSecond, false));
        indexed.push_back(record(path, events, perSecond, true));
        const Round& p = plain.back();
        const Round& x = indexed.back();
        std::fprintf(stderr,
            "round %d: plain %.0f ns/event; indexed %.0f ns/event, %.0f indexes (%.1f MiB), last %.0f ms, reopen %.0f "
            "ms\n",
            i + 1, p.cpuNsPerEvent, x.cpuNsPerEvent, x.indexes, x.indexMiB, x.lastIndexMs, x.reopenMs);
    }
    auto m = [](const std::vector<Round>& rs, double Round::*field) {
        std::vector<double> v;
        for (const Round& r : rs)
            v.push_back(r.*field);
        return median(v);
    };
    std::printf("recording: %llu events at %.0f events/s, a %.0f MiB capture, %d rounds, medians\n",
        static_cast<unsigned long long>(events), perSecond, m(indexed, &Round::captureMiB), rounds);
    std::printf("plain: CPU %.0f ns/event, %.1f s\n", m(plain, &Round::cpuNsPerEvent), m(plain, &Round::wallSeconds));
    std::printf("indexed: CPU %.0f ns/event, %.1f s; %.0f indexes written, %.1f MiB in all (the last %.1f MiB);"
                " the last index %.0f ms after the recording ended; reopen from it %.0f ms\n",
        m(indexed, &Round::cpuNsPerEvent), m(indexed, &Round::wallSeconds), m(indexed, &Round::indexes),
        m(indexed, &Round::indexMiB), double(QFileInfo(SessionIndex::besidePath(path)).size()) / (1 << 20),
        m(indexed, &Round::lastIndexMs), m(indexed, &Round::reopenMs));
    QFile::remove(path);
    SessionIndex::remove(path);
    return 0;
}
