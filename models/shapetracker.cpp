// SPDX-License-Identifier: MIT
#include "shapetracker.h"

#include "figurearchive.h"
#include "shape_p.h"

#include <algorithm>
#include <xxhash.h>

using namespace simdjson;

std::string ShapeTracker::typeNames(quint8 types)
{
    static const std::pair<quint8, const char*> names[] = { { Object, "object" }, { Array, "array" },
        { String, "string" }, { Integer, "integer" }, { Number, "number" }, { Boolean, "boolean" }, { Null, "null" } };
    std::string out;
    for (const auto& [bit, name] : names)
        if (types & bit) {
            if (!out.empty())
                out += '|';
            out += name;
        }
    return out.empty() ? std::string("none") : out;
}

quint8 ShapeTracker::countUnknown(quint16 type)
{
    if (type >= m_types.size())
        m_types.resize(std::size_t(type) + 1);
    ++m_types[type].events;
    ++m_types[type].unlearned;
    return Unlearned;
}

void ShapeTracker::rewind()
{
    for (Type& t : m_types) {
        t.events = 0;
        t.unlearned = 0;
        for (Shape& s : t.shapes)
            s.events = 0;
    }
    m_shown = 0;
}

void ShapeTracker::restore(std::vector<Type> types)
{
    m_types = std::move(types);
    m_changes = 0;
    for (const Type& t : m_types)
        m_changes += t.changes.size();
    rewind();
}

void ShapeTracker::writeCounts(FigureWriter& out) const
{
    out.tag("SHPC");
    out.size(m_types.size(), 0, 0);
    for (const Type& t : m_types) {
        out.value(t.events);
        out.value(t.unlearned);
        for (const Shape& shape : t.shapes)
            out.value(shape.events);
    }
}

bool ShapeTracker::readCounts(FigureReader& in)
{
    in.tag("SHPC");
    in.check(in.size(0, 16, m_types.size()) == m_types.size(), "shapes: counts for other types");
    for (Type& t : m_types) {
        in.value(t.events);
        in.value(t.unlearned);
        quint64 sum = t.unlearned;
        for (Shape& shape : t.shapes) {
            in.value(shape.events);
            sum += shape.events;
        }
        // an event that was not walked counts in none of them (recount())
        in.check(sum <= t.events, "shapes: a type's counts do not add up");
        if (!in.ok())
            break;
    }
    return in.ok();
}

std::size_t ShapeTracker::changesShown(quint16 type) const
{
    if (type >= m_types.size())
        return 0;
    const std::vector<Change>& c = m_types[type].changes;
    if (m_shown == NoEvent)
        return c.size();
    return std::size_t(
        std::partition_point(c.begin(), c.end(), [this](const Change& x) { return x.event < m_shown; }) - c.begin());
}

std::size_t ShapeTracker::fieldsShown(quint16 type) const
{
    if (type >= m_types.size())
        return 0;
    const std::vector<Field>& f = m_types[type].fields;
    if (m_shown == NoEvent)
        return f.size();
    return std::size_t(std::partition_point(f.begin(), f.end(), [this](const Field& x) {
        return x.firstEvent < m_shown;
    }) - f.begin());
}

quint8 ShapeTracker::typesShown(quint16 type, std::size_t field) const
{
    if (type >= m_types.size() || field >= m_types[type].fields.size())
        return 0;
    const Type& t = m_types[type];
    if (m_shown == NoEvent)
        return t.fields[field].types;
    quint8 types = 0;
    for (const Shape& s : t.shapes) {
        if (s.events == 0)
            continue;
        const auto at = std::find(s.fields.begin(), s.fields.end(), quint16(field));
        if (at != s.fields.end())
            types |= s.types[std::size_t(at - s.fields.begin())];
    }
    return types;
}

quint64 ShapeTracker::changeCount() const
{
    if (m_shown == NoEvent)
        return m_changes;
    quint64 n = 0;
    for (std::size_t type = 0; type < m_types.size(); ++type)
        n += changesShown(quint16(type));
    return n;
}

quint8 ShapeTracker::learn(
    quint16 type, quint64 hash, const std::vector<ShapeField>& fields, quint32 event, qint64 timeUs, quint16 source)
{
    if (type >= m_types.size())
        m_types.resize(std::size_t(type) + 1);
    Type& t = m_types[type];
    if (t.shapes.size() >= MaxShapesPerType) {
        ++t.events;
        ++t.unlearned;
        return Unlearned;
    }
    const bool established = t.events >= BaselineEvents;
    auto change = [&](Change::Kind kind, std::size_t field, quint8 from, quint8 to) {
        if (!established || t.changes.size() >= MaxChangesPerType)
            return;
        t.changes.push_back({ kind, quint16(field), from, to, source, event, timeUs });
        ++m_changes;
    };
    Shape s;
    s.hash = hash;
    s.events = 1;
    std::vector<bool> here(t.fields.size(), false);
    for (const ShapeField& f : fields) {
        auto known = std::find_if(t.fields.begin(), t.fields.end(), [&](const Field& k) { return k.path == f.path; });
        std::size_t index = std::size_t(known - t.fields.begin());
        if (known == t.fields.end()) {
            if (t.fields.size() >= MaxPathsPerType) {
                t.truncated = true;
                continue;
            }
            t.fields.push_back({ f.path, f.types, event });
            here.push_back(true);
            change(Change::Added, index, 0, f.types);
        } else {
            here[index] = true;
            if (f.types & ~known->types) // a type this field never had
                change(Change::TypeChanged, index, known->types, f.types);
            known->types |= f.types;
        }
        s.fields.push_back(quint16(index));
        s.types.push_back(f.types);
    }
    // a field every event had so far, missing from this one, has stopped being sent
    if (established)
        for (std::size_t i = 0; i < here.size(); ++i)
            if (!here[i] && present(type, i) == t.events)
                change(Change::Removed, i, t.fields[i].types, 0);
    ++t.events;
    t.shapes.push_back(std::move(s));
    return quint8(t.shapes.size() - 1);
}

