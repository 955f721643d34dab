// SPDX-License-Identifier: MIT
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>
#include <sys/mman.h>
#include <type_traits>

/// Whether a LargeArray asks for huge pages (one type for every LargeArray<T>).
enum class LargeArrayPages { Huge, Small };

/// A zero-filled array for big hash tables. From 2 MiB up it is aligned to 2 MiB and asks the kernel for
/// transparent huge pages: a random probe into a 16 MiB table then misses the TLB rarely instead of
/// almost always, which measured as most of the cost of indexing an event by id.
template<typename T>
class LargeArray
{
    static_assert(std::is_trivially_copyable_v<T>, "LargeArray holds plain values");

public:
    using Pages = LargeArrayPages;
    LargeArray() = default;
    explicit LargeArray(std::size_t count, Pages pages = Pages::Huge) { reset(count, pages); }

    /// Pages::Small for tables written at random places: with huge pages each first write to a 2 MiB
    /// region zeroes all of it, and right after a hash table doubles, hundreds of those land together.
    void reset(std::size_t count, Pages pages = Pages::Huge)
    {
        constexpr std::size_t Huge = 2u << 20;
        constexpr std::size_t Page = 4096;
        const std::size_t bytes = std::max<std::size_t>(count * sizeof(T), 64);
        if (bytes >= Huge / 32 && bytes < Huge) {
            // fresh anonymous memory is zero: from the heap it would be written twice (memset, then the
            // values), a tenth of the time of reading a file into the store's columns. Too small for a
            // huge page; Pages::Huge (nobody waits on a frame) faults all its pages in at once instead,
            // one call where writing them would take a fault (a costly exit on a VM) each
            const std::size_t rounded = (bytes + Page - 1) / Page * Page;
            const int populate = pages == Pages::Huge ? MAP_POPULATE : 0;
            void* raw = ::mmap(nullptr, rounded, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | populate, -1, 0);
            if (raw == MAP_FAILED)
                throw std::bad_alloc();
            m_data = std::unique_ptr<T, Free>(static_cast<T*>(raw), Free { rounded });
        } else if (bytes >= Huge) {
            // fresh anonymous memory is already zero: no second pass over it
            const std::size_t rounded = (bytes + Huge - 1) / Huge * Huge;
            void* raw = ::mmap(nullptr, rounded + Huge, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (raw == MAP_FAILED)
                throw std::bad_alloc();
            // keep the 2 MiB-aligned part, so it can be backed by huge pages
            const auto start = (reinterpret_cast<std::uintptr_t>(raw) + Huge - 1) / Huge * Huge;
            const std::size_t head = start - reinterpret_cast<std::uintptr_t>(raw);
            if (head)
                ::munmap(raw, head);
            if (Huge - head)
                ::munmap(reinterpret_cast<char*>(start) + rounded, Huge - head);
            ::madvise(reinterpret_cast<void*>(start), rounded, pages == Pages::Huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
            m_data = std::unique_ptr<T, Free>(reinterpret_cast<T*>(start), Free { rounded });
        } else {
            void* p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);
            if (!p)
                throw std::bad_alloc();
            std::memset(p, 0, bytes);
            m_data = std::unique_ptr<T, Free>(static_cast<T*>(p), Free { 0 });
        }
        m_size = count;
    }
    /// An array over `count` values at `data`, which it does not own (a mapped index's records): it
    /// must outlive the array, and is neither freed nor unmapped by it.
    static LargeArray borrow(T* data, std::size_t count)
    {
        LargeArray a;
        a.m_data = std::unique_ptr<T, Free>(data, Free { 0, true });
        a.m_size = count;
        return a;
    }
    bool isBorrowed() const { return m_data.get_deleter().borrowed; }
    T& operator[](std::size_t i) { return m_data.get()[i]; }
    const T& operator[](std::size_t i) const { return m_data.get()[i]; }
    T* data() { return m_data.get(); }
    const T* data() const { return m_data.get(); }
    std::size_t size() const { return m_size; }
    void swap(LargeArray& other) noexcept
    {
        m_data.swap(other.m_data);
        std::swap(m_size, other.m_size);
    }

private:
    struct Free
    {
        std::size_t mapped = 0; ///< bytes mapped with mmap, or 0 for aligned_alloc
        bool borrowed = false; ///< borrow(): not its own
        void operator()(T* p) const
        {
            if (borrowed)
                return;
            if (mapped)
                ::munmap(p, mapped);
            else
                std::free(p);
        }
    };
    std::unique_ptr<T, Free> m_data;
    std::size_t m_size = 0;
};

/// The open-addressing tables' size for `count` keys expected (EventStore::expectIds(),
/// UuidIndex::expect()): at least `current`; else room for an eighth more keys than expected (a guess
/// from a file's first bytes may be short) at most 3/4 full, where linear probing over 8-byte slots still
/// stays within a cache line or two, in whole 4 KiB pages of 8-byte slots. `holds` says how many keys it
/// takes before it grows: as many as fill it 3/4 (at least `count`), so keys a little beyond the guess
/// cost no doubling.
inline std::size_t hashSlotsFor(std::size_t current, std::size_t count, std::size_t* holds)
{
    std::size_t slots = current;
    if (count * 4 > slots * 3)
        slots = std::max(slots, ((count + count / 8) * 4 / 3 + 511) / 512 * 512);
    *holds = slots * 3 / 4;
    return slots;
}
