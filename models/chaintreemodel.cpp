// SPDX-License-Identifier: MIT
#include "chaintreemodel.h"

#include "criticalpath.h"
#include "jsontext.h"
#include "session.h"

#include <limits>
#include <unordered_map>

ChainTreeModel::ChainTreeModel(const Session& session, QObject* parent)
    : BoundedText<QAbstractItemModel>(parent)
    , m_session(session)
    , m_chain(ChainTracker::None)
{ }

ChainTreeModel::~ChainTreeModel() = default;

void ChainTreeModel::setChain(quint32 chain)
{
    beginResetModel();
    m_chain = chain;
    const ChainTracker& chains = m_session.chains();
    m_opener = chain != ChainTracker::None && chain < chains.size() ? chains.at(chain).opener : 0;
    rebuild();
    endResetModel();
}

bool ChainTreeModel::refresh()
{
    const ChainTracker& chains = m_session.chains();
    if (m_chain == ChainTracker::None)
        return false;
    const bool gone = m_chain >= chains.size() || !chains.alive(m_chain) || chains.at(m_chain).opener != m_opener;
    if (!gone && chains.at(m_chain).size == m_builtSize)
        return false;
    beginResetModel();
    if (gone)
        m_chain = ChainTracker::None;
    rebuild();
    endResetModel();
    return true;
}

void ChainTreeModel::rebuild()
{
    m_timeline.clear();
    m_children.clear();
    m_roots.clear();
    m_rowInParent.clear();
    m_hidden = 0;
    m_builtSize = 0;
    m_startUs = m_endUs = 0;
    if (m_chain == ChainTracker::None)
        return;
    const ChainTracker& chains = m_session.chains();
    const EventStore& store = m_session.store();
    m_builtSize = chains.at(m_chain).size;
    std::vector<ChainNode> nodes = chains.tree(m_chain, store);
    if (nodes.size() > std::size_t(MaxEvents)) {
        m_hidden = quint32(nodes.size() - std::size_t(MaxEvents));
        nodes.resize(std::size_t(MaxEvents));
    }
    // telemetry about an event of the chain: retries, dead letters, failures
    std::unordered_map<quint32, std::pair<TimelineEntry::Kind, qint64>> telemetry;
    const std::deque<RetryTracker::Entry>& entries = m_session.retries().entries();
    if (!entries.empty()) {
        // entries are in arrival order: find those whose report is in this chain
        for (const ChainNode& n : nodes) {
            const EventRecord& r = store.at(n.event);
            if (!r.has(EventRecord::Telemetry))
                continue;
            telemetry.emplace(n.event, std::make_pair(TimelineEntry::Event, qint64(-1)));
        }
        // reports older than the chain's first stored event cannot be about it
        const quint32 base = store.first();
        quint32 oldest = std::numeric_limits<quint32>::max();
        for (const ChainNode& n : nodes)
            oldest = std::min(oldest, n.event - base);
        std::size_t unresolved = telemetry.size();
        for (auto it = entries.rbegin(); it != entries.rend() && unresolved > 0; ++it) {
            if (it->event - base < oldest)
                break;
            const auto t = telemetry.find(it->event);
            if (t == telemetry.end())
                continue;
            t->second = { it->kind == RetryTracker::Retry  ? TimelineEntry::Retry
                    : it->kind == RetryTracker::DeadLetter ? TimelineEntry::DeadLetter
                                                           : TimelineEntry::Failure,
                it->delayMs };
            --unresolved;
        }
    }
    m_startUs = std::numeric_limits<qint64>::max();
    m_endUs = std::numeric_limits<qint64>::min();
    std::vector<int> stack; // the path from a root to the current node
    m_children.resize(nodes.size());
    m_rowInParent.resize(nodes.size());
    for (const ChainNode& n : nodes) {
        const EventRecord& r = store.at(n.event);
        TimelineEntry e;
        e.event = n.event;
        e.depth = n.depth;
        // its place in the chain: its own time unless that cannot be trusted; a file's placed session
        // time is not a receive time (no time on the bus drawn)
        e.eventTimeUs = m_session.chainTime(r);
        e.receiveTimeUs = m_session.receiveTimeKnown(r.origin()) ? r.receiveTimeUs : e.eventTimeUs;
        const auto t = telemetry.find(n.event);
        if (t != telemetry.end()) {
            e.kind = t->second.first;
            e.delayMs = t->second.second;
        }
        while (int(stack.size()) > n.depth)
            stack.pop_back();
        e.parent = stack.empty() ? -1 : stack.back();
        const int pos = int(m_timeline.size());
        std::vector<int>& siblings = e.parent < 0 ? m_roots : m_children[std::size_t(e.parent)];
        m_rowInParent[std::size_t(pos)] = int(siblings.size());
        siblings.push_back(pos);
        stack.push_back(pos);
        m_startUs = std::min(m_startUs, e.eventTimeUs);
        m_endUs = std::max(
            { m_endUs, e.eventTimeUs, e.receiveTimeUs, e.eventTimeUs + std::max<qint64>(e.delayMs, 0) * 1000 });
        m_timeline.push_back(e);
    }
    if (m_timeline.empty())
        m_startUs = m_endUs = 0;
    for (int i : criticalPath(
             int(m_timeline.size()), [this](int i) { return m_timeline[std::size_t(i)].eventTimeUs; },
             [this](int i) { return m_timeline[std::size_t(i)].parent; },
             [this, &store](int i) { return !store.at(m_timeline[std::size_t(i)].event).has(EventRecord::Duplicate); }))
        m_timeline[std::size_t(i)].critical = true;
}

