// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QUrl>

/// What people type for a bus, read before it is taken for a URL or a file.
namespace BusUrl {
/// For text typed without a scheme that looks like host:port[/path] ("localhost:8080/events"), the
/// message to show: "not a URL: did you mean ws://localhost:8080/events?"; otherwise empty.
QString missingSchemeHint(const QString& text);
/// The URL for `text` as typed (TolerantMode: "?subject=booking.>" stays as it is). A NATS URL naming
/// several servers, `nats+ws://a:4223,b:4224,c:4225/path?...` (one URL to a cluster, as NATS clients
/// take it), which QUrl cannot hold, becomes the first server's URL with the others in `servers=`
/// (`nats+ws://a:4223/path?...&servers=b:4224,c:4225`), the form BrokerEndpoint reads.
QUrl fromText(const QString& text);
/// ws, wss, and the brokers' nats+ws, mqtt+ws and their +wss forms.
bool isSupportedScheme(const QString& scheme);
/// The JetStream stream an origin named by this URL read (`nats+ws[s]://...?stream=NAME`, unfiltered
/// or filtered), or empty. Its sequence gaps are messages the stream itself no longer holds.
QString streamOf(const QString& originName);
} // namespace BusUrl
