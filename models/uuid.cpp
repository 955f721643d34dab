// SPDX-License-Identifier: MIT
#include "uuid.h"

#include <cstring>

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace {
// Eight hex digits at once (SWAR): validates and converts them into 32 bits, first digit most
// significant. Ids are parsed three times per event, so this is on the hottest path; it is a third
// of the instructions of a per-digit table loop.
inline quint64 load64(const char* p)
{
    quint64 x;
    std::memcpy(&x, p, 8);
    return x;
}

inline quint64 load4and4(const char* a, const char* b)
{
    quint32 x, y;
    std::memcpy(&x, a, 4);
    std::memcpy(&y, b, 4);
    return quint64(x) | (quint64(y) << 32);
}

// x holds eight hex characters in memory order (loaded little-endian)
inline bool hex8(quint64 x, quint32& out)
{
    constexpr quint64 ones = 0x0101010101010101ULL;
    constexpr quint64 high = 0x8080808080808080ULL;
    if (x & high)
        return false;
    const quint64 lower = x | (0x20 * ones); // 'A'..'F' -> 'a'..'f'; digits are unchanged
    // per byte: c >= lo is ((c + 0x80 - lo) & 0x80), c <= hi is ((0x80 + hi - c) & 0x80); no carries as c < 0x80
    const quint64 geDigit = (lower + (0x80 - '0') * ones) & high;
    const quint64 leDigit = ((0x80 + '9') * ones - lower) & high;
    const quint64 geAlpha = (lower + (0x80 - 'a') * ones) & high;
    const quint64 leAlpha = ((0x80 + 'f') * ones - lower) & high;
    const quint64 digit = geDigit & leDigit;
    const quint64 alpha = geAlpha & leAlpha;
    if ((digit | alpha) != high)
        return false;
    const quint64 nibbles = (lower & (0x0F * ones)) + (alpha >> 7) * 9; // 'a' is 0x61: 1 + 9 = 10
    quint64 t = ((nibbles << 4) | (nibbles >> 8)) & 0x00FF00FF00FF00FFULL; // pairs into bytes
    t = (t | (t >> 8)) & 0x0000FFFF0000FFFFULL;
    t = (t | (t >> 16)) & 0xFFFFFFFFULL;
    out = __builtin_bswap32(quint32(t)); // the first digit is the most significant
    return true;
}
} // namespace

bool Uuid::parse(std::string_view text, Uuid& out)
{
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return false;
    static_assert(Q_BYTE_ORDER == Q_LITTLE_ENDIAN, "hex8() expects little-endian loads");
    const char* p = text.data();
    quint32 w[4];
    if (!hex8(load64(p), w[0]) || !hex8(load4and4(p + 9, p + 14), w[1]) || !hex8(load4and4(p + 19, p + 24), w[2])
        || !hex8(load64(p + 28), w[3]))
        return false;
    out.hi = (quint64(w[0]) << 32) | w[1];
    out.lo = (quint64(w[2]) << 32) | w[3];
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
