// SPDX-License-Identifier: MIT
#include "decodeas.h"

#include "eventdecoder.h"

#include <QCoreApplication>
#include <QStringList>

const std::vector<QString>& DecodeAs::roles()
{
    static const std::vector<QString> all { QStringLiteral("id"), QStringLiteral("type"), QStringLiteral("time"),
        QStringLiteral("source"), QStringLiteral("correlation"), QStringLiteral("causation"),
        QStringLiteral("payload") };
    return all;
}

bool DecodeAs::addField(const QString& mapping, QString* error)
{
    const qsizetype eq = mapping.indexOf(u'=');
    if (eq < 0) {
        if (error)
            *error = QCoreApplication::translate("DecodeAs", "\"%1\" is not ROLE=PATH").arg(mapping.left(80));
        return false;
    }
    return addField(mapping.left(eq).trimmed(), mapping.mid(eq + 1).trimmed(), error);
}

bool DecodeAs::addField(const QString& role, const QString& path, QString* error)
{
    if (!EventDecoder::isFieldRole(role.toStdString())) {
        if (error)
            *error = QCoreApplication::translate(
                "DecodeAs", "\"%1\" is not a role: id, type, time, source, correlation, causation or payload")
                         .arg(role.left(40));
        return false;
    }
    if (path.isEmpty() || path.size() > MaxPathLength || path.contains(u';')) {
        if (error)
            *error = QCoreApplication::translate(
                "DecodeAs", "the path for %1 must be a dotted field name of 1 to %2 characters, without ';'")
                         .arg(role)
                         .arg(MaxPathLength);
        return false;
    }
    for (const auto& [r, p] : fields) {
        if (r == role) {
            if (error)
                *error = QCoreApplication::translate("DecodeAs", "%1 is mapped twice").arg(role);
            return false;
        }
    }
    fields.emplace_back(role, path);
    return true;
}

void DecodeAs::applyTo(DecoderConfig& config) const
{
    config.profile = profile;
    config.fields.clear();
    for (const auto& [role, path] : fields)
        config.fields.emplace_back(role.toStdString(), path.toStdString());
}

QString DecodeAs::toText() const
{
    if (profile)
        return QStringLiteral("profile=") + EventProfiles::name(*profile);
    QStringList parts;
    for (const auto& [role, path] : fields)
        parts << role + u'=' + path;
    return parts.join(u';');
}

std::optional<DecodeAs> DecodeAs::fromText(const QString& text, QString* error)
{
    DecodeAs out;
    if (text.size() > 8 * (MaxPathLength + 16)) {
        if (error)
            *error
                = QCoreApplication::translate("DecodeAs", "the decoding choice is %1 characters long").arg(text.size());
        return std::nullopt;
    }
    if (text.trimmed().isEmpty())
        return out;
    if (text.startsWith(QLatin1String("profile="))) {
        EventProfile p;
        if (!EventProfiles::parse(text.mid(8), p) || p == EventProfile::Custom) {
            if (error)
                *error = QCoreApplication::translate("DecodeAs", "\"%1\" is not one of %2")
                             .arg(text.mid(8).left(40), EventProfiles::names().remove(QStringLiteral(", custom")));
            return std::nullopt;
        }
        out.profile = p;
        return out;
    }
    for (const QString& mapping : text.split(u';', Qt::SkipEmptyParts)) {
        if (!out.addField(mapping, error))
            return std::nullopt;
    }
    return out;
}

QString DecodeAs::describe() const
{
    if (profile)
        return EventProfiles::title(*profile);
    if (fields.empty())
        return QCoreApplication::translate("DecodeAs", "detected per event");
    QStringList parts;
    for (const auto& [role, path] : fields)
        parts << role + u'=' + path;
    return QCoreApplication::translate("DecodeAs", "fields %1").arg(parts.join(QStringLiteral(", ")));
}
