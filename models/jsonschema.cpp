// SPDX-License-Identifier: MIT
#include "jsonschema.h"

#include "jsonschema_p.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QJsonValue>
#include <QRegularExpression>
#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <map>
#include <optional>
#include <pcre2.h>
#include <unordered_set>
#include <utility>

using namespace simdjson;

QString SchemaProblem::describe() const
{
    return place.isEmpty() ? QStringLiteral("%1: %2").arg(file, message)
                           : QStringLiteral("%1, at %2: %3").arg(file, place, message);
}

namespace {

/// An ECMA-262 pattern run by PCRE2 (JIT-compiled when the platform allows) on UTF-8 text. Patterns are
/// searched, not anchored, as JSON Schema says.
class Regex
{
public:
    explicit Regex(pcre2_code* code)
        : m_code(code)
    { }
    Regex(Regex&& other) noexcept
        : m_code(std::exchange(other.m_code, nullptr))
        , m_jit(other.m_jit)
    { }
    Regex(const Regex&) = delete;
    ~Regex() { pcre2_code_free(m_code); }

    static std::optional<Regex> compile(const QString& pattern, QString* error)
    {
        const QByteArray utf8 = pattern.toUtf8();
        int code = 0;
        PCRE2_SIZE offset = 0;
        pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
        pcre2_set_compile_extra_options(context, PCRE2_EXTRA_ALT_BSUX); // \u{...} as ECMA-262 has it
        pcre2_code* compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(utf8.constData()), PCRE2_SIZE(utf8.size()),
            PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY, &code, &offset, context);
        pcre2_compile_context_free(context);
        if (!compiled) {
            PCRE2_UCHAR message[256];
            pcre2_get_error_message(code, message, sizeof message);
            *error = QStringLiteral("pattern %1 does not compile at %2: %3")
                         .arg(pattern)
                         .arg(offset)
                         .arg(QString::fromUtf8(reinterpret_cast<const char*>(message)));
            return std::nullopt;
        }
        Regex regex(compiled);
        regex.m_jit = pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE) == 0; // without JIT it matches, slower
        return regex;
    }

    /// Whether the pattern occurs in `text`; a search past the match budget (a pattern that backtracks
    /// without end on this text) counts as no match.
    bool search(std::string_view text) const
    {
        struct PerThread
        {
            pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
            pcre2_match_context* context = pcre2_match_context_create(nullptr);
            PerThread() { pcre2_set_match_limit(context, 1000000); }
            ~PerThread()
            {
                pcre2_match_data_free(data);
                pcre2_match_context_free(context);
            }
        };
        thread_local PerThread t;
        // the text is valid UTF-8 (simdjson checked it): not checked again
        const auto subject = reinterpret_cast<PCRE2_SPTR>(text.data());
        if (m_jit)
            return pcre2_jit_match(m_code, subject, text.size(), 0, 0, t.data, t.context) >= 0;
        return pcre2_match(m_code, subject, text.size(), 0, PCRE2_NO_UTF_CHECK, t.data, t.context) >= 0;
    }

private:
    pcre2_code* m_code;
    bool m_jit = false;
};

enum TypeBit : quint8 {
    NullType = 1,
    BooleanType = 2,
    ObjectType = 4,
    ArrayType = 8,
    NumberType = 16,
    StringType = 32,
    IntegerType = 64,
};

enum class Format : quint8 { None, DateTime, Date, Time, Email, Ipv4, Ipv6, Uuid };

struct Node;

/// An enum or const value, kept so that a payload's scalar compares without conversion.
struct Literal
{
    enum Kind : quint8 { Null, Bool, Number, String, Composite };
    Kind kind = Null;
    bool boolean = false;
    double number = 0;
    std::string text;
    QJsonValue composite; ///< an array or object
    static Literal of(const QJsonValue& v)
    {
        Literal l;
        if (v.isBool()) {
            l.kind = Bool;
            l.boolean = v.toBool();
        } else if (v.isDouble()) {
            l.kind = Number;
            l.number = v.toDouble();
        } else if (v.isString()) {
            l.kind = String;
            l.text = v.toString().toStdString();
        } else if (v.isArray() || v.isObject()) {
            l.kind = Composite;
            l.composite = v;
        }
        return l;
    }
};

struct Property
{
    std::string name;
    const Node* schema = nullptr;
    int requiredBit = -1; ///< its bit in Node::requiredMask when it is required
};

struct Dependency
{
    std::string name;
    std::vector<std::string> required;
    const Node* schema = nullptr;
};

struct Node
{
    enum Kind : quint8 { True, False, Object, Ref };
    Kind kind = True;
    const Node* ref = nullptr;

    quint8 types = 0; ///< TypeBit mask; 0: any
    QString typeText;
    std::vector<Literal> enumValues;
    bool hasEnum = false;
    Literal constValue;
    bool hasConst = false;

    std::optional<double> minimum, maximum, exclusiveMinimum, exclusiveMaximum, multipleOf;
    qint64 minLength = -1, maxLength = -1;
    std::shared_ptr<Regex> pattern;
    QString patternText;
    Format format = Format::None;

    std::vector<const Node*> tupleItems;
    const Node* items = nullptr; ///< one schema for every item
    const Node* additionalItems = nullptr;
    qint64 minItems = -1, maxItems = -1;
    bool uniqueItems = false;
    const Node* contains = nullptr;

    std::vector<Property> properties;
    quint64 requiredMask = 0; ///< the required names that are properties (the first 64), by requiredBit
    std::vector<std::pair<std::shared_ptr<Regex>, const Node*>> patternProperties;
    const Node* additionalProperties = nullptr;
    std::vector<std::string> required;
    std::vector<std::string> requiredElsewhere; ///< required names not told by requiredMask
    qint64 minProperties = -1, maxProperties = -1;
    std::vector<Dependency> dependencies;
    const Node* propertyNames = nullptr;

