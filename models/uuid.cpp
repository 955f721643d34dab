// SPDX-License-Identifier: MIT
#include "uuid.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace {
struct HexTable
{
    signed char v[256];
    constexpr HexTable()
        : v {}
    {
        for (int i = 0; i < 256; ++i)
            v[i] = -1;
        for (int i = 0; i < 10; ++i)
            v['0' + i] = static_cast<signed char>(i);
        for (int i = 0; i < 6; ++i) {
            v['a' + i] = static_cast<signed char>(10 + i);
            v['A' + i] = static_cast<signed char>(10 + i);
        }
    }
};
constexpr HexTable Hex;
// where the 32 hex digits of 8-4-4-4-12 text are
constexpr unsigned char HiDigits[16] = { 0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, 14, 15, 16, 17 };
constexpr unsigned char LoDigits[16] = { 19, 20, 21, 22, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35 };
} // namespace

// Table-driven and branch-free per digit: ids are parsed three times per event, so this is hot.
bool Uuid::parse(std::string_view text, Uuid& out)
{
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return false;
    const auto* p = reinterpret_cast<const unsigned char*>(text.data());
    int bad = 0;
    quint64 hi = 0, lo = 0;
    for (int i = 0; i < 16; ++i) {
        const int h = Hex.v[p[HiDigits[i]]];
        const int l = Hex.v[p[LoDigits[i]]];
        bad |= h | l;
        hi = (hi << 4) | quint64(h & 0xF);
        lo = (lo << 4) | quint64(l & 0xF);
    }
    if (bad < 0)
        return false;
    out.hi = hi;
    out.lo = lo;
    return true;
}

Uuid Uuid::hash(std::string_view text)
{
    const XXH128_hash_t h = XXH3_128bits(text.data(), text.size());
    return Uuid { h.high64, h.low64 };
}

Uuid Uuid::fromText(std::string_view text, bool* hashed)
{
    Uuid u;
    const bool isUuid = parse(text, u);
    if (hashed)
        *hashed = !isUuid;
    return isUuid ? u : hash(text);
}

QString Uuid::toString() const
{
    static const char digits[] = "0123456789abcdef";
    char buf[36];
    int pos = 0;
    for (int i = 0; i < 32; ++i) {
        if (i == 8 || i == 12 || i == 16 || i == 20)
            buf[pos++] = '-';
        const quint64 word = i < 16 ? hi : lo;
        const int shift = (15 - (i % 16)) * 4;
        buf[pos++] = digits[(word >> shift) & 0xF];
    }
    return QString::fromLatin1(buf, 36);
}
