// SPDX-License-Identifier: MIT
#include "jsontext.h"

#include "jsonscan.h"

#include <cstring>
#include <optional>
#include <simdjson.h>

namespace {

simdjson::dom::parser& parser()
{
    thread_local simdjson::dom::parser p;
    return p;
}

/// simdjson's parser keeps the capacity of the largest document it parsed (about 20 bytes per byte):
/// one event of a megabyte would hold 20 MiB for the rest of the session. Documents over this size get a
/// parser of their own, freed once their result is used.
constexpr std::size_t KeptParserBytes = 64 * 1024;

class Parsed
{
public:
    bool parse(std::string_view raw)
    {
        simdjson::dom::parser& p = raw.size() > KeptParserBytes ? m_own.emplace() : parser();
        // the stored bytes are not padded: simdjson copies them into its own padded buffer
        return p.parse(raw.data(), raw.size(), true).get(root) == simdjson::SUCCESS;
    }
    simdjson::dom::element root;

private:
    std::optional<simdjson::dom::parser> m_own;
};

bool child(const simdjson::dom::element& e, std::string_view key, simdjson::dom::element* out)
{
    if (e.is_object())
        return e.get_object().at_key(key).get(*out) == simdjson::SUCCESS;
    if (e.is_array()) {
        std::size_t i = 0;
        for (char c : key) {
            if (c < '0' || c > '9' || i > 1000000000)
                return false;
            i = i * 10 + std::size_t(c - '0');
        }
        return !key.empty() && e.get_array().at(i).get(*out) == simdjson::SUCCESS;
    }
    return false;
}

void scalarText(const simdjson::dom::element& e, std::string* out)
{
    switch (e.type()) {
    case simdjson::dom::element_type::STRING:
        out->assign(std::string_view(e.get_string().value_unsafe()));
        return;
    case simdjson::dom::element_type::INT64:
        *out = std::to_string(e.get_int64().value_unsafe());
        return;
    case simdjson::dom::element_type::UINT64:
        *out = std::to_string(e.get_uint64().value_unsafe());
        return;
    default:
        *out = simdjson::minify(e);
    }
}

/// Where to cut UTF-8 text near `at` without splitting a character: back to a lead byte.
std::size_t utf8Boundary(std::string_view s, std::size_t at)
{
    while (at > 0 && at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80)
        --at;
    return at;
}

struct PrettyLimits
{
    std::size_t maxBytes;
    std::size_t maxStringBytes; ///< 0: every string whole
    bool shortened = false;
};

void escapeChars(std::string_view s, std::string& out);

void escapeString(std::string_view s, std::string& out, PrettyLimits* limits = nullptr)
{
    if (limits && limits->maxStringBytes > 0 && s.size() > limits->maxStringBytes) {
        // the start (four fifths of the bound) and the end, each cut on a character boundary
        const std::size_t head = utf8Boundary(s, limits->maxStringBytes * 4 / 5);
        const std::size_t tail = utf8Boundary(s, s.size() - limits->maxStringBytes / 5);
        out += '"';
        escapeChars(s.substr(0, head), out);
        out += "\u2026(" + std::to_string(tail - head) + " more bytes)\u2026";
        escapeChars(s.substr(tail), out);
        out += '"';
        limits->shortened = true;
        return;
    }
    out += '"';
    escapeChars(s, out);
    out += '"';
}

void escapeChars(std::string_view s, std::string& out)
{
    for (unsigned char c : s) {
        switch (c) {
        case '"':
            out += "\\\"";
            break;
        case '\\':
            out += "\\\\";
            break;
        case '\n':
            out += "\\n";
            break;
        case '\t':
            out += "\\t";
            break;
        case '\r':
            out += "\\r";
            break;
        default:
            if (c < 0x20) {
                char buf[8];
                std::snprintf(buf, sizeof buf, "\\u%04x", c);
                out += buf;
            } else {
                out += char(c);
            }
        }
    }
}

void indent(std::string& out, int depth) { out.append(std::size_t(depth) * 2, ' '); }

void prettyInto(const simdjson::dom::element& e, int depth, std::string& out, PrettyLimits& limits)
{
    if (out.size() > limits.maxBytes)
        return;
    if (e.is_object()) {
        const simdjson::dom::object o = e.get_object().value_unsafe();
        if (o.size() == 0) {
            out += "{}";
            return;
        }
        out += "{\n";
        bool first = true;
        for (const simdjson::dom::key_value_pair field : o) {
            if (!first)
                out += ",\n";
            first = false;
            indent(out, depth + 1);
            escapeString(field.key, out, &limits);
            out += ": ";
            prettyInto(field.value, depth + 1, out, limits);
        }
        out += '\n';
        indent(out, depth);
        out += '}';
    } else if (e.is_array()) {
        const simdjson::dom::array a = e.get_array().value_unsafe();
        if (a.size() == 0) {
            out += "[]";
            return;
        }
        out += "[\n";
        bool first = true;
        for (const simdjson::dom::element item : a) {
            if (!first)
                out += ",\n";
            first = false;
            indent(out, depth + 1);
            prettyInto(item, depth + 1, out, limits);
        }
        out += '\n';
        indent(out, depth);
        out += ']';
    } else if (e.is_string()) {
        escapeString(e.get_string().value_unsafe(), out, &limits);
    } else {
        out += simdjson::minify(e);
    }
}

// ---- finding a value without parsing the document ----------------------------------------------
// A stored event's JSON was validated when it was decoded, so a structural scan can walk to a value:
// members before it are skipped by their brackets and quotes, and only the value itself is parsed.
// The time and memory are those of the bytes before the value, not of the whole event (a log column of
// a megabyte event cost a 20 MiB parse per paint). Anything unexpected (an escaped key, a broken
// structure) answers Unsure, and the whole document is parsed instead.

enum class Scan { Found, Absent, Unsure };

std::size_t skipSpace(std::string_view s, std::size_t i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
        ++i;
    return i;
}

/// The end of the value starting at `i`, or npos.
std::size_t valueEnd(std::string_view s, std::size_t i)
{
    if (i >= s.size())
        return std::string_view::npos;
    if (s[i] == '"') {
        const std::size_t q = JsonScan::closingQuote(s.data(), s.size(), i);
        return q == std::string_view::npos ? q : q + 1;
    }
    if (s[i] == '{' || s[i] == '[') {
        int depth = 0;
        for (std::size_t j = i; j < s.size(); ++j) {
            const char c = s[j];
            if (c == '"') {
                j = JsonScan::closingQuote(s.data(), s.size(), j);
                if (j == std::string_view::npos)
                    return j;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if ((c == '}' || c == ']') && --depth == 0) {
                return j + 1;
            }
        }
        return std::string_view::npos;
    }
    std::size_t j = i;
    while (j < s.size() && s[j] != ',' && s[j] != '}' && s[j] != ']' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n'
        && s[j] != '\r')
        ++j;
    return j > i ? j : std::string_view::npos;
}

/// The member `key` of the object `s` (or element `key` of the array `s`) into `value`.
Scan child(std::string_view s, std::string_view key, std::string_view* value)
{
    std::size_t i = skipSpace(s, 0);
    if (i >= s.size())
        return Scan::Unsure;
    const bool object = s[i] == '{';
    if (!object && s[i] != '[') {
        // a scalar has no members; anything else (a byte-order mark, damage) is for the parser
        const char c = s[i];
        const bool scalar = c == '"' || c == '-' || (c >= '0' && c <= '9') || c == 't' || c == 'f' || c == 'n';
        return scalar ? Scan::Absent : Scan::Unsure;
    }
    std::size_t index = 0;
    if (!object) {
        if (key.empty() || key.size() > 9)
            return Scan::Absent;
        for (char c : key) {
            if (c < '0' || c > '9')
                return Scan::Absent;
            index = index * 10 + std::size_t(c - '0');
        }
    }
    i = skipSpace(s, i + 1);
    if (i < s.size() && s[i] == (object ? '}' : ']'))
        return Scan::Absent;
    for (std::size_t n = 0;; ++n) {
        bool match = !object && n == index;
        if (object) {
            if (i >= s.size() || s[i] != '"')
                return Scan::Unsure;
            const std::size_t q = JsonScan::closingQuote(s.data(), s.size(), i);
            if (q == std::string_view::npos)
                return Scan::Unsure;
            const std::string_view name = s.substr(i + 1, q - i - 1);
            if (name.find('\\') != std::string_view::npos)
                return Scan::Unsure; // an escaped key: compared after unescaping, by the parser
            match = name == key;
            i = skipSpace(s, q + 1);
            if (i >= s.size() || s[i] != ':')
                return Scan::Unsure;
            i = skipSpace(s, i + 1);
        }
        const std::size_t end = valueEnd(s, i);
        if (end == std::string_view::npos)
            return Scan::Unsure;
        if (match) {
            *value = s.substr(i, end - i);
            return Scan::Found;
        }
        i = skipSpace(s, end);
        if (i < s.size() && s[i] == ',') {
            i = skipSpace(s, i + 1);
            continue;
        }
        return i < s.size() && s[i] == (object ? '}' : ']') ? Scan::Absent : Scan::Unsure;
    }
}

} // namespace

namespace JsonText {

bool field(std::string_view raw, std::string_view path, std::string* out)
{
    if (path.empty())
        return false;
    std::string_view value = raw;
    Scan scan = Scan::Found;
    for (std::string_view rest = path; scan == Scan::Found && !rest.empty();) {
        const std::size_t dot = rest.find('.');
        scan = child(value, rest.substr(0, dot), &value);
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
    if (scan == Scan::Absent)
        return false;
    if (scan == Scan::Found && value.size() >= 2 && value.front() == '"'
        && value.find('\\') == std::string_view::npos) {
        out->assign(value.substr(1, value.size() - 2)); // a string without escapes is its own text
        return true;
    }
    // the value alone (found), or the whole document (unsure) through the parser
    Parsed parsed;
    if (!parsed.parse(scan == Scan::Found ? value : raw))
        return false;
    simdjson::dom::element e = parsed.root;
    for (std::string_view rest = scan == Scan::Found ? std::string_view() : path; !rest.empty();) {
        const std::size_t dot = rest.find('.');
        if (!child(e, rest.substr(0, dot), &e))
            return false;
        rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
    scalarText(e, out);
    return true;
}

QString prettyShortened(std::string_view raw, std::size_t maxStringBytes, bool* shortened, std::size_t maxBytes)
{
    if (shortened)
        *shortened = false;
    Parsed parsed;
    if (!parsed.parse(raw))
        return QString::fromUtf8(raw.data(), qsizetype(std::min(raw.size(), maxBytes)));
    PrettyLimits limits { maxBytes, maxStringBytes };
    std::string out;
    out.reserve(std::min(raw.size() * 2, maxBytes + 64));
    prettyInto(parsed.root, 0, out, limits);
    if (out.size() > maxBytes) {
        out.resize(utf8Boundary(out, maxBytes));
        out += "\n...";
    }
    if (shortened)
        *shortened = limits.shortened;
    return QString::fromStdString(out);
}

QString pretty(std::string_view raw, std::size_t maxBytes) { return prettyShortened(raw, 0, nullptr, maxBytes); }

bool containsFolded(std::string_view haystack, std::string_view needleLower)
{
    if (needleLower.empty())
        return true;
    if (needleLower.size() > haystack.size())
        return false;
    const unsigned char first = static_cast<unsigned char>(needleLower[0]);
    const unsigned char firstUpper = (first >= 'a' && first <= 'z') ? first - 32 : first;
    const char* p = haystack.data();
    const char* end = haystack.data() + haystack.size() - needleLower.size() + 1;
    while (p < end) {
        // jump to the next candidate for the first character in either case
        const char* a = static_cast<const char*>(std::memchr(p, first, std::size_t(end - p)));
        const char* b = first == firstUpper
            ? nullptr
            : static_cast<const char*>(std::memchr(p, firstUpper, std::size_t(end - p)));
        const char* c = !a ? b : !b ? a : std::min(a, b);
        if (!c)
            return false;
        std::size_t i = 1;
        for (; i < needleLower.size(); ++i) {
            unsigned char h = static_cast<unsigned char>(c[i]);
            if (h >= 'A' && h <= 'Z')
                h += 32;
            if (h != static_cast<unsigned char>(needleLower[i]))
                break;
        }
        if (i == needleLower.size())
            return true;
        p = c + 1;
    }
    return false;
}

} // namespace JsonText