    std::vector<const Node*> allOf, anyOf, oneOf;
    const Node* notSchema = nullptr;
    const Node *ifSchema = nullptr, *thenSchema = nullptr, *elseSchema = nullptr;

    const Property* property(std::string_view name) const
    {
        // most names are short and differ early: compared in place, not by a call to memcmp
        for (const Property& p : properties) {
            if (p.name.size() != name.size())
                continue;
            std::size_t i = 0;
            while (i < name.size() && p.name[i] == name[i])
                ++i;
            if (i == name.size())
                return &p;
        }
        return nullptr;
    }
};

std::string numberText(double v)
{
    char buf[32];
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

bool isIntegral(double v) { return std::isfinite(v) && std::floor(v) == v; }

// the element's value, its type checked first (no exceptions)
double doubleOf(dom::element v) { return v.get_double().value_unsafe(); }
bool boolOf(dom::element v) { return v.get_bool().value_unsafe(); }
std::string_view stringOf(dom::element v) { return v.get_string().value_unsafe(); }
dom::array arrayOf(dom::element v) { return v.get_array().value_unsafe(); }
dom::object objectOf(dom::element v) { return v.get_object().value_unsafe(); }

std::optional<double> numberOf(dom::element v)
{
    switch (v.type()) {
    case dom::element_type::INT64:
        return double(v.get_int64().value_unsafe());
    case dom::element_type::UINT64:
        return double(v.get_uint64().value_unsafe());
    case dom::element_type::DOUBLE:
        return doubleOf(v);
    default:
        return std::nullopt;
    }
}

quint8 typeOf(dom::element v)
{
    switch (v.type()) {
    case dom::element_type::ARRAY:
        return ArrayType;
    case dom::element_type::OBJECT:
        return ObjectType;
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
        return NumberType | IntegerType;
    case dom::element_type::DOUBLE:
        return NumberType | (isIntegral(doubleOf(v)) ? IntegerType : 0);
    case dom::element_type::STRING:
        return StringType;
    case dom::element_type::BOOL:
        return BooleanType;
    case dom::element_type::NULL_VALUE:
        return NullType;
    }
    return 0;
}

bool equal(dom::element a, dom::element b);
bool equal(dom::element a, const QJsonValue& b);

bool equal(dom::element a, const Literal& b)
{
    switch (b.kind) {
    case Literal::Null:
        return a.type() == dom::element_type::NULL_VALUE;
    case Literal::Bool:
        return a.type() == dom::element_type::BOOL && boolOf(a) == b.boolean;
    case Literal::Number: {
        const auto n = numberOf(a);
        return n && *n == b.number;
    }
    case Literal::String:
        return a.type() == dom::element_type::STRING && stringOf(a) == b.text;
    case Literal::Composite:
        return equal(a, b.composite);
    }
    return false;
}

bool equal(dom::element a, const QJsonValue& b)
{
    switch (a.type()) {
    case dom::element_type::NULL_VALUE:
        return b.isNull();
    case dom::element_type::BOOL:
        return b.isBool() && boolOf(a) == b.toBool();
    case dom::element_type::STRING: {
        if (!b.isString())
            return false;
        const std::string_view s = stringOf(a);
        return b.toString() == QString::fromUtf8(s.data(), qsizetype(s.size()));
    }
    case dom::element_type::ARRAY: {
        if (!b.isArray())
            return false;
        const QJsonArray other = b.toArray();
        dom::array array = arrayOf(a);
        if (qsizetype(array.size()) != other.size())
            return false;
        qsizetype i = 0;
        for (dom::element item : array)
            if (!equal(item, other.at(i++)))
                return false;
        return true;
    }
    case dom::element_type::OBJECT: {
        if (!b.isObject())
            return false;
        const QJsonObject other = b.toObject();
        dom::object object = objectOf(a);
        if (qsizetype(object.size()) != other.size())
            return false;
        for (dom::key_value_pair field : object) {
            const auto it = other.constFind(QString::fromUtf8(field.key.data(), qsizetype(field.key.size())));
            if (it == other.constEnd() || !equal(field.value, it.value()))
                return false;
        }
        return true;
    }
    default:
        return b.isDouble() && *numberOf(a) == b.toDouble();
    }
}

bool equal(dom::element a, dom::element b)
{
    const quint8 ta = typeOf(a), tb = typeOf(b);
    if ((ta & NumberType) && (tb & NumberType))
        return *numberOf(a) == *numberOf(b);
    if (ta != tb)
        return false;
    switch (a.type()) {
    case dom::element_type::NULL_VALUE:
        return true;
    case dom::element_type::BOOL:
        return boolOf(a) == boolOf(b);
    case dom::element_type::STRING:
        return stringOf(a) == stringOf(b);
    case dom::element_type::ARRAY: {
        dom::array x = arrayOf(a), y = arrayOf(b);
        if (x.size() != y.size())
            return false;
        auto j = y.begin();
        for (dom::element item : x) {
            if (!equal(item, *j))
                return false;
            ++j;
        }
        return true;
    }
    case dom::element_type::OBJECT: {
        dom::object x = objectOf(a), y = objectOf(b);
        if (x.size() != y.size())
            return false;
        for (dom::key_value_pair field : x) {
            dom::element other;
            if (y.at_key(field.key).get(other) != SUCCESS || !equal(field.value, other))
                return false;
        }
        return true;
    }
    default:
        return false;
    }
}

std::size_t codePoints(std::string_view s)
{
    std::size_t n = 0;
    for (const char c : s)
        n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    return n;
}

int digits(std::string_view s, std::size_t at, std::size_t count)
{
    if (at + count > s.size())
        return -1;
    int v = 0;
    for (std::size_t i = at; i < at + count; ++i) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

bool isDate(std::string_view s)
{
    if (s.size() != 10 || s[4] != '-' || s[7] != '-')
        return false;
    const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1)
        return false;
    static constexpr int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= days[m - 1] + (m == 2 && leap ? 1 : 0);
}

/// RFC 3339 full-time: HH:MM:SS[.frac](Z|+HH:MM|-HH:MM).
bool isTime(std::string_view s)
{
    if (s.size() < 9 || s[2] != ':' || s[5] != ':')
        return false;
    const int h = digits(s, 0, 2), m = digits(s, 3, 2), sec = digits(s, 6, 2);
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 60)
        return false;
    std::size_t i = 8;
    if (i < s.size() && s[i] == '.') {
        const std::size_t start = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == start)
            return false;
    }
    if (i == s.size())
        return false;
    if (s[i] == 'Z' || s[i] == 'z')
        return i + 1 == s.size();
    if ((s[i] != '+' && s[i] != '-') || s.size() != i + 6 || s[i + 3] != ':')
        return false;
    const int oh = digits(s, i + 1, 2), om = digits(s, i + 4, 2);
    return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}

