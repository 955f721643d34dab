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
RawStore::RawStore(RawStore&&) noexcept = default;
RawStore& RawStore::operator=(RawStore&&) noexcept = default;

quint16 RawStore::allocateSlot()
{
    if (!m_free.empty()) {
        const quint16 slot = m_free.back();
        m_free.pop_back();
        return slot;
    }
    if (m_chunks.size() >= MaxChunks)
        throw std::length_error("RawStore: more than 65535 live chunks");
    m_chunks.emplace_back();
    return quint16(m_chunks.size() - 1);
}

quint64 RawStore::append(std::string_view bytes, quint32 event)
{
    if (m_current < 0
        || m_chunks[std::size_t(m_current)].capacity - m_chunks[std::size_t(m_current)].used < bytes.size()) {
        const quint16 slot = allocateSlot();
        Chunk& c = m_chunks[slot];
        c.capacity = std::max(ArenaChunkBytes, bytes.size());
        if (c.capacity == ArenaChunkBytes && !m_spares.empty()) {
            c.owned = std::move(m_spares.back());
            m_spares.pop_back();
        } else {
            c.owned.reset(new char[c.capacity]);
        }
        c.data = c.owned.get();
        c.used = 0;
        c.used_ = false;
        c.live = true;
        m_heapBytes += c.capacity;
        m_current = slot;
    }
    Chunk& c = m_chunks[std::size_t(m_current)];
    std::memcpy(c.owned.get() + c.used, bytes.data(), bytes.size());
    const quint64 ref = makeRef(quint16(m_current), c.used);
    c.used += bytes.size();
    c.lastEvent = event;
    c.used_ = true;
    return ref;
}

quint16 RawStore::adopt(std::shared_ptr<const RawBlock> block)
{
    for (std::size_t i = m_chunks.size(); i-- > 0;) {
        if (m_chunks[i].live && m_chunks[i].block == block)
            return quint16(i);
    }
    const quint16 slot = allocateSlot();
    Chunk& c = m_chunks[slot];
    c.data = block->data();
    c.capacity = c.used = block->size();
    c.block = std::move(block);
    c.used_ = false;
    c.live = true;
    return slot;
}

void RawStore::noteUse(quint16 chunk, quint32 event)
{
    m_chunks[chunk].lastEvent = event;
    m_chunks[chunk].used_ = true;
}

std::string_view RawStore::view(quint64 ref, quint32 length) const
{
    const std::size_t chunk = ref >> 48;
    const std::size_t offset = ref & ((quint64(1) << 48) - 1);
    if (chunk >= m_chunks.size() || !m_chunks[chunk].live || offset + length > m_chunks[chunk].used)
        return {};
    return std::string_view(m_chunks[chunk].data + offset, length);
}

bool RawStore::isOnlyUsed(quint16 chunk) const
{
    for (std::size_t i = 0; i < m_chunks.size(); ++i) {
        if (m_chunks[i].live && m_chunks[i].used_ && i != chunk)
            return false;
    }
    return chunk < m_chunks.size() && m_chunks[chunk].live && m_chunks[chunk].used_;
}

void RawStore::releaseBefore(quint32 first, quint32 size)
{
    for (std::size_t i = 0; i < m_chunks.size(); ++i) {
        const Chunk& c = m_chunks[i];
        if (c.live && c.used_ && quint32(c.lastEvent - first) >= size)
            release(i);
    }
}

void RawStore::release(std::size_t slot)
{
    Chunk& c = m_chunks[slot];
    if (c.owned) {
        m_heapBytes -= c.capacity;
        if (c.capacity == ArenaChunkBytes && m_spares.size() < 4)
            m_spares.push_back(std::move(c.owned));
    }
    c = Chunk {};
    if (int(slot) == m_current)
        m_current = -1;
    m_free.push_back(quint16(slot));
}

std::size_t RawStore::liveChunks() const
{
    std::size_t n = 0;
    for (const Chunk& c : m_chunks)
        n += c.live;
    return n;
}
