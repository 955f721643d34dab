// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <array>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

/// Interns repeated strings (event types, sources, origins) as 16-bit ids. Id 0 is the empty string.
/// The pool is bounded: once it holds `capacity` strings every new one maps to overflowId() ("(other)")
/// and is counted, so a hostile stream of unique names cannot grow memory without limit.
class StringPool
{
public:
    using Id = quint16;
    explicit StringPool(std::size_t capacity = 4096);
    // the entries point into the pool's own strings
    StringPool(const StringPool&) = delete;
    StringPool& operator=(const StringPool&) = delete;
    StringPool(StringPool&&) = default;
    StringPool& operator=(StringPool&&) = default;

    Id intern(std::string_view text);
    /// The id of text if interned, or -1.
    int find(std::string_view text) const;
    std::string_view view(Id id) const { return m_strings[id]; }
    QString string(Id id) const;
    std::size_t size() const { return m_strings.size(); }
    Id overflowId() const { return m_overflowId; }
    /// How many interns were refused because the pool was full.
    quint64 overflowed() const { return m_overflowed; }

private:
    void rebuild(std::size_t slots);
    Id add(std::string_view text);

    std::deque<std::string> m_strings; // deque: references (and short strings' bytes) stay valid as it grows
    /// Per id, what a lookup compares, side by side: one load instead of the deque's block, the
    /// string and its bytes one after another.
    struct Entry
    {
        quint64 hash;
        const char* data;
        std::size_t size;
    };
    std::vector<Entry> m_entries;
    /// Open addressing over ids: slot = id + 1 (0 empty), probed by hash. Interning runs twice per
    /// event; this is several times faster than std::unordered_map<std::string_view, Id>.
    std::vector<quint16> m_slots;
    /// intern()'s memo of recent strings by length, first and last byte: a repeated type or source is
    /// compared with one string instead of being hashed (XXH3) and probed; a miss costs one comparison.
    std::array<Id, 32> m_recent {};
    std::size_t m_capacity;
    Id m_overflowId;
    quint64 m_overflowed = 0;
};
