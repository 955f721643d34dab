// SPDX-License-Identifier: MIT
// Secrets in the system keychain: a real GNOME Keyring in a private D-Bus session (tests/with-keyring.sh),
// and, with no keychain at all, nothing remembered and nothing written in plain text.
#include "credentialstore.h"
#include "livetestutil.h"
#include "rawwebsocketserver.h"
#include "session.h"
#include "sourcehub.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

namespace {
const QString Token = QStringLiteral("tok-7f3a9c1e-never-in-a-file");
const QString Password = QStringLiteral("pw-52d1-never-in-a-file");
const QByteArray BearerHeader = "Authorization: Bearer tok-7f3a9c1e-never-in-a-file";

/// Files under HOME (where settings and keyrings live) that hold `secret` as plain text.
QStringList filesHolding(const QString& secret)
{
    QStringList found;
    QDirIterator it(QDir::homePath(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        if (f.open(QIODevice::ReadOnly) && f.readAll().contains(secret.toUtf8()))
            found << f.fileName();
    }
    return found;
}
} // namespace

class TestCredentialStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void keysCarryNoSecret()
    {
        QCOMPARE(CredentialStore::keyFor(QUrl(QStringLiteral("nats+ws://ops:pw@h:1/ws?subject=a.>&token=t"))),
            QStringLiteral("nats+ws://h:1/ws?subject=a.%3E"));
    }

    void rememberedInTheKeychainOnly()
    {
        if (qEnvironmentVariableIsEmpty("EVENTSCOPE_KEYRING"))
            QSKIP("needs the keyring session of tests/with-keyring.sh (ctest runs it that way)");
        CredentialStore store(QStringLiteral("EventScope-test"));
        const QUrl url(QStringLiteral("mqtt+ws://ops:%1@broker:9001?topic=%23").arg(Password));
        QSignalSpy saved(&store, &CredentialStore::saved);
        const QString apiKey = QStringLiteral("k-7f3a9c1e55d04b2a");
        store.save(url, { Token, QStringLiteral("ops"), Password, { { QStringLiteral("X-Api-Key"), apiKey } } });
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10000);
        QVERIFY2(saved.at(0).at(1).toString().isEmpty(), qPrintable(saved.at(0).at(1).toString()));

        // the same connection typed again without its secrets finds them
        QSignalSpy loaded(&store, &CredentialStore::loaded);
        store.load(QUrl(QStringLiteral("mqtt+ws://broker:9001?topic=%23")));
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        QVERIFY(loaded.at(0).at(2).toString().isEmpty());
        const auto secrets = loaded.at(0).at(1).value<ConnectionSecrets>();
        QCOMPARE(secrets.token, Token);
        QCOMPARE(secrets.user, QStringLiteral("ops"));
        QCOMPARE(secrets.password, Password);
        QCOMPARE(secrets.headers.size(), 1);
        QCOMPARE(secrets.headers.at(0).second, apiKey);
        // the keyring encrypts what it keeps: no file holds the secrets as text
        QCOMPARE(filesHolding(Token), QStringList());
        QCOMPARE(filesHolding(Password), QStringList());
        QCOMPARE(filesHolding(apiKey), QStringList());