bool isDateTime(std::string_view s)
{
    return s.size() > 11 && (s[10] == 'T' || s[10] == 't') && isDate(s.substr(0, 10)) && isTime(s.substr(11));
}

bool isEmail(std::string_view s)
{
    const std::size_t at = s.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == s.size())
        return false;
    const std::string_view local = s.substr(0, at);
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return false;
    for (const char c : s)
        if (static_cast<unsigned char>(c) <= ' ')
            return false;
    return s.find('@') == at;
}

bool isIp(std::string_view s, int family)
{
    if (s.size() > 64)
        return false;
    const std::string text(s);
    unsigned char buf[16];
    return inet_pton(family, text.c_str(), buf) == 1;
}

bool isUuid(std::string_view s)
{
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash != (s[i] == '-') || (!dash && !std::isxdigit(static_cast<unsigned char>(s[i]))))
            return false;
    }
    return true;
}

bool formatHolds(Format f, std::string_view s)
{
    switch (f) {
    case Format::None:
        return true;
    case Format::DateTime:
        return isDateTime(s);
    case Format::Date:
        return isDate(s);
    case Format::Time:
        return isTime(s);
    case Format::Email:
        return isEmail(s);
    case Format::Ipv4:
        return isIp(s, AF_INET);
    case Format::Ipv6:
        return isIp(s, AF_INET6);
    case Format::Uuid:
        return isUuid(s);
    }
    return true;
}

const char* formatName(Format f)
{
    switch (f) {
    case Format::None:
        return "";
    case Format::DateTime:
        return "date-time";
    case Format::Date:
        return "date";
    case Format::Time:
        return "time";
    case Format::Email:
        return "email";
    case Format::Ipv4:
        return "ipv4";
    case Format::Ipv6:
        return "ipv6";
    case Format::Uuid:
        return "uuid";
    }
    return "";
}

/// One validation: where in the payload it is (the tokens of its path, kept as views into the payload
/// and made into a pointer only for a breach), what it found. `out` null: only validity is asked (inside
/// anyOf, oneOf, not, if, contains), and the first breach ends it.
struct Run
{
    std::vector<SchemaViolation>* out = nullptr;
    std::string_view* tokens = nullptr; ///< MaxDepth + 1 of them, when collecting
    int path = 0; ///< tokens in use (those past the buffer are left out of pointers)
    int depth = 0;
    qint64* steps = nullptr; ///< schema nodes visited so far, shared with the quiet runs inside

    void push(std::string_view token)
    {
        if (tokens && path <= JsonSchemaSet::MaxDepth)
            tokens[path] = token;
        ++path;
    }
    void pop() { --path; }
    bool fail(std::string_view rule, std::string_view at = {}, bool atIsToken = false)
    {
        if (out && out->size() < JsonSchemaSet::MaxViolations) {
            SchemaViolation v;
            for (int i = 0; i < std::min(path, JsonSchemaSet::MaxDepth + 1); ++i)
                appendToken(v.pointer, tokens[i]);
            if (atIsToken)
                appendToken(v.pointer, at);
            v.rule = std::string(rule);
            out->push_back(std::move(v));
        }
        return false;
    }
    bool collecting() const { return out != nullptr; }

    static void appendToken(std::string& path, std::string_view key)
    {
        path += '/';
        for (const char c : key) {
            if (c == '~')
                path += "~0";
            else if (c == '/')
                path += "~1";
            else
                path += c;
        }
    }
};

bool check(const Node& n, dom::element v, Run& run);

/// Whether `v` holds against `n`, without reporting (the alternatives of anyOf and the like).
bool holds(const Node& n, dom::element v, const Run& outer, int deeper = 0)
{
    Run quiet;
    quiet.depth = outer.depth + deeper;
    quiet.steps = outer.steps;
    return check(n, v, quiet);
}

bool checkChild(const Node& n, dom::element v, Run& run, std::string_view token)
{
    run.push(token);
    const bool ok = check(n, v, run);
    run.pop();
    return ok;
}

