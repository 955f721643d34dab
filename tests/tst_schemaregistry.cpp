// SPDX-License-Identifier: MIT
// Schemas from a folder, and a session's payloads checked against them: counts, groups, examples, replay.
#include "eventfilter.h"
#include "schemaregistry.h"
#include "schemareport.h"
#include "session.h"
#include "testutil.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

namespace {

void write(const QString& path, const QByteArray& text)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(text);
}

/// The product schema of json-schema.org's "Getting started" (draft 7 edition), with its dimensions
/// and tags, here as the payload of product.listed; and an order whose lines refer to a shared file.
void writeFolder(const QString& dir)
{
    write(dir + QStringLiteral("/product.listed.schema.json"),
        "{ \"$schema\": \"http://json-schema.org/draft-07/schema#\",\n"
        "  \"$id\": \"https://example.com/product.schema.json\",\n"
        "  \"title\": \"Product\", \"description\": \"A product from Acme's catalog\",\n"
        "  \"type\": \"object\",\n"
        "  \"properties\": {\n"
        "    \"productId\": { \"description\": \"The unique identifier for a product\", \"type\": \"integer\" },\n"
        "    \"productName\": { \"type\": \"string\" },\n"
        "    \"price\": { \"type\": \"number\", \"exclusiveMinimum\": 0 },\n"
        "    \"tags\": { \"type\": \"array\", \"items\": { \"type\": \"string\" }, \"minItems\": 1, \"uniqueItems\": "
        "true },\n"
        "    \"dimensions\": { \"type\": \"object\", \"properties\": { \"length\": { \"type\": \"number\" },\n"
        "      \"width\": { \"type\": \"number\" }, \"height\": { \"type\": \"number\" } },\n"
        "      \"required\": [ \"length\", \"width\", \"height\" ] }\n"
        "  },\n"
        "  \"required\": [ \"productId\", \"productName\", \"price\" ]\n"
        "}\n");
    QDir(dir).mkdir(QStringLiteral("shared"));
    write(dir + QStringLiteral("/shared/money.json"),
        "{\"definitions\": {\"amount\": {\"type\": \"number\", \"minimum\": 0}, \"currency\": {\"enum\": [\"EUR\", "
        "\"USD\"]}}}");
    // named by x-event-type; lines refer to the shared file
    write(dir + QStringLiteral("/order.json"),
        "{\"x-event-type\": \"order.placed\", \"type\": \"object\", \"required\": [\"orderId\", \"lines\"],"
        " \"properties\": {\"orderId\": {\"type\": \"string\", \"format\": \"uuid\"},"
        " \"currency\": {\"$ref\": \"shared/money.json#/definitions/currency\"},"
        " \"lines\": {\"type\": \"array\", \"minItems\": 1,"
        " \"items\": {\"type\": \"object\", \"required\": [\"sku\", \"amount\"],"
        " \"properties\": {\"sku\": {\"type\": \"string\", \"pattern\": \"^[A-Z]{3}-[0-9]+$\"},"
        " \"amount\": {\"$ref\": \"shared/money.json#/definitions/amount\"}}}}}}");
    // named by title
    write(dir + QStringLiteral("/user.json"), "{\"title\": \"user.registered\", \"required\": [\"userId\"]}");
    // broken ones: the rest still load
    write(dir + QStringLiteral("/broken.schema.json"), "{\"type\": \"object\",\n \"properties\": {\"a\": }\n}");
    write(dir + QStringLiteral("/dangling.schema.json"), "{\"properties\": {\"a\": {\"$ref\": \"shared/none.json\"}}}");
    write(
        dir + QStringLiteral("/future.schema.json"), "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}");
}

QByteArray shopEvent(const QByteArray& id, const QByteArray& type, qint64 ms, const QByteArray& payload,
    const QByteArray& source = "shop")
{
    QByteArray e = nativeEvent(id, type, isoAt(ms), {}, {}, payload);
    e.chop(1);
    return e + ",\"source\":\"" + source + "\"}";
}

