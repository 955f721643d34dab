// SPDX-License-Identifier: MIT
#include "recentids.h"

#include <algorithm>

namespace {
quint64 mix(quint64 x)
{
    // the finaliser of MurmurHash3: ids that are not random (counters, time-ordered UUIDs) spread too
    x ^= x >> 33;
    x *= 0xFF51AFD7ED558CCDULL;
    x ^= x >> 33;
    x *= 0xC4CEB9FE1A85EC53ULL;
    x ^= x >> 33;
    return x;
}
} // namespace

RecentIds::RecentIds(std::size_t bytes)
{
    m_slots = std::clamp<std::size_t>(bytes / 2 / sizeof(quint32), 1024, std::size_t(1) << 32);
    m_limit = m_slots / 10 * 7;
    for (auto& table : m_tables)
        table.reset(m_slots, LargeArrayPages::Huge); // zero-filled: empty
}

RecentIds::Place RecentIds::placeOf(const Uuid& key) const
{
    // the slot from the hash's low half (scaled to the table), the fingerprint from its high one
    const quint64 h = mix(key.hi ^ mix(key.lo));
    const quint32 print = quint32(h >> 32);
    return { std::size_t((quint64(quint32(h)) * m_slots) >> 32), print ? print : 1 };
}

bool RecentIds::holds(int generation, const Place& p) const
{
    const quint32* slots = m_tables[generation].data();
    for (std::size_t i = p.home;; i = i + 1 == m_slots ? 0 : i + 1) {
        if (slots[i] == p.print)
            return true;
        if (slots[i] == 0)
            return false;
    }
}

bool RecentIds::contains(const Uuid& key) const
{
    const Place p = placeOf(key);
    return holds(m_newer, p) || holds(1 - m_newer, p);
}

void RecentIds::add(const Uuid& key)
{
    const Place p = placeOf(key);
    if (holds(m_newer, p))
        return;
    if (m_count[m_newer] == m_limit) {
        // the newer generation is full: the older goes, and a fresh one begins
        m_newer = 1 - m_newer;
        m_tables[m_newer].reset(m_slots, LargeArrayPages::Huge);
        m_count[m_newer] = 0;
    }
    quint32* slots = m_tables[m_newer].data();
    std::size_t i = p.home;
    while (slots[i] != 0)
        i = i + 1 == m_slots ? 0 : i + 1;
    slots[i] = p.print;
    ++m_count[m_newer];
}

double RecentIds::falsePositiveRate() const
{
    // a miss in linear probing compares about (1 + 1 / (1 - load)^2) / 2 slots, each a 2^-32 chance
    double compared = 0;
    for (const std::size_t count : m_count) {
        const double load = double(count) / double(m_slots);
        compared += (1.0 + 1.0 / ((1.0 - load) * (1.0 - load))) / 2.0 * load;
    }
    return compared / 4294967296.0;
}
