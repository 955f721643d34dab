// SPDX-License-Identifier: MIT
#include "jsonschema.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTest>

namespace {

/// Debian's json-schema-test-suite (the official JSON-Schema-Test-Suite).
const QString suiteRoot = QStringLiteral("/usr/share/json-schema-test-suite");

/// Case groups of the draft 7 suite (its optional ones included) this validator does not pass, each with
/// why. Keyed by file, or by "file: group description".
const std::map<QString, QString>& skipped()
{
    static const std::map<QString, QString> reasons = {
        { QStringLiteral("ref.json: remote ref, containing refs itself"),
            QStringLiteral("refers to the draft 7 meta-schema at json-schema.org: remote schemas are never fetched") },
        { QStringLiteral("optional/bignum.json: integer comparison"),
            QStringLiteral("integers past 2^53 are compared as doubles, so 2^64 - 1 and 2^64 - 16 are equal") },
        { QStringLiteral("optional/content.json: validation of string-encoded content based on media type"),
            QStringLiteral("contentMediaType is an annotation: draft 7 lets a validator leave it unchecked") },
        { QStringLiteral("optional/content.json: validation of binary string-encoding"),
            QStringLiteral("contentEncoding is an annotation: draft 7 lets a validator leave it unchecked") },
        { QStringLiteral("optional/content.json: validation of binary-encoded media type documents"),
            QStringLiteral("contentEncoding is an annotation: draft 7 lets a validator leave it unchecked") },
        { QStringLiteral("optional/ecmascript-regex.json: ECMA 262 regex non-compliance"),
            QStringLiteral("PCRE2 runs patterns, and \\Z is an anchor there though ECMA 262 has none") },
        { QStringLiteral("definitions.json"),
            QStringLiteral("validates schemas against the draft 7 meta-schema at json-schema.org: remote schemas "
                           "are never fetched") },
    };
    return reasons;
}

/// The formats checked; the others are annotations (draft 7 makes format assertions optional).
const QStringList checkedFormats = { QStringLiteral("date-time"), QStringLiteral("date"), QStringLiteral("time"),
    QStringLiteral("email"), QStringLiteral("ipv4"), QStringLiteral("ipv6") };

QJsonArray readSuiteFile(const QString& path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).array();
}

QByteArray compact(const QJsonValue& v)
{
    // a scalar is not a JSON document to QJsonDocument: wrap it in an array and take it out again
    const QByteArray wrapped = QJsonDocument(QJsonArray { v }).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

/// The suite's remote documents, known by the URLs its tests use (http://localhost:1234/...), as a
/// schema folder's files are known by their $id.
void addRemotes(JsonSchemaSet& set)
{
    QDirIterator it(suiteRoot + QStringLiteral("/remotes"), { QStringLiteral("*.json") }, QDir::Files,
        QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QString relative = QDir(suiteRoot + QStringLiteral("/remotes")).relativeFilePath(path);
        SchemaProblem problem;
        QVERIFY2(set.addDocument(QUrl(QStringLiteral("http://localhost:1234/") + relative), f.readAll(), path, &problem)
                >= 0,
            qPrintable(problem.describe()));
    }
}

int compile(JsonSchemaSet& set, const QByteArray& schema, SchemaProblem* problem = nullptr)
{
    static int n = 0;
    const QUrl uri(QStringLiteral("file:///suite/case-%1.json").arg(++n));
    const int doc = set.addDocument(uri, schema, uri.toString(), problem);
    return doc < 0 ? -1 : set.schema(doc, QString(), problem);
}

QStringList rules(const JsonSchemaSet& set, int schema, const char* json)
{
    std::vector<SchemaViolation> out;
    set.validate(schema, json, &out);
    QStringList keys;
    for (const SchemaViolation& v : out)
        keys << QString::fromStdString(v.key());
    return keys;
}

} // namespace

