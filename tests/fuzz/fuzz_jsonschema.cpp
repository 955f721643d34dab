// SPDX-License-Identifier: MIT
// Fuzzes the schema validator with a hostile schema and a hostile payload: the input is a schema, a
// line "---", and a payload. The schema is read as YAML (YamlJson, as a registry reads .yaml files) and
// as JSON, compiled (or refused) and the payload checked against it. No input may crash, hang (the
// step, depth, node and match budgets bound the work) or leak; a breach is reported with its rule, and
// the first MaxViolations only.
#include "jsonschema.h"
#include "yamljson.h"

#include <QByteArray>
#include <QJsonDocument>
#include <QUrl>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    const std::size_t split = input.find("\n---\n");
    const std::string_view schemaText = input.substr(0, split);
    const std::string_view payload = split == std::string_view::npos ? std::string_view("{}") : input.substr(split + 5);
    // as YAML: a value, or a message (never both)
    QString why;
    const QJsonValue yaml = YamlJson::parse(QByteArray(schemaText.data(), qsizetype(schemaText.size())), &why);
    if (why.isEmpty() == yaml.isUndefined())
        __builtin_trap();
    JsonSchemaSet set;
    SchemaProblem problem;
    const int doc = set.addDocument(QUrl(QStringLiteral("file:///fuzz/schema.json")),
        QByteArray(schemaText.data(), qsizetype(schemaText.size())), QStringLiteral("schema.json"), &problem);
    if (doc < 0)
        return 0;
    const int schema = set.schema(doc, QString(), &problem);
    if (schema < 0)
        return 0;
    std::vector<SchemaViolation> out;
    const bool valid = set.validate(schema, payload, &out);
    if (valid != out.empty() || out.size() > JsonSchemaSet::MaxViolations)
        __builtin_trap();
    for (const SchemaViolation& v : out)
        if (v.rule.empty())
            __builtin_trap();
    return 0;
}
