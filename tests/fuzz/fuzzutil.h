// SPDX-License-Identifier: MIT
// Shared by the fuzz targets: a byte reader that lets one input also choose how it is cut up.
#pragma once

#include <cstddef>
#include <cstdint>

/// The first byte of an input picks a chunk size, so one input also says how a stream is split
/// into frames (a protocol must give the same result whatever the split).
struct Chunks
{
    const uint8_t* data;
    std::size_t size;
    std::size_t chunk;

    Chunks(const uint8_t* d, std::size_t n)
        : data(n ? d + 1 : d)
        , size(n ? n - 1 : 0)
        , chunk(n ? std::size_t(d[0]) % 64 + 1 : 1)
    { }

    template<typename F>
    void each(F&& f) const
    {
        for (std::size_t at = 0; at < size; at += chunk)
            f(reinterpret_cast<const char*>(data + at), at + chunk <= size ? chunk : size - at);
    }
};
