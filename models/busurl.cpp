// SPDX-License-Identifier: MIT
#include "busurl.h"

#include <QRegularExpression>
#include <QStringList>
#include <QUrlQuery>

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

QUrl BusUrl::fromText(const QString& text)
{
    const QString trimmed = text.trimmed();
    const qsizetype schemeEnd = trimmed.indexOf(QLatin1String("://"));
    if (schemeEnd < 0 || !trimmed.left(schemeEnd).toLower().startsWith(QLatin1String("nats+")))
        return QUrl(trimmed, QUrl::TolerantMode);
    // the authority runs to the first '/', '?' or '#'; credentials may come before the hosts
    const qsizetype authorityStart = schemeEnd + 3;
    qsizetype authorityEnd = authorityStart;
    while (authorityEnd < trimmed.size() && trimmed[authorityEnd] != u'/' && trimmed[authorityEnd] != u'?'
        && trimmed[authorityEnd] != u'#')
        ++authorityEnd;
    const QString authority = trimmed.mid(authorityStart, authorityEnd - authorityStart);
    const qsizetype at = authority.lastIndexOf(u'@');
    const QString hosts = authority.mid(at + 1);
    if (!hosts.contains(u','))
        return QUrl(trimmed, QUrl::TolerantMode);
    const QStringList servers = hosts.split(u',', Qt::SkipEmptyParts);
    if (servers.isEmpty())
        return QUrl(trimmed, QUrl::TolerantMode);
    QString first = trimmed.left(authorityStart) + authority.left(at + 1) + servers.constFirst();
    QString rest = trimmed.mid(authorityEnd);
    QUrl url(first + rest, QUrl::TolerantMode);
    if (servers.size() > 1) {
        QUrlQuery query(url);
        query.addQueryItem(QStringLiteral("servers"), servers.mid(1).join(u','));
        url.setQuery(query);
    }
    return url;
}

QString BusUrl::streamOf(const QString& originName)
{
    const QUrl url(originName, QUrl::TolerantMode);
    if (url.scheme() != QLatin1String("nats+ws") && url.scheme() != QLatin1String("nats+wss"))
        return {};
    return QUrlQuery(url).queryItemValue(QStringLiteral("stream"), QUrl::FullyDecoded);
}
