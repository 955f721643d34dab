// SPDX-License-Identifier: MIT
#pragma once

#include "uuidindex.h"

#include <deque>

class EventStore;

/// References to ids not seen yet: a cause that has not arrived, the event a report is about. Kept in
/// arrival order (so the memory cap drops them with their events) and found by id through a flat
/// index: every arriving event asks "was I awaited?", so the lookup must cost one probe, not a
/// std::unordered_map node walk (that was a tenth of the live ingest time).
class PendingRefs
{
public:
    enum Kind : quint8 { Cause, Target };
    struct Ref
    {
        Uuid key; ///< the awaited id
        quint32 event; ///< the event that refers to it
        quint32 next; ///< the previous ref awaiting the same id, or None
        quint64 entry; ///< for Target: the RetryTracker entry
        Kind kind;
        bool resolved = false;
    };
    static constexpr quint32 None = 0xFFFFFFFFu;

    void add(const Uuid& key, quint32 event, Kind kind, quint64 entry = 0);
    /// True when some id is awaited.
    bool awaiting() const { return m_index.size() > 0; }
    void prefetch(const Uuid& key) const { m_index.prefetch(key); }

    /// Calls f(ref) for every ref awaiting `key` whose event is still stored, and stops awaiting it.
    template<typename F>
    void resolve(const Uuid& key, const EventStore& store, F f);
    /// Forgets refs whose event has left the store; calls dropped(ref) for those never resolved.
    template<typename F>
    void dropEvicted(const EventStore& store, F dropped);

    void setSmoothGrowth(bool smooth) { m_index.setSmoothGrowth(smooth); }

    std::size_t heapBytes() const { return m_refs.size() * sizeof(Ref) + m_index.heapBytes(); }
    std::size_t growthBytes() const { return m_index.growthBytes(); }

private:
    Ref* at(quint32 id)
    {
        const quint32 local = id - m_first;
        return local < m_refs.size() ? &m_refs[local] : nullptr;
    }

    std::deque<Ref> m_refs;
    quint32 m_first = 0; ///< id of m_refs.front() (ids wrap at 2^32 and skip None)
    quint32 m_next = 0;
    UuidIndex m_index; ///< awaited id -> newest ref awaiting it
};

#include "eventstore.h"

template<typename F>
void PendingRefs::resolve(const Uuid& key, const EventStore& store, F f)
{
    const quint32 head = m_index.find(key);
    if (head == UuidIndex::NotFound)
        return;
    for (quint32 id = head; id != None;) {
        Ref* r = at(id);
        if (!r)
            break;
        if (!r->resolved && store.contains(r->event)) {
            r->resolved = true;
            f(*r);
        }
        id = r->next;
    }
    m_index.erase(key);
}

template<typename F>
void PendingRefs::dropEvicted(const EventStore& store, F dropped)
{
    while (!m_refs.empty() && !store.contains(m_refs.front().event)) {
        Ref& r = m_refs.front();
        if (!r.resolved) {
            dropped(r);
            if (m_index.find(r.key) == m_first)
                m_index.erase(r.key); // it was the only ref awaiting that id
        }
        m_refs.pop_front();
        ++m_first;
    }
    if (m_refs.empty())
        m_first = m_next;
}
