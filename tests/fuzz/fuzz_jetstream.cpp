// SPDX-License-Identifier: MIT
// Fuzzes what a JetStream server sends a reader: the input's second byte picks the part. The parsers
// of `$JS.ACK` reply subjects, API replies, status lines, the URL's from=/to= and stream lists; or the whole NATS
// byte stream of a JetStream read (past the handshake: deliveries on the consumer's subscription, flow
// control, heartbeats and API replies on the reader's inbox `_INBOX.f`).
#include "fuzzutil.h"
#include "jetstream.h"
#include "natsprotocol.h"

#include <QString>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    if (size < 2)
        return 0;
    const int part = data[1] % 6;
    const QByteArrayView text(reinterpret_cast<const char*>(data + 2), qsizetype(size - 2));
    switch (part) {
    case 0: {
        JetStream::Delivery d;
        if (JetStream::parseAckSubject(text, &d) && d.streamSequence == 0)
            __builtin_trap(); // a sequence is never 0
        return 0;
    }
    case 1: {
        const JetStream::Reply r = JetStream::parseReply(text);
        if (!r.ok && r.description.isEmpty())
            __builtin_trap(); // an error always says something
        return 0;
    }
    case 2: {
        QByteArrayView what;
        const int code = JetStream::headerStatus(text, &what);
        if (code < 0 || code > 999)
            __builtin_trap();
        return 0;
    }
    case 3: {
        const QString s = QString::fromUtf8(text);
        JetStream::Start start;
        JetStream::End end;
        QString error;
        if (!JetStream::parseStart(s, &start, &error) && error.isEmpty())
            __builtin_trap();
        JetStream::parseEnd(s, &end, nullptr);
        return 0;
    }
    case 5: {
        std::vector<StreamInfo> streams;
        quint64 total = 0;
        QString error;
        const bool ok = JetStream::parseStreamList(text, &streams, &total, &error);
        if ((!ok && error.isEmpty()) || streams.size() > 1000)
            __builtin_trap(); // a refusal says why; a page is bounded
        for (const StreamInfo& s : streams)
            if (!JetStream::isValidName(s.name.toUtf8()) || s.subjects.size() > 100)
                __builtin_trap();
        return 0;
    }
    default:
        break;
    }
    NatsProtocol::Options o;
    o.stream = "EVENTS";
    o.inbox = "_INBOX.f";
    o.end.kind = data[0] & 1 ? JetStream::End::Sequence : JetStream::End::None;
    o.end.sequence = 50;
    NatsProtocol p(o);
    bool failed = false;
    BrokerProtocol::Connection c;
    c.send = [](const QByteArray&) {};
    c.ready = []() {};
    c.message = [](const BrokerMessage& m) {
        if (m.streamSequence == 0)
            __builtin_trap(); // a delivery always has its stream sequence (no subject filter here)
    };
    c.fail = [&failed](const QString&, bool) { failed = true; };
    c.finished = [&failed](const QString&) { failed = true; };
    p.opened(c);
    const QByteArray handshake = "INFO {}\r\nPONG\r\n"; // the consumer is asked for: generation 1, sid 101
    p.received(handshake.constData(), std::size_t(handshake.size()), c);
    Chunks(data + 1, size - 1).each([&](const char* chunk, std::size_t n) {
        if (!failed)
            p.received(chunk, n, c);
    });
    p.keepAlive(c);
    return 0;
}
