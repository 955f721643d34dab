// SPDX-License-Identifier: MIT
#include "rawstore.h"

#include "decodedbatch.h"

#include <cstring>
#include <stdexcept>

namespace {
constexpr std::size_t ArenaChunkBytes = 4 << 20;
constexpr std::size_t MaxChunks = 65535;
} // namespace

RawStore::RawStore() = default;
RawStore::~RawStore() = default;

quint64 RawStore::append(std::string_view bytes)
{
    if (m_current < 0 || m_chunks[m_current].capacity - m_chunks[m_current].used < bytes.size()) {
        if (m_chunks.size() >= MaxChunks)
            throw std::length_error("RawStore: chunk table full");
        Chunk c;
        c.capacity = std::max(ArenaChunkBytes, bytes.size());
        c.owned.reset(new char[c.capacity]);
        c.data = c.owned.get();
        m_heapBytes += c.capacity;
        m_chunks.push_back(std::move(c));
        m_current = int(m_chunks.size() - 1);
    }
    Chunk& c = m_chunks[m_current];
    std::memcpy(c.owned.get() + c.used, bytes.data(), bytes.size());
    const quint64 ref = makeRef(quint16(m_current), c.used);
    c.used += bytes.size();
    return ref;
}

quint16 RawStore::adopt(std::shared_ptr<const RawBlock> block)
{
    const int existing = chunkOf(block.get());
    if (existing >= 0)
        return quint16(existing);
    if (m_chunks.size() >= MaxChunks)
        throw std::length_error("RawStore: chunk table full");
    Chunk c;
    c.data = block->data();
    c.capacity = c.used = block->size();
    c.block = std::move(block);
    m_chunks.push_back(std::move(c));
    // the arena continues in a fresh chunk so ids stay in insertion order
    m_current = -1;
    return quint16(m_chunks.size() - 1);
}

int RawStore::chunkOf(const RawBlock* block) const
{
    for (std::size_t i = m_chunks.size(); i-- > 0;) {
        if (m_chunks[i].block.get() == block)
            return int(i);
    }
    return -1;
}

std::string_view RawStore::view(quint64 ref, quint32 length) const
{
    const std::size_t chunk = ref >> 48;
    const std::size_t offset = ref & ((quint64(1) << 48) - 1);
    if (chunk >= m_chunks.size() || offset + length > m_chunks[chunk].used)
        return {};
    return std::string_view(m_chunks[chunk].data + offset, length);
}
