// SPDX-License-Identifier: MIT
#include "uuid.h"

#define XXH_INLINE_ALL
#include <xxhash.h>

namespace {
int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}
} // namespace

bool Uuid::parse(std::string_view text, Uuid& out)
{
    if (text.size() != 36 || text[8] != '-' || text[13] != '-' || text[18] != '-' || text[23] != '-')
        return false;
    quint64 words[2] = { 0, 0 };
    int nibble = 0;
    for (std::size_t i = 0; i < 36; ++i) {
        if (i == 8 || i == 13 || i == 18 || i == 23)
            continue;
        const int v = hexValue(text[i]);
        if (v < 0)
            return false;
        words[nibble / 16] = (words[nibble / 16] << 4) | quint64(v);
        ++nibble;
    }
    out.hi = words[0];
    out.lo = words[1];
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
