// SPDX-License-Identifier: MIT
#include "tokensource.h"

#include "credentialstore.h"

#include <QEventLoop>
#include <QFile>
#include <QFileInfo>
#include <QTimer>

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

bool TokenSource::fromKeychain(QUrl* url, QString* token, QString* error)
{
    CredentialStore store;
    const QString key = CredentialStore::keyFor(*url);
    QEventLoop loop;
    bool answered = false;
    ConnectionSecrets secrets;
    QString why;
    QObject::connect(
        &store, &CredentialStore::loaded, &loop, [&](const QString& k, const ConnectionSecrets& s, const QString& e) {
            if (k != key)
                return;
            answered = true;
            secrets = s;
            why = e;
            loop.quit();
        });
    QTimer::singleShot(30000, &loop, &QEventLoop::quit);
    store.load(*url);
    if (!answered)
        loop.exec();
    if (!answered) {
        *error = QStringLiteral("the system keychain did not answer within 30 s");
        return false;
    }
    if (!why.isEmpty()) {
        *error = QStringLiteral("the system keychain: %1").arg(why);
        return false;
    }
    if (secrets.isEmpty()) {
        *error = QStringLiteral("the system keychain holds nothing for %1 (File > Connect remembers it)").arg(key);
        return false;
    }
    *token = secrets.token;
    if (!secrets.password.isEmpty()) {
        url->setUserName(secrets.user);
        url->setPassword(secrets.password);
    }
    return true;
}
