// SPDX-License-Identifier: MIT
#pragma once

#include "streaminfo.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QtGlobal>
#include <vector>

/// NATS JetStream (https://docs.nats.io/reference/reference-protocols/nats_api_reference) as EventScope
/// reads a stream's history and follows it: the URL's start and end points, the API requests of an
/// ordered consumer (ephemeral, no acks, flow control and idle heartbeats) and what comes back (API
/// replies, the `$JS.ACK` reply subject of each message with its stream sequence and time). Pure
/// functions over bytes, so that everything a server sends can be tested and fuzzed without one.
namespace JetStream {

/// Where reading starts: the URL's `from=`.
struct Start
{
    enum Kind { First, New, Sequence, Time, Ago };
    Kind kind = First;
    quint64 sequence = 0; ///< Sequence: the first stream sequence read
    qint64 timeUs = 0; ///< Time: epoch microseconds; Ago: how long before the consumer is made
};

/// Where a bounded read ends, inclusive: the URL's `to=` (None: it follows the stream live).
struct End
{
    enum Kind { None, Sequence, Time };
    Kind kind = None;
    quint64 sequence = 0;
    qint64 timeUs = 0;
};

/// `first`, `new`, a stream sequence (`1204000`), an RFC 3339 time (`2026-12-05T14:00:00Z`) or a
/// duration before now (`90s`, `15m`, `1h`, `2d`, `1h30m`). False with `error` saying why.
bool parseStart(const QString& text, Start* out, QString* error);
/// A stream sequence or an RFC 3339 time.
bool parseEnd(const QString& text, End* out, QString* error);
/// `text` in the URL's words again (the inverse of parseStart()), for status lines.
QString describe(const Start& start);

/// What a stream's message carries in the reply subject it is delivered with.
struct Delivery
{
    quint64 delivered = 0; ///< times this consumer delivered it (1 for an ordered consumer)
    quint64 streamSequence = 0;
    quint64 consumerSequence = 0;
    qint64 timeUs = 0; ///< when the stream stored it (epoch microseconds)
    quint64 pending = 0; ///< messages left after it for this consumer
};
/// Parses `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time ns>.<pending>`
/// and the newer form with a domain and an account hash before the stream (and a random token after).
/// False for anything else.
bool parseAckSubject(QByteArrayView subject, Delivery* out);

/// A stream or consumer name as JetStream accepts it: 1 to 255 bytes of printable ASCII without white
/// space, `.`, `*`, `>`, `/` or `\`.
bool isValidName(QByteArrayView name);

/// The body of `$JS.API.CONSUMER.CREATE.<stream>` for an ordered consumer delivering to `deliverSubject`
/// from `start` (Ago resolved against `nowUs`), filtered to `filter` (empty: every subject).
QByteArray orderedConsumerRequest(const QByteArray& stream, const QByteArray& deliverSubject, const Start& start,
    const QByteArray& filter, qint64 nowUs, qint64 idleHeartbeatMs);

/// An API reply: whether it is an error and, if so, what it says.
struct Reply
{
    bool ok = false;
    int code = 0; ///< HTTP-like: 404, 503, ...
    int errorCode = 0; ///< JetStream's err_code: 10059 stream not found, ...
    QString description;
    QString consumerName; ///< a consumer create reply's `name`
    quint64 lastSequence = 0; ///< a stream info reply's `state.last_seq`
    quint64 firstSequence = 0; ///< its `state.first_seq`
    /// A consumer create reply's `num_pending`: the messages it has yet to deliver (-1: not said).
    qint64 pending = -1;
    /// Its `created`, on the server's clock, epoch microseconds (0: not said).
    qint64 createdUs = 0;
};
/// Parses a JetStream API reply body (JSON). A body that is not an object is an error reply with a
/// description saying so.
Reply parseReply(QByteArrayView body);
/// The status line of a NATS header block ("NATS/1.0 100 Idle Heartbeat" -> 100, "Idle Heartbeat"), 0
/// when there is none.
int headerStatus(QByteArrayView headers, QByteArrayView* description = nullptr);

/// A page of `$JS.API.STREAM.LIST`'s reply: its streams (at most 1,000 taken from one page; names
/// JetStream would refuse are left out) appended to `out`, and the `total` the server has. False, with
/// `error` saying why, for an error reply or one that is not a stream list.
bool parseStreamList(QByteArrayView body, std::vector<StreamInfo>* out, quint64* total, QString* error);

} // namespace JetStream
