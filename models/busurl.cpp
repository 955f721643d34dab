// SPDX-License-Identifier: MIT
#include "busurl.h"

#include <QRegularExpression>
#include <QStringList>

QString BusUrl::missingSchemeHint(const QString& text)
{
    // a host name, an IPv4 address or an [IPv6] one, a port, and an optional path
    static const QRegularExpression hostPort(
        QStringLiteral("^(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):[0-9]{1,5}(?:/\\S*)?$"));
    const QString trimmed = text.trimmed();
    if (trimmed.size() > 2048 || !hostPort.match(trimmed).hasMatch())
        return {};
    return QStringLiteral("not a URL: did you mean ws://%1?").arg(trimmed);
}

bool BusUrl::isSupportedScheme(const QString& scheme)
{
    static const QStringList schemes { QStringLiteral("ws"), QStringLiteral("wss"), QStringLiteral("nats+ws"),
        QStringLiteral("nats+wss"), QStringLiteral("mqtt+ws"), QStringLiteral("mqtt+wss") };
    return schemes.contains(scheme.toLower());
}
