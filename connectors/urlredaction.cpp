// SPDX-License-Identifier: MIT
#include "urlredaction.h"

#include <QUrlQuery>

QUrl UrlRedaction::redact(const QUrl& url)
{
    QUrl out = url;
    out.setUserInfo(QString());
    QUrlQuery query(out);
    const auto items = query.queryItems(QUrl::FullyEncoded);
    QUrlQuery clean;
    for (const auto& [key, value] : items) {
        const QString k = key.toLower();
        const bool secret = k.contains(QLatin1String("token")) || k.contains(QLatin1String("pass"))
            || k.contains(QLatin1String("secret")) || k.contains(QLatin1String("auth")) || k == QLatin1String("key")
            || k.contains(QLatin1String("apikey")) || k.contains(QLatin1String("api_key"));
        clean.addQueryItem(key, secret ? QStringLiteral("REDACTED") : value);
    }
    out.setQuery(clean.isEmpty() ? QString() : clean.query(QUrl::FullyEncoded), QUrl::StrictMode);
    if (clean.isEmpty())
        out.setQuery(QString());
    return out;
}

QString UrlRedaction::redacted(const QUrl& url) { return redact(url).toString(); }