const std::vector<int>& ChainTreeModel::childrenOf(const QModelIndex& parent) const
{
    return parent.isValid() ? m_children[std::size_t(parent.internalId())] : m_roots;
}

QModelIndex ChainTreeModel::indexOfEvent(quint32 event) const
{
    for (std::size_t i = 0; i < m_timeline.size(); ++i)
        if (m_timeline[i].event == event)
            return createIndex(m_rowInParent[i], 0, quintptr(i));
    return {};
}

QModelIndex ChainTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    return createIndex(row, column, quintptr(childrenOf(parent)[std::size_t(row)]));
}

QModelIndex ChainTreeModel::parent(const QModelIndex& child) const
{
    if (!child.isValid())
        return {};
    const int p = m_timeline[std::size_t(child.internalId())].parent;
    return p < 0 ? QModelIndex() : createIndex(m_rowInParent[std::size_t(p)], 0, quintptr(p));
}

int ChainTreeModel::rowCount(const QModelIndex& parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(childrenOf(parent).size());
}

int ChainTreeModel::columnCount(const QModelIndex&) const { return ColumnCount; }

QVariant ChainTreeModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const TimelineEntry& e = m_timeline[std::size_t(index.internalId())];
    if (role == EventIndexRole)
        return e.event;
    if (role != Qt::DisplayRole && role != SortRole && role != Qt::ToolTipRole)
        return {};
    const EventStore& store = m_session.store();
    if (!store.contains(e.event))
        return {};
    const EventRecord& r = store.at(e.event);
    switch (index.column()) {
    case TypeColumn:
        return m_session.types().string(r.type);
    case OffsetColumn: {
        const double ms = double(e.eventTimeUs - m_startUs) / 1000.0;
        return role == SortRole ? QVariant(ms) : QVariant(QStringLiteral("+%1 ms").arg(ms, 0, 'f', 1));
    }
    case OnBusColumn: {
        if (!r.has(EventRecord::HasEventTime) || !m_session.receiveTimeKnown(r.origin()))
            return {};
        const double ms = double(e.receiveTimeUs - e.eventTimeUs) / 1000.0;
        return role == SortRole ? QVariant(ms) : QVariant(QString::number(ms, 'f', 1));
    }
    case SourceColumn:
        return m_session.sources().string(r.source);
    case IdColumn: {
        std::string text;
        return r.has(EventRecord::IdHashed) && JsonText::field(store.raw(r), "id", &text) ? QString::fromStdString(text)
                                                                                          : r.id.toString();
    }
    }
    return {};
}

QVariant ChainTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TypeColumn:
        return tr("Event");
    case OffsetColumn:
        return tr("Published");
    case OnBusColumn:
        return tr("On bus (ms)");
    case SourceColumn:
        return tr("Source");
    case IdColumn:
        return tr("Id");
    }
    return {};
}
