// SPDX-License-Identifier: MIT
#include "jsontext.h"

#include <cstring>
#include <simdjson.h>

namespace {

simdjson::dom::parser& parser()
{
    thread_local simdjson::dom::parser p;
    return p;
}

bool parse(std::string_view raw, simdjson::dom::element* root)
{
    // the stored bytes are not padded: simdjson copies them into its own padded buffer
    return parser().parse(raw.data(), raw.size(), true).get(*root) == simdjson::SUCCESS;
}

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

void escapeString(std::string_view s, std::string& out)
{
    out += '"';
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
    out += '"';
}

void indent(std::string& out, int depth) { out.append(std::size_t(depth) * 2, ' '); }

void prettyInto(const simdjson::dom::element& e, int depth, std::string& out, std::size_t maxBytes)
{
    if (out.size() > maxBytes)
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
            escapeString(field.key, out);
            out += ": ";
            prettyInto(field.value, depth + 1, out, maxBytes);
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
            prettyInto(item, depth + 1, out, maxBytes);
        }
        out += '\n';
        indent(out, depth);
        out += ']';
    } else if (e.is_string()) {
        escapeString(e.get_string().value_unsafe(), out);
    } else {
        out += simdjson::minify(e);
    }
}

} // namespace

namespace JsonText {

bool field(std::string_view raw, std::string_view path, std::string* out)
{
    simdjson::dom::element e;
    if (path.empty() || !parse(raw, &e))
        return false;
    while (!path.empty()) {
        const std::size_t dot = path.find('.');
        const std::string_view key = path.substr(0, dot);
        if (!child(e, key, &e))
            return false;
        path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
    }
    scalarText(e, out);
    return true;
}

QString pretty(std::string_view raw, std::size_t maxBytes)
{
    simdjson::dom::element e;
    if (!parse(raw, &e))
        return QString::fromUtf8(raw.data(), qsizetype(std::min(raw.size(), maxBytes)));
    std::string out;
    out.reserve(raw.size() * 2);
    prettyInto(e, 0, out, maxBytes);
    if (out.size() > maxBytes) {
        out.resize(maxBytes);
        out += "\n...";
    }
    return QString::fromStdString(out);
}

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