bool checkObject(const Node& n, dom::element v, Run& run)
{
    const dom::object object = objectOf(v);
    bool ok = true;
    const qint64 size = qint64(object.size());
    if (n.minProperties >= 0 && size < n.minProperties) {
        ok = run.fail("minProperties " + std::to_string(n.minProperties));
        if (!run.collecting())
            return false;
    }
    if (n.maxProperties >= 0 && size > n.maxProperties) {
        ok = run.fail("maxProperties " + std::to_string(n.maxProperties));
        if (!run.collecting())
            return false;
    }
    quint64 present = 0; // required properties seen
    for (dom::key_value_pair field : object) {
        bool matched = false;
        if (const Property* p = n.property(field.key)) {
            matched = true;
            if (p->requiredBit >= 0)
                present |= quint64(1) << p->requiredBit;
            if (!checkChild(*p->schema, field.value, run, field.key)) {
                ok = false;
                if (!run.collecting())
                    return false;
            }
        }
        for (const auto& [regex, schema] : n.patternProperties) {
            if (!regex->search(field.key))
                continue;
            matched = true;
            if (!checkChild(*schema, field.value, run, field.key)) {
                ok = false;
                if (!run.collecting())
                    return false;
            }
        }
        if (!matched && n.additionalProperties) {
            bool fieldOk;
            if (n.additionalProperties->kind == Node::False)
                fieldOk = run.fail("additionalProperties false", field.key, true);
            else
                fieldOk = checkChild(*n.additionalProperties, field.value, run, field.key);
            if (!fieldOk) {
                ok = false;
                if (!run.collecting())
                    return false;
            }
        }
        if (n.propertyNames) {
            // the name is checked as a string: simdjson holds keys as views, so a tiny document stands in
            std::string quoted = "\"";
            for (const char c : field.key) {
                if (c == '"' || c == '\\')
                    quoted += '\\';
                quoted += c;
            }
            quoted += '"';
            dom::parser parser;
            dom::element name;
            if (parser.parse(quoted).get(name) == SUCCESS && !holds(*n.propertyNames, name, run, 1)) {
                ok = run.fail("propertyNames", field.key, true);
                if (!run.collecting())
                    return false;
            }
        }
    }
    if (present != n.requiredMask) {
        for (const Property& p : n.properties) {
            if (p.requiredBit < 0 || (present >> p.requiredBit & 1))
                continue;
            ok = run.fail("required", p.name, true);
            if (!run.collecting())
                return false;
        }
    }
    for (const std::string& name : n.requiredElsewhere) {
        dom::element ignored;
        if (object.at_key(name).get(ignored) != SUCCESS) {
            ok = run.fail("required", name, true);
            if (!run.collecting())
                return false;
        }
    }
    for (const Dependency& dep : n.dependencies) {
        dom::element ignored;
        if (object.at_key(dep.name).get(ignored) != SUCCESS)
            continue;
        for (const std::string& name : dep.required) {
            if (object.at_key(name).get(ignored) != SUCCESS) {
                ok = run.fail("dependencies " + dep.name, name, true);
                if (!run.collecting())
                    return false;
            }
        }
        if (dep.schema && !check(*dep.schema, v, run)) {
            ok = false;
            if (!run.collecting())
                return false;
        }
    }
    return ok;
}

bool checkArray(const Node& n, dom::element v, Run& run)
{
    const dom::array array = arrayOf(v);
    bool ok = true;
    const qint64 size = qint64(array.size());
    if (n.minItems >= 0 && size < n.minItems) {
        ok = run.fail("minItems " + std::to_string(n.minItems));
        if (!run.collecting())
            return false;
    }
    if (n.maxItems >= 0 && size > n.maxItems) {
        ok = run.fail("maxItems " + std::to_string(n.maxItems));
        if (!run.collecting())
            return false;
    }
    std::size_t index = 0;
    bool containsFound = false;
    for (dom::element item : array) {
        const Node* schema = nullptr;
        if (!n.tupleItems.empty())
            schema = index < n.tupleItems.size() ? n.tupleItems[index] : n.additionalItems;
        else
            schema = n.items;
        if (schema && !checkChild(*schema, item, run, "*")) {
            ok = false;
            if (!run.collecting())
                return false;
        }
        if (n.contains && !containsFound)
            containsFound = holds(*n.contains, item, run, 1);
        ++index;
    }
    if (n.contains && !containsFound) {
        ok = run.fail("contains");
        if (!run.collecting())
            return false;
    }
    if (n.uniqueItems && size > 1) {
        bool unique = true;
        if (size <= 1000) {
            for (auto i = array.begin(); unique && i != array.end(); ++i) {
                auto j = i;
                for (++j; j != array.end(); ++j)
                    if (equal(*i, *j)) {
                        unique = false;
                        break;
                    }
            }
        } else { // a long array is compared by its minified text (1 and 1.0 count as different there)
            std::unordered_set<std::string> seen;
            for (dom::element item : array)
                if (!seen.insert(simdjson::minify(item)).second) {
                    unique = false;
                    break;
                }
        }
        if (!unique)
            ok = run.fail("uniqueItems");
    }
    return ok;
}

