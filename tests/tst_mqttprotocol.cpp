// SPDX-License-Identifier: MIT
#include "brokerwire.h"
#include "mqttprotocol.h"

#include <QTest>

namespace {
QByteArray bytes(std::initializer_list<int> b)
{
    QByteArray out;
    for (int x : b)
        out.append(char(x));
    return out;
}

QByteArray publishPacket(int qos, quint16 id, const QByteArray& topic, const QByteArray& payload)
{
    QByteArray body;
    body.append(char(topic.size() >> 8)).append(char(topic.size() & 0xFF)).append(topic);
    if (qos > 0)
        body.append(char(id >> 8)).append(char(id & 0xFF));
    body.append(payload);
    QByteArray out;
    out.append(char(0x30 | (qos << 1)));
    std::size_t n = std::size_t(body.size());
    do {
        quint8 byte = n % 128;
        n /= 128;
        out.append(char(n ? byte | 0x80 : byte));
    } while (n);
    return out + body;
}
} // namespace

class TestMqttProtocol : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void connectsWithCredentialsAndSubscribesAtQos1()
    {
        MqttProtocol::Options o;
        o.topic = QStringLiteral("booking/#");
        o.user = QStringLiteral("ops");
        o.password = QStringLiteral("pw");
        o.keepAliveSeconds = 30;
        MqttProtocol p(o);
        BrokerWire w;
        p.opened(w.c);
        const QByteArray id = p.clientId().toUtf8();
        QCOMPARE(id.size(), 23); // the longest id every 3.1.1 broker must accept
        QVERIFY(id.startsWith("eventscope-"));
        QByteArray body = bytes({ 0, 4 }) + "MQTT" + bytes({ 4, 0xC2, 0, 30, 0, 23 }) + id + bytes({ 0, 3 }) + "ops"
            + bytes({ 0, 2 }) + "pw";
        QCOMPARE(w.sent, bytes({ 0x10, int(body.size()) }) + body);
        QCOMPARE(MqttProtocol(o).clientId() == p.clientId(), false); // unique per connection
        w.sent.clear();
        const QByteArray connack = bytes({ 0x20, 2, 0, 0 });
        p.received(connack.constData(), 4, w.c);
        QCOMPARE(w.sent, bytes({ 0x82, 14, 0, 1, 0, 9 }) + "booking/#" + bytes({ 1 }));
        QCOMPARE(w.ready, 0);
        const QByteArray suback = bytes({ 0x90, 3, 0, 1, 1 });
        p.received(suback.constData(), 5, w.c);
        QCOMPARE(w.ready, 1);
        w.sent.clear();
        p.keepAlive(w.c);
        QCOMPARE(w.sent, bytes({ 0xC0, 0 }));
    }

    void refusedConnections_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<bool>("fatal");
        QTest::addRow("protocol") << 1 << QStringLiteral("3.1.1") << false;
        QTest::addRow("identifier") << 2 << QStringLiteral("client identifier") << true;
        QTest::addRow("unavailable") << 3 << QStringLiteral("unavailable") << false;
        QTest::addRow("credentials") << 4 << QStringLiteral("bad user name or password") << true;
        QTest::addRow("not authorized") << 5 << QStringLiteral("not authorized") << true;
    }
    void refusedConnections()
    {
        QFETCH(int, code);
        QFETCH(QString, reason);
        QFETCH(bool, fatal);
        MqttProtocol p({});
        BrokerWire w;
        p.opened(w.c);
        const QByteArray connack = bytes({ 0x20, 2, 0, code });
        p.received(connack.constData(), 4, w.c);
        QVERIFY2(w.failure.contains(reason), qPrintable(w.failure));
        QCOMPARE(w.fatal, fatal);
        QCOMPARE(w.ready, 0);
    }

    void aRefusedSubscriptionIsFatal()
    {
        MqttProtocol p({});
        BrokerWire w;
        p.opened(w.c);
        const QByteArray in = bytes({ 0x20, 2, 0, 0, 0x90, 3, 0, 1, 0x80 });
        p.received(in.constData(), std::size_t(in.size()), w.c);
        QVERIFY2(w.failure.contains(QLatin1String("refused the subscription")), qPrintable(w.failure));
        QVERIFY(w.fatal);
    }

    // QoS 0, 1 and 2 in one stream cut at every byte: the same messages and exactly the right acks
    void publishesAtEveryQosSplitAnywhere()
    {
        const QByteArray big(300, 'x'); // a two-byte remaining length
        const QByteArray stream = bytes({ 0x20, 2, 0, 0, 0x90, 3, 0, 1, 1 }) + publishPacket(0, 0, "a/b", "{}")
            + publishPacket(1, 7, "booking/created", big) + publishPacket(2, 9, "c", "2") + bytes({ 0x62, 2, 0, 9 })
            + bytes({ 0xD0, 0 });
        for (int cut = 0; cut <= stream.size(); ++cut) {
            MqttProtocol p({});
            BrokerWire w;
            p.opened(w.c);
            w.sent.clear();
            p.received(stream.constData(), std::size_t(cut), w.c);
            p.received(stream.constData() + cut, std::size_t(stream.size() - cut), w.c);
            QVERIFY2(w.failure.isEmpty(), qPrintable(w.failure));
            QCOMPARE(w.subjects, (QList<QByteArray> { "a/b", "booking/created", "c" }));
            QCOMPARE(w.bodies, (QList<QByteArray> { "{}", big, "2" }));
            const QByteArray sub = bytes({ 0x82, 6, 0, 1, 0, 1 }) + "#" + bytes({ 1 });
            QCOMPARE(w.sent, sub + bytes({ 0x40, 2, 0, 7 }) + bytes({ 0x50, 2, 0, 9 }) + bytes({ 0x70, 2, 0, 9 }));
        }
    }

    void refusesBadPackets_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("reason");
        QTest::addRow("length of five bytes")
            << bytes({ 0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01 }) << QStringLiteral("longer than 4");
        QTest::addRow("over the limit") << bytes({ 0x30, 0xFF, 0xFF, 0xFF, 0x7F }) << QStringLiteral("exceeds");
        QTest::addRow("QoS 3") << bytes({ 0x36, 2, 0, 0 }) << QStringLiteral("QoS 3");
        QTest::addRow("topic beyond packet") << bytes({ 0x30, 2, 0, 9 }) << QStringLiteral("topic longer");
        QTest::addRow("client packet") << bytes({ 0x10, 0 }) << QStringLiteral("does not send");
        QTest::addRow("short connack") << bytes({ 0x20, 1, 0 }) << QStringLiteral("CONNACK");
    }
    void refusesBadPackets()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, reason);
        MqttProtocol p({});
        BrokerWire w;
        p.opened(w.c);
        p.received(input.constData(), std::size_t(input.size()), w.c);
        QVERIFY2(w.failure.contains(reason), qPrintable(w.failure));
        QVERIFY(w.subjects.isEmpty());
    }

    void publishPacketIsQos0() { QCOMPARE(MqttProtocol::publish("a/b", "hi"), bytes({ 0x30, 7, 0, 3 }) + "a/bhi"); }
};

QTEST_GUILESS_MAIN(TestMqttProtocol)
#include "tst_mqttprotocol.moc"
