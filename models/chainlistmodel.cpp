// SPDX-License-Identifier: MIT
#include "chainlistmodel.h"

#include "jsontext.h"
#include "session.h"
#include "timestamp.h"

#include <QDeadlineTimer>
#include <algorithm>
#include <iterator>

namespace {
constexpr std::size_t MaxHits = 100000;

} // namespace

namespace {
constexpr SessionTableModel::Header HeadersChainListModel[] = {
    { QT_TRANSLATE_NOOP("ChainListModel", "Correlation"), nullptr,
        "00000000-0000-0000-0000-000000000000" }, // CorrelationColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "First event"), nullptr, "system.event.retry_scheduled" }, // RootTypeColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "Events"), nullptr, "12,345" }, // EventsColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "Started (UTC)"), nullptr, "00:00:00.000" }, // StartColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "Duration (ms)"), nullptr, "123,456.0" }, // DurationColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "Failures"), nullptr, "1,234" }, // FailuresColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "Retries"), nullptr, "1,234" }, // RetriesColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "Dead letters"), nullptr, "1,234" }, // DeadLettersColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "Orphans"), nullptr, "1,234" }, // OrphansColumn
    { QT_TRANSLATE_NOOP("ChainListModel", "Status"), nullptr, "dead-lettered" }, // StatusColumn
};
} // namespace
static_assert(std::size(HeadersChainListModel) == ChainListModel::ColumnCount);

ChainListModel::ChainListModel(const Session& session, QObject* parent)
    : SessionTableModel(session, HeadersChainListModel, parent)
{ }

ChainListModel::~ChainListModel() = default;

void ChainListModel::reset()
{
    beginResetModel();
    m_rows.clear();
    m_shown.clear();
    m_next = 0;
    m_lastRescanUs = 0;
    m_look = Look();
    endResetModel();
    setQuery(m_query); // the search starts again too
}

void ChainListModel::setQuery(const Query& query)
{
    m_query = query;
    std::sort(m_query.chains.begin(), m_query.chains.end());
    m_query.search = query.search.trimmed();
    m_needle = m_query.search.toLower().toUtf8();
    m_hits.clear();
    m_direct = ChainTracker::None;
    const EventStore& store = m_session.store();
    m_searchNext = m_searchCursor = m_searchStop = store.end();
    m_rescan = true;
    m_look.active = false; // a look for the previous query is of no use
    if (!m_needle.isEmpty()) {
        const std::string text = m_query.search.toStdString();
        m_direct = m_session.chains().find(text);
        if (m_direct == ChainTracker::None) {
            // an event id (a UUID in any case, or the exact text of any other id) names its chain
            const quint32 e = store.findId(Uuid::fromText(text, nullptr));
            if (e != EventStore::NotFound)
                m_direct = store.chainAt(e);
        }
        if (m_direct == ChainTracker::None)
            m_searchStop = store.first(); // read every stored event, newest first
    }
}

void ChainListModel::search(const QDeadlineTimer& deadline)
{
    const EventStore& store = m_session.store();
    const auto test = [&](quint32 e) {
        const EventRecord& r = store.at(e);
        if (r.chain != EventRecord::NoChain && m_hits.size() < MaxHits
            && JsonText::containsFolded(
                store.raw(r), std::string_view(m_needle.constData(), std::size_t(m_needle.size()))))
            m_hits.insert(Row { r.chain, m_session.chains().at(r.chain).opener });
    };
    int n = 0;
    // events that left the store cannot be read any more
    if (quint32(m_searchNext - store.first()) > store.size())
        m_searchNext = store.first();
    if (isSearching() && quint32(m_searchCursor - store.first()) > store.size())
        m_searchCursor = m_searchStop;
    while (m_searchNext != store.end()) {
        test(m_searchNext++);
        if ((++n & 255) == 0 && deadline.hasExpired())
            return;
    }
    while (isSearching()) {
        test(--m_searchCursor);
        if ((++n & 255) == 0 && deadline.hasExpired())
            return;
    }
}

bool ChainListModel::matches(quint32 slot, qint64 nowUs) const
{
    const ChainTracker& chains = m_session.chains();
    if (!chains.alive(slot))
        return false;
    const Chain& c = chains.at(slot);
    const bool anyProblem = m_query.failed || m_query.retried || m_query.deadLettered || m_query.orphaned;
    if (anyProblem
        && !((m_query.failed && c.failures > 0) || (m_query.retried && c.retries > 0)
            || (m_query.deadLettered && c.deadLetters > 0) || (m_query.orphaned && c.orphans > 0)))
        return false;
    if (m_query.openAfterSeconds >= 0 && (c.ends > 0 || nowUs - c.startUs < qint64(m_query.openAfterSeconds) * 1000000))
        return false;
    if (!m_query.through.empty() && !goesThrough(c))
        return false;
    if (m_query.endedRoot >= 0
        && m_session.stages().chainStage(slot, c.opener) != std::make_pair(m_query.endedRoot, m_query.endedStage))
        return false;
    if (m_query.onlyChains
        && !std::binary_search(m_query.chains.begin(), m_query.chains.end(), BlastRadius::ChainRef { slot, c.opener }))
        return false;
    if (!m_needle.isEmpty()) {
        if (m_direct != ChainTracker::None)
            return slot == m_direct;
        return m_hits.count(Row { slot, c.opener }) > 0;
    }
    return true;
}

