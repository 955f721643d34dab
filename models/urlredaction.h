// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QUrl>

/// Removes credentials from a URL before it is shown, logged or written to a capture:
/// user info, and the values of query parameters that carry secrets (token, password, ...).
namespace UrlRedaction {
QUrl redact(const QUrl& url);
QString redacted(const QUrl& url);
/// The URL without user info and without the query parameters that carry secrets: for reconnecting
/// later (recent connections), where a "REDACTED" value would be sent as if it were the secret.
QUrl withoutCredentials(const QUrl& url);
} // namespace UrlRedaction
