// SPDX-License-Identifier: MIT
// The decoder on every envelope it reads, native and foreign, on fixtures written from the formats'
// specifications and other tools' documented output, and on hostile input. Long because it is a table
// of formats and their edge cases.
#include "eventdecoder.h"
#include "eventrecord.h"
#include "testutil.h"

#include <QTest>
#include <algorithm>
#include <numeric>
#include <random>

namespace {
// a string that ends in an escaped backslash: its closing quote must still be found
const QByteArray BackslashElement = "{\"id\":\"c\",\"type\":\"t\",\"q\":\"C:\\\\dir\\\\\",\"r\":\"\\\"]\"}";
} // namespace

class TestEventDecoder : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nativeEnvelope()
    {
        const auto b = decodeLines({ R"({"id":"123e4567-e89b-42d3-a456-426614174000","type":"booking.created",
            "timestamp":"2026-11-29T10:00:00.250Z","correlationId":"c0000000-0000-4000-8000-000000000001",
            "causationId":null,"source":"booking-service","seq":42,"payload":{"bookingId":"BK-1"},"extra":[1,2]})" });
        QCOMPARE(b->events.size(), std::size_t(1));
        QVERIFY(b->malformed.empty());
        const DecodedEvent& e = b->events[0];
        QCOMPARE(e.id.toString(), QStringLiteral("123e4567-e89b-42d3-a456-426614174000"));
        QCOMPARE(b->view(e.type), std::string_view("booking.created"));
        QCOMPARE(b->view(e.source), std::string_view("booking-service"));
        QCOMPARE(e.eventTimeUs, 1795946400250000LL);
        QCOMPARE(e.seq, quint64(42));
        QVERIFY(e.flags & EventRecord::HasSeq);
        QVERIFY(e.flags & EventRecord::HasCorrelation);
        QVERIFY(!(e.flags & EventRecord::HasCausation)); // null causation is no causation
        QVERIFY(!(e.flags & EventRecord::IdHashed));
        // unknown fields stay in the raw bytes
        QVERIFY(b->raw(e).find("\"extra\":[1,2]") != std::string_view::npos);
    }

    void cloudEvent()
    {
        const auto b
            = decodeLines({ R"({"specversion":"1.0","id":"ce-2","source":"/bookings","type":"booking.validated",
            "time":"2026-11-29T11:00:00+01:00","correlationid":"order-77","causationid":"ce-1","sequence":"17",
            "traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","data":{"bookingId":"BK-9"}})" });
        QCOMPARE(b->events.size(), std::size_t(1));
        const DecodedEvent& e = b->events[0];
        QVERIFY(e.flags & EventRecord::IdHashed);
        QCOMPARE(e.id, Uuid::hash("ce-2"));
        QCOMPARE(e.causation, Uuid::hash("ce-1"));
        QVERIFY(e.correlationHashed());
        QCOMPARE(b->view(e.correlationText), std::string_view("order-77"));
        QCOMPARE(e.eventTimeUs, 1795946400000000LL);
        QCOMPARE(e.seq, quint64(17));
        QCOMPARE(b->view(e.source), std::string_view("/bookings"));
    }

    void profiles_data()
    {
        // the foreign envelopes, as their documentation shows them (tests/data/profiles/README.md)
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("profile");
        QTest::addColumn<QString>("id");
        QTest::addColumn<QString>("type");
        QTest::addColumn<QString>("source");
        QTest::addColumn<QString>("correlation");
        QTest::addColumn<QString>("causation");
        QTest::addColumn<qint64>("timeUs");
        QTest::addRow("EventStoreDB, metadata as text")
            << QByteArray(R"({"eventId":"3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0002","eventType":"BookingConfirmed",
                "streamId":"booking-BK-1","eventNumber":1,"created":"2026-11-29T10:00:00.5000000Z","data":{"a":1},
                "metadata":"{\"$correlationId\":\"c1a7e3b0-0000-4000-8000-0000000000b1\",\"$causationId\":\"3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0001\"}"})")
            << int(EventProfile::EventStoreDb) << "3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0002" << "BookingConfirmed"
            << "booking-BK-1" << "c1a7e3b0-0000-4000-8000-0000000000b1" << "3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0001"
            << qint64(1795946400500000);
        QTest::addRow("EventStoreDB HTTP, id is a URL")
            << QByteArray(R"({"eventId":"fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e4","eventType":"event-type","eventNumber":0,
                "data":"{\"a\":\"1\"}","metaData":"{\"$correlationId\":\"0b0a2f6e-8c1f-4a39-9f0f-5f3c2b1a0001\"}",
                "streamId":"newstream","title":"0@newstream","id":"http://127.0.0.1:2113/streams/newstream/0",
                "updated":"2026-11-29T10:00:00.25Z"})")
            << int(EventProfile::EventStoreDb) << "fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e4" << "event-type" << "newstream"
            << "0b0a2f6e-8c1f-4a39-9f0f-5f3c2b1a0001" << "" << qint64(1795946400250000);
        QTest::addRow("EventStoreDB Atom entry")
            << QByteArray(R"({"title":"1@s","id":"http://h/streams/s/1","updated":"2026-11-29T10:00:01Z",
                "content":{"eventStreamId":"s","eventNumber":1,"eventType":"other-event",
                "eventId":"fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e5","data":{"b":"2"},
                "metadata":{"$causationId":"fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e4"}}})")
            << int(EventProfile::EventStoreDb) << "fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e5" << "other-event" << "s" << ""
            << "fbf4a1a1-b4a3-4dfe-a01f-ec52c34e16e4" << qint64(1795946401000000);
        QTest::addRow("MassTransit: conversation is the chain, urn type")
            << QByteArray(R"({"messageId":"181c0000-6393-3630-36a4-08daf4e7c6db","correlationId":"2f000000-0000-4000-8000-000000000077",
                "conversationId":"181c0000-6393-3630-36f8-08daf4e7c6da","initiatorId":"181c0000-6393-3630-36a4-08daf4e7c6da",
                "sourceAddress":"rabbitmq://localhost/notification_service",
                "messageType":["urn:message:Company.Notifications:NotificationSent","urn:message:Company:IEvent"],
                "message":{"bookingId":"BK-1"},"sentTime":"2026-11-29T10:00:01.2Z"})")
            << int(EventProfile::MassTransit) << "181c0000-6393-3630-36a4-08daf4e7c6db" << "NotificationSent"
            << "rabbitmq://localhost/notification_service" << "181c0000-6393-3630-36f8-08daf4e7c6da"
            << "181c0000-6393-3630-36a4-08daf4e7c6da" << qint64(1795946401200000);
        QTest::addRow("MassTransit: no conversation, correlationId")
            << QByteArray(R"({"messageId":"181c0000-6393-3630-36a4-08daf4e7c6dc","correlationId":"2f000000-0000-4000-8000-000000000077",
                "conversationId":null,"messageType":["urn:message:A.B:Thing"],"message":{}})")
            << int(EventProfile::MassTransit) << "181c0000-6393-3630-36a4-08daf4e7c6dc" << "Thing" << ""
            << "2f000000-0000-4000-8000-000000000077" << "" << qint64(-1);
        QTest::addRow("Axon: correlationId is the cause, traceId the chain")
            << QByteArray(R"({"identifier":"8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00002","aggregateIdentifier":"BK-1",
                "sequenceNumber":1,"type":"Booking","timestamp":"2026-11-29T10:00:00.400Z",
                "payloadType":"com.example.booking.BookingConfirmedEvent","payload":{"bookingId":"BK-1"},
                "metaData":{"traceId":"8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001","correlationId":"8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001"}})")
            << int(EventProfile::Axon) << "8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00002"
            << "com.example.booking.BookingConfirmedEvent" << "BK-1" << "8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001"
            << "8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001" << qint64(1795946400400000);
        QTest::addRow("Axon root: its own id as cause is no cause")
            << QByteArray(R"({"identifier":"8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001","payloadType":"x.Created",
                "timestamp":1795946400000,"payload":{},
                "metaData":{"traceId":"8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001","correlationId":"8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001"}})")
            << int(EventProfile::Axon) << "8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001" << "x.Created" << ""
            << "8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00001" << "" << qint64(1795946400000000);
        QTest::addRow("prooph: created_at without a zone is UTC")
            << QByteArray(R"({"uuid":"f9fea0b9-bbab-41ad-b3c1-56e09a1044a5","created_at":"2026-11-29T10:00:01.000000",
                "message_name":"foo","payload":{"b":"c"},"metadata":{"_aggregate_id":"user-1",
                "_causation_id":"f9fea0b9-bbab-41ad-b3c1-56e09a1044a4"}})")
            << int(EventProfile::Prooph) << "f9fea0b9-bbab-41ad-b3c1-56e09a1044a5" << "foo" << "user-1" << ""
            << "f9fea0b9-bbab-41ad-b3c1-56e09a1044a4" << qint64(1795946401000000);
        QTest::addRow("Dapr CloudEvent: traceparent is the chain")
            << QByteArray(R"({"topic":"orders","pubsubname":"order_pub_sub",
                "traceid":"00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01","data":{"orderId":1},
                "id":"5929aaac-a5e2-4ca1-859c-edfe73f11565","specversion":"1.0","source":"checkout",
                "type":"com.dapr.event.sent","time":"2020-09-23T06:23:21Z",
                "traceparent":"00-113ad9c4e42b27583ae98ba698d54255-e3743e35ff56f219-01"})")
            << int(EventProfile::CloudEvents) << "5929aaac-a5e2-4ca1-859c-edfe73f11565" << "com.dapr.event.sent"
            << "checkout" << "113ad9c4-e42b-2758-3ae9-8ba698d54255" << "" << qint64(1600842201000000);
        QTest::addRow("native with traceparent in metadata")
            << QByteArray(R"({"id":"123e4567-e89b-42d3-a456-426614174000","type":"t",
                "metadata":{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}})")
            << int(EventProfile::Native) << "123e4567-e89b-42d3-a456-426614174000" << "t" << ""
            << "4bf92f35-77b3-4da6-a3ce-929d0e0e4736" << "" << qint64(-1);
        QTest::addRow("an explicit correlation id wins over traceparent")
            << QByteArray(R"({"id":"123e4567-e89b-42d3-a456-426614174000","type":"t","correlationId":"c0000000-0000-4000-8000-000000000001",
                "headers":{"traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"}})")
            << int(EventProfile::Native) << "123e4567-e89b-42d3-a456-426614174000" << "t" << ""
            << "c0000000-0000-4000-8000-000000000001" << "" << qint64(-1);
        QTest::addRow("an invalid traceparent is ignored")
            << QByteArray(R"({"id":"123e4567-e89b-42d3-a456-426614174000","type":"t",
                "extensions":{"traceparent":"00-00000000000000000000000000000000-00f067aa0ba902b7-01"},"traceparent":"garbage"})")
            << int(EventProfile::Native) << "123e4567-e89b-42d3-a456-426614174000" << "t" << "" << "" << ""
            << qint64(-1);
    }
    void profiles()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, profile);
        QFETCH(QString, id);
        QFETCH(QString, type);
        QFETCH(QString, source);
        QFETCH(QString, correlation);
        QFETCH(QString, causation);
        QFETCH(qint64, timeUs);
        const auto b = decodeLines({ json }, 42);
        QVERIFY2(b->malformed.empty(), b->malformed.empty() ? "" : qPrintable(b->malformed[0].reason));
        QCOMPARE(b->events.size(), std::size_t(1));
        const DecodedEvent& e = b->events[0];
        QCOMPARE(int(e.profile()), profile);
        QCOMPARE(e.id.toString(), id);
        QCOMPARE(QString::fromStdString(std::string(b->view(e.type))), type);
        QCOMPARE(QString::fromStdString(std::string(b->view(e.source))), source);
        QCOMPARE(bool(e.flags & EventRecord::HasCorrelation), !correlation.isEmpty());
        if (!correlation.isEmpty())
            QCOMPARE(e.correlation.toString(), correlation);
        QCOMPARE(bool(e.flags & EventRecord::HasCausation), !causation.isEmpty());
        if (!causation.isEmpty())
            QCOMPARE(e.causation.toString(), causation);
        if (timeUs >= 0)
            QCOMPARE(e.eventTimeUs, timeUs);
        // the event keeps its own bytes, whatever its shape
        QCOMPARE(b->raw(e).size(), std::size_t(json.size()));
    }

    void forcedProfileAndFieldsByHand()
    {
        const QByteArray axon = R"({"identifier":"8d1c5a1e-2f2b-4c53-9a1e-1c0ffee00002","payloadType":"x.Y","payload":{}})";
        DecoderConfig forced;
        forced.profile = EventProfile::MassTransit;
        EventDecoder masstransit(forced);
        auto b = decodeLines({ axon }, 0, 0, &masstransit);
        QCOMPARE(b->events.size(), std::size_t(0));
        QCOMPARE(b->malformed.size(), std::size_t(1));
        QCOMPARE(b->malformed[0].reason, QStringLiteral("not a MassTransit event: looked for messageId and messageType"));

        // a bus of its own: fields mapped by hand, dotted paths into objects
        DecoderConfig byHand;
        byHand.fields = { { "id", "envelope.key" }, { "type", "envelope.kind" }, { "correlation", "meta.corr" },
            { "time", "at" } };
        EventDecoder custom(byHand);
        b = decodeLines({ R"({"envelope":{"key":"k-1","kind":"shift.started"},"meta":{"corr":"c-9"},"at":"2026-11-29T10:00:00Z"})" },
            0, 0, &custom);
        QCOMPARE(b->events.size(), std::size_t(1));
        QCOMPARE(int(b->events[0].profile()), int(EventProfile::Custom));
        QCOMPARE(b->view(b->events[0].type), std::string_view("shift.started"));
        QCOMPARE(b->events[0].id, Uuid::hash("k-1"));
        QCOMPARE(b->view(b->events[0].correlationText), std::string_view("c-9"));
        QCOMPARE(b->events[0].eventTimeUs, TestT0);
        QVERIFY(EventDecoder::isFieldRole("correlation"));
        QVERIFY(!EventDecoder::isFieldRole("corelation"));
    }

    void aRecordThatFitsNoProfileNamesTheFieldsLookedFor()
    {
        const auto b = decodeLines({ R"({"name":"x","kind":"y"})" });
        QCOMPARE(b->malformed.size(), std::size_t(1));
        const QString reason = b->malformed[0].reason;
        QVERIFY2(reason.startsWith(QStringLiteral("missing \"id\"")), qPrintable(reason));
        for (const char* looked : { "eventId+eventType (EventStoreDB)", "messageId+messageType (MassTransit)",
                 "identifier+payloadType (Axon)", "uuid+message_name (prooph)" })
            QVERIFY2(reason.contains(QLatin1String(looked)), qPrintable(reason));
    }

    void nonNumericCloudEventSequenceIsNoSeq()
    {
        const auto b = decodeLines({ R"({"specversion":"1.0","id":"x","source":"/s","type":"t","sequence":"abc"})" });
        QCOMPARE(b->events.size(), std::size_t(1));
        QVERIFY(!(b->events[0].flags & EventRecord::HasSeq));
    }

    void batchArrayCountsEachElement()
    {
        const auto b = decodeLines({ R"([{"id":"a","type":"x.one"},{"id":"b","type":"x.two"},7,{"type":"x.three"}])" });
        QCOMPARE(b->events.size(), std::size_t(2));
        QCOMPARE(b->malformed.size(), std::size_t(2));
        QCOMPARE(b->malformed[0].element, 2);
        QCOMPARE(b->malformed[1].element, 3);
        // each element keeps its own raw JSON
        QCOMPARE(b->raw(b->events[1]), std::string_view(R"({"id":"b","type":"x.two"})"));
    }

    void batchElementsKeepTheirExactBytes()
    {
        const QByteArray a = "{\"id\":\"a\",\"type\":\"t\",\"p\":\"],[\\\"x{\"}";
        const QByteArray b = "{ \"id\" : \"b\", \"type\":\"t\", \"n\":[1,[2,{}]] }";
        const QByteArray& c = BackslashElement;
        const auto batch = decodeLines({ "  [ " + a + " ,\n\t" + b + "," + c + " ]  " });
        QCOMPARE(batch->events.size(), std::size_t(3));
        QCOMPARE(batch->raw(batch->events[0]), std::string_view(a.constData(), std::size_t(a.size())));
        QCOMPARE(batch->raw(batch->events[1]), std::string_view(b.constData(), std::size_t(b.size())));
        QCOMPARE(batch->raw(batch->events[2]), std::string_view(c.constData(), std::size_t(c.size())));
    }

    void aliases_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addRow("native") << QByteArray(R"({"id":"e","type":"t","correlationId":"K","causationId":"P"})");
        QTest::addRow("cloudevents") << QByteArray(R"({"id":"e","type":"t","correlationid":"K","causationid":"P"})");
        QTest::addRow("eventstoredb") << QByteArray(R"({"id":"e","type":"t","$correlationId":"K","$causationId":"P"})");
        QTest::addRow("snake") << QByteArray(R"({"id":"e","type":"t","correlation_id":"K","causation_id":"P"})");
        QTest::addRow("metadata") << QByteArray(
            R"({"id":"e","type":"t","metadata":{"correlationId":"K","causationId":"P"}})");
        QTest::addRow("metadata $") << QByteArray(
            R"({"id":"e","type":"t","metadata":{"$correlationId":"K","$causationId":"P"}})");
    }
    void aliases()
    {
        QFETCH(QByteArray, json);
        const auto b = decodeLines({ json });
        QCOMPARE(b->events.size(), std::size_t(1));
        QCOMPARE(b->events[0].correlation, Uuid::hash("K"));
        QCOMPARE(b->events[0].causation, Uuid::hash("P"));
    }

    void firstAliasInTheListWinsWhereverItIs_data()
    {
        // docs/protocol.md: the first name in the list that is present wins; null is present (no id)
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QByteArray>("correlation"); // empty: none
        QTest::addColumn<QByteArray>("causation");
        QTest::addRow("null first") << QByteArray(
            R"({"id":"e","type":"t","correlationId":null,"correlation_id":"K","causationId":null,"causation_id":"P"})")
                                    << QByteArray() << QByteArray();
        QTest::addRow("null last") << QByteArray(
            R"({"id":"e","type":"t","correlation_id":"K","correlationId":null,"causation_id":"P","causationId":null})")
                                   << QByteArray() << QByteArray();
        QTest::addRow("later name first") << QByteArray(
            R"({"id":"e","type":"t","correlation_id":"K","correlationid":"L","causation_id":"P","$causationId":"Q"})")
                                          << QByteArray("L") << QByteArray("Q");
        QTest::addRow("null behind a later name") << QByteArray(
            R"({"id":"e","type":"t","correlation_id":null,"correlationid":"L"})")
                                                  << QByteArray("L") << QByteArray();
    }
    void firstAliasInTheListWinsWhereverItIs()
    {
        QFETCH(QByteArray, json);
        QFETCH(QByteArray, correlation);
        QFETCH(QByteArray, causation);
        const auto b = decodeLines({ json });
        QCOMPARE(b->events.size(), std::size_t(1));
        const DecodedEvent& e = b->events[0];
        QCOMPARE(bool(e.flags & EventRecord::HasCorrelation), !correlation.isEmpty());
        QCOMPARE(bool(e.flags & EventRecord::HasCausation), !causation.isEmpty());
        if (!correlation.isEmpty())
            QCOMPARE(e.correlation, Uuid::hash(correlation.toStdString()));
        if (!causation.isEmpty())
            QCOMPARE(e.causation, Uuid::hash(causation.toStdString()));
    }

    void keysInAnyLayoutFromEventToEventDecodeAsAlone()
    {
        // The decoder remembers the last event's keys place by place. Events whose layouts differ (other
        // orders, other aliases, keys longer than the remembered 16 bytes, more than 16 keys, near-miss
        // names, a bad value) must decode, in any sequence, exactly as each does in a decoder of its own.
        QByteArrayList lines {
            R"({"id":"a1","type":"booking.created","timestamp":"2026-11-29T10:00:00Z","correlationId":"K1","causationId":"P1","source":"s","seq":4,"payload":{}})",
            R"({"payload":{},"seq":5,"source":"s","causationId":"P1","correlationId":"K1","timestamp":"2026-11-29T10:00:01Z","type":"booking.created","id":"a2"})",
            R"({"specversion":"1.0","id":"a3","source":"ce","type":"t.ce","time":"2026-11-29T10:00:02+01:00","correlationid":"K2","causationid":"P2","sequence":"7","data":{}})",
            R"({"type":"t","id":"a4","$correlationId":"K3","$causationId":"P3","seq":"6"})",
            R"({"id":"a5","type":"t","metadata":{"correlationId":"K4","causationId":"P4"},"timestamp":1700000000000})",
            R"({"id":"a6","type":"t","aVeryLongKeyName17":1,"correlationId":"K5","sixteenBytesKey!":2})",
            R"({"id":"a7","type":"t","correlation_idX":"no","correlation_id":"K6","seqs":9})",
            R"({"idx":"no","id":"a8","type":"t","typ":"x","i":"y","ty":"z"})",
            R"({"id":"a9","type":"t","correlationId":"first","correlationid":"second"})",
            R"({"id":"b1","type":"t","correlationid":"second","correlationId":"first"})",
            R"({"id":"b2","type":7})",
            R"({"ID":"no","type":"t","id":"b3","Type":"no"})",
            R"({"k1":1,"k2":2,"k3":3,"k4":4,"k5":5,"k6":6,"k7":7,"k8":8,"k9":9,"k10":10,"k11":11,"k12":12,"k13":13,"k14":14,"k15":15,"k16":16,"k17":17,"id":"b4","type":"t","correlationId":"K7","seq":8})",
            R"({"id":"b5","type":"t","time":"2026-11-29T10:00:03Z","timestamp":"2026-11-29T10:00:04Z"})",
        };
        auto describe = [](const DecodedBatch& b) -> QString {
            if (!b.malformed.empty())
                return QStringLiteral("malformed: ") + b.malformed.front().reason;
            const DecodedEvent& e = b.events.at(0);
            return QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8")
                .arg(e.id.toString(), QString::fromUtf8(b.view(e.type)), QString::fromUtf8(b.view(e.source)),
                    e.correlation.toString(), e.causation.toString())
                .arg(e.eventTimeUs)
                .arg(e.seq)
                .arg(e.flags);
        };
        QStringList alone;
        for (const QByteArray& line : lines) {
            EventDecoder fresh;
            alone << describe(*decodeLines({ line }, 0, 0, &fresh));
        }
        QVERIFY(alone[0].startsWith(Uuid::hash("a1").toString()));
        QCOMPARE(alone[10], QStringLiteral("malformed: \"type\" is not a string"));
        std::mt19937 random(7);
        std::vector<int> order(std::size_t(lines.size()));
        std::iota(order.begin(), order.end(), 0);
        EventDecoder shared;
        for (int round = 0; round < 50; ++round) {
            std::shuffle(order.begin(), order.end(), random);
            for (int i : order) {
                const QString got = describe(*decodeLines({ lines[i] }, 0, 0, &shared));
                QVERIFY2(got == alone[i],
                    qPrintable(
                        QStringLiteral("line %1, round %2: %3 instead of %4").arg(i).arg(round).arg(got, alone[i])));
                // twice in a row too: the remembered layout is then this event's own
                QCOMPARE(describe(*decodeLines({ lines[i] }, 0, 0, &shared)), alone[i]);
            }
        }
    }

    void configuredAlias()
    {
        DecoderConfig config;
        config.correlationFields = { "headers.x-correlation" };
        config.causationFields = { "parent" };
        EventDecoder decoder(config);
        const auto b = decodeLines(
            { R"({"id":"e","type":"t","correlationId":"ignored","headers":{"x-correlation":"K"},"parent":"P"})" }, 0, 0,
            &decoder);
        QCOMPARE(b->events.size(), std::size_t(1));
        QCOMPARE(b->events[0].correlation, Uuid::hash("K"));
        QCOMPARE(b->events[0].causation, Uuid::hash("P"));
    }

    void timestamps_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<qint64>("micros");
        QTest::addRow("iso Z") << QByteArray("\"2026-11-29T10:00:00Z\"") << 1795946400000000LL;
        QTest::addRow("iso offset") << QByteArray("\"2026-11-29T12:00:00.5+02:00\"") << 1795946400500000LL;
        QTest::addRow("epoch ms") << QByteArray("1795946400200") << 1795946400200000LL;
        QTest::addRow("epoch ms fraction") << QByteArray("1795946400200.5") << 1795946400200500LL;
    }
    void timestamps()
    {
        QFETCH(QByteArray, value);
        QFETCH(qint64, micros);
        const auto b = decodeLines({ R"({"id":"e","type":"t","timestamp":)" + value + '}' });
        QCOMPARE(b->events.size(), std::size_t(1));
        QCOMPARE(b->events[0].eventTimeUs, micros);
        QVERIFY(b->events[0].flags & EventRecord::HasEventTime);
    }

    void missingTimestampUsesReceiveTime()
    {
        const auto b = decodeLines({ R"({"id":"e","type":"t"})" }, 5000000);
        QCOMPARE(b->events[0].eventTimeUs, 5001000LL);
        QVERIFY(!(b->events[0].flags & EventRecord::HasEventTime));
        QVERIFY(!b->events[0].timeUnreadable());
    }

    void anUnreadableTimestampKeepsTheEvent_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addRow("not a time") << QByteArray(R"({"id":"a","type":"b","timestamp":"noon"})");
        QTest::addRow("no zone") << QByteArray(R"({"id":"a","type":"b","timestamp":"2026-11-29T10:00:00"})");
        QTest::addRow("a boolean") << QByteArray(R"({"id":"a","type":"b","timestamp":true})");
        QTest::addRow("out of range") << QByteArray(R"({"id":"a","type":"b","timestamp":1e300})");
    }
    void anUnreadableTimestampKeepsTheEvent()
    {
        // the producer's clock is broken, not the event: it is kept with the receive time standing in,
        // marked so that a file's reader lists it as clock-skewed
        QFETCH(QByteArray, json);
        const auto b = decodeLines({ json }, 5000000);
        QVERIFY(b->malformed.empty());
        QCOMPARE(b->events.size(), std::size_t(1));
        QVERIFY(b->events[0].timeUnreadable());
        QVERIFY(!(b->events[0].flags & EventRecord::HasEventTime));
        QCOMPARE(b->events[0].eventTimeUs, 5001000LL);
        QCOMPARE(int(b->events[0].profile()), int(EventProfile::Native)); // the bits do not mix
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("reason");
        QTest::addRow("not json") << QByteArray("hello") << QStringLiteral("not valid JSON");
        QTest::addRow("truncated") << QByteArray("{\"id\":\"a\",\"type\":\"b\"") << QStringLiteral("not valid JSON");
        QTest::addRow("trailing garbage")
            << QByteArray(R"({"id":"a","type":"b"} x)") << QStringLiteral("not valid JSON");
        QTest::addRow("bad literal in payload")
            << QByteArray(R"({"id":"a","type":"b","payload":{"x":tru}})") << QStringLiteral("not valid JSON");
        QTest::addRow("invalid utf-8") << QByteArray("{\"id\":\"a\xff\",\"type\":\"b\"}")
                                       << QStringLiteral("not valid JSON");
        QTest::addRow("string") << QByteArray("\"event\"") << QStringLiteral("not a JSON object");
        QTest::addRow("number") << QByteArray("42") << QStringLiteral("not a JSON object");
        QTest::addRow("no id") << QByteArray(R"({"type":"b"})") << QStringLiteral("missing \"id\"");
        QTest::addRow("empty id") << QByteArray(R"({"id":"","type":"b"})") << QStringLiteral("missing \"id\"");
        QTest::addRow("numeric id") << QByteArray(R"({"id":7,"type":"b"})") << QStringLiteral("\"id\" is not a string");
        QTest::addRow("no type") << QByteArray(R"({"id":"a"})") << QStringLiteral("missing \"type\"");
        QTest::addRow("null type") << QByteArray(R"({"id":"a","type":null})")
                                   << QStringLiteral("\"type\" is not a string");
        QTest::addRow("negative seq") << QByteArray(R"({"id":"a","type":"b","seq":-1})")
                                      << QStringLiteral("\"seq\" must be a non-negative integer");
        QTest::addRow("huge seq") << QByteArray(R"({"id":"a","type":"b","seq":18446744073709551615})")
                                  << QStringLiteral("larger than 2^48-1");
        QTest::addRow("object correlation") << QByteArray(R"({"id":"a","type":"b","correlationId":{}})")
                                            << QStringLiteral("correlation id is not a string");
        QTest::addRow("deep nesting") << QByteArray(2000, '[') + QByteArray(2000, ']')
                                      << QStringLiteral("not valid JSON");
    }
    void malformed()
    {
        QFETCH(QByteArray, input);
        QFETCH(QString, reason);
        const auto b = decodeLines({ input });
        QCOMPARE(b->events.size(), std::size_t(0));
        QCOMPARE(b->malformed.size(), std::size_t(1));
        QVERIFY2(b->malformed[0].reason.contains(reason), qPrintable(b->malformed[0].reason));
        QCOMPARE(b->malformed[0].position.number, quint64(1));
        QVERIFY(!b->malformed[0].excerpt.isEmpty());
    }

    void oversizeEventIsMalformed()
    {
        DecoderConfig config;
        config.maxEventBytes = 1024;
        EventDecoder decoder(config);
        const QByteArray big = "{\"id\":\"a\",\"type\":\"b\",\"payload\":\"" + QByteArray(2000, 'x') + "\"}";
        const auto b = decodeLines({ big, R"({"id":"c","type":"d"})" }, 0, 0, &decoder);
        QCOMPARE(b->events.size(), std::size_t(1)); // decoding goes on with the next frame
        QCOMPARE(b->malformed.size(), std::size_t(1));
        QVERIFY(b->malformed[0].reason.contains(QLatin1String("exceeds the 1024-byte limit")));
    }

    void telemetry_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("kind");
        QTest::addRow("breaker") << QByteArray(R"({"id":"s","type":"system.circuit_breaker.state_changed","payload":
            {"breaker":"email-gateway","from":"closed","to":"open","reason":"threshold","failureCount":5}})")
                                 << int(Telemetry::BreakerStateChanged);
        QTest::addRow("retry") << QByteArray(R"({"id":"r","type":"system.event.retry_scheduled","payload":
            {"eventId":"ev-1","eventType":"notification.created","attempt":2,"delayMs":400,"error":"timeout"}})")
                               << int(Telemetry::RetryScheduled);
        QTest::addRow("dead letter (CloudEvents)") << QByteArray(R"({"specversion":"1.0","id":"d","source":"/bus",
            "type":"system.event.dead_lettered","data":{"eventId":"ev-1","attempts":5,"reason":"gave up"}})")
                                                   << int(Telemetry::DeadLettered);
        QTest::addRow("handler failed") << QByteArray(R"({"id":"f","type":"system.handler.failed","payload":
            {"handler":"email-handler","eventId":"ev-1","error":"timeout"}})")
                                        << int(Telemetry::HandlerFailed);
    }
    void telemetry()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, kind);
        const auto b = decodeLines({ json });
        QCOMPARE(b->events.size(), std::size_t(1));
        QCOMPARE(b->events[0].telemetry, 0);
        const Telemetry& t = b->telemetry[0];
        QCOMPARE(int(t.kind), kind);
        switch (t.kind) {
        case Telemetry::BreakerStateChanged:
            QCOMPARE(t.breaker, std::string("email-gateway"));
            QCOMPARE(t.to, std::string("open"));
            QCOMPARE(t.failureCount, 5);
            QCOMPARE(t.reason, std::string("threshold"));
            break;
        case Telemetry::RetryScheduled:
            QCOMPARE(t.attempt, 2);
            QCOMPARE(t.delayMs, 400);
            QCOMPARE(t.eventType, std::string("notification.created"));
            QCOMPARE(t.target, Uuid::hash("ev-1"));
            break;
        case Telemetry::DeadLettered:
            QCOMPARE(t.attempt, 5);
            QCOMPARE(t.reason, std::string("gave up"));
            QVERIFY(t.hasTarget);
            break;
        case Telemetry::HandlerFailed:
            QCOMPARE(t.handler, std::string("email-handler"));
            QCOMPARE(t.reason, std::string("timeout"));
            break;
        }
    }

    // broker message bodies: events stay events, anything else JSON is wrapped under its subject
    void brokerMessages_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("events");
        QTest::addColumn<QByteArray>("type");
        QTest::addColumn<bool>("wrapped");
        QTest::addRow("envelope") << QByteArray(R"({"id":"e1","type":"booking.created"})") << 1
                                  << QByteArray("booking.created") << false;
        QTest::addRow("cloudevent") << QByteArray(R"({"specversion":"1.0","id":"e1","source":"s","type":"a.b"})") << 1
                                    << QByteArray("a.b") << false;
        QTest::addRow("batch of envelopes")
            << QByteArray(R"([{"id":"1","type":"x.y"},{"id":"2","type":"x.y"}])") << 2 << QByteArray("x.y") << false;
        QTest::addRow("plain object") << QByteArray(R"({"bookingId":"BK-1"})") << 1 << QByteArray("bus.booking.note")
                                      << true;
        QTest::addRow("object with only a type")
            << QByteArray(R"({"type":"premium"})") << 1 << QByteArray("bus.booking.note") << true;
        QTest::addRow("number") << QByteArray("42") << 1 << QByteArray("bus.booking.note") << true;
        QTest::addRow("string") << QByteArray(R"("hello")") << 1 << QByteArray("bus.booking.note") << true;
        QTest::addRow("array of numbers") << QByteArray("[1,2]") << 1 << QByteArray("bus.booking.note") << true;
        QTest::addRow("not JSON") << QByteArray("hello") << 0 << QByteArray() << false;
        // another bus's envelope published through a broker is that event, not a message to wrap
        QTest::addRow("MassTransit envelope")
            << QByteArray(R"({"messageId":"181c0000-6393-3630-36a4-08daf4e7c6da","messageType":["urn:message:Shop:OrderPlaced"],"message":{}})")
            << 1 << QByteArray("OrderPlaced") << false;
        // an envelope whose producer clock says "noon": the event, with the receive time standing in
        QTest::addRow("envelope with a bad time")
            << QByteArray(R"({"id":"1","type":"t","timestamp":"noon"})") << 1 << QByteArray("t") << false;
    }
    void brokerMessages()
    {
        QFETCH(QByteArray, body);
        QFETCH(int, events);
        QFETCH(QByteArray, type);
        QFETCH(bool, wrapped);
        EventDecoder decoder;
        DecodedBatch out;
        MessageContext context;
        context.subject = "bus/booking/note";
        context.type = "bus.booking.note";
        context.correlation = "BK-1";
        context.sequence = 7;
        const int n = decoder.decodeMessage(
            body.constData(), std::size_t(body.size()), 0, { 3, SourcePosition::Message, 7, -1 }, 1000, context, out);
        QCOMPARE(n, events);
        QCOMPARE(out.events.size(), std::size_t(events));
        QCOMPARE(out.malformed.size(), std::size_t(events == 0 ? 1 : 0));
        if (events == 0) {
            QVERIFY2(out.malformed[0].reason.contains(QLatin1String("bus/booking/note")),
                qPrintable(out.malformed[0].reason));
            QCOMPARE(out.malformed[0].position.unit, SourcePosition::Message);
            return;
        }
        const DecodedEvent& e = out.events[0];
        QCOMPARE(QByteArray(out.view(e.type).data(), qsizetype(e.type.length)), type);
        QVERIFY(e.flags & EventRecord::HasCorrelation); // from the header
        QCOMPARE(
            QByteArray(out.view(e.correlationText).data(), qsizetype(e.correlationText.length)), QByteArray("BK-1"));
        const auto raw = out.raw(e);
        const QByteArray rawBytes(raw.data(), qsizetype(raw.size()));
        if (wrapped) {
            QVERIFY2(rawBytes.contains(QByteArray(R"("subject":"bus/booking/note","payload":)" + body + "}")),
                rawBytes.constData());
            QVERIFY(!(e.flags & EventRecord::IdHashed)); // a generated UUID
            // the same message decoded again gets the same id; another message number, another id
            DecodedBatch again;
            decoder.decodeMessage(body.constData(), std::size_t(body.size()), 0, {}, 1000, context, again);
            QCOMPARE(again.events[0].id, e.id);
            context.sequence = 8;
            DecodedBatch next;
            decoder.decodeMessage(body.constData(), std::size_t(body.size()), 0, {}, 1000, context, next);
            QVERIFY(next.events[0].id != e.id);
        } else {
            QVERIFY(!rawBytes.contains("\"subject\""));
        }
    }

    void hostileInputNeverCrashes()
    {
        // a cheap sweep: every prefix of a valid event, and random bytes, decode to events or malformed records
        const QByteArray good
            = R"({"id":"a","type":"b","timestamp":"2026-11-29T10:00:00Z","payload":{"k":[1,2,{"x":null}]}})";
        QByteArrayList inputs;
        for (int i = 0; i <= good.size(); ++i)
            inputs << good.left(i);
        quint32 seed = 7;
        for (int i = 0; i < 200; ++i) {
            QByteArray r(i, '\0');
            for (char& c : r)
                c = char((seed = seed * 1103515245 + 12345) >> 16);
            inputs << r;
        }
        const auto b = decodeLines(inputs);
        QVERIFY(b->events.size() + b->malformed.size() >= std::size_t(inputs.size()));
        QCOMPARE(b->events.size(), std::size_t(1));
    }
};

QTEST_GUILESS_MAIN(TestEventDecoder)
#include "tst_eventdecoder.moc"
