// SPDX-License-Identifier: MIT
#include "brokerprotocol.h"

#include <QTest>

class TestBrokerEndpoint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parses_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<int>("protocol");
        QTest::addColumn<QString>("socket");
        QTest::addColumn<QString>("filter");
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("password");
        QTest::addColumn<QString>("token");
        QTest::addRow("bus") << "ws://bus:8080/events?token=t" << int(BrokerEndpoint::Bus)
                             << "ws://bus:8080/events?token=t"
                             << ""
                             << ""
                             << ""
                             << "";
        QTest::addRow("nats default subject") << "nats+ws://h:4223" << int(BrokerEndpoint::Nats) << "ws://h:4223/"
                                              << ">"
                                              << ""
                                              << ""
                                              << "";
        QTest::addRow("nats subject as typed")
            << "nats+ws://h:4223?subject=booking.>" << int(BrokerEndpoint::Nats) << "ws://h:4223/"
            << "booking.>"
            << ""
            << ""
            << "";
        QTest::addRow("nats user, tls, path")
            << "nats+wss://ops:p%40ss@h:443/nats?subject=a.*" << int(BrokerEndpoint::Nats) << "wss://h:443/nats"
            << "a.*"
            << "ops"
            << "p@ss"
            << "";
        QTest::addRow("nats token") << "nats+ws://h:1?token=abc&subject=x" << int(BrokerEndpoint::Nats) << "ws://h:1/"
                                    << "x"
                                    << ""
                                    << ""
                                    << "abc";
        QTest::addRow("mqtt default topic") << "mqtt+ws://h:9001" << int(BrokerEndpoint::Mqtt) << "ws://h:9001/"
                                            << "#"
                                            << ""
                                            << ""
                                            << "";
        QTest::addRow("mqtt encoded #") << "mqtt+ws://h:9001/mqtt?topic=booking/%23" << int(BrokerEndpoint::Mqtt)
                                        << "ws://h:9001/mqtt"
                                        << "booking/#"
                                        << ""
                                        << ""
                                        << "";
        QTest::addRow("mqtt # as typed") << "mqtt+ws://h:9001?topic=booking/#" << int(BrokerEndpoint::Mqtt)
                                         << "ws://h:9001/"
                                         << "booking/#"
                                         << ""
                                         << ""
                                         << "";
        QTest::addRow("mqtt + wildcard, other query kept")
            << "mqtt+wss://u:p@h?topic=a/%2B/c&x=1" << int(BrokerEndpoint::Mqtt) << "wss://h/?x=1"
            << "a/+/c"
            << "u"
            << "p"
            << "";
    }
    void parses()
    {
        QFETCH(QString, url);
        QFETCH(int, protocol);
        QFETCH(QString, socket);
        QFETCH(QString, filter);
        QFETCH(QString, user);
        QFETCH(QString, password);
        QFETCH(QString, token);
        BrokerEndpoint e;
        QString error;
        QVERIFY2(BrokerEndpoint::parse(QUrl(url, QUrl::TolerantMode), e, &error), qPrintable(error));
        QCOMPARE(int(e.protocol), protocol);
        QCOMPARE(e.socketUrl.toString(), socket);
        QCOMPARE(e.filter, filter);
        QCOMPARE(e.user, user);
        QCOMPARE(e.password, password);
        QCOMPARE(e.token, token);
        // what is opened never carries the credentials
        QVERIFY(e.socketUrl.userInfo().isEmpty());
    }

    void refuses_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("reason");
        QTest::addRow("http") << "http://h:1"
                              << "unsupported scheme";
        QTest::addRow("nats over tcp") << "nats://h:4222"
                                       << "unsupported scheme";
        QTest::addRow("kafka") << "kafka+ws://h:1"
                               << "unsupported scheme";
        QTest::addRow("no host") << "nats+ws:///x"
                                 << "no host";
        QTest::addRow("empty subject") << "nats+ws://h:1?subject="
                                       << "subject is empty";
        QTest::addRow("subject with space") << "nats+ws://h:1?subject=a%20b"
                                            << "white space";
        QTest::addRow("empty topic") << "mqtt+ws://h:1?topic="
                                     << "topic is empty";
    }
    void refuses()
    {
        QFETCH(QString, url);
        QFETCH(QString, reason);
        BrokerEndpoint e;
        QString error;
        QVERIFY(!BrokerEndpoint::parse(QUrl(url, QUrl::TolerantMode), e, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestBrokerEndpoint)
#include "tst_brokerendpoint.moc"
