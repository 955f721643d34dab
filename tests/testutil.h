// SPDX-License-Identifier: MIT
// Small helpers shared by the tests: turning JSON lines into decoded batches.
#pragma once

#include "decodedbatch.h"
#include "eventdecoder.h"

#include <QByteArrayList>
#include <QDateTime>
#include <memory>

/// Decodes each line as one frame of origin 0 received at receiveTimeUs (frame n at +n ms); with no
/// receive time (0), as the lines of a file of producer times: each event's session time is its own.
inline std::shared_ptr<DecodedBatch> decodeLines(
    const QByteArrayList& lines, qint64 receiveTimeUs = 0, quint16 origin = 0, EventDecoder* decoder = nullptr)
{
    static EventDecoder fallback;
    EventDecoder& d = decoder ? *decoder : fallback;
    auto batch = std::make_shared<DecodedBatch>();
    quint64 n = 0;
    for (const QByteArray& line : lines) {
        batch->frames.push_back(line);
        const QByteArray& held = batch->frames.back();
        SourcePosition pos { origin, SourcePosition::Frame, ++n, -1 };
        d.decode(held.constData(), std::size_t(held.size()), 0, pos, receiveTimeUs + qint64(n) * 1000, *batch);
    }
    if (receiveTimeUs == 0) {
        for (DecodedEvent& e : batch->events) {
            e.receiveTimeUs = e.eventTimeUs;
            e.setReceivePlaced();
        }
    }
    return batch;
}

/// A native event as JSON; empty strings leave a field out.
inline QByteArray nativeEvent(const QByteArray& id, const QByteArray& type, const QByteArray& timestamp = {},
    const QByteArray& correlation = {}, const QByteArray& causation = {}, const QByteArray& payload = {},
    qint64 seq = -1)
{
    QByteArray j = "{\"id\":\"" + id + "\",\"type\":\"" + type + '"';
    if (!timestamp.isEmpty())
        j += ",\"timestamp\":\"" + timestamp + '"';
    if (!correlation.isEmpty())
        j += ",\"correlationId\":\"" + correlation + '"';
    if (!causation.isEmpty())
        j += ",\"causationId\":\"" + causation + '"';
    if (seq >= 0)
        j += ",\"seq\":" + QByteArray::number(seq);
    if (!payload.isEmpty())
        j += ",\"payload\":" + payload;
    return j + '}';
}

/// The time every test session starts at: 2026-11-29T10:00:00Z in microseconds.
constexpr qint64 TestT0 = 1795946400LL * 1000000;

/// ISO-8601 text of TestT0 + ms.
inline QByteArray isoAt(qint64 ms)
{
    const qint64 us = TestT0 + ms * 1000;
    return QDateTime::fromMSecsSinceEpoch(us / 1000, Qt::UTC).toString(Qt::ISODateWithMs).toUtf8();
}
