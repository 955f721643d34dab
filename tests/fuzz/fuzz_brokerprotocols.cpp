// SPDX-License-Identifier: MIT
// Fuzzes what a broker sends: the NATS byte stream and MQTT packets, split into frames as the
// input's first byte says; and the messages they deliver go through the message decoder.
#include "decodedbatch.h"
#include "eventdecoder.h"
#include "fuzzutil.h"
#include "mqttprotocol.h"
#include "natsprotocol.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    static EventDecoder decoder;
    DecodedBatch batch;
    bool failed = false;
    quint64 sequence = 0;
    std::string typeScratch;
    BrokerProtocol::Connection c;
    c.send = [](const QByteArray&) {};
    c.ready = []() {};
    c.fail = [&failed](const QString&, bool) { failed = true; };
    for (int which = 0; which < 2; ++which) {
        std::unique_ptr<BrokerProtocol> p;
        if (which == 0)
            p = std::make_unique<NatsProtocol>(NatsProtocol::Options {});
        else
            p = std::make_unique<MqttProtocol>(MqttProtocol::Options {});
        c.message = [&](const BrokerMessage& m) {
            const MessageContext context = m.context(p->slashesAreDots(), ++sequence, typeScratch);
            batch.frames.push_back(m.body.toByteArray());
            decoder.decodeMessage(batch.frames.back().constData(), std::size_t(batch.frames.back().size()), 0,
                { 0, SourcePosition::Message, sequence, -1 }, 0, context, batch);
        };
        failed = false;
        p->opened(c);
        Chunks(data, size).each([&](const char* chunk, std::size_t n) {
            if (!failed) // after a protocol error the connection is gone: nothing more arrives on it
                p->received(chunk, n, c);
        });
        p->keepAlive(c);
    }
    return 0;
}
