// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

/// How each event type's payloads keep their schema: per type, the events checked (their type has a
/// schema) and not, the events violating, when the first and the last came, the sources that sent them,
/// and the violations grouped by "POINTER: RULE" with the first event of each. Bounded: MaxGroups groups
/// and MaxSources sources a type; past them, counted as "other".
class SchemaTracker
{
public:
    static constexpr std::size_t MaxGroups = 64;
    static constexpr std::size_t MaxSources = 16;
    static constexpr quint32 NoEvent = std::numeric_limits<quint32>::max();

    struct Group
    {
        std::string key; ///< "POINTER: RULE"
        quint64 events = 0;
        quint32 example = NoEvent; ///< the first event that showed it (index in the session's store)
    };
    struct Type
    {
        quint64 checked = 0;
        quint64 unchecked = 0;
        quint64 violating = 0;
        qint64 firstUs = 0; ///< session time of the first violating event
        qint64 lastUs = 0;
        std::vector<std::pair<quint16, quint64>> sources; ///< (source id, violating events)
        quint64 otherSources = 0;
        std::vector<Group> groups; ///< in order of first appearance
        quint64 otherGroups = 0; ///< breaches past MaxGroups
    };

    /// An event of `type` came; `checked` when its payload was checked against a schema.
    void count(quint16 type, bool checked)
    {
        if (type >= m_types.size())
            m_types.resize(std::size_t(type) + 1);
        ++(checked ? m_types[type].checked : m_types[type].unchecked);
        m_checked += checked;
    }
    /// The checked event `event` (of `type`, from `source`, at session time `timeUs`) broke its schema
    /// with each of `keys` (distinct).
    void violated(
        quint16 type, quint16 source, qint64 timeUs, quint32 event, const std::vector<std::string_view>& keys);

    /// Indexed by type id.
    const std::vector<Type>& types() const { return m_types; }
    quint64 checked() const { return m_checked; }
    quint64 violating() const { return m_violating; }
    bool anyChecked() const;
    void clear() { *this = SchemaTracker(); }
    std::size_t heapBytes() const;

private:
    std::vector<Type> m_types;
    quint64 m_checked = 0;
    quint64 m_violating = 0;
};