class TestJsonSchema : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void officialSuite_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QByteArray>("instance");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<QString>("skip");
        const QString draft = suiteRoot + QStringLiteral("/tests/draft7/");
        if (!QDir(draft).exists())
            QSKIP("json-schema-test-suite is not installed (scripts/setup.sh installs it)");
        QStringList files = QDir(draft).entryList({ QStringLiteral("*.json") }, QDir::Files, QDir::Name);
        for (const QString& f : QDir(draft + QStringLiteral("optional")).entryList({ QStringLiteral("*.json") }))
            files << QStringLiteral("optional/") + f;
        for (const QString& format : checkedFormats)
            files << QStringLiteral("optional/format/%1.json").arg(format);
        int cases = 0;
        for (const QString& file : files) {
            const QJsonArray groups = readSuiteFile(draft + file);
            QVERIFY2(!groups.isEmpty(), qPrintable(file));
            for (const QJsonValue& g : groups) {
                const QJsonObject group = g.toObject();
                const QString description = group.value(QLatin1String("description")).toString();
                QString skip;
                if (const auto it = skipped().find(file); it != skipped().end())
                    skip = it->second;
                if (const auto it = skipped().find(file + QStringLiteral(": ") + description); it != skipped().end())
                    skip = it->second;
                for (const QJsonValue& t : group.value(QLatin1String("tests")).toArray()) {
                    const QJsonObject test = t.toObject();
                    const QString name
                        = QStringLiteral("%1: %2 / %3")
                              .arg(file, description, test.value(QLatin1String("description")).toString());
                    QTest::newRow(qPrintable(name))
                        << compact(group.value(QLatin1String("schema"))) << compact(test.value(QLatin1String("data")))
                        << test.value(QLatin1String("valid")).toBool() << skip;
                    ++cases;
                }
            }
        }
        QVERIFY(cases > 400);
    }

    void officialSuite()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QByteArray, instance);
        QFETCH(bool, valid);
        QFETCH(QString, skip);
        if (!skip.isEmpty())
            QSKIP(qPrintable(skip));
        JsonSchemaSet set;
        addRemotes(set);
        SchemaProblem problem;
        const int s = compile(set, schema, &problem);
        QVERIFY2(s >= 0, qPrintable(problem.describe()));
        std::vector<SchemaViolation> out;
        const bool result = set.validate(s, std::string_view(instance.constData(), std::size_t(instance.size())), &out);
        QCOMPARE(result, valid);
        QCOMPARE(out.empty(), valid); // invalid says why
    }

    void violationsNamePointerAndRule()
    {
        JsonSchemaSet set;
        const int s = compile(set,
            "{\"type\": \"object\", \"required\": [\"clientId\", \"amount\"],"
            " \"properties\": {\"clientId\": {\"type\": [\"string\", \"integer\"]}, \"amount\": {\"type\": \"number\", "
            "\"minimum\": 0},"
            " \"lines\": {\"type\": \"array\", \"items\": {\"properties\": {\"qty\": {\"type\": \"integer\", "
            "\"minimum\": 1}}}},"
            " \"currency\": {\"enum\": [\"EUR\", \"USD\"]}, \"a/b\": {\"type\": \"string\"}},"
            " \"additionalProperties\": false, \"patternProperties\": {\"^x-\": true}}");
        QVERIFY(s >= 0);
        QCOMPARE(rules(set, s, "{\"amount\": -5}"),
            QStringList({ QStringLiteral("/amount: minimum 0"), QStringLiteral("/clientId: required") }));
        QCOMPARE(rules(set, s,
                     "{\"clientId\": 1, \"amount\": 1, \"lines\": [{\"qty\": 2}, {\"qty\": 0}, {\"qty\": \"x\"}]}"),
            QStringList({ QStringLiteral("/lines/*/qty: minimum 1"), QStringLiteral("/lines/*/qty: type integer") }));
        QCOMPARE(
            rules(set, s,
                "{\"clientId\": 1, \"amount\": 1, \"currency\": \"GBP\", \"extra\": 1, \"x-trace\": 2, \"a/b\": 3}"),
            QStringList({ QStringLiteral("/currency: enum"), QStringLiteral("/extra: additionalProperties false"),
                QStringLiteral("/a~1b: type string") }));
        QCOMPARE(rules(set, s, "[1]"), QStringList({ QStringLiteral("type object") }));
        QCOMPARE(rules(set, s, "{\"clientId\":"), QStringList({ QStringLiteral("json") }));
        QVERIFY(rules(set, s, "{\"clientId\": \"c\", \"amount\": 0.5, \"x-trace\": null}").isEmpty());
    }

    void brokenSchemasSayWhatAndWhere_data()
    {
        QTest::addColumn<QByteArray>("schema");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not JSON") << QByteArray("{\n  \"type\": \"object\",\n  oops\n}")
                                  << QStringLiteral("at line 3, column");
        QTest::newRow("draft 2020-12") << QByteArray("{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"}")
                                       << QStringLiteral(
                                              "/$schema: https://json-schema.org/draft/2020-12/schema is not "
                                              "supported: EventScope validates JSON Schema draft 7");
        QTest::newRow("draft 4") << QByteArray("{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}")
                                 << QStringLiteral("draft-04/schema# is not supported");
        QTest::newRow("unresolved ref") << QByteArray(
            "{\"properties\": {\"a\": {\"$ref\": \"#/definitions/missing\"}}}")
                                        << QStringLiteral("/properties/a: $ref file:///suite/case-")
                + QStringLiteral(".json#/definitions/missing does not resolve");
        QTest::newRow("remote ref") << QByteArray("{\"items\": {\"$ref\": \"https://example.com/s.json\"}}")
                                    << QStringLiteral("/items: $ref https://example.com/s.json is remote: schemas are "
                                                      "never fetched");
        QTest::newRow("bad pattern") << QByteArray("{\"properties\": {\"a\": {\"pattern\": \"([\"}}}")
                                     << QStringLiteral("/properties/a: pattern ([ does not compile");
        QTest::newRow("bad keyword") << QByteArray("{\"minimum\": \"zero\"}")
                                     << QStringLiteral("/: minimum must be a number");
        QTest::newRow("bad type") << QByteArray("{\"type\": \"text\"}")
                                  << QStringLiteral("type names no JSON Schema type");
    }

    void brokenSchemasSayWhatAndWhere()
    {
        QFETCH(QByteArray, schema);
        QFETCH(QString, expected);
        JsonSchemaSet set;
        SchemaProblem problem;
        QCOMPARE(compile(set, schema, &problem), -1);
        const QString text = problem.describe();
        const QStringList parts = expected.split(QStringLiteral("case-"));
        for (const QString& part : parts)
            QVERIFY2(text.contains(part), qPrintable(text));
        // the set goes on: a good schema still compiles after a broken one
        QVERIFY(compile(set, "{\"type\": \"string\"}") >= 0);
    }

    void hostileSchemasAndPayloadsStayBounded()
    {
        JsonSchemaSet set;
        // a schema that refers to itself without consuming the payload: stopped at MaxDepth
        const int loop = compile(set, "{\"$ref\": \"#\"}");
        QVERIFY(loop >= 0);
        QCOMPARE(rules(set, loop, "1"), QStringList({ QStringLiteral("depth over 256") }));
        // a pattern that backtracks exponentially: the match budget ends it
        const int redos = compile(set, "{\"pattern\": \"^(a+)+$\"}");
        const QByteArray text = QByteArray("\"") + QByteArray(40, 'a') + "!\"";
        QElapsedTimer timer;
        timer.start();
        QCOMPARE(rules(set, redos, text.constData()), QStringList({ QStringLiteral("pattern ^(a+)+$") }));
        QVERIFY(timer.elapsed() < 2000);
        // alternatives inside alternatives, each trying the whole payload again: the step budget ends it
        const int branching = compile(set,
            "{\"anyOf\": [{\"$ref\": \"#/definitions/a\"}, {\"$ref\": \"#/definitions/a\"}],"
            " \"definitions\": {\"a\": {\"anyOf\": [{\"$ref\": \"#\"}, {\"$ref\": \"#\"}]}}}");
        QVERIFY(branching >= 0);
        timer.restart();
        QCOMPARE(rules(set, branching, "1"), QStringList({ QStringLiteral("anyOf") }));
        QVERIFY(timer.elapsed() < 2000);
        // many breaches: the first MaxViolations are kept
        const int many = compile(set, "{\"items\": {\"type\": \"string\"}}");
        QByteArray numbers = "[";
        for (int i = 0; i < 100; ++i)
            numbers += (i ? "," : "") + QByteArray::number(i);
        numbers += ']';
        QCOMPARE(rules(set, many, numbers.constData()).size(), qsizetype(JsonSchemaSet::MaxViolations));
    }
};

QTEST_GUILESS_MAIN(TestJsonSchema)
#include "tst_jsonschema.moc"