        QSignalSpy forgotten(&store, &CredentialStore::forgotten);
        store.forget(url);
        QTRY_COMPARE_WITH_TIMEOUT(forgotten.count(), 1, 10000);
        store.load(url);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 2, 10000);
        QVERIFY(loaded.at(1).at(1).value<ConnectionSecrets>().isEmpty());
        QVERIFY(loaded.at(1).at(2).toString().isEmpty()); // nothing remembered is no error
    }

    // the connect dialog's "remember": the first connection stores the token, the next one (typed
    // without it) is sent it from the keychain
    void aRememberedTokenIsSentNextTime()
    {
        if (qEnvironmentVariableIsEmpty("EVENTSCOPE_KEYRING"))
            QSKIP("needs the keyring session of tests/with-keyring.sh (ctest runs it that way)");
        RawWebSocketServer first, second;
        Session session;
        SourceHub hub(session);
        QSignalSpy notices(&hub, &SourceHub::notice);
        ConnectionSettings typed = fastSettings(first.url());
        typed.token = Token;
        hub.connectRemembering(typed, true);
        QTRY_VERIFY(first.lastRequest.contains(BearerHeader));
        // the save is asynchronous: wait until the keychain holds it
        CredentialStore probe;
        QString found;
        QObject::connect(&probe, &CredentialStore::loaded, &probe,
            [&found](const QString&, const ConnectionSecrets& secrets, const QString&) { found = secrets.token; });
        QTRY_VERIFY_WITH_TIMEOUT((probe.load(first.url()), found == Token), 10000);
        hub.stopAll();
        first.lastRequest.clear();
        hub.connectRemembering(fastSettings(first.url()), false);
        QTRY_VERIFY_WITH_TIMEOUT(first.lastRequest.contains(BearerHeader), 10000);
        // a bus nothing was remembered for gets no token, and that is no error
        hub.connectRemembering(fastSettings(second.url()), false);
        QTRY_VERIFY(!second.lastRequest.isEmpty());
        QVERIFY(!second.lastRequest.contains("Authorization"));
        QCOMPARE(notices.count(), 0);
        QCOMPARE(filesHolding(Token), QStringList());
        hub.stopAll();
    }

    void recordTakesTheTokenFromTheKeychain()
    {
        // `record --keychain`: the token File > Connect remembered, sent without ever being on the
        // command line, in the environment or in the capture
        if (qEnvironmentVariableIsEmpty("EVENTSCOPE_KEYRING"))
            QSKIP("needs the keyring session of tests/with-keyring.sh (ctest runs it that way)");
        RawWebSocketServer bus;
        CredentialStore store;
        QSignalSpy saved(&store, &CredentialStore::saved);
        store.save(bus.url(), { Token, {}, {}, {} });
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10000);
        QCOMPARE(saved.at(0).at(1).toString(), QString());
        const QString capture = QDir::home().filePath(QStringLiteral("recorded.escap"));
        QProcess record;
        const QStringList args { QStringLiteral("record"), bus.url().toString(), QStringLiteral("--keychain"),
            QStringLiteral("-o"), capture, QStringLiteral("--duration"), QStringLiteral("1") };
        record.start(QStringLiteral(EVENTSCOPE_CLI), args);
        QTRY_VERIFY_WITH_TIMEOUT(bus.lastRequest.contains(BearerHeader), 15000);
        QVERIFY(record.waitForFinished(15000));
        QVERIFY(!args.join(u' ').contains(Token));
        QVERIFY(!record.readAllStandardError().contains(Token.toUtf8()));
        QVERIFY(QFile::exists(capture));
        QCOMPARE(filesHolding(Token), QStringList());
    }

    void recordWithoutAKeychainSaysWhy()
    {
        if (!qEnvironmentVariableIsSet("EVENTSCOPE_NO_KEYCHAIN"))
            QSKIP("needs a session without any keychain (ctest runs it so as credentialstore_nokeychain)");
        QProcess record;
        record.start(QStringLiteral(EVENTSCOPE_CLI),
            { QStringLiteral("record"), QStringLiteral("ws://127.0.0.1:9/events"), QStringLiteral("--keychain"),
                QStringLiteral("-o"), QDir::temp().filePath(QStringLiteral("never.escap")) });
        QVERIFY(record.waitForFinished(60000));
        QCOMPARE(record.exitCode(), 64); // as for a token file that cannot be read: nothing is tried
        const QByteArray err = record.readAllStandardError();
        QVERIFY2(err.contains("record: the system keychain"), err.constData());
    }

    void failsSafeWithoutAKeychain()
    {
        if (!qEnvironmentVariableIsSet("EVENTSCOPE_NO_KEYCHAIN"))
            QSKIP("needs a session without any keychain (ctest runs it so as credentialstore_nokeychain)");
        CredentialStore store(QStringLiteral("EventScope-test"));
        const QUrl url(QStringLiteral("wss://bus.example.com/events"));
        QSignalSpy saved(&store, &CredentialStore::saved);
        store.save(url, { Token, {}, {}, {} });
        QTRY_COMPARE_WITH_TIMEOUT(saved.count(), 1, 10000);
        QVERIFY2(!saved.at(0).at(1).toString().isEmpty(), "without a keychain, saving must fail and say so");
        QSignalSpy loaded(&store, &CredentialStore::loaded);
        store.load(url);
        QTRY_COMPARE_WITH_TIMEOUT(loaded.count(), 1, 10000);
        QVERIFY(loaded.at(0).at(1).value<ConnectionSecrets>().isEmpty()); // so the user is asked again
        QCOMPARE(filesHolding(Token), QStringList()); // and no plain-text fallback was written anywhere

        // through the hub: the connection goes ahead, and the user is told the token was not kept
        RawWebSocketServer bus;
        Session session;
        SourceHub hub(session);
        QSignalSpy notices(&hub, &SourceHub::notice);
        ConnectionSettings typed = fastSettings(bus.url());
        typed.token = Token;
        hub.connectRemembering(typed, true);
        QTRY_VERIFY(bus.lastRequest.contains(BearerHeader));
        QTRY_COMPARE_WITH_TIMEOUT(notices.count(), 1, 10000);
        QVERIFY2(notices.at(0).at(0).toString().contains(QLatin1String("not remembered")),
            qPrintable(notices.at(0).at(0).toString()));
        QVERIFY(!notices.at(0).at(0).toString().contains(Token));
        QCOMPARE(filesHolding(Token), QStringList());
        hub.stopAll();
    }
};

QTEST_GUILESS_MAIN(TestCredentialStore)
#include "tst_credentialstore.moc"
