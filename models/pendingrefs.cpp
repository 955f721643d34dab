// SPDX-License-Identifier: MIT
#include "pendingrefs.h"

void PendingRefs::add(const Uuid& key, quint32 event, Kind kind, quint64 entry)
{
    if (m_next == None) { // once every 2^32 refs
        m_refs.push_back(Ref { Uuid {}, event, None, 0, kind, true });
        ++m_next;
    }
    const quint32 id = m_next++;
    const quint32 previous = m_index.find(key);
    m_refs.push_back(Ref { key, event, previous == UuidIndex::NotFound ? None : previous, entry, kind, false });
    m_index.set(key, id);
}
