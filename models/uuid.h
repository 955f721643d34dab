// SPDX-License-Identifier: MIT
#pragma once

#include <QMetaType>
#include <QString>
#include <cstdint>
#include <functional>
#include <string_view>

/// A 128-bit event, correlation or causation id. Canonical UUID text is stored as its 128 bits;
/// any other id text is stored as its 128-bit XXH3 hash (the caller keeps a flag saying which).
struct Uuid
{
    quint64 hi = 0;
    quint64 lo = 0;

    bool isNull() const { return hi == 0 && lo == 0; }
    friend bool operator==(const Uuid& a, const Uuid& b) { return a.hi == b.hi && a.lo == b.lo; }
    friend bool operator!=(const Uuid& a, const Uuid& b) { return !(a == b); }

    /// Parses canonical 8-4-4-4-12 hex text, either case. Returns false for anything else.
    static bool parse(std::string_view text, Uuid& out);
    /// The same without SIMD: what parse() does on a CPU without SSSE3 (tests compare the two).
    static bool parsePortable(std::string_view text, Uuid& out);
    /// The XXH3-128 hash of arbitrary id text.
    static Uuid hash(std::string_view text);
    /// parse() if the text is a UUID, hash() otherwise; *hashed says which.
    static Uuid fromText(std::string_view text, bool* hashed);

    /// Lower-case canonical text (meaningful only for ids that were parsed, not hashed).
    QString toString() const;
    std::size_t hashValue() const { return static_cast<std::size_t>(hi ^ (lo * 0x9E3779B97F4A7C15ULL)); }
};
Q_DECLARE_TYPEINFO(Uuid, Q_PRIMITIVE_TYPE);

struct UuidHasher
{
    std::size_t operator()(const Uuid& u) const noexcept { return u.hashValue(); }
};