bool check(const Node& n, dom::element v, Run& run)
{
    if (n.kind == Node::True)
        return true;
    if (n.kind == Node::False)
        return run.fail("false");
    if (++run.depth > JsonSchemaSet::MaxDepth) {
        --run.depth;
        return run.fail("depth over " + std::to_string(JsonSchemaSet::MaxDepth));
    }
    // anyOf inside anyOf, each trying the whole payload again, multiplies: a budget bounds the work
    if (++*run.steps > JsonSchemaSet::MaxSteps) {
        --run.depth;
        return *run.steps == JsonSchemaSet::MaxSteps + 1
            ? run.fail("over " + std::to_string(JsonSchemaSet::MaxSteps) + " steps")
            : false;
    }
    struct Leave
    {
        int& depth;
        ~Leave() { --depth; }
    } leave { run.depth };
    if (n.kind == Node::Ref)
        return check(*n.ref, v, run);

    const quint8 type = typeOf(v);
    if (n.types && !(n.types & type))
        return run.fail("type " + n.typeText.toStdString());
    bool ok = true;
    auto breach = [&](std::string rule) {
        ok = run.fail(rule);
        return !run.collecting();
    };
    if (n.hasConst && !equal(v, n.constValue) && breach("const"))
        return false;
    if (n.hasEnum
        && std::none_of(n.enumValues.begin(), n.enumValues.end(), [&](const Literal& e) { return equal(v, e); })
        && breach("enum"))
        return false;

    if (type & NumberType) {
        const double x = *numberOf(v);
        if (n.minimum && x < *n.minimum && breach("minimum " + numberText(*n.minimum)))
            return false;
        if (n.maximum && x > *n.maximum && breach("maximum " + numberText(*n.maximum)))
            return false;
        if (n.exclusiveMinimum && x <= *n.exclusiveMinimum
            && breach("exclusiveMinimum " + numberText(*n.exclusiveMinimum)))
            return false;
        if (n.exclusiveMaximum && x >= *n.exclusiveMaximum
            && breach("exclusiveMaximum " + numberText(*n.exclusiveMaximum)))
            return false;
        if (n.multipleOf) {
            const double q = x / *n.multipleOf;
            const bool multiple
                = std::isfinite(q) && std::fabs(q - std::nearbyint(q)) <= 1e-9 * std::max(1.0, std::fabs(q));
            if (!multiple && breach("multipleOf " + numberText(*n.multipleOf)))
                return false;
        }
    } else if (type == StringType) {
        const std::string_view s = stringOf(v);
        if (n.minLength >= 0 || n.maxLength >= 0) {
            const qint64 length = qint64(codePoints(s));
            if (n.minLength >= 0 && length < n.minLength && breach("minLength " + std::to_string(n.minLength)))
                return false;
            if (n.maxLength >= 0 && length > n.maxLength && breach("maxLength " + std::to_string(n.maxLength)))
                return false;
        }
        if (n.pattern && !n.pattern->search(s) && breach("pattern " + n.patternText.toStdString()))
            return false;
        if (n.format != Format::None && !formatHolds(n.format, s)
            && breach(std::string("format ") + formatName(n.format)))
            return false;
    } else if (type == ObjectType) {
        if (!checkObject(n, v, run)) {
            ok = false;
            if (!run.collecting())
                return false;
        }
    } else if (type == ArrayType) {
        if (!checkArray(n, v, run)) {
            ok = false;
            if (!run.collecting())
                return false;
        }
    }

    for (const Node* s : n.allOf)
        if (!check(*s, v, run)) {
            ok = false;
            if (!run.collecting())
                return false;
        }
    if (!n.anyOf.empty()
        && std::none_of(n.anyOf.begin(), n.anyOf.end(), [&](const Node* s) { return holds(*s, v, run); })
        && breach("anyOf"))
        return false;
    if (!n.oneOf.empty()) {
        int matches = 0;
        for (const Node* s : n.oneOf)
            if (holds(*s, v, run) && ++matches > 1)
                break;
        if (matches != 1 && breach(matches ? "oneOf (more than one)" : "oneOf"))
            return false;
    }
    if (n.notSchema && holds(*n.notSchema, v, run) && breach("not"))
        return false;
    if (n.ifSchema) {
        const Node* then = holds(*n.ifSchema, v, run) ? n.thenSchema : n.elseSchema;
        if (then && !check(*then, v, run)) {
            ok = false;
            if (!run.collecting())
                return false;
        }
    }
    return ok;
}

} // namespace

class JsonSchemaSet::Private
{
public:
    struct Document
    {
        QUrl uri;
        QString file;
        QJsonValue root;
    };
    std::vector<Document> documents;
    std::deque<Node> nodes;
    std::map<std::pair<int, QString>, int> byPointer; ///< (document, JSON pointer) -> node
    std::map<QString, std::pair<int, QString>> resources; ///< absolute URI (no fragment) -> (document, pointer)
    std::map<QString, int> anchors; ///< absolute URI with a plain-name fragment ("$id": "#foo") -> node
    struct PendingRef
    {
        int node;
        int document;
        QString pointer;
        QUrl target;
    };
    std::vector<PendingRef> pending;
    QString error;
    QString errorPointer;
    int errorDocument = -1;

    bool fail(int document, const QString& pointer, const QString& message)
    {
        if (error.isEmpty()) {
            error = message;
            errorPointer = pointer;
            errorDocument = document;
        }
        return false;
    }

    static QString key(const QUrl& url) { return url.adjusted(QUrl::RemoveFragment).toString(); }

    int compile(int document, const QString& pointer, const QJsonValue& value, const QUrl& base);
    const Node* sub(
        int document, const QString& pointer, const QJsonValue& value, const QUrl& base, const QString& keyword)
    {
        const int index
            = compile(document, pointer + QLatin1Char('/') + JsonSchemaSet::pointerToken(keyword), value, base);
        return index < 0 ? nullptr : &nodes[std::size_t(index)];
    }
    bool resolvePending();
    std::optional<QJsonValue> at(int document, const QString& pointer) const;
};

