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
///
/// A replay counts again from the shape each event had (rewind(), recount()) and shows only what had
/// been seen by its playhead (setShown()): the changes and fields of later events are left out.
class FigureReader;
class FigureWriter;

class ShapeTracker
{
public:
    static constexpr int MaxDepth = 8;
    static constexpr std::size_t MaxPathsPerShape = 64;
    static constexpr std::size_t MaxShapesPerType = 254;
    static constexpr std::size_t MaxPathsPerType = 256;
    static constexpr std::size_t MaxChangesPerType = 256;
    /// A type's first events are its baseline: changes are told from then on.
    static constexpr quint64 BaselineEvents = 20;
    static constexpr quint32 NoEvent = std::numeric_limits<quint32>::max();
    /// What count(), learn() and countUnknown() return for an event: its shape's index in its type, or
    /// one of these.
    static constexpr quint8 Unlearned = 0xFF; ///< counted, shape not learned
    static constexpr quint8 NotWalked = 0xFE; ///< not counted (its payload's shape was not taken)

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

    /// An event of `type` whose payload has shape `hash`: counted, and its shape's index returned; -1
    /// when the type has not had that shape (learn() it then).
    int count(quint16 type, quint64 hash)
    {
        if (type < m_types.size()) {
            std::vector<Shape>& shapes = m_types[type].shapes;
            for (std::size_t i = 0; i < shapes.size(); ++i)
                if (shapes[i].hash == hash) {
                    ++shapes[i].events;
                    ++m_types[type].events;
                    return int(i);
                }
        }
        return -1;
    }
    /// The first event of `type` with shape `hash`, whose fields are `fields` (event `event` at session
    /// time `timeUs` from `source`): counted, and compared with what the type had so far. Returns the
    /// new shape's index, or Unlearned past MaxShapesPerType.
    quint8 learn(quint16 type, quint64 hash, const std::vector<ShapeField>& fields, quint32 event, qint64 timeUs,
        quint16 source);
    /// An event of `type` whose shape is not known and not described (counted only): Unlearned.
    quint8 countUnknown(quint16 type);

    /// Every count back to none, for a replay from the first event; what was learned stays, shown up
    /// to event 0 (none).
    void rewind();
    /// What a saved session had learned (SessionIndex), rewound: replayed events count again.
    void restore(std::vector<Type> types);
    /// Its counts (each type's events, each shape's) to or from a saved index (figurearchive.h), the
    /// shapes themselves restore()d before: readCounts() is false when the counts are not as many as
    /// they, or do not add up to each type's events.
    void writeCounts(FigureWriter& out) const;
    bool readCounts(FigureReader& in);
    /// A replayed event of `type` whose shape was `shape` (what count() or learn() returned for it).
    void recount(quint16 type, quint8 shape)
    {
        if (shape == NotWalked || type >= m_types.size())
            return;
        Type& t = m_types[type];
        ++t.events;
        if (shape < t.shapes.size())
            ++t.shapes[shape].events;
        else
            ++t.unlearned;
    }
    /// Shows what events before `event` showed (NoEvent: all).
    void setShown(quint32 event) { m_shown = event; }
    /// Type `type`'s changes and fields shown: a prefix of each (both are in event order).
    std::size_t changesShown(quint16 type) const;
    std::size_t fieldsShown(quint16 type) const;
    /// The JSON types field `field` of `type` held in the events shown.
    quint8 typesShown(quint16 type, std::size_t field) const;

    /// Indexed by type id.
    const std::vector<Type>& types() const { return m_types; }
    /// Events of `type` that had field `field` (a sum over its shapes).
    quint64 present(quint16 type, std::size_t field) const;
    /// Changes shown, of every type.
    quint64 changeCount() const;
    void clear() { *this = ShapeTracker(); }
    std::size_t heapBytes() const;

private:
    std::vector<Type> m_types;
    quint64 m_changes = 0;
    quint32 m_shown = NoEvent;
};
