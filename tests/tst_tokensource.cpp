// SPDX-License-Identifier: MIT
#include "tokensource.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

class TestTokenSource : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aTokenNeedNotShowInPs()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("token"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("s3cret-from-file\nignored second line\n");
        f.close();
        QString token, error;
        // only its owner may read it, like an ssh key
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner));
        QVERIFY2(TokenSource::read({}, path, &token, &error), qPrintable(error));
        QCOMPARE(token, QStringLiteral("s3cret-from-file"));
        QVERIFY(f.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther));
        QVERIFY(!TokenSource::read({}, path, &token, &error));
        QVERIFY2(error.contains(QLatin1String("readable or writable by others")), qPrintable(error));
        QVERIFY(!TokenSource::read({}, dir.filePath(QStringLiteral("none")), &token, &error));
        QVERIFY2(error.contains(QLatin1String("no such file")), qPrintable(error));
        // the environment, when nothing else is given; --token first of all
        qputenv("EVENTSCOPE_TOKEN", "s3cret-from-env");
        QVERIFY(TokenSource::read({}, {}, &token, &error));
        QCOMPARE(token, QStringLiteral("s3cret-from-env"));
        QVERIFY(TokenSource::read(QStringLiteral("given"), {}, &token, &error));
        QCOMPARE(token, QStringLiteral("given"));
        qunsetenv("EVENTSCOPE_TOKEN");
        QVERIFY(TokenSource::read({}, {}, &token, &error));
        QVERIFY(token.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTokenSource)
#include "tst_tokensource.moc"
