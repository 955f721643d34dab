// SPDX-License-Identifier: MIT
#include "urlredaction.h"

#include <QStringList>
#include <QUrlQuery>

bool UrlRedaction::isHarmless(const QString& key)
{
    static const QStringList harmless { QStringLiteral("subject"), QStringLiteral("topic"), QStringLiteral("types"),
        QStringLiteral("since"), QStringLiteral("stream"), QStringLiteral("from"), QStringLiteral("to"),
        QStringLiteral("qos"), QStringLiteral("durable"), QStringLiteral("group"), QStringLiteral("queue") };
    return harmless.contains(QUrl::fromPercentEncoding(key.toUtf8()), Qt::CaseInsensitive);
}

namespace {
bool isSecret(const QString& key) { return !UrlRedaction::isHarmless(key); }

QUrl cleaned(const QUrl& url, bool keepSecretKeys)
{
    QUrl out = url;
    out.setUserInfo(QString());
    if (out.hasFragment()) { // a client-side secret often rides there (OAuth's implicit grant)
        if (keepSecretKeys)
            out.setFragment(QStringLiteral("REDACTED"));
        else
            out = out.adjusted(QUrl::RemoveFragment);
    }
    QUrlQuery query(out);
    const auto items = query.queryItems(QUrl::FullyEncoded);
    QUrlQuery clean;
    for (const auto& [key, value] : items) {
        if (!isSecret(key))
            clean.addQueryItem(key, value);
        else if (keepSecretKeys)
            clean.addQueryItem(key, QStringLiteral("REDACTED"));
    }
    out.setQuery(clean.isEmpty() ? QString() : clean.query(QUrl::FullyEncoded), QUrl::StrictMode);
    if (clean.isEmpty())
        out.setQuery(QString());
    return out;
}

} // namespace

QUrl UrlRedaction::redact(const QUrl& url) { return cleaned(url, true); }

QUrl UrlRedaction::withoutCredentials(const QUrl& url) { return cleaned(url, false); }

QString UrlRedaction::redacted(const QUrl& url)
{
    // readable ("subject=events.>", not "%3E"), yet reading it back gives the same URL: delimiters
    // inside a value stay encoded
    return redact(url).toString(QUrl::PrettyDecoded | QUrl::DecodeReserved);
}

QString UrlRedaction::readable(const QString& urlText)
{
    if (!urlText.contains(QLatin1String("://")) || !urlText.contains(QLatin1Char('%')))
        return urlText;
    return QUrl::fromPercentEncoding(urlText.toUtf8());
}