int JsonSchemaSet::Private::compile(int document, const QString& pointer, const QJsonValue& value, const QUrl& baseIn)
{
    if (const auto it = byPointer.find({ document, pointer }); it != byPointer.end())
        return it->second;
    const int index = int(nodes.size());
    Node& n = nodes.emplace_back();
    byPointer[{ document, pointer }] = index;
    if (value.isBool()) {
        n.kind = value.toBool() ? Node::True : Node::False;
        return index;
    }
    if (!value.isObject()) {
        fail(document, pointer, QStringLiteral("a schema must be an object or a boolean"));
        return -1;
    }
    n.kind = Node::Object;
    const QJsonObject o = value.toObject();
    QUrl base = baseIn;
    if (const QJsonValue id = o.value(QLatin1String("$id")); id.isString()) {
        const QUrl resolved = base.resolved(QUrl(id.toString()));
        if (id.toString().startsWith(QLatin1Char('#'))) {
            anchors[resolved.toString()] = index;
        } else {
            base = resolved;
            resources[key(base)] = { document, pointer };
            if (base.hasFragment() && !base.fragment().isEmpty())
                anchors[base.toString()] = index;
        }
    }
    if (const QJsonValue ref = o.value(QLatin1String("$ref")); !ref.isUndefined()) {
        if (!ref.isString())
            return fail(document, pointer, QStringLiteral("$ref must be a string")), -1;
        n.kind = Node::Ref; // draft 7: every other keyword beside $ref is ignored
        pending.push_back({ index, document, pointer, base.resolved(QUrl(ref.toString())) });
        return index;
    }

    auto number = [&](const char* keyword, std::optional<double>& into) {
        const QJsonValue v = o.value(QLatin1String(keyword));
        if (v.isUndefined())
            return true;
        if (!v.isDouble())
            return fail(document, pointer, QStringLiteral("%1 must be a number").arg(QLatin1String(keyword)));
        into = v.toDouble();
        return true;
    };
    auto count = [&](const char* keyword, qint64& into) {
        const QJsonValue v = o.value(QLatin1String(keyword));
        if (v.isUndefined())
            return true;
        if (!v.isDouble() || v.toDouble() < 0 || !isIntegral(v.toDouble()))
            return fail(
                document, pointer, QStringLiteral("%1 must be a non-negative integer").arg(QLatin1String(keyword)));
        // a count past what any payload can have stands for "no limit" (and stays a valid integer)
        into = v.toDouble() >= 9e18 ? std::numeric_limits<qint64>::max() : qint64(v.toDouble());
        return true;
    };
    auto schema = [&](const char* keyword, const Node*& into) {
        const QJsonValue v = o.value(QLatin1String(keyword));
        if (v.isUndefined())
            return true;
        into = sub(document, pointer, v, base, QLatin1String(keyword));
        return into != nullptr;
    };
    auto schemas = [&](const char* keyword, std::vector<const Node*>& into) {
        const QJsonValue v = o.value(QLatin1String(keyword));
        if (v.isUndefined())
            return true;
        if (!v.isArray() || v.toArray().isEmpty())
            return fail(document, pointer, QStringLiteral("%1 must be a non-empty array").arg(QLatin1String(keyword)));
        const QJsonArray a = v.toArray();
        for (qsizetype i = 0; i < a.size(); ++i) {
            const Node* s
                = sub(document, pointer + QLatin1Char('/') + QLatin1String(keyword), a.at(i), base, QString::number(i));
            if (!s)
                return false;
            into.push_back(s);
        }
        return true;
    };
    auto names = [&](const QJsonValue& v, std::vector<std::string>& into, const QString& keyword) {
        if (!v.isArray())
            return fail(document, pointer, QStringLiteral("%1 must be an array of strings").arg(keyword));
        for (const QJsonValue& name : v.toArray()) {
            if (!name.isString())
                return fail(document, pointer, QStringLiteral("%1 must be an array of strings").arg(keyword));
            into.push_back(name.toString().toStdString());
        }
        return true;
    };

    if (const QJsonValue t = o.value(QLatin1String("type")); !t.isUndefined()) {
        const QJsonArray list = t.isArray() ? t.toArray() : QJsonArray { t };
        QStringList texts;
        for (const QJsonValue& name : list) {
            static const std::pair<const char*, quint8> known[]
                = { { "null", NullType }, { "boolean", BooleanType }, { "object", ObjectType }, { "array", ArrayType },
                      { "number", NumberType | IntegerType }, { "string", StringType }, { "integer", IntegerType } };
            const auto it = std::find_if(std::begin(known), std::end(known),
                [&](const auto& k) { return name.toString() == QLatin1String(k.first); });
            if (!name.isString() || it == std::end(known))
                return fail(document, pointer, QStringLiteral("type names no JSON Schema type")), -1;
            n.types |= it->second;
            texts << name.toString();
        }
        nodes[std::size_t(index)].typeText = texts.size() == 1 ? texts.front() : texts.join(QLatin1String("|"));
    }
    if (const QJsonValue e = o.value(QLatin1String("enum")); !e.isUndefined()) {
        if (!e.isArray())
            return fail(document, pointer, QStringLiteral("enum must be an array")), -1;
        for (const QJsonValue& item : e.toArray())
            n.enumValues.push_back(Literal::of(item));
        n.hasEnum = true;
    }
    if (o.contains(QLatin1String("const"))) {
        n.constValue = Literal::of(o.value(QLatin1String("const")));
        n.hasConst = true;
    }
    if (!number("minimum", n.minimum) || !number("maximum", n.maximum)
        || !number("exclusiveMinimum", n.exclusiveMinimum) || !number("exclusiveMaximum", n.exclusiveMaximum)
        || !number("multipleOf", n.multipleOf))
        return -1;
    if (n.multipleOf && *n.multipleOf <= 0)
        return fail(document, pointer, QStringLiteral("multipleOf must be greater than 0")), -1;
    if (!count("minLength", n.minLength) || !count("maxLength", n.maxLength) || !count("minItems", n.minItems)
        || !count("maxItems", n.maxItems) || !count("minProperties", n.minProperties)
        || !count("maxProperties", n.maxProperties))
        return -1;
    if (const QJsonValue p = o.value(QLatin1String("pattern")); !p.isUndefined()) {
        if (!p.isString())
            return fail(document, pointer, QStringLiteral("pattern must be a string")), -1;
        QString message;
        auto regex = Regex::compile(p.toString(), &message);
        if (!regex)
            return fail(document, pointer, message), -1;
        n.pattern = std::make_shared<Regex>(std::move(*regex));
        n.patternText = p.toString();
    }
    if (const QJsonValue f = o.value(QLatin1String("format")); f.isString()) {
        static const std::pair<const char*, Format> formats[] = { { "date-time", Format::DateTime },
            { "date", Format::Date }, { "time", Format::Time }, { "email", Format::Email }, { "ipv4", Format::Ipv4 },
            { "ipv6", Format::Ipv6 }, { "uuid", Format::Uuid } };
        for (const auto& [name, format] : formats)
            if (f.toString() == QLatin1String(name))
                n.format = format;
    }

    if (const QJsonValue items = o.value(QLatin1String("items")); items.isArray()) {
        if (!schemas("items", n.tupleItems))
            return -1;
        if (!schema("additionalItems", n.additionalItems))
            return -1;
    } else if (!schema("items", n.items)) {
        return -1;
    }
    if (const QJsonValue unique = o.value(QLatin1String("uniqueItems")); unique.isBool())
        n.uniqueItems = unique.toBool();
    if (!schema("contains", n.contains))
        return -1;

    if (const QJsonValue props = o.value(QLatin1String("properties")); !props.isUndefined()) {
        if (!props.isObject())
            return fail(document, pointer, QStringLiteral("properties must be an object")), -1;
        const QJsonObject p = props.toObject();
        for (auto it = p.begin(); it != p.end(); ++it) {
            const Node* s = sub(document, pointer + QLatin1String("/properties"), it.value(), base, it.key());
            if (!s)
                return -1;
            nodes[std::size_t(index)].properties.push_back({ it.key().toStdString(), s, -1 });
        }
    }
    if (const QJsonValue props = o.value(QLatin1String("patternProperties")); !props.isUndefined()) {
        if (!props.isObject())
            return fail(document, pointer, QStringLiteral("patternProperties must be an object")), -1;
        const QJsonObject p = props.toObject();
        for (auto it = p.begin(); it != p.end(); ++it) {
            QString message;
            auto regex = Regex::compile(it.key(), &message);
            if (!regex)
                return fail(document, pointer + QLatin1String("/patternProperties"), message), -1;
            const Node* s = sub(document, pointer + QLatin1String("/patternProperties"), it.value(), base, it.key());
            if (!s)
                return -1;
            nodes[std::size_t(index)].patternProperties.emplace_back(std::make_shared<Regex>(std::move(*regex)), s);
        }
    }
    if (!schema("additionalProperties", n.additionalProperties) || !schema("propertyNames", n.propertyNames))
        return -1;
    if (const QJsonValue r = o.value(QLatin1String("required"));
        !r.isUndefined() && !names(r, nodes[std::size_t(index)].required, QStringLiteral("required")))
        return -1;
    // a required name that is a property is told present by the properties' pass over the fields
    int bits = 0;
    for (const std::string& name : n.required) {
        auto it
            = std::find_if(n.properties.begin(), n.properties.end(), [&](const Property& p) { return p.name == name; });
        if (it != n.properties.end() && it->requiredBit < 0 && bits < 64) {
            it->requiredBit = bits;
            n.requiredMask |= quint64(1) << bits++;
        } else if (it == n.properties.end() || it->requiredBit < 0) {
            n.requiredElsewhere.push_back(name);
        }
    }
    if (const QJsonValue deps = o.value(QLatin1String("dependencies")); !deps.isUndefined()) {
        if (!deps.isObject())
            return fail(document, pointer, QStringLiteral("dependencies must be an object")), -1;
        const QJsonObject d = deps.toObject();
        for (auto it = d.begin(); it != d.end(); ++it) {
            Dependency dep;
            dep.name = it.key().toStdString();
            if (it.value().isArray()) {
                if (!names(it.value(), dep.required, QStringLiteral("dependencies/") + it.key()))
                    return -1;
            } else {
                dep.schema = sub(document, pointer + QLatin1String("/dependencies"), it.value(), base, it.key());
                if (!dep.schema)
                    return -1;
            }
            nodes[std::size_t(index)].dependencies.push_back(std::move(dep));
        }
    }
    if (!schemas("allOf", n.allOf) || !schemas("anyOf", n.anyOf) || !schemas("oneOf", n.oneOf)
        || !schema("not", n.notSchema) || !schema("if", n.ifSchema) || !schema("then", n.thenSchema)
        || !schema("else", n.elseSchema))
        return -1;
    // definitions are compiled too: a $ref names them, and a $id inside them names a resource
    if (const QJsonValue defs = o.value(QLatin1String("definitions")); defs.isObject()) {
        const QJsonObject d = defs.toObject();
        for (auto it = d.begin(); it != d.end(); ++it)
            if (!sub(document, pointer + QLatin1String("/definitions"), it.value(), base, it.key()))
                return -1;
    }
    return index;
}

