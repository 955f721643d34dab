// SPDX-License-Identifier: MIT
#include "uuid.h"

#include <cstring>

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EVENTSCOPE_UUID_SSSE3 1
#include <immintrin.h>
#endif

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
    // digits are judged before the case folding, which would turn control bytes 0x10-0x19 into them
    const quint64 geDigit = (x + (0x80 - '0') * ones) & high;
    const quint64 leDigit = ((0x80 + '9') * ones - x) & high;
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

#ifdef EVENTSCOPE_UUID_SSSE3
// The 32 digits of canonical text, 16 to a register: validated, turned into nibbles and packed into
// bytes by a handful of SIMD instructions (with the call, about a third of the SWAR version's; ids are
// parsed three times an event, and SWAR parsing was 8 % of a one-core summary). `p` points at 36 bytes whose dashes are
// checked already.
__attribute__((target("ssse3"))) bool parseSsse3(const char* p, Uuid& out)
{
    const auto load = [](const char* at) { return _mm_loadu_si128(reinterpret_cast<const __m128i*>(at)); };
    constexpr char z = char(0x80); // pshufb: a zero byte
    // digits 0-7 and 9-12 from p[0..15], 14-17 from p[4..19]
    const __m128i first
        = _mm_or_si128(_mm_shuffle_epi8(load(p), _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12, z, z, z, z)),
            _mm_shuffle_epi8(load(p + 4), _mm_setr_epi8(z, z, z, z, z, z, z, z, z, z, z, z, 10, 11, 12, 13)));
    // digit 19, then 20-22 and 24-35 from p[20..35]
    const __m128i second = _mm_or_si128(
        _mm_shuffle_epi8(load(p + 20), _mm_setr_epi8(z, 0, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)),
        _mm_cvtsi32_si128(static_cast<unsigned char>(p[19])));
    const __m128i zero = _mm_setzero_si128();
    const auto nibbles = [zero](__m128i c, bool& ok) {
        // unsigned c - '0' <= 9, or (c | 0x20) - 'a' <= 5 (either case); bytes >= 0x80 are neither
        const __m128i digit = _mm_sub_epi8(c, _mm_set1_epi8('0'));
        const __m128i isDigit = _mm_cmpeq_epi8(_mm_subs_epu8(digit, _mm_set1_epi8(9)), zero);
        const __m128i alpha = _mm_sub_epi8(_mm_or_si128(c, _mm_set1_epi8(0x20)), _mm_set1_epi8('a'));
        const __m128i isAlpha = _mm_cmpeq_epi8(_mm_subs_epu8(alpha, _mm_set1_epi8(5)), zero);
        ok = _mm_movemask_epi8(_mm_or_si128(isDigit, isAlpha)) == 0xFFFF;
        // a digit's low four bits are its value; 'a'/'A' has 1 there: 1 + 9 = 10
        return _mm_add_epi8(_mm_and_si128(c, _mm_set1_epi8(0x0F)), _mm_and_si128(isAlpha, _mm_set1_epi8(9)));
    };
    bool ok1 = false, ok2 = false;
    const __m128i n1 = nibbles(first, ok1);
    const __m128i n2 = nibbles(second, ok2);
    if (!(ok1 & ok2))
        return false;
    // each pair of nibbles into a byte, the first one high: 16 * first + second
    const __m128i weights = _mm_set1_epi16(0x0110);
    const __m128i bytes = _mm_packus_epi16(_mm_maddubs_epi16(n1, weights), _mm_maddubs_epi16(n2, weights));
    quint64 halves[2];
    _mm_storeu_si128(reinterpret_cast<__m128i*>(halves), bytes);
    out.hi = __builtin_bswap64(halves[0]);
    out.lo = __builtin_bswap64(halves[1]);
    return true;
}

bool haveSsse3()
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("ssse3");
}
const bool useSsse3 = haveSsse3();
#endif

bool dashesInPlace(std::string_view text)
{
    return text.size() == 36 && text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-';
}
} // namespace

bool Uuid::parse(std::string_view text, Uuid& out)
{
#ifdef EVENTSCOPE_UUID_SSSE3
    if (useSsse3)
        return dashesInPlace(text) && parseSsse3(text.data(), out);
#endif
    return parsePortable(text, out);
}

bool Uuid::parsePortable(std::string_view text, Uuid& out)
{
    if (!dashesInPlace(text))
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
