// SPDX-License-Identifier: MIT
#include "rememberedconnection.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSettings>

namespace {
QString groupOf(const QString& urlKey)
{
    // a URL's slashes would nest groups: the key is kept whole, percent-encoded
    return QStringLiteral("connections/") + QString::fromLatin1(urlKey.toUtf8().toPercentEncoding());
}

bool isTokenChar(QChar c)
{
    // RFC 9110 token characters
    return c.isLetterOrNumber() && c.unicode() < 128 ? true : QStringLiteral("!#$%&'*+-.^_`|~").contains(c);
}
} // namespace

bool RememberedConnection::isSecretHeader(const QString& name)
{
    const QString n = name.toLower();
    if (n == QLatin1String("authorization") || n == QLatin1String("proxy-authorization")
        || n == QLatin1String("cookie"))
        return true;
    for (const char* word : { "token", "secret", "key", "password", "auth", "session", "signature" })
        if (n.contains(QLatin1String(word)))
            return true;
    return false;
}

bool RememberedConnection::parseHeaders(const QString& text, QList<QPair<QString, QString>>* headers, QString* error)
{
    headers->clear();
    const QStringList lines = text.split(QLatin1Char('\n'));
    for (int i = 0; i < lines.size(); ++i) {
        const QString line = lines[i].trimmed();
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(QLatin1Char(':'));
        const QString name = colon > 0 ? line.left(colon).trimmed() : QString();
        if (name.isEmpty() || !std::all_of(name.begin(), name.end(), isTokenChar) || line.contains(QLatin1Char('\r'))) {
            *error = QCoreApplication::translate("RememberedConnection", "line %1 is not \"Name: value\"").arg(i + 1);
            return false;
        }
        headers->append({ name, line.mid(colon + 1).trimmed() });
    }
    return true;
}

QString RememberedConnection::headersText(const QList<QPair<QString, QString>>& headers)
{
    QStringList lines;
    for (const auto& [name, value] : headers)
        lines << name + QStringLiteral(": ") + value;
    return lines.join(QLatin1Char('\n'));
}

QStringList RememberedConnection::parseTypes(const QString& text)
{
    return text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
}

RememberedConnection RememberedConnection::load(const QSettings& settings, const QString& urlKey)
{
    RememberedConnection r;
    const QString group = groupOf(urlKey);
    const QStringList pairs = settings.value(group + QStringLiteral("/headers")).toStringList();
    for (int i = 0; i + 1 < pairs.size(); i += 2)
        if (!pairs[i].isEmpty() && !isSecretHeader(pairs[i])) // settings may be edited by hand
            r.headers.append({ pairs[i], pairs[i + 1] });
    r.types = settings.value(group + QStringLiteral("/types")).toStringList();
    return r;
}

void RememberedConnection::save(QSettings& settings, const QString& urlKey, const RememberedConnection& choice)
{
    const QString group = groupOf(urlKey);
    QStringList pairs;
    for (const auto& [name, value] : choice.headers)
        if (!isSecretHeader(name))
            pairs << name << value;
    settings.remove(group);
    if (!pairs.isEmpty())
        settings.setValue(group + QStringLiteral("/headers"), pairs);
    if (!choice.types.isEmpty())
        settings.setValue(group + QStringLiteral("/types"), choice.types);
}