quint64 ShapeTracker::present(quint16 type, std::size_t field) const
{
    if (type >= m_types.size())
        return 0;
    quint64 n = 0;
    for (const Shape& s : m_types[type].shapes)
        if (std::find(s.fields.begin(), s.fields.end(), quint16(field)) != s.fields.end())
            n += s.events;
    return n;
}

std::size_t ShapeTracker::heapBytes() const
{
    std::size_t bytes = m_types.capacity() * sizeof(Type);
    for (const Type& t : m_types) {
        bytes += t.fields.capacity() * sizeof(Field) + t.shapes.capacity() * sizeof(Shape)
            + t.changes.capacity() * sizeof(Change);
        for (const Field& f : t.fields)
            bytes += f.path.capacity();
        for (const Shape& s : t.shapes)
            bytes += s.fields.capacity() * 3;
    }
    return bytes;
}

namespace {

quint8 typeBit(dom::element v)
{
    switch (v.type()) {
    case dom::element_type::ARRAY:
        return ShapeTracker::Array;
    case dom::element_type::OBJECT:
        return ShapeTracker::Object;
    case dom::element_type::INT64:
    case dom::element_type::UINT64:
        return ShapeTracker::Integer;
    case dom::element_type::DOUBLE:
        return ShapeTracker::Number;
    case dom::element_type::STRING:
        return ShapeTracker::String;
    case dom::element_type::BOOL:
        return ShapeTracker::Boolean;
    case dom::element_type::NULL_VALUE:
        return ShapeTracker::Null;
    }
    return 0;
}

quint64 mix(quint64 a, quint64 b)
{
    // a 64-bit mixer (from splitmix64): pairs that differ give unrelated values
    quint64 z = a ^ (b + 0x9e3779b97f4a7c15ULL + (a << 6) + (a >> 2));
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/// Walks a payload: each (path, type) once (array items merged), summed into the hash.
struct Walk
{
    std::vector<ShapeTracker::ShapeField>* fields;
    std::string path; ///< only kept when fields are asked for
    quint64 sum = 0;
    std::size_t paths = 0;
    /// (path hash, type) pairs met inside arrays, where items repeat them
    std::vector<quint64> seen;
    int arrays = 0;

    void node(dom::element v, quint64 pathHash, int depth)
    {
        if (paths >= ShapeTracker::MaxPathsPerShape)
            return;
        const quint8 type = typeBit(v);
        const quint64 h = mix(pathHash, type);
        if (arrays > 0) {
            if (std::find(seen.begin(), seen.end(), h) != seen.end())
                return; // an item's field already met
            seen.push_back(h);
        }
        ++paths;
        sum += h;
        if (fields) {
            auto it = std::find_if(fields->begin(), fields->end(), [&](const auto& f) { return f.path == path; });
            if (it == fields->end())
                fields->push_back({ path, type });
            else
                it->types |= type;
        }
        if (depth >= ShapeTracker::MaxDepth)
            return;
        if (type == ShapeTracker::Object) {
            const dom::object object = v.get_object().value_unsafe();
            for (dom::key_value_pair field : object) {
                const std::size_t mark = path.size();
                if (fields) {
                    path += '/';
                    for (const char c : field.key)
                        path += c == '~' ? std::string_view("~0")
                            : c == '/'   ? std::string_view("~1")
                                         : std::string_view(&c, 1);
                }
                node(field.value, mix(pathHash, XXH3_64bits(field.key.data(), field.key.size())), depth + 1);
                path.resize(mark);
            }
        } else if (type == ShapeTracker::Array) {
            ++arrays;
            const std::size_t mark = path.size();
            if (fields)
                path += "/*";
            const quint64 items = mix(pathHash, 0x2a); // '*'
            const dom::array array = v.get_array().value_unsafe();
            for (dom::element item : array)
                node(item, items, depth + 1);
            path.resize(mark);
            --arrays;
        }
    }
};

} // namespace

quint64 Shape::of(dom::element payload, std::vector<ShapeTracker::ShapeField>* fields)
{
    Walk w;
    w.fields = fields;
    w.node(payload, 0x5348415045ULL, 0); // the payload itself is the field "" (its root)
    return w.sum | 2; // never 0 (none) or 1 (Shape::NoPayload)
}
