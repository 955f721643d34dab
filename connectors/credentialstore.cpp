// SPDX-License-Identifier: MIT
#include "credentialstore.h"

#include "urlredaction.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <qt6keychain/keychain.h>

namespace {
QString explain(QKeychain::Job* job)
{
    if (job->error() == QKeychain::NoBackendAvailable)
        return QStringLiteral("no system keychain is available (%1): nothing is remembered, and nothing is stored in "
                              "plain text")
            .arg(job->errorString());
    return job->errorString();
}

template<typename JobType>
JobType* makeJob(const QString& service, const QString& key, QObject* parent)
{
    auto* job = new JobType(service, parent);
    job->setAutoDelete(true);
    job->setInsecureFallback(false); // never a plain-text file instead of a keychain
    job->setKey(key);
    return job;
}
} // namespace

CredentialStore::CredentialStore(QString service, QObject* parent)
    : QObject(parent)
    , m_service(std::move(service))
{
    qRegisterMetaType<ConnectionSecrets>();
}

CredentialStore::~CredentialStore() = default;

QString CredentialStore::keyFor(const QUrl& url) { return UrlRedaction::withoutCredentials(url).toString(); }

void CredentialStore::save(const QUrl& url, const ConnectionSecrets& secrets)
{
    const QString key = keyFor(url);
    auto* job = makeJob<QKeychain::WritePasswordJob>(m_service, key, this);
    QJsonObject o;
    if (!secrets.token.isEmpty())
        o[QStringLiteral("token")] = secrets.token;
    if (!secrets.password.isEmpty()) {
        o[QStringLiteral("user")] = secrets.user;
        o[QStringLiteral("password")] = secrets.password;
    }
    if (!secrets.headers.isEmpty()) {
        QJsonArray headers;
        for (const auto& [name, value] : secrets.headers)
            headers.append(QJsonArray { name, value });
        o[QStringLiteral("headers")] = headers;
    }
    job->setTextData(QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact)));
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
        Q_EMIT saved(key, j->error() == QKeychain::NoError ? QString() : explain(j));
    });
    job->start();
}

void CredentialStore::load(const QUrl& url)
{
    const QString key = keyFor(url);
    auto* job = makeJob<QKeychain::ReadPasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
        ConnectionSecrets s;
        if (j->error() == QKeychain::EntryNotFound) {
            Q_EMIT loaded(key, s, QString());
            return;
        }
        if (j->error() != QKeychain::NoError) {
            Q_EMIT loaded(key, s, explain(j));
            return;
        }
        const QJsonObject o
            = QJsonDocument::fromJson(static_cast<QKeychain::ReadPasswordJob*>(j)->textData().toUtf8()).object();
        s.token = o.value(QLatin1String("token")).toString();
        s.user = o.value(QLatin1String("user")).toString();
        s.password = o.value(QLatin1String("password")).toString();
        for (const QJsonValue& h : o.value(QLatin1String("headers")).toArray())
            if (h.toArray().size() == 2)
                s.headers.append({ h.toArray().at(0).toString(), h.toArray().at(1).toString() });
        Q_EMIT loaded(key, s, QString());
    });
    job->start();
}

void CredentialStore::forget(const QUrl& url)
{
    const QString key = keyFor(url);
    auto* job = makeJob<QKeychain::DeletePasswordJob>(m_service, key, this);
    connect(job, &QKeychain::Job::finished, this, [this, key](QKeychain::Job* j) {
        Q_EMIT forgotten(
            key, j->error() == QKeychain::NoError || j->error() == QKeychain::EntryNotFound ? QString() : explain(j));
    });
    job->start();
}
