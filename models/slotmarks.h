// SPDX-License-Identifier: MIT
#pragma once

#include "largearray.h"

#include <QtGlobal>
#include <vector>

/// A mark per chain slot: the opener it was set for (a slot is reused for another chain once the memory
/// cap lets its chain go, and the opener tells them apart). Kept in chunks of 65,536 slots of fresh,
/// zeroed pages, made when a slot in them is first set and faulted in as they are written: the marks of
/// 15 M chains (60 MB) cost no fill in one turn, where a vector resized or assigned to every slot held
/// a reopened capture's window for a tenth of a second. clear() hands the chunks back.
class SlotMarks
{
public:
    bool has(quint32 slot, quint32 opener) const
    {
        const std::size_t chunk = slot >> Shift;
        return chunk < m_chunks.size() && m_chunks[chunk].size() && m_chunks[chunk][slot & Mask] == opener + 1;
    }
    void set(quint32 slot, quint32 opener)
    {
        const std::size_t chunk = slot >> Shift;
        if (chunk >= m_chunks.size())
            m_chunks.resize(chunk + 1);
        if (!m_chunks[chunk].size())
            m_chunks[chunk].reset(std::size_t(1) << Shift, LargeArrayPages::Small);
        m_chunks[chunk][slot & Mask] = opener + 1; // 0: none (an opener is an event index, below 2^32 - 1)
    }
    void unset(quint32 slot)
    {
        const std::size_t chunk = slot >> Shift;
        if (chunk < m_chunks.size() && m_chunks[chunk].size())
            m_chunks[chunk][slot & Mask] = 0;
    }
    void clear() { m_chunks.clear(); }

private:
    static constexpr int Shift = 16;
    static constexpr quint32 Mask = (quint32(1) << Shift) - 1;
    std::vector<LargeArray<quint32>> m_chunks;
};
