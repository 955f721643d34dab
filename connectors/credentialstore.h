// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QPair>
#include <QString>
#include <QUrl>

/// The secrets of a connection: what the user typed and asked to be remembered.
struct ConnectionSecrets
{
    QString token;
    QString user, password; ///< from a broker URL's user info
    /// Extra request headers whose names say they carry a secret (RememberedConnection::isSecretHeader)
    QList<QPair<QString, QString>> headers;
    bool isEmpty() const { return token.isEmpty() && password.isEmpty() && headers.isEmpty(); }
};
Q_DECLARE_METATYPE(ConnectionSecrets)

/// Remembers connection secrets in the system keychain (the Secret Service of GNOME Keyring or
/// KeePassXC, KWallet) through QtKeychain, under the connection's URL without credentials. Never in
/// plain text: QtKeychain's insecure fallback stays off, so where no keychain is reachable nothing
/// is remembered, the caller hears why, and the user is asked again. Every call is asynchronous.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    explicit CredentialStore(QString service = QStringLiteral("EventScope"), QObject* parent = nullptr);
    ~CredentialStore() override;

    /// The keychain entry's name for a URL: no user info, no secret query parameters.
    static QString keyFor(const QUrl& url);

    void save(const QUrl& url, const ConnectionSecrets& secrets);
    void load(const QUrl& url);
    void forget(const QUrl& url);

Q_SIGNALS:
    /// `error` is empty when the secrets are in the keychain.
    void saved(const QString& key, const QString& error);
    /// Nothing remembered is no error (empty secrets, empty error); an unreachable keychain is.
    void loaded(const QString& key, const ConnectionSecrets& secrets, const QString& error);
    void forgotten(const QString& key, const QString& error);

private:
    QString m_service;
};
