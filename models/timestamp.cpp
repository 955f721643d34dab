// SPDX-License-Identifier: MIT
#include "timestamp.h"

#include <QDateTime>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace {
// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
qint64 daysFromCivil(qint64 y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const qint64 era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<qint64>(doe) - 719468;
}

bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out)
{
    if (pos + count > s.size())
        return false;
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        const char c = s[i];
        if (c < '0' || c > '9')
            return false;
        v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

bool isLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
} // namespace

bool Timestamp::parseIso8601(std::string_view s, qint64& microsOut)
{
    MinuteCache none;
    return parseIso8601(s, microsOut, none);
}

bool Timestamp::parseIso8601(std::string_view s, qint64& microsOut, MinuteCache& cache)
{
    if (s.size() < 19)
        return false;
    qint64 minuteSeconds;
    if (cache.valid && std::memcmp(s.data(), cache.prefix, sizeof cache.prefix) == 0) {
        minuteSeconds = cache.seconds;
    } else {
        int year, month, day, hour, minute;
        if (!digits(s, 0, 4, year) || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' || !digits(s, 8, 2, day)
            || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') || !digits(s, 11, 2, hour) || s[13] != ':'
            || !digits(s, 14, 2, minute))
            return false;
        static const int monthDays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
        if (month < 1 || month > 12 || day < 1)
            return false;
        if (day > monthDays[month - 1] + (month == 2 && isLeap(year) ? 1 : 0))
            return false;
        if (hour > 23 || minute > 59)
            return false;
        minuteSeconds = daysFromCivil(year, unsigned(month), unsigned(day)) * 86400 + hour * 3600 + minute * 60;
        std::memcpy(cache.prefix, s.data(), sizeof cache.prefix);
        cache.seconds = minuteSeconds;
        cache.valid = true;
    }
    int second;
    // 60 is a leap second; it is folded into the next second like most event stores do.
    if (s[16] != ':' || !digits(s, 17, 2, second) || second > 60)
        return false;

    std::size_t pos = 19;
    qint64 micros = 0;
    if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        ++pos;
        int count = 0;
        while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
            if (count < 6)
                micros = micros * 10 + (s[pos] - '0');
            ++count;
            ++pos;
        }
        if (count == 0)
            return false;
        for (int i = count; i < 6; ++i)
            micros *= 10;
    }
    qint64 offsetSeconds = 0;
    if (pos >= s.size())
        return false; // a time without a zone is ambiguous: refuse rather than guess
    if (s[pos] == 'Z' || s[pos] == 'z') {
        ++pos;
    } else if (s[pos] == '+' || s[pos] == '-') {
        const int sign = s[pos] == '-' ? -1 : 1;
        int oh, om;
        if (!digits(s, pos + 1, 2, oh))
            return false;
        std::size_t next = pos + 3;
        if (next < s.size() && s[next] == ':')
            ++next;
        if (!digits(s, next, 2, om) || oh > 23 || om > 59)
            return false;
        offsetSeconds = sign * (oh * 3600 + om * 60);
        pos = next + 2;
    } else {
        return false;
    }
    if (pos != s.size())
        return false;

    const qint64 seconds = minuteSeconds + second - offsetSeconds;
    microsOut = seconds * 1000000 + micros;
    return true;
}

bool Timestamp::fromEpochMillis(double millis, qint64& microsOut)
{
    // +-10^14 ms is about +-3000 years: anything beyond is not a timestamp.
    if (!std::isfinite(millis) || std::fabs(millis) > 1e14)
        return false;
    microsOut = static_cast<qint64>(std::llround(millis * 1000.0));
    return true;
}

QString Timestamp::toIso8601(qint64 micros)
{
    // by hand, for every year a timestamp can name: QDateTime has no year 0 (ISO 8601's 1 BC) and gave
    // "" for it, which read as a missing time
    const qint64 ms = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
    const qint64 days = ms >= 0 ? ms / 86400000 : -((-ms + 86399999) / 86400000);
    const qint64 msOfDay = ms - days * 86400000;
    // the proleptic Gregorian date of a day number (days since 1970-01-01), after Howard Hinnant
    const qint64 z = days + 719468;
    const qint64 era = (z >= 0 ? z : z - 146096) / 146097;
    const qint64 doe = z - era * 146097;
    const qint64 yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const qint64 doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const qint64 mp = (5 * doy + 2) / 153;
    const qint64 day = doy - (153 * mp + 2) / 5 + 1;
    const qint64 month = mp < 10 ? mp + 3 : mp - 9;
    const qint64 year = yoe + era * 400 + (month <= 2 ? 1 : 0);
    char buf[128];
    std::snprintf(buf, sizeof buf, "%s%04lld-%02lld-%02lldT%02lld:%02lld:%02lld.%03lldZ", year < 0 ? "-" : "",
        static_cast<long long>(year < 0 ? -year : year), static_cast<long long>(month), static_cast<long long>(day),
        static_cast<long long>(msOfDay / 3600000), static_cast<long long>(msOfDay / 60000 % 60),
        static_cast<long long>(msOfDay / 1000 % 60), static_cast<long long>(msOfDay % 1000));
    return QString::fromLatin1(buf);
}

QString Timestamp::clockText(qint64 micros)
{
    // by hand: tables format thousands of cells per second, QDateTime::toString costs ~2 µs each
    qint64 ms = micros >= 0 ? micros / 1000 : -((-micros + 999) / 1000);
    ms = ((ms % 86400000) + 86400000) % 86400000;
    const int h = int(ms / 3600000), m = int(ms / 60000 % 60), s = int(ms / 1000 % 60), milli = int(ms % 1000);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d.%03d", h, m, s, milli);
    return QString::fromLatin1(buf);
}
