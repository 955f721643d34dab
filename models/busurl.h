// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// What people type for a bus, read before it is taken for a URL or a file.
namespace BusUrl {
/// For text typed without a scheme that looks like host:port[/path] ("localhost:8080/events"), the
/// message to show: "not a URL: did you mean ws://localhost:8080/events?"; otherwise empty.
QString missingSchemeHint(const QString& text);
/// ws, wss, and the brokers' nats+ws, mqtt+ws and their +wss forms.
bool isSupportedScheme(const QString& scheme);
} // namespace BusUrl
