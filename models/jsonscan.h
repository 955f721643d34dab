// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <cstring>
#include <string_view>

/// Structural scanning of JSON text without parsing it (finding an array's elements, a document's
/// events). Most bytes of an event are inside strings, so strings are skipped with memchr.
namespace JsonScan {

/// The index of the quote that closes the string opened at data[open] (one not preceded by an odd
/// number of backslashes), or npos when the string goes on past `len`.
inline std::size_t closingQuote(const char* data, std::size_t len, std::size_t open)
{
    std::size_t j = open + 1;
    for (;;) {
        const void* q = j < len ? std::memchr(data + j, '"', len - j) : nullptr;
        if (!q)
            return std::string_view::npos;
        j = std::size_t(static_cast<const char*>(q) - data);
        std::size_t backslashes = 0;
        while (j - backslashes > open + 1 && data[j - backslashes - 1] == '\\')
            ++backslashes;
        if (backslashes % 2 == 0)
            return j;
        ++j;
    }
}

} // namespace JsonScan
