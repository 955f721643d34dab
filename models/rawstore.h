// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

#include <memory>
#include <string_view>
#include <vector>

class RawBlock;

/// Holds the raw JSON bytes of stored events: copied into 4 MiB arena chunks, or left in place inside
/// an adopted block (a memory-mapped capture) so an opened file costs no heap for its payloads.
class RawStore
{
public:
    RawStore();
    ~RawStore();

    /// Copies bytes into the arena; returns the reference to keep in EventRecord::rawRef.
    quint64 append(std::string_view bytes);
    /// Registers a block whose bytes stay valid as long as it lives; returns its chunk id.
    quint16 adopt(std::shared_ptr<const RawBlock> block);
    /// The chunk id of an adopted block, or -1.
    int chunkOf(const RawBlock* block) const;
    static quint64 makeRef(quint16 chunk, quint64 offset) { return (quint64(chunk) << 48) | offset; }

    std::string_view view(quint64 ref, quint32 length) const;
    /// Heap bytes held by arena chunks (adopted blocks are not counted).
    std::size_t heapBytes() const { return m_heapBytes; }

private:
    struct Chunk
    {
        std::shared_ptr<const RawBlock> block;
        std::unique_ptr<char[]> owned;
        const char* data = nullptr;
        std::size_t capacity = 0;
        std::size_t used = 0;
    };
    std::vector<Chunk> m_chunks;
    int m_current = -1;
    std::size_t m_heapBytes = 0;
};
