// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>
#include <memory>
#include <string_view>
#include <vector>

class RawBlock;

/// Holds the raw JSON bytes of stored events: copied into 4 MiB arena chunks, or left in place inside
/// an adopted block (a memory-mapped capture) so an opened file costs no heap for its payloads.
/// Chunks remember the last event that uses them; when the store drops old events, chunks no
/// remaining event uses are freed and their slots reused.
class RawStore
{
public:
    RawStore();
    ~RawStore();
    RawStore(RawStore&&) noexcept;
    RawStore& operator=(RawStore&&) noexcept;

    /// Copies the bytes of event `event` into the arena; returns the reference for EventRecord::rawRef.
    quint64 append(std::string_view bytes, quint32 event);
    /// Registers a block whose bytes stay valid as long as it lives; returns its chunk id.
    quint16 adopt(std::shared_ptr<const RawBlock> block);
    /// The adopted block of chunk `chunk`, or nullptr (an arena chunk, or none).
    const RawBlock* blockOf(quint16 chunk) const
    {
        return chunk < m_chunks.size() && m_chunks[chunk].live ? m_chunks[chunk].block.get() : nullptr;
    }
    /// Whether `chunk` is the only one any stored event points into.
    bool isOnlyUsed(quint16 chunk) const;
    /// Records that event `event` points into adopted chunk `chunk`.
    void noteUse(quint16 chunk, quint32 event);
    static quint64 makeRef(quint16 chunk, quint64 offset) { return (quint64(chunk) << 48) | offset; }

    std::string_view view(quint64 ref, quint32 length) const;
    /// Frees the chunks whose last user is outside the window [first, first + size) of stored events.
    void releaseBefore(quint32 first, quint32 size);
    /// Heap bytes held by arena chunks (adopted blocks are not counted).
    std::size_t heapBytes() const { return m_heapBytes + m_spares.size() * (std::size_t(4) << 20); }
    /// What the next arena chunk will allocate when no spare one is left (heapBytes() counts spares).
    std::size_t growthBytes() const { return m_spares.empty() ? std::size_t(4) << 20 : 0; }
    std::size_t liveChunks() const;

private:
    struct Chunk
    {
        std::shared_ptr<const RawBlock> block;
        std::unique_ptr<char[]> owned;
        const char* data = nullptr;
        std::size_t capacity = 0;
        std::size_t used = 0;
        quint32 lastEvent = 0;
        bool used_ = false; ///< some event points into it
        bool live = false;
    };
    quint16 allocateSlot();
    void release(std::size_t slot);

    std::vector<Chunk> m_chunks;
    std::vector<quint16> m_free;
    /// Arena buffers of released chunks, reused: fresh memory would be zeroed by the kernel first,
    /// which at 100 MB/s of live traffic under a memory cap was an eighth of the time.
    std::vector<std::unique_ptr<char[]>> m_spares;
    int m_current = -1;
    std::size_t m_heapBytes = 0;
};