QString data(const char* name) { return QStringLiteral(EVENTSCOPE_TEST_DATA "/") + QLatin1String(name); }

/// The rules `json` breaks against the schema of `type`.
QStringList rulesOf(const SchemaRegistry& registry, const char* type, const char* json)
{
    std::vector<SchemaViolation> out;
    const int schema = registry.schemaFor(type);
    if (schema < 0)
        return { QStringLiteral("(no schema for %1)").arg(QLatin1String(type)) };
    registry.set().validate(schema, json, &out);
    QStringList keys;
    for (const SchemaViolation& v : out)
        keys << QString::fromStdString(v.key());
    return keys;
}

} // namespace

class TestSchemaRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aFolderNamesTypesAndTellsWhatIsBroken()
    {
        QTemporaryDir dir;
        writeFolder(dir.path());
        QList<SchemaProblem> problems;
        const auto registry = SchemaRegistry::load(dir.path(), &problems);
        QVERIFY(registry);
        QCOMPARE(registry->types(),
            QStringList({ QStringLiteral("order.placed"), QStringLiteral("product.listed"),
                QStringLiteral("user.registered") }));
        QStringList told;
        for (const SchemaProblem& p : problems)
            told << p.describe();
        QCOMPARE(told.size(), 3);
        told.sort(); // files are read in name order, then compiled: a broken $ref is told after the rest
        QVERIFY2(told[0].contains(QLatin1String("broken.schema.json, at line 2, column")), qPrintable(told[0]));
        QVERIFY2(told[1].contains(QLatin1String("dangling.schema.json, at /properties/a: $ref file://"))
                && told[1].contains(QLatin1String("shared/none.json does not resolve")),
            qPrintable(told[1]));
        QVERIFY2(told[2].contains(QLatin1String("future.schema.json, at /$schema:")), qPrintable(told[2]));
        QCOMPARE(registry->schemaFor("nope"), -1);
        QVERIFY(registry->fileOf("order.placed").endsWith(QLatin1String("/order.json")));
        QVERIFY(!SchemaRegistry::load(dir.path() + QStringLiteral("/missing"), &problems));
        QVERIFY(problems.last().describe().contains(QLatin1String("no such file or folder")));
    }

    void aSessionCountsCheckedViolatingAndGroups()
    {
        QTemporaryDir dir;
        writeFolder(dir.path());
        QList<SchemaProblem> problems;
        DecoderConfig config;
        config.schemas = SchemaRegistry::load(dir.path(), &problems);
        EventDecoder decoder(config);
        const QByteArrayList lines = {
            shopEvent("p1", "product.listed", 0,
                "{\"productId\": 1, \"productName\": \"A green door\", \"price\": 12.5,"
                " \"tags\": [\"home\", \"green\"]}"),
            shopEvent("p2", "product.listed", 1000, "{\"productId\": \"2\", \"productName\": \"Lamp\", \"price\": 0}",
                "legacy"),
            shopEvent("o1", "order.placed", 2000,
                "{\"orderId\": \"0a45f286-b9e7-4382-91c1-8f1b2c3d4e5f\", \"currency\": \"GBP\","
                " \"lines\": [{\"sku\": \"ABC-1\", \"amount\": 3}, {\"sku\": \"abc\", \"amount\": -1}]}"),
            shopEvent("o2", "order.placed", 3000, "{\"orderId\": \"x\", \"lines\": []}"),
            shopEvent("u1", "user.registered", 4000, "{\"userId\": \"u\"}"),
            shopEvent("u2", "user.registered", 5000, {}), // no payload at all
            shopEvent("l1", "user.logged_in", 6000, "{\"whatever\": true}"), // no schema: unchecked
            shopEvent("p3", "product.listed", 7000,
                "{\"productId\": 3, \"productName\": \"Chair\", \"price\": -1,"
                " \"tags\": [\"a\", \"a\"], \"dimensions\": {\"length\": 1}}"),
        };
        Session s;
        s.setSchemaRegistry(config.schemas);
        s.ingest(*decodeLines(lines, 0, 0, &decoder));

        const QJsonObject v = SchemaReport::violations(s);
        QCOMPARE(v.keys(),
            QStringList({ QStringLiteral("order.placed"), QStringLiteral("product.listed"),
                QStringLiteral("user.registered") }));
        const QJsonObject product = v[QLatin1String("product.listed")].toObject();
        QCOMPARE(product[QLatin1String("checked")].toInt(), 3);
        QCOMPARE(product[QLatin1String("violating")].toInt(), 2);
        QCOMPARE(product[QLatin1String("violatingPercent")].toDouble(), 66.67);
        QCOMPARE(product[QLatin1String("rules")].toObject(),
            QJsonObject({ { QStringLiteral("/productId: type integer"), 1 },
                { QStringLiteral("/price: exclusiveMinimum 0"), 2 }, { QStringLiteral("/tags: uniqueItems"), 1 },
                { QStringLiteral("/dimensions/width: required"), 1 },
                { QStringLiteral("/dimensions/height: required"), 1 } }));
        QCOMPARE(product[QLatin1String("examples")].toObject()[QLatin1String("/price: exclusiveMinimum 0")].toString(),
            QStringLiteral("p2"));
        QCOMPARE(product[QLatin1String("sources")].toObject(),
            QJsonObject({ { QStringLiteral("legacy"), 1 }, { QStringLiteral("shop"), 1 } }));
        QCOMPARE(product[QLatin1String("firstViolation")].toString(), QString::fromLatin1(isoAt(1000)));
        QCOMPARE(product[QLatin1String("lastViolation")].toString(), QString::fromLatin1(isoAt(7000)));

        const QJsonObject order = v[QLatin1String("order.placed")].toObject();
        QCOMPARE(order[QLatin1String("violating")].toInt(), 2);
        QCOMPARE(order[QLatin1String("rules")].toObject(),
            QJsonObject({ { QStringLiteral("/currency: enum"), 1 },
                { QStringLiteral("/lines/*/sku: pattern ^[A-Z]{3}-[0-9]+$"), 1 },
                { QStringLiteral("/lines/*/amount: minimum 0"), 1 }, { QStringLiteral("/orderId: format uuid"), 1 },
                { QStringLiteral("/lines: minItems 1"), 1 } }));
        const QJsonObject user = v[QLatin1String("user.registered")].toObject();
        QCOMPARE(user[QLatin1String("rules")].toObject(), QJsonObject({ { QStringLiteral("payload missing"), 1 } }));
        QCOMPARE(SchemaReport::unchecked(s), QJsonObject({ { QStringLiteral("user.logged_in"), 1 } }));
        QCOMPARE(s.schemas().checked(), quint64(7));
        QCOMPARE(s.schemas().violating(), quint64(5));

        // a replay to any point shows what that point had shown, and back to the whole
        const QJsonObject whole = SchemaReport::toJson(s, {});
        s.replayTo(2);
        QCOMPARE(s.schemas().checked(), quint64(2));
        QCOMPARE(
            SchemaReport::violations(s)[QLatin1String("product.listed")].toObject()[QLatin1String("rules")].toObject(),
            QJsonObject({ { QStringLiteral("/productId: type integer"), 1 },
                { QStringLiteral("/price: exclusiveMinimum 0"), 1 } }));
        s.replayTo(8);
        QCOMPARE(SchemaReport::toJson(s, {}), whole);

        // the log's filter finds the events behind a rule
        const auto matching = [&](const QString& text) {
            EventFilter f;
            QString error;
            if (!f.parse(text, &error))
                return QList<quint32> { 999 };
            QList<quint32> out;
            for (quint32 i = 0; i < 8; ++i)
                if (f.matches(s, i))
                    out << i;
            return out;
        };
        QCOMPARE(matching(QStringLiteral("schema == \"/price: exclusiveMinimum 0\"")), QList<quint32>({ 1, 7 }));
        QCOMPARE(matching(QStringLiteral("schema contains lines")), QList<quint32>({ 2, 3 }));
        QCOMPARE(matching(QStringLiteral("schema ~ \"/lines/*\"")), QList<quint32>({ 2 }));
        QCOMPARE(matching(QStringLiteral("type == product.listed && schema != \"/tags: uniqueItems\"")),
            QList<quint32>({ 0, 1 }));

        // the text names the types, the groups with an example each, and what has no schema
        const QString text = SchemaReport::toText(s, problems);
        QVERIFY2(text.contains(QLatin1String("product.listed: 3 checked, 2 violating (66.67 %)")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("  /price: exclusiveMinimum 0: 2 events, e.g. p2")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("Without a schema (not checked): user.logged_in (1)")), qPrintable(text));
        QVERIFY2(text.contains(QLatin1String("left out: ")), qPrintable(text));
    }

    void asyncApi2MessagesByNameTitleAndMessageId()
    {
        QList<SchemaProblem> problems;
        const auto registry = SchemaRegistry::load(data("asyncapi/streetlights-2.6.yaml"), &problems);
        QVERIFY(registry);
        QCOMPARE(registry->types(),
            QStringList({ QStringLiteral("Light measured"), QStringLiteral("Turn on/off"), QStringLiteral("dimLight"),
                QStringLiteral("lightMeasured"), QStringLiteral("streetlight.dim"), QStringLiteral("turnOnOff") }));
        QCOMPARE(problems.size(), 1); // the Avro payload
        QVERIFY2(
            problems[0].describe().contains(QLatin1String(
                "at /components/messages/lightMeasuredAvro: schemaFormat application/vnd.apache.avro;version=1.9.0 "
                "is not JSON Schema")),
            qPrintable(problems[0].describe()));
        QCOMPARE(rulesOf(*registry, "lightMeasured", "{\"lumens\": -3, \"sentAt\": \"2026-12-05T10:00:00Z\"}"),
            QStringList({ QStringLiteral("/lumens: minimum 0") }));
        QCOMPARE(rulesOf(*registry, "Light measured", "{\"lumens\": 5, \"sentAt\": \"yesterday\"}"),
            QStringList({ QStringLiteral("/sentAt: format date-time") }));
        QCOMPARE(rulesOf(*registry, "turnOnOff", "{\"command\": \"dim\"}"),
            QStringList({ QStringLiteral("/command: enum") }));
        QCOMPARE(rulesOf(*registry, "streetlight.dim", "{\"percentage\": 101}"),
            QStringList({ QStringLiteral("/percentage: maximum 100") }));
        QVERIFY(rulesOf(*registry, "dimLight", "{\"percentage\": 40}").isEmpty());
    }

    void asyncApi3MessagesAndMultiFormatPayloads()
    {
        QList<SchemaProblem> problems;
        const auto registry = SchemaRegistry::load(data("asyncapi/streetlights-3.0.yaml"), &problems);
        QVERIFY(registry);
        QVERIFY(problems.isEmpty());
        QCOMPARE(registry->types(),
            QStringList({ QStringLiteral("Light measured"), QStringLiteral("lightMeasured"),
                QStringLiteral("streetlightRetired") }));
        QCOMPARE(rulesOf(*registry, "lightMeasured", "{\"sentAt\": \"2026-12-05T10:00:00Z\"}"),
            QStringList({ QStringLiteral("/lumens: required") }));
        QCOMPARE(rulesOf(*registry, "streetlightRetired", "{\"streetlightId\": \"7\"}"),
            QStringList({ QStringLiteral("/streetlightId: pattern ^SL-[0-9]+$") }));
    }

    void yamlAnchorsMergeKeysAndHostileYaml()
    {
        QList<SchemaProblem> problems;
        const auto registry = SchemaRegistry::load(data("asyncapi/anchors.yaml"), &problems);
        QVERIFY(registry && problems.isEmpty());
        QCOMPARE(rulesOf(*registry, "sensor.reading", "{\"celsius\": 200, \"fahrenheit\": 200}"),
            QStringList({ QStringLiteral("/celsius: maximum 150") }));
        QCOMPARE(rulesOf(*registry, "sensor.reading", "{\"celsius\": 20, \"fahrenheit\": 400}"),
            QStringList({ QStringLiteral("/fahrenheit: maximum 300") }));
        QCOMPARE(rulesOf(*registry, "sensor.reading", "{\"fahrenheit\": -60}"),
            QStringList({ QStringLiteral("/fahrenheit: minimum -50"), QStringLiteral("/celsius: required") }));

        QTemporaryDir dir;
        write(dir.path() + QStringLiteral("/broken.yaml"), "type: object\nproperties: [a, b\n  c: }\n");
        // each level nine aliases of the one before: 9^9 values once expanded
        QByteArray bomb = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n";
        for (int level = 1; level <= 9; ++level) {
            const QByteArray prev = "*a" + QByteArray::number(level - 1);
            bomb += "a" + QByteArray::number(level) + ": &a" + QByteArray::number(level) + " [" + prev;
            for (int i = 1; i < 9; ++i)
                bomb += ", " + prev;
            bomb += "]\n";
        }
        write(dir.path() + QStringLiteral("/bomb.yaml"), bomb);
        QElapsedTimer timer;
        timer.start();
        problems.clear();
        const auto none = SchemaRegistry::load(dir.path(), &problems);
        QVERIFY(timer.elapsed() < 5000);
        QVERIFY(none && none->types().isEmpty());
        QStringList told;
        for (const SchemaProblem& p : problems)
            told << p.describe();
        told.sort();
        QCOMPARE(told.size(), 2);
        QVERIFY2(told[0].contains(QLatin1String("bomb.yaml: not YAML that JSON can hold: line "))
                && told[0].contains(QLatin1String("more than 1000000 values once its aliases are expanded")),
            qPrintable(told[0]));
        QVERIFY2(told[1].contains(QLatin1String("broken.yaml: not YAML that JSON can hold: line 3, column")),
            qPrintable(told[1]));
    }

    void cloudEventsDataIsThePayload()
    {
        QTemporaryDir dir;
        write(dir.path() + QStringLiteral("/com.example.order.placed.schema.json"),
            "{\"type\": \"object\", \"required\": [\"orderId\"]}");
        DecoderConfig config;
        config.schemas = SchemaRegistry::load(dir.path(), nullptr);
        EventDecoder decoder(config);
        // the CloudEvents 1.0 spec's JSON example, with its data
        const QByteArray good = "{\"specversion\": \"1.0\", \"type\": \"com.example.order.placed\","
                                " \"source\": \"https://example.com/orders\", \"id\": \"A234-1234-1234\", \"time\": "
                                "\"2018-04-05T17:31:00Z\","
                                " \"datacontenttype\": \"application/json\", \"data\": {\"orderId\": \"o-1\"}}";
        QByteArray bad = good;
        bad.replace("A234", "B234").replace("orderId", "order");
        Session s;
        s.setSchemaRegistry(config.schemas);
        s.ingest(*decodeLines({ good, bad }, 0, 0, &decoder));
        const QJsonObject o = SchemaReport::violations(s)[QLatin1String("com.example.order.placed")].toObject();
        QCOMPARE(o[QLatin1String("checked")].toInt(), 2);
        QCOMPARE(o[QLatin1String("rules")].toObject(), QJsonObject({ { QStringLiteral("/orderId: required"), 1 } }));
    }
};

QTEST_GUILESS_MAIN(TestSchemaRegistry)
#include "tst_schemaregistry.moc"
