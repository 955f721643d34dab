// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QUrl>

/// Removes credentials from a URL before it is shown, logged or written to a capture. Secrets hide
/// under any name (sig, jwt, pwd, session, code, X-Amz-Signature, ...), so every query value is
/// redacted except those of the parameters known to be harmless (isHarmless(): the buses' and
/// brokers' own subject, topic, types, stream ...), and so is the fragment; user info is removed.
namespace UrlRedaction {
/// Query parameters whose values are shown and kept: subject, topic, types, since, stream, from, to,
/// qos, durable, group, queue (case-insensitive).
bool isHarmless(const QString& key);
QUrl redact(const QUrl& url);
QString redacted(const QUrl& url);
/// The URL without user info, fragment or any query parameter that is not harmless: for reconnecting
/// later (recent connections), where a "REDACTED" value would be sent as if it were the secret.
QUrl withoutCredentials(const QUrl& url);
/// A URL's text (redacted already) for reading: every percent-escape decoded, so that a subject
/// "orders.%3E" reads "orders.>" and a topic "bookings/%23" reads "bookings/#". Only to be read: the
/// result may not parse back to the same URL (a "#" would begin a fragment), so tooltips, copies and
/// connections keep the exact text. Text that is not a URL comes back as it is.
QString readable(const QString& urlText);
} // namespace UrlRedaction
