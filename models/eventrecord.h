// SPDX-License-Identifier: MIT
#pragma once

#include "uuid.h"

#include <limits>

/// One received event in 64 bytes. Strings are interned (type, source, origin), ids are 128-bit, and
/// the event's JSON stays as raw bytes in the session's RawStore, referenced by rawRef. The value
/// decoders and trackers pass around; the store keeps it packed into 44 bytes (EventChunk).
struct EventRecord
{
    enum Flag : quint8 {
        HasSeq = 0x01,
        IdHashed = 0x02, ///< the id was not a UUID: `id` is its hash, the text is in the raw bytes
        HasCorrelation = 0x04,
        HasCausation = 0x08,
        Duplicate = 0x10, ///< an earlier event had the same id
        Telemetry = 0x20, ///< one of the bus's system.* resilience events
        HasEventTime = 0x40, ///< the producer gave a timestamp (else eventTimeUs is the receive time)
        NotAnEvent = 0x80, ///< the one index in 2^32 that is never handed out (it is NotFound)
    };
    static constexpr quint32 NoChain = std::numeric_limits<quint32>::max();
    static constexpr quint32 MaxRawLength = (1u << 24) - 1;
    static constexpr quint64 MaxSeq = (quint64(1) << 48) - 1;

    Uuid id;
    qint64 eventTimeUs = 0;
    qint64 receiveTimeUs = 0;
    quint64 rawRef = 0; ///< RawStore chunk (16 bits) and offset (48 bits)
    quint64 seqOrigin = 0; ///< seq (48 bits) and origin id (16 bits)
    quint32 rawLenFlags = 0; ///< raw length (24 bits) and Flag bits (8 bits)
    quint32 chain = NoChain; ///< ChainTracker index
    qint32 parentDelta = 0; ///< index of the causing event minus this one; 0 when unknown
    quint16 type = 0;
    quint16 source = 0;

    quint8 flags() const { return quint8(rawLenFlags >> 24); }
    bool has(Flag f) const { return flags() & f; }
    /// The first event with its id: the one the store's id index names.
    bool isFirstOfId() const { return isFirstOfId(flags()); }
    static bool isFirstOfId(quint8 flags) { return !(flags & (Duplicate | NotAnEvent)); }
    void setFlag(Flag f) { rawLenFlags |= quint32(f) << 24; }
    quint32 rawLength() const { return rawLenFlags & MaxRawLength; }
    quint16 origin() const { return quint16(seqOrigin & 0xFFFF); }
    quint64 seq() const { return seqOrigin >> 16; }
    quint16 rawChunk() const { return quint16(rawRef >> 48); }
    quint64 rawOffset() const { return rawRef & ((quint64(1) << 48) - 1); }
};
static_assert(sizeof(EventRecord) == 64, "the event record must stay compact");
Q_DECLARE_TYPEINFO(EventRecord, Q_PRIMITIVE_TYPE);
