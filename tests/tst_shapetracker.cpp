// SPDX-License-Identifier: MIT
// Payload shapes learned from the events, and their changes: known exactly on hand-written payloads.
#include "eventdecoder.h"
#include "jsonschema.h"
#include "session.h"
#include "shapereport.h"
#include "shapetracker.h"
#include "testutil.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

QByteArray staff(int i, const QByteArray& payload, const QByteArray& source = "staff-service")
{
    QByteArray e = nativeEvent("s" + QByteArray::number(i), "staff.assigned", isoAt(i * 100), {}, {}, payload);
    e.chop(1);
    return e + ",\"source\":\"" + source + "\"}";
}

/// The session after taking in `lines` (decoded with shapes learned).
std::unique_ptr<Session> sessionOf(const QByteArrayList& lines)
{
    DecoderConfig config;
    config.learnShapes = true;
    EventDecoder decoder(config);
    auto s = std::make_unique<Session>();
    s->ingest(*decodeLines(lines, 0, 0, &decoder));
    return s;
}

QJsonObject typeOf(const Session& s, const char* type)
{
    return ShapeReport::toJson(s)[QLatin1String("types")].toObject()[QLatin1String(type)].toObject();
}

} // namespace

class TestShapeTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aShapeIsItsFieldsNotTheirOrderNorTheLengthOfArrays()
    {
        const auto s = sessionOf({
            staff(0, "{\"staffId\": \"ST-1\", \"skills\": [\"a\", \"b\"], \"shift\": {\"from\": 8, \"to\": 16}}"),
            staff(1, "{\"shift\": {\"to\": 17, \"from\": 9}, \"skills\": [\"c\"], \"staffId\": \"ST-2\"}"),
            staff(2,
                "{\"staffId\": \"ST-3\", \"skills\": [\"a\", \"b\", \"c\", \"d\", \"e\"], \"shift\": {\"from\": 7, "
                "\"to\": 15}}"),
            staff(3, "{\"staffId\": \"ST-4\", \"skills\": [], \"shift\": {\"from\": 7, \"to\": 15}}"), // no items:
                                                                                                       // another shape
        });
        const ShapeTracker::Type& t = s->shapes().types()[s->types().find("staff.assigned")];
        QCOMPARE(t.events, quint64(4));
        QCOMPARE(t.shapes.size(), std::size_t(2));
        QCOMPARE(t.shapes[0].events, quint64(3));
        const QJsonObject fields = typeOf(*s, "staff.assigned")[QLatin1String("fields")].toObject();
        QCOMPARE(fields.keys(),
            QStringList({ QStringLiteral("/shift"), QStringLiteral("/shift/from"), QStringLiteral("/shift/to"),
                QStringLiteral("/skills"), QStringLiteral("/skills/*"), QStringLiteral("/staffId") }));
        QCOMPARE(fields[QLatin1String("/skills/*")].toObject()[QLatin1String("presentPercent")].toDouble(), 75.0);
        QCOMPARE(fields[QLatin1String("/shift/from")].toObject()[QLatin1String("types")].toArray(),
            QJsonArray { QStringLiteral("integer") });
        QVERIFY(typeOf(*s, "staff.assigned")[QLatin1String("changes")].toArray().isEmpty()); // still its baseline
    }

    void aFieldAddedRemovedOrRetypedAfterTheBaselineIsAChange()
    {
        QByteArrayList lines;
        for (int i = 0; i < 30; ++i)
            lines << staff(
                i, "{\"staffId\": \"ST-" + QByteArray::number(i) + "\", \"available\": true, \"note\": null}");
        // a new release: staffId a number, available renamed; note still sent
        for (int i = 30; i < 40; ++i)
            lines << staff(i, "{\"staffId\": " + QByteArray::number(i) + ", \"isAvailable\": true, \"note\": \"x\"}",
                "staff-service-v2");
        const auto s = sessionOf(lines);
        const QJsonObject t = typeOf(*s, "staff.assigned");
        QCOMPARE(t[QLatin1String("events")].toInt(), 40);
        const QJsonArray changes = t[QLatin1String("changes")].toArray();
        QCOMPARE(changes.size(), 4);
        const auto change = [&](int i, const char* path, const char* kind, QJsonValue from, QJsonValue to) {
            const QJsonObject c = changes[i].toObject();
            QCOMPARE(c[QLatin1String("path")].toString(), QLatin1String(path));
            QCOMPARE(c[QLatin1String("kind")].toString(), QLatin1String(kind));
            QCOMPARE(c[QLatin1String("from")], from);
            QCOMPARE(c[QLatin1String("to")], to);
            QCOMPARE(c[QLatin1String("firstEventId")].toString(), QStringLiteral("s30"));
            QCOMPARE(c[QLatin1String("at")].toString(), QString::fromLatin1(isoAt(3000)));
            QCOMPARE(c[QLatin1String("source")].toString(), QStringLiteral("staff-service-v2"));
        };
        change(0, "/staffId", "type", QStringLiteral("string"), QStringLiteral("integer"));
        change(1, "/isAvailable", "added", QJsonValue(), QStringLiteral("boolean"));
        change(2, "/note", "type", QStringLiteral("null"), QStringLiteral("string"));
        change(3, "/available", "removed", QStringLiteral("boolean"), QJsonValue());
        const QJsonObject fields = t[QLatin1String("fields")].toObject();
        QCOMPARE(fields[QLatin1String("/available")].toObject()[QLatin1String("presentPercent")].toDouble(), 75.0);
        QCOMPARE(fields[QLatin1String("/staffId")].toObject()[QLatin1String("types")].toArray(),
            (QJsonArray { QStringLiteral("string"), QStringLiteral("integer") }));
        const QString text = ShapeReport::toText(*s);
        QVERIFY2(text.contains(QLatin1String("/staffId string -> integer from staff-service-v2, first s30")),
            qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("/available no longer sent")), qPrintable(text));
    }

    void aLearnedShapeIsAJsonSchemaTheEventsKeep()
    {
        QByteArrayList lines;
        for (int i = 0; i < 25; ++i)
            lines << staff(i,
                "{\"staffId\": \"ST-" + QByteArray::number(i) + "\", \"hours\": " + QByteArray::number(i % 2 ? 7.5 : 8)
                    + ", \"skills\": [{\"name\": \"a\", \"level\": " + QByteArray::number(i % 3) + "}]"
                    + (i % 5 ? QByteArray() : QByteArray(", \"note\": \"x\"")) + "}");
        const auto s = sessionOf(lines);
        const QJsonObject schema = ShapeReport::jsonSchema(*s, quint16(s->types().find("staff.assigned")));
        QCOMPARE(schema[QLatin1String("required")].toArray(),
            (QJsonArray { QStringLiteral("hours"), QStringLiteral("skills"), QStringLiteral("staffId") }));
        const QJsonObject properties = schema[QLatin1String("properties")].toObject();
        QCOMPARE(
            properties[QLatin1String("hours")].toObject()[QLatin1String("type")].toString(), QStringLiteral("number"));
        QCOMPARE(properties[QLatin1String("skills")]
                     .toObject()[QLatin1String("items")]
                     .toObject()[QLatin1String("properties")]
                     .toObject()[QLatin1String("level")]
                     .toObject()[QLatin1String("type")]
                     .toString(),
            QStringLiteral("integer"));
        // every payload it was learned from keeps it; one that drops a field every event had does not
        JsonSchemaSet set;
        const QByteArray text = QJsonDocument(schema).toJson();
        const int doc
            = set.addDocument(QUrl(QStringLiteral("file:///learned.json")), text, QStringLiteral("learned"), nullptr);
        const int compiled = set.schema(doc, QString(), nullptr);
        QVERIFY(compiled >= 0);
        for (int i = 0; i < 25; ++i) {
            const QByteArray payload
                = QJsonDocument::fromJson(lines[i]).object()[QLatin1String("payload")].toObject().isEmpty()
                ? QByteArray("{}")
                : QJsonDocument(QJsonDocument::fromJson(lines[i]).object()[QLatin1String("payload")].toObject())
                      .toJson();
            QVERIFY2(
                set.validate(compiled, std::string_view(payload.constData(), std::size_t(payload.size())), nullptr),
                payload.constData());
        }
        QVERIFY(!set.validate(compiled, "{\"staffId\": \"ST-1\", \"skills\": []}", nullptr));
    }

    void hostilePayloadsStayBounded()
    {
        // a payload of 5,000 fields, one 100 levels deep, and 300 shapes of one type
        QByteArray wide = "{";
        for (int i = 0; i < 5000; ++i)
            wide += (i ? ",\"f" : "\"f") + QByteArray::number(i) + "\":1";
        wide += '}';
        QByteArray deep;
        for (int i = 0; i < 100; ++i)
            deep += "{\"d\":";
        deep += "1" + QByteArray(100, '}');
        QByteArrayList lines { staff(0, wide), staff(1, deep) };
        for (int i = 0; i < 300; ++i)
            lines << staff(2 + i, "{\"k" + QByteArray::number(i) + "\": 1}");
        const auto s = sessionOf(lines);
        const ShapeTracker::Type& t = s->shapes().types()[s->types().find("staff.assigned")];
        QCOMPARE(t.events, quint64(302));
        QCOMPARE(t.shapes.size(), ShapeTracker::MaxShapesPerType);
        QCOMPARE(t.unlearned, quint64(302 - ShapeTracker::MaxShapesPerType));
        QVERIFY(t.fields.size() <= ShapeTracker::MaxPathsPerType);
        QVERIFY(t.truncated);
        for (const ShapeTracker::Field& f : t.fields)
            QVERIFY(std::count(f.path.begin(), f.path.end(), '/') <= ShapeTracker::MaxDepth);
        QVERIFY(t.changes.size() <= ShapeTracker::MaxChangesPerType);
    }

    void aReplayShowsTheShapesAsTheyWereAtItsPlayhead()
    {
        QByteArrayList lines;
        for (int i = 0; i < 30; ++i)
            lines << staff(i, "{\"staffId\": \"ST-" + QByteArray::number(i) + "\", \"available\": true}");
        for (int i = 30; i < 40; ++i)
            lines << staff(i, "{\"staffId\": " + QByteArray::number(i) + ", \"isAvailable\": true}");
        const auto s = sessionOf(lines);
        QVERIFY(s->canReplay());
        const QJsonObject whole = ShapeReport::toJson(*s);
        QCOMPARE(s->shapes().changeCount(), quint64(3));

        // before the new release: its shape, fields and changes are not there yet
        s->replayTo(25);
        QCOMPARE(s->shapes().changeCount(), quint64(0));
        QJsonObject t = typeOf(*s, "staff.assigned");
        QCOMPARE(t[QLatin1String("events")].toInt(), 25);
        QCOMPARE(t[QLatin1String("fields")].toObject().keys(),
            QStringList({ QStringLiteral("/available"), QStringLiteral("/staffId") }));
        QCOMPARE(t[QLatin1String("fields")].toObject()[QLatin1String("/staffId")].toObject()[QLatin1String("types")],
            QJsonValue(QJsonArray { QStringLiteral("string") }));
        QVERIFY(t[QLatin1String("changes")].toArray().isEmpty());

        // five events into it: its changes, and the shares of then
        s->replayTo(35);
        QCOMPARE(s->shapes().changeCount(), quint64(3));
        t = typeOf(*s, "staff.assigned");
        QCOMPARE(t[QLatin1String("events")].toInt(), 35);
        QCOMPARE(t[QLatin1String("changes")].toArray().size(), 3);
        QCOMPARE(t[QLatin1String("fields")]
                     .toObject()[QLatin1String("/available")]
                     .toObject()[QLatin1String("presentPercent")]
                     .toDouble(),
            85.71);

        // back and on to the end: the whole read again
        s->replayTo(3);
        QCOMPARE(typeOf(*s, "staff.assigned")[QLatin1String("events")].toInt(), 3);
        s->replayTo(40);
        QCOMPARE(ShapeReport::toJson(*s), whole);
    }

    void anExampleIsTheValueInTheFirstEventThatHadTheField()
    {
        const auto s = sessionOf({
            staff(0, "{\"staffId\": \"ST-0\", \"skills\": [{\"name\": \"first\"}, {\"name\": \"second\"}]}"),
            staff(1, "{\"staffId\": \"ST-1\", \"x/y\": {\"z\": [1, 2]}, \"a.b\": 1}"),
        });
        const quint16 type = quint16(s->types().find("staff.assigned"));
        const auto example = [&](const char* path) {
            const auto& fields = s->shapes().types()[type].fields;
            for (std::size_t f = 0; f < fields.size(); ++f)
                if (fields[f].path == path)
                    return ShapeReport::exampleValue(*s, type, f);
            return QStringLiteral("(no such field)");
        };
        QCOMPARE(example("/staffId"), QStringLiteral("ST-0"));
        QCOMPARE(example("/skills/*/name"), QStringLiteral("first"));
        QCOMPARE(example("/x~1y/z"), QStringLiteral("[1,2]"));
        QCOMPARE(example("/a.b"), QStringLiteral("1")); // a key with a dot: a JSON pointer reaches it
        // CloudEvents' data
        const auto c = sessionOf({ "{\"specversion\": \"1.0\", \"type\": \"com.example.order.placed\", \"source\": "
                                   "\"/orders\", \"id\": \"A-1\", \"data\": {\"orderId\": \"o-1\"}}" });
        const quint16 order = quint16(c->types().find("com.example.order.placed"));
        const auto& fields = c->shapes().types()[order].fields;
        const auto at = std::find_if(fields.begin(), fields.end(), [](const auto& f) { return f.path == "/orderId"; });
        QVERIFY(at != fields.end());
        QCOMPARE(ShapeReport::exampleValue(*c, order, std::size_t(at - fields.begin())), QStringLiteral("o-1"));
    }

    void aSchemaFileNameStaysInItsFolder()
    {
        QCOMPARE(ShapeReport::schemaFileName("booking.created"), QStringLiteral("booking.created.schema.json"));
        QCOMPARE(ShapeReport::schemaFileName("../../etc/passwd"), QStringLiteral("_.._.._etc_passwd.schema.json"));
        QCOMPARE(ShapeReport::schemaFileName(".hidden"), QStringLiteral("_.hidden.schema.json"));
        QCOMPARE(ShapeReport::schemaFileName(""), QStringLiteral("_.schema.json"));
        QCOMPARE(ShapeReport::schemaFileName("urn:message:Shop:Order Placed"),
            QStringLiteral("urn_message_Shop_Order_Placed.schema.json"));
    }

    void learnedOnOtherEnvelopesToo()
    {
        // a CloudEvent's data and an EventStoreDB event's data are their payloads
        const auto s = sessionOf({
            "{\"specversion\": \"1.0\", \"type\": \"com.example.order.placed\", \"source\": \"/orders\", \"id\": "
            "\"A-1\","
            " \"time\": \"2018-04-05T17:31:00Z\", \"data\": {\"orderId\": \"o-1\", \"total\": 12.5}}",
            "{\"eventId\": \"3f2c9b1e-5a51-4e0c-9b7e-0c0a2b6f0001\", \"eventType\": \"BookingCreated\","
            " \"streamId\": \"booking-1\", \"eventNumber\": 0, \"created\": \"2026-11-29T10:00:00.0000000Z\","
            " \"data\": {\"bookingId\": \"BK-1\"}, \"metadata\": {}}",
        });
        QCOMPARE(typeOf(*s, "com.example.order.placed")[QLatin1String("fields")].toObject().keys(),
            QStringList({ QStringLiteral("/orderId"), QStringLiteral("/total") }));
        QCOMPARE(typeOf(*s, "BookingCreated")[QLatin1String("fields")].toObject().keys(),
            QStringList({ QStringLiteral("/bookingId") }));
    }
};

QTEST_GUILESS_MAIN(TestShapeTracker)
#include "tst_shapetracker.moc"
