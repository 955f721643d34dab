// SPDX-License-Identifier: MIT
// Fuzzes the event decoders (a bus frame or file line, and a broker message body) and the Session
// that takes what they decode: no input may crash, hang, leak or break a tracker, and each event's
// own bytes must decode to that event.
#include "decodedbatch.h"
#include "eventdecoder.h"
#include "session.h"

#include <QByteArray>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    static EventDecoder decoder;
    const char* text = reinterpret_cast<const char*>(data);
    DecodedBatch batch;
    // as a frame of events, held the way a live source holds it
    batch.frames.push_back(QByteArray(text, qsizetype(size)));
    const QByteArray& frame = batch.frames.back();
    decoder.decode(frame.constData(), std::size_t(frame.size()), 0, { 0, SourcePosition::Frame, 1, -1 }, 1000, batch);
    // Each event keeps its own bytes, found in a batch array by a scanner of our own (splitArray):
    // decoded alone, those bytes must give the same event.
    static EventDecoder alone;
    for (const DecodedEvent& e : batch.events) {
        const std::string_view raw = batch.raw(e);
        DecodedBatch one;
        alone.decode(raw.data(), raw.size(), 0, { 0, SourcePosition::Frame, 1, -1 }, 1000, one);
        if (one.events.size() != 1)
            __builtin_trap();
        const DecodedEvent& a = one.events.front();
        if (a.id != e.id || a.correlation != e.correlation || a.causation != e.causation || a.seq != e.seq
            || a.eventTimeUs != e.eventTimeUs || a.flags != e.flags || one.view(a.type) != batch.view(e.type)
            || one.view(a.source) != batch.view(e.source) || a.rawLength != e.rawLength)
            __builtin_trap();
    }
    // as a broker message, with header ids that the body may lack
    MessageContext context;
    context.subject = "bus/fuzz";
    context.type = "bus.fuzz";
    context.correlation = size > 0 && data[0] & 1 ? "c0000000-0000-4000-8000-000000000001" : "";
    context.traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
    decoder.decodeMessage(
        frame.constData(), std::size_t(frame.size()), 0, { 0, SourcePosition::Message, 2, -1 }, 2000, context, batch);
    Session::Config config;
    config.memoryCapBytes = 0;
    config.rateSeconds = 60;
    Session session(config);
    session.ingest(batch);
    session.ingest(batch); // the same events again: duplicates, re-linked telemetry
    return 0;
}
