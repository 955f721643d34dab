// SPDX-License-Identifier: MIT
#include "tokensource.h"

#include <QFile>
#include <QFileInfo>

bool TokenSource::read(const QString& given, const QString& file, QString* token, QString* error)
{
    if (!given.isEmpty()) {
        *token = given;
        return true;
    }
    if (!file.isEmpty()) {
        const QFileInfo info(file);
        if (!info.exists() || !info.isFile()) {
            *error = QStringLiteral("--token-file %1: no such file").arg(file);
            return false;
        }
        // like ssh with a private key: a secret others can read is refused, not used
        if (info.permissions() & (QFile::ReadGroup | QFile::ReadOther | QFile::WriteGroup | QFile::WriteOther)) {
            *error = QStringLiteral("--token-file %1: readable or writable by others; chmod 600 it").arg(file);
            return false;
        }
        QFile f(file);
        if (!f.open(QIODevice::ReadOnly)) {
            *error = QStringLiteral("--token-file %1: %2").arg(file, f.errorString());
            return false;
        }
        *token = QString::fromUtf8(f.read(64 * 1024).split('\n').value(0)).trimmed();
        if (token->isEmpty()) {
            *error = QStringLiteral("--token-file %1: the first line is empty").arg(file);
            return false;
        }
        return true;
    }
    *token = qEnvironmentVariable("EVENTSCOPE_TOKEN").trimmed();
    return true;
}
