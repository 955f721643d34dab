// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <string>
#include <string_view>

/// Reading stored events' raw JSON on demand: one field, a pretty form, a text search. The session keeps
/// raw bytes, not parsed trees (a tree costs 4-7x the text); views parse the few events they show.
/// Not for the ingest path. Each thread has its own parser.
namespace JsonText {

/// The value at a dotted path ("payload.bookingId", "data.items.0.sku") as text: strings without
/// quotes, numbers and literals as written, objects and arrays as compact JSON. False when absent or
/// when raw is not JSON. Only the bytes up to the value are scanned and only the value is parsed, so
/// `raw` is expected to be valid JSON (a stored event is): in a damaged document, a value before the
/// damage is still found.
bool field(std::string_view raw, std::string_view path, std::string* out);

/// Indented JSON (two spaces, keys in their original order), or the raw text unchanged when it does not
/// parse. At most `maxBytes` of output (then "...").
QString pretty(std::string_view raw, std::size_t maxBytes = 1 << 20);

/// As pretty(), for reading: a string (key or value) longer than `maxStringBytes` keeps its start and
/// end around "…(N more bytes)…", so one huge value costs what a short one does to lay out.
/// `shortened` says whether any string was.
QString prettyShortened(
    std::string_view raw, std::size_t maxStringBytes, bool* shortened = nullptr, std::size_t maxBytes = 1 << 20);

/// ASCII case-insensitive substring search; `needleLower` must already be lower case.
bool containsFolded(std::string_view haystack, std::string_view needleLower);

} // namespace JsonText
