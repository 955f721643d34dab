// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <limits>
#include <string>
#include <vector>

/// The shape of each event type's payloads, learned from the events: every field path (a JSON pointer,
/// array items merged as `*`) with the JSON types it held and how often it was there, and the changes
/// over time: a field that appears, one that every event had and that stops coming, one whose type
/// changes, each with the first event that showed it. The decoder gives each payload a shape hash
/// (Shape::of()); a type's shapes are few, so counting an event is finding its hash among them, and only
/// a new shape is looked at field by field. Bounded: MaxShapesPerType shapes and MaxPathsPerType paths a
/// type (past them counted, not learned), MaxDepth levels and MaxPathsPerShape paths a payload.
class ShapeTracker
{
public:
    static constexpr int MaxDepth = 8;
    static constexpr std::size_t MaxPathsPerShape = 64;
    static constexpr std::size_t MaxShapesPerType = 256;
    static constexpr std::size_t MaxPathsPerType = 256;
    static constexpr std::size_t MaxChangesPerType = 256;
    /// A type's first events are its baseline: changes are told from then on.
    static constexpr quint64 BaselineEvents = 20;
    static constexpr quint32 NoEvent = std::numeric_limits<quint32>::max();

    enum TypeBit : quint8 {
        Null = 1,
        Boolean = 2,
        Integer = 4,
        Number = 8, ///< with a fraction
        String = 16,
        Object = 32,
        Array = 64,
    };
    /// "string", "integer|null", ... for a set of TypeBits.
    static std::string typeNames(quint8 types);

    struct ShapeField
    {
        std::string path;
        quint8 types = 0;
    };
    struct Field
    {
        std::string path;
        quint8 types = 0;
        quint32 firstEvent = NoEvent;
    };
    struct Change
    {
        enum Kind : quint8 { Added, Removed, TypeChanged };
        Kind kind = Added;
        quint16 field = 0; ///< index in Type::fields
        quint8 from = 0, to = 0; ///< types before and after (Added: from 0; Removed: to 0)
        quint16 source = 0;
        quint32 event = NoEvent;
        qint64 timeUs = 0;
    };
    struct Shape
    {
        quint64 hash = 0;
        quint64 events = 0;
        std::vector<quint16> fields; ///< indices in Type::fields, with each field's types in this shape
        std::vector<quint8> types;
    };
    struct Type
    {
        quint64 events = 0;
        quint64 unlearned = 0; ///< events of shapes past MaxShapesPerType
        std::vector<Field> fields;
        std::vector<Shape> shapes;
        std::vector<Change> changes;
        bool truncated = false; ///< paths past MaxPathsPerType were left out
    };

    /// An event of `type` whose payload has shape `hash`: false when the type has not had that shape
    /// (learn() it then).
    bool count(quint16 type, quint64 hash)
    {
        if (type < m_types.size())
            for (Shape& s : m_types[type].shapes)
                if (s.hash == hash) {
                    ++s.events;
                    ++m_types[type].events;
                    return true;
                }
        return false;
    }
    /// The first event of `type` with shape `hash`, whose fields are `fields` (event `event` at session
    /// time `timeUs` from `source`): counted, and compared with what the type had so far.
    void learn(quint16 type, quint64 hash, const std::vector<ShapeField>& fields, quint32 event, qint64 timeUs,
        quint16 source);
    /// An event of `type` whose shape is not known and not described (counted only).
    void countUnknown(quint16 type);

    /// Indexed by type id.
    const std::vector<Type>& types() const { return m_types; }
    /// Events of `type` that had field `field` (a sum over its shapes).
    quint64 present(quint16 type, std::size_t field) const;
    quint64 changeCount() const { return m_changes; }
    void clear() { *this = ShapeTracker(); }
    std::size_t heapBytes() const;

private:
    std::vector<Type> m_types;
    quint64 m_changes = 0;
};