std::optional<QJsonValue> JsonSchemaSet::Private::at(int document, const QString& pointer) const
{
    return valueAt(documents[std::size_t(document)].root, pointer);
}

QString JsonSchemaSet::pointerToken(QString token)
{
    return token.replace(QLatin1Char('~'), QLatin1String("~0")).replace(QLatin1Char('/'), QLatin1String("~1"));
}

std::optional<QJsonValue> JsonSchemaSet::valueAt(const QJsonValue& root, const QString& pointer)
{
    QJsonValue v = root;
    if (pointer.isEmpty())
        return v;
    if (!pointer.startsWith(QLatin1Char('/')))
        return std::nullopt;
    const QStringList tokens = pointer.mid(1).split(QLatin1Char('/'));
    for (QString token : tokens) {
        token.replace(QLatin1String("~1"), QLatin1String("/")).replace(QLatin1String("~0"), QLatin1String("~"));
        if (v.isObject()) {
            const QJsonObject o = v.toObject();
            if (!o.contains(token))
                return std::nullopt;
            v = o.value(token);
        } else if (v.isArray()) {
            bool isIndex = false;
            const int i = token.toInt(&isIndex);
            if (!isIndex || i < 0 || i >= v.toArray().size())
                return std::nullopt;
            v = v.toArray().at(i);
        } else {
            return std::nullopt;
        }
    }
    return v;
}

