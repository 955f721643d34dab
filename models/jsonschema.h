// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QUrl>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// A payload's breach of its schema: where in the payload (a JSON pointer, array indices as `*` so that
/// breaches group) and which rule with its value ("minimum 0", "required", "type string").
struct SchemaViolation
{
    std::string pointer;
    std::string rule;
    /// "POINTER: RULE", or the rule alone for the payload as a whole
    std::string key() const { return pointer.empty() ? rule : pointer + ": " + rule; }
};

/// Where a schema document is broken, or could not be loaded.
struct SchemaProblem
{
    QString file; ///< the document's file, or its URI when it has none
    QString place; ///< a JSON pointer in it, or "line L, column C"
    QString message;
    QString describe() const;
};

/// JSON Schema draft 7 (and draft 6, its subset), compiled from documents once and then asked of many
/// payloads from any thread. Every keyword of the draft is checked; `format` is checked for date-time,
/// date, time, email, ipv4, ipv6 and uuid and is an annotation otherwise (the draft makes formats
/// optional). `$ref` resolves inside the document and to the other documents of the set by their `$id`
/// or file, never over a network. Limits keep a hostile schema or payload bounded: nesting and `$ref`
/// depth, the nodes visited per payload and the regex engine's match budget.
class JsonSchemaSet
{
public:
    static constexpr int MaxDepth = 256; ///< payload nesting and `$ref` hops followed while validating
    static constexpr std::size_t MaxViolations = 16; ///< reported per payload (the first ones)
    /// Schema nodes visited for one payload: past it, the payload fails ("over N steps")
    static constexpr qint64 MaxSteps = 1000000;

    JsonSchemaSet();
    ~JsonSchemaSet();
    JsonSchemaSet(const JsonSchemaSet&) = delete;
    JsonSchemaSet& operator=(const JsonSchemaSet&) = delete;

    /// Adds the document `json` known as `uri` (a file:// URL, or the URL a test suite serves it at), whose
    /// errors name `file`. Returns its index, or -1 with `problem` set when it is not a JSON Schema this
    /// validates (not JSON, an unsupported draft).
    int addDocument(const QUrl& uri, const QByteArray& json, const QString& file, SchemaProblem* problem);
    /// The root schema of document `document`, or a subschema by JSON pointer (RFC 6901) in it; compiles
    /// it and everything it refers to. -1 with `problem` set when it is broken: a `$ref` that does not
    /// resolve, a remote one, a keyword of the wrong kind, a pattern that does not compile.
    int schema(int document, const QString& pointer, SchemaProblem* problem);
    /// The root of document `document`'s `"$id"`, or an empty string.
    QString documentId(int document) const;
    /// The value of a top-level string keyword of the document (`title`, `x-event-type`), or empty.
    QString documentKeyword(int document, const QString& keyword) const;
    /// The whole document (an AsyncAPI document is read for its messages' payloads).
    QJsonValue documentRoot(int document) const;

    /// The value at JSON pointer `pointer` (RFC 6901) in `root`; nullopt when there is none.
    static std::optional<QJsonValue> valueAt(const QJsonValue& root, const QString& pointer);
    /// `token` as one JSON pointer token (~ and / escaped).
    static QString pointerToken(QString token);

    /// Checks the JSON text `json` against schema `schema`; appends its violations (at most
    /// MaxViolations) to `out`. Returns whether it is valid; a text that is not JSON is invalid ("": json).
    bool validate(int schema, std::string_view json, std::vector<SchemaViolation>* out) const;

    class Private;
    const Private* d_func() const { return d.get(); }

private:
    std::unique_ptr<Private> d;
};
