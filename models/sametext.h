// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <cstring>
#include <string_view>

/// Whether two short texts (JSON keys, event types, sources) are equal, compared a word at a time with
/// overlapping loads: cheaper than a call to memcmp (7 % of decoding when keys were compared with it)
/// and than a byte loop.
inline bool sameText(std::string_view a, std::string_view b)
{
    const std::size_t n = a.size();
    if (n != b.size())
        return false;
    const char* p = a.data();
    const char* q = b.data();
    auto same8 = [](const char* x, const char* y) {
        quint64 u, v;
        std::memcpy(&u, x, 8);
        std::memcpy(&v, y, 8);
        return u == v;
    };
    if (n >= 8) {
        for (std::size_t i = 0; i + 8 < n; i += 8) {
            if (!same8(p + i, q + i))
                return false;
        }
        return same8(p + n - 8, q + n - 8);
    }
    if (n >= 4) {
        quint32 u0, v0, u1, v1;
        std::memcpy(&u0, p, 4);
        std::memcpy(&v0, q, 4);
        std::memcpy(&u1, p + n - 4, 4);
        std::memcpy(&v1, q + n - 4, 4);
        return u0 == v0 && u1 == v1;
    }
    for (std::size_t i = 0; i < n; ++i) {
        if (p[i] != q[i])
            return false;
    }
    return true;
}

/// A cheap hash of a short non-empty text by its length, first and last byte: enough to tell apart
/// the few keys, types or sources a table holds, where it picks the one candidate to compare.
inline unsigned shortTextHash(std::string_view s)
{
    return unsigned(s.size()) * 31u + static_cast<unsigned char>(s.front()) * 7u + static_cast<unsigned char>(s.back());
}