bool JsonSchemaSet::Private::resolvePending()
{
    while (!pending.empty()) {
        const PendingRef ref = pending.back();
        pending.pop_back();
        const QString target = ref.target.toString();
        int resolved = -1;
        const QString fragment = ref.target.fragment(QUrl::FullyDecoded);
        if (const auto it = anchors.find(target); it != anchors.end() && !fragment.startsWith(QLatin1Char('/'))) {
            resolved = it->second;
        } else if (const auto res = resources.find(key(ref.target)); res != resources.end()) {
            if (fragment.isEmpty() || fragment.startsWith(QLatin1Char('/'))) {
                const auto [document, basePointer] = res->second;
                const QString pointer = basePointer + fragment;
                if (const auto known = byPointer.find({ document, pointer }); known != byPointer.end()) {
                    resolved = known->second;
                } else if (const auto value = at(document, pointer)) {
                    resolved = compile(document, pointer, *value, QUrl(key(ref.target)));
                    if (resolved < 0)
                        return false;
                }
            }
        } else if (const QString scheme = ref.target.scheme();
                   scheme == QLatin1String("http") || scheme == QLatin1String("https")) {
            return fail(ref.document, ref.pointer,
                QStringLiteral("$ref %1 is remote: schemas are never fetched; put it in the schema folder")
                    .arg(target));
        }
        if (resolved < 0)
            return fail(ref.document, ref.pointer, QStringLiteral("$ref %1 does not resolve").arg(target));
        nodes[std::size_t(ref.node)].ref = &nodes[std::size_t(resolved)];
    }
    return true;
}

JsonSchemaSet::JsonSchemaSet()
    : d(std::make_unique<Private>())
{ }

JsonSchemaSet::~JsonSchemaSet() = default;

int JsonSchemaSet::addDocument(const QUrl& uri, const QByteArray& json, const QString& file, SchemaProblem* problem)
{
    // wrapped in an array, so that a boolean schema (a document that is `true` or `false`) parses too
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + json + "\n]", &error);
    error.offset = std::max(0, error.offset - 1);
    auto refuse = [&](const QString& place, const QString& message) {
        if (problem)
            *problem = { file, place, message };
        return -1;
    };
    if (error.error != QJsonParseError::NoError) {
        const QByteArray before = json.left(error.offset);
        const int line = int(before.count('\n')) + 1;
        const int column = int(error.offset - (before.lastIndexOf('\n') + 1)) + 1;
        return refuse(QStringLiteral("line %1, column %2").arg(line).arg(column),
            QStringLiteral("not JSON: %1").arg(error.errorString()));
    }
    const QJsonValue root = doc.array().at(0);
    if (root.isObject()) {
        const QString draft = root.toObject().value(QLatin1String("$schema")).toString();
        static const QRegularExpression supported(QStringLiteral("^https?://json-schema\\.org/draft-0[67]/schema#?$"));
        if (!draft.isEmpty() && !supported.match(draft).hasMatch())
            return refuse(QStringLiteral("/$schema"),
                QStringLiteral("%1 is not supported: EventScope validates JSON Schema draft 7 (and draft 6)")
                    .arg(draft));
    }
    const int index = int(d->documents.size());
    d->documents.push_back({ uri, file, root });
    d->resources[Private::key(uri)] = { index, QString() };
    return index;
}

int JsonSchemaSet::schema(int document, const QString& pointer, SchemaProblem* problem)
{
    if (document < 0 || std::size_t(document) >= d->documents.size())
        return -1;
    d->error.clear();
    const auto byPointer = d->byPointer;
    const auto anchors = d->anchors;
    const auto resources = d->resources;
    const auto value = d->at(document, pointer);
    int index = -1;
    if (!value)
        d->fail(document, pointer, QStringLiteral("no such place in the document"));
    else
        index = d->compile(document, pointer, *value, d->documents[std::size_t(document)].uri);
    if (index >= 0 && !d->resolvePending())
        index = -1;
    if (index < 0) {
        d->pending.clear();
        if (problem) {
            const int where = d->errorDocument >= 0 ? d->errorDocument : document;
            *problem = { d->documents[std::size_t(where)].file,
                d->errorPointer.isEmpty() ? QStringLiteral("/") : d->errorPointer, d->error };
        }
        // a broken schema leaves nodes behind that nothing uses: forget where they are, so a later call
        // compiles afresh rather than trusting a half-made node
        d->byPointer = byPointer;
        d->anchors = anchors;
        d->resources = resources;
        return -1;
    }
    return index;
}

QString JsonSchemaSet::documentId(int document) const { return documentKeyword(document, QStringLiteral("$id")); }

QJsonValue JsonSchemaSet::documentRoot(int document) const
{
    if (document < 0 || std::size_t(document) >= d->documents.size())
        return {};
    return d->documents[std::size_t(document)].root;
}

QString JsonSchemaSet::documentKeyword(int document, const QString& keyword) const
{
    if (document < 0 || std::size_t(document) >= d->documents.size())
        return {};
    return d->documents[std::size_t(document)].root.toObject().value(keyword).toString();
}

bool validateElement(const JsonSchemaSet& set, int schema, dom::element value, std::vector<SchemaViolation>* out)
{
    const auto* d = set.d_func();
    if (schema < 0 || std::size_t(schema) >= d->nodes.size())
        return true;
    // per thread, made once: 4 KiB cleared per payload was a tenth of a validation
    thread_local std::array<std::string_view, JsonSchemaSet::MaxDepth + 1> tokens;
    qint64 steps = 0;
    Run run;
    run.out = out;
    run.tokens = tokens.data();
    run.steps = &steps;
    return check(d->nodes[std::size_t(schema)], value, run);
}

bool JsonSchemaSet::validate(int schema, std::string_view json, std::vector<SchemaViolation>* out) const
{
    dom::parser parser;
    dom::element value;
    if (parser.parse(json.data(), json.size()).get(value) != SUCCESS) {
        if (out)
            out->push_back({ std::string(), "json" });
        return false;
    }
    return validateElement(*this, schema, value, out);
}
