// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <string_view>

/// Event times are microseconds since the Unix epoch, UTC.
namespace Timestamp {
/// Parses ISO-8601 date-time: YYYY-MM-DDTHH:MM:SS[.fraction](Z|+hh:mm|-hh:mm), any number of fraction
/// digits (kept to the microsecond). Written by hand because QDateTime::fromString costs ~1 µs per call,
/// as much as decoding the whole rest of an event.
bool parseIso8601(std::string_view text, qint64& microsOut);

/// The last date, hour and minute parsed ("2026-11-29T13:01", already validated) and their seconds since
/// the epoch. Events of a stream share them for a minute at a time, so with a cache only the seconds,
/// fraction and zone are read: a third of the work. One per thread (a decoder holds one).
struct MinuteCache
{
    char prefix[16] = {};
    qint64 seconds = 0;
    bool valid = false;
};
/// As above, reusing and updating `cache`.
bool parseIso8601(std::string_view text, qint64& microsOut, MinuteCache& cache);
/// Epoch milliseconds (integer or fractional) to microseconds; false when out of the representable range.
bool fromEpochMillis(double millis, qint64& microsOut);
/// ISO-8601 UTC with millisecond precision, e.g. 2026-11-29T13:01:03.250Z.
QString toIso8601(qint64 micros);
/// The time of day, UTC, to the millisecond: 13:01:03.250 (for tables).
QString clockText(qint64 micros);
} // namespace Timestamp
