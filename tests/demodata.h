// SPDX-License-Identifier: MIT
// Demo traffic for model and window tests: the real generator, on a simulated clock.
#pragma once

#include "demogenerator.h"
#include "session.h"
#include "testutil.h"

/// `seconds` of demo traffic at `rate` events/s from TestT0, as JSON lines (receive time = event time).
inline QByteArrayList demoLines(double seconds, double rate, DemoGenerator::Options options = {})
{
    DemoGenerator generator(options);
    QByteArrayList lines;
    QByteArray out;
    const qint64 stepUs = qint64(1e6 / rate);
    for (qint64 t = TestT0; t < TestT0 + qint64(seconds * 1e6); t += stepUs) {
        out.clear();
        generator.next(t, out);
        for (const QByteArray& line : out.split('\n'))
            if (!line.isEmpty())
                lines << line;
    }
    return lines;
}

/// An incident early on: the email gateway fails from 2 s to 8 s of event time.
inline DemoGenerator::Options earlyIncident()
{
    DemoGenerator::Options o;
    o.scenario = DemoGenerator::Scenario::Incident;
    o.incidentStartSeconds = 2;
    o.incidentSeconds = 6;
    o.seed = 7;
    return o;
}

/// A session on event time (as files are) fed with `lines` in batches of `batchSize`.
inline void feed(Session& session, const QByteArrayList& lines, int batchSize = 2000)
{
    for (int i = 0; i < lines.size(); i += batchSize)
        session.ingest(*decodeLines(lines.mid(i, batchSize)));
}

inline Session::Config eventTimeConfig()
{
    Session::Config c;
    c.clock = Session::Clock::Recorded;
    return c;
}
