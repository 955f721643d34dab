// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <vector>

class EventFilter;
class QIODevice;
class Session;

/// Stored events written out for other tools: NDJSON (each event's own JSON, one per line, as it was
/// received: key order and unknown fields kept, whitespace outside strings removed) or CSV (RFC 4180,
/// UTF-8, a header row; the fixed columns below, then one per JSON field path asked for). Events that
/// have left the store (the memory cap) cannot be written and are counted.
namespace EventExport {

enum class Format { NdJson, Csv };

/// The CSV columns every export has, before the field columns.
QStringList fixedCsvColumns();

/// Every stored event the filter passes, in arrival order (an empty filter passes all).
std::vector<quint32> matching(const Session& session, const EventFilter& filter);

struct Result
{
    quint64 written = 0;
    quint64 gone = 0; ///< asked for, but no longer stored
    QString error; ///< a write failure (the device's own message); empty on success
};

/// Writes `events` in the order given. `fieldColumns` are dotted JSON paths ("payload.bookingId"),
/// CSV only.
Result write(const Session& session, const std::vector<quint32>& events, Format format, QIODevice& out,
    const QStringList& fieldColumns = {});

/// Writes `events` to the file `path` as its extension says: .csv (with `fieldColumns`), .txt (the text
/// report of chain `chain`, which must be given) or else NDJSON; the file is replaced only once whole.
/// True with `message` saying what was written, or false with `message` saying why nothing was.
bool toFile(const Session& session, const std::vector<quint32>& events, int chain, const QString& path,
    const QStringList& fieldColumns, QString* message);

/// One CSV cell: quoted when it holds a comma, quote, CR or LF; a cell a spreadsheet would run as a
/// formula (starting with =, +, -, @, tab or CR, and not a number) gets a leading apostrophe (OWASP).
QByteArray csvCell(const QByteArray& text);

} // namespace EventExport