bool ChainListModel::goesThrough(const Chain& chain) const
{
    const EventStore& store = m_session.store();
    for (quint32 i = chain.first; i != Chain::End && store.contains(i); i = store.link(i)) {
        const qint32 delta = store.parentDeltaAt(i);
        const quint32 parent = i + quint32(delta);
        if (delta == 0 || !store.contains(parent))
            continue;
        const std::pair<quint16, quint16> pair(store.typeAt(parent), store.typeAt(i));
        if (std::find(m_query.through.begin(), m_query.through.end(), pair) != m_query.through.end())
            return true;
    }
    return false;
}

bool ChainListModel::scanAllChains(const QDeadlineTimer& deadline, std::vector<Row>& found)
{
    // every match is counted; the newest `limit` are kept in a heap whose top is the oldest of them: a
    // look at a million chains allocates no more than the rows it shows
    const ChainTracker& chains = m_session.chains();
    const auto newer = [](const Match& a, const Match& b) { return a.first > b.first; };
    std::vector<Match>& newest = m_look.newest;
    // from the last slot down: slots are mostly taken in time order, so once the heap is full most
    // chains are older than all it holds and cost one comparison
    const quint32 from = m_look.slot;
    for (quint32 slot = from; slot-- > 0;) {
        // the time is read every 65,536 chains (about a millisecond), never before the first of a call
        if ((slot & 0xFFFF) == 0 && slot > 0 && slot + 1 != from && deadline.hasExpired()) {
            m_look.slot = slot + 1;
            return false;
        }
        if (!chains.alive(slot) || !matches(slot, m_look.nowUs))
            continue;
        const Chain& c = chains.at(slot);
        ++m_look.count;
        m_counted.set(slot, c.opener);
        if (newest.size() < std::size_t(m_limit)) {
            newest.push_back({ c.startUs, Row { slot, c.opener } });
            std::push_heap(newest.begin(), newest.end(), newer);
        } else if (c.startUs > newest.front().first) {
            std::pop_heap(newest.begin(), newest.end(), newer);
            newest.back() = { c.startUs, Row { slot, c.opener } };
            std::push_heap(newest.begin(), newest.end(), newer);
        }
    }
    std::sort(newest.begin(), newest.end(), [](const Match& a, const Match& b) { return a.first < b.first; });
    // a chain the memory cap let go while the look went on is no row
    for (const Match& m : newest)
        if (chains.alive(m.second.slot) && chains.at(m.second.slot).opener == m.second.opener)
            found.push_back(m.second);
    return true;
}

void ChainListModel::removeRowsWhere(const std::function<bool(const Row&)>& gone)
{
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (!gone(m_rows[std::size_t(row)])) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && gone(m_rows[std::size_t(first - 1)]))
            --first;
        beginRemoveRows({}, first, row);
        for (int r = first; r <= row; ++r)
            m_shown.unset(m_rows[std::size_t(r)].slot);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + row + 1);
        endRemoveRows();
        row = first - 1;
    }
}

