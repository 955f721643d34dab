// SPDX-License-Identifier: MIT
#pragma once

#include "largearray.h"
#include "uuid.h"

#include <QtGlobal>

/// The newest ids added, in a fixed amount of memory: two generations of 32-bit fingerprints in open
/// addressing. When the newer fills, the older is let go and a fresh one begins, so at least
/// reach() of the newest ids are always held, and never more than twice that. An id held is always
/// found; one not held (never added, or aged out) is found with the tiny chance falsePositiveRate()
/// gives (a fingerprint matching another id's).
///
/// Session::Config::exactBeyondCapBytes hands the ids of events past the memory cap to one when what
/// exact counts keep for them has outgrown its bound. Written here: Debian packages no C or C++
/// library for a bounded set of recent keys.
class RecentIds
{
public:
    /// `bytes` for both generations (at least 8 KiB, at most 32 GiB).
    explicit RecentIds(std::size_t bytes);

    /// A key distinct from `key` for every non-zero `space` (one set holds several kinds of keys).
    static Uuid keyIn(const Uuid& key, quint64 space)
    {
        return { key.hi ^ (space * 0x9E3779B97F4A7C15ULL), key.lo ^ (space * 0xC2B2AE3D27D4EB4FULL) };
    }

    void add(const Uuid& key);
    bool contains(const Uuid& key) const;
    /// Starts loading the slots where `key` would be, for an add() or contains() a few events later.
    void prefetch(const Uuid& key) const
    {
        const Place p = placeOf(key);
        __builtin_prefetch(m_tables[0].data() + p.home);
        __builtin_prefetch(m_tables[1].data() + p.home);
    }

    std::size_t bytes() const { return 2 * m_slots * sizeof(quint32); }
    /// How many of the newest ids are surely held.
    std::size_t reach() const { return m_limit; }
    /// Ids held now (from reach() to twice that, once the first generation has filled).
    std::size_t held() const { return m_count[0] + m_count[1]; }
    /// The chance that a lookup of an id not held finds one (the fingerprints it is compared with,
    /// at the tables' load now, times 2^-32).
    double falsePositiveRate() const;

private:
    struct Place
    {
        std::size_t home;
        quint32 print; ///< never 0 (an empty slot)
    };
    Place placeOf(const Uuid& key) const;
    bool holds(int generation, const Place& p) const;

    LargeArray<quint32> m_tables[2];
    std::size_t m_slots = 0;
    std::size_t m_limit = 0; ///< ids per generation: 70 % of its slots
    std::size_t m_count[2] = { 0, 0 };
    int m_newer = 0;
};