void ChainListModel::refresh(qint64 nowUs, int budgetMs)
{
    m_nowUs = nowUs;
    const QDeadlineTimer deadline(budgetMs, Qt::PreciseTimer);
    if (!m_needle.isEmpty() && m_direct == ChainTracker::None) {
        const std::size_t hits = m_hits.size();
        search(deadline);
        m_rescan = m_rescan || m_hits.size() != hits; // hits in older events: their chains may be anywhere
    }
    const ChainTracker& chains = m_session.chains();
    const EventStore& store = m_session.store();
    const auto isShown = [this](quint32 slot, quint32 opener) { return m_shown.has(slot, opener); };

    // time alone can make a chain "open after N s": look at every chain now and then
    if (m_query.openAfterSeconds >= 0 && nowUs - m_lastRescanUs >= 2000000)
        m_rescan = true;
    // more events to read than there are chains (a file loading, a view shown again after a while): one
    // look at every chain costs less, and the count is whole at once instead of catching up over minutes
    const quint32 from = quint32(m_next - store.first()) <= store.size() ? m_next : store.first();
    if (store.end() - from > chains.size())
        m_rescan = true;
    if (m_rescan && !m_look.active) {
        m_rescan = false;
        m_look = Look();
        m_look.active = true;
        m_look.slot = quint32(chains.size());
        m_look.nowUs = nowUs;
        m_look.storeEnd = store.end();
        m_look.newest.reserve(std::min<std::size_t>(std::size_t(m_limit), chains.size()));
        m_counted.clear();
    }
    std::vector<Row> added;
    if (m_look.active) {
        std::vector<Row> wanted;
        if (!scanAllChains(QDeadlineTimer(std::max(budgetMs, m_sliceMs), Qt::PreciseTimer), wanted))
            return; // the rows as they were until every chain is seen
        m_look.active = false;
        m_lastRescanUs = m_look.nowUs;
        m_next = m_look.storeEnd; // what came meanwhile is read as touched chains next
        m_matchCount = m_look.count;
        decltype(m_look.newest)().swap(m_look.newest);
        std::unordered_set<Row, RowHash> keep(wanted.begin(), wanted.end());
        removeRowsWhere([&keep](const Row& r) { return !keep.count(r); });
        for (const Row& r : wanted)
            if (!isShown(r.slot, r.opener))
                added.push_back(r);
    } else {
        // only chains touched since the last refresh can have changed
        if (quint32(m_next - store.first()) > store.size())
            m_next = store.first();
        int n = 0;
        while (m_next != store.end()) {
            const quint32 c = store.chainAt(m_next++);
            if (c != EventRecord::NoChain && !isShown(c, chains.at(c).opener) && matches(c, nowUs)) {
                if (!m_counted.has(c, chains.at(c).opener)) { // a chain that matched since the last count
                    m_counted.set(c, chains.at(c).opener);
                    ++m_matchCount;
                }
                added.push_back(Row { c, chains.at(c).opener });
                m_shown.set(c, chains.at(c).opener); // once is enough
            }
            if ((++n & 1023) == 0 && deadline.hasExpired())
                break;
        }
        removeRowsWhere([&](const Row& r) {
            return !chains.alive(r.slot) || chains.at(r.slot).opener != r.opener || !matches(r.slot, nowUs);
        });
    }
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1), { Qt::DisplayRole, SortRole });
    if (added.size() > std::size_t(m_limit)) {
        for (auto it = added.begin(); it != added.end() - m_limit; ++it)
            m_shown.unset(it->slot);
        added.erase(added.begin(), added.end() - m_limit);
    }
    // the oldest rows make room for the new ones
    const std::size_t excess
        = m_rows.size() + added.size() > std::size_t(m_limit) ? m_rows.size() + added.size() - std::size_t(m_limit) : 0;
    if (excess > 0) {
        const int n = int(std::min(excess, m_rows.size()));
        beginRemoveRows({}, 0, n - 1);
        for (int r = 0; r < n; ++r)
            m_shown.unset(m_rows[std::size_t(r)].slot);
        m_rows.erase(m_rows.begin(), m_rows.begin() + n);
        endRemoveRows();
    }
    if (added.empty())
        return;
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const Row& r : added) {
        m_rows.push_back(r);
        m_shown.set(r.slot, r.opener);
    }
    endInsertRows();
}

int ChainListModel::rowOfChain(quint32 chain) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].slot == chain)
            return int(i);
    return -1;
}

int ChainListModel::rowCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : int(m_rows.size()); }

QVariant ChainListModel::value(const Row& row, int column) const
{
    const ChainTracker& chains = m_session.chains();
    if (!chains.alive(row.slot) || chains.at(row.slot).opener != row.opener)
        return {};
    const Chain& c = chains.at(row.slot);
    switch (column) {
    case CorrelationColumn:
        return chains.idText(row.slot);
    case RootTypeColumn:
        return m_session.store().contains(c.first) ? m_session.types().string(m_session.store().at(c.first).type)
                                                   : QVariant();
    case EventsColumn:
        return c.size;
    case StartColumn:
        return c.startUs;
    case DurationColumn:
        return double(c.durationUs()) / 1000.0;
    case FailuresColumn:
        return c.failures;
    case RetriesColumn:
        return c.retries;
    case DeadLettersColumn:
        return c.deadLetters;
    case OrphansColumn:
        return c.orphans;
    case StatusColumn:
        return c.deadLetters > 0 ? tr("dead-lettered")
            : c.failures > 0     ? tr("failed")
            : c.retries > 0      ? tr("retried")
            : c.ends > 0         ? tr("finished")
                                 : tr("open");
    }
    return {};
}

QVariant ChainListModel::unboundedData(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[std::size_t(index.row())];
    switch (role) {
    case ChainRole:
        return row.slot;
    case SortRole:
        return value(row, index.column());
    case Qt::DisplayRole: {
        const QVariant v = value(row, index.column());
        if (!v.isValid())
            return v;
        if (index.column() == StartColumn)
            return Timestamp::clockText(v.toLongLong());
        if (index.column() == DurationColumn)
            return QString::number(v.toDouble(), 'f', 1);
        return v;
    }
    case Qt::TextAlignmentRole:
        return index.column() == CorrelationColumn || index.column() == RootTypeColumn || index.column() == StatusColumn
            ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}
