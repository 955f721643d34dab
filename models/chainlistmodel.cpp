// SPDX-License-Identifier: MIT
#include "chainlistmodel.h"

#include "jsontext.h"
#include "session.h"
#include "timestamp.h"

#include <QElapsedTimer>
#include <unordered_map>

namespace {
constexpr std::size_t MaxHits = 100000;

qint64 monotonicNs()
{
    static QElapsedTimer clock = [] {
        QElapsedTimer t;
        t.start();
        return t;
    }();
    return clock.nsecsElapsed();
}
} // namespace

ChainListModel::ChainListModel(const Session& session, QObject* parent)
    : QAbstractTableModel(parent)
    , m_session(session)
{ }

ChainListModel::~ChainListModel() = default;

void ChainListModel::setQuery(const Query& query)
{
    m_query = query;
    m_query.search = query.search.trimmed();
    m_needle = m_query.search.toLower().toUtf8();
    m_hits.clear();
    m_direct = ChainTracker::None;
    const EventStore& store = m_session.store();
    m_searchNext = m_searchCursor = m_searchStop = store.end();
    if (!m_needle.isEmpty()) {
        const std::string text = m_query.search.toStdString();
        m_direct = m_session.chains().find(text);
        if (m_direct == ChainTracker::None) {
            bool ok = false;
            const Uuid id = Uuid::fromText(text, &ok);
            const quint32 e = ok ? store.findId(id) : EventStore::NotFound;
            if (e != EventStore::NotFound)
                m_direct = store.at(e).chain;
        }
        if (m_direct == ChainTracker::None)
            m_searchStop = store.first(); // read every stored event, newest first
    }
}

void ChainListModel::search(qint64 deadlineNs)
{
    const EventStore& store = m_session.store();
    const auto test = [&](quint32 e) {
        const EventRecord& r = store.at(e);
        if (r.chain != EventRecord::NoChain && m_hits.size() < MaxHits
            && JsonText::containsFolded(store.raw(r), std::string_view(m_needle.constData(), std::size_t(m_needle.size()))))
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
        if ((++n & 255) == 0 && monotonicNs() > deadlineNs)
            return;
    }
    while (isSearching()) {
        test(--m_searchCursor);
        if ((++n & 255) == 0 && monotonicNs() > deadlineNs)
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
    if (m_query.openAfterSeconds >= 0
        && (c.ends > 0 || nowUs - c.startUs < qint64(m_query.openAfterSeconds) * 1000000))
        return false;
    if (!m_needle.isEmpty()) {
        if (m_direct != ChainTracker::None)
            return slot == m_direct;
        return m_hits.count(Row { slot, c.opener }) > 0;
    }
    return true;
}

void ChainListModel::refresh(qint64 nowUs, int budgetMs)
{
    m_nowUs = nowUs;
    if (!m_needle.isEmpty() && m_direct == ChainTracker::None)
        search(monotonicNs() + qint64(budgetMs) * 1000000);

    // the newest `limit` matching chains, by start time
    const ChainTracker& chains = m_session.chains();
    std::vector<std::pair<qint64, Row>> found;
    for (quint32 slot = 0; slot < chains.size(); ++slot)
        if (matches(slot, nowUs))
            found.push_back({ chains.at(slot).startUs, Row { slot, chains.at(slot).opener } });
    if (found.size() > std::size_t(m_limit)) {
        std::nth_element(found.begin(), found.begin() + m_limit, found.end(),
            [](const auto& a, const auto& b) { return a.first > b.first; });
        found.resize(std::size_t(m_limit));
    }
    std::unordered_map<Row, qint64, RowHash> wanted;
    wanted.reserve(found.size());
    for (const auto& [start, row] : found)
        wanted.emplace(row, start);

    // rows that no longer match leave in runs; the rest stay where they are
    for (int row = int(m_rows.size()) - 1; row >= 0;) {
        if (wanted.count(m_rows[std::size_t(row)])) {
            --row;
            continue;
        }
        int first = row;
        while (first > 0 && !wanted.count(m_rows[std::size_t(first - 1)]))
            --first;
        beginRemoveRows({}, first, row);
        m_rows.erase(m_rows.begin() + first, m_rows.begin() + row + 1);
        endRemoveRows();
        row = first - 1;
    }
    if (!m_rows.empty())
        Q_EMIT dataChanged(index(0, 0), index(int(m_rows.size()) - 1, ColumnCount - 1), { Qt::DisplayRole, SortRole });
    for (const Row& r : m_rows)
        wanted.erase(r);
    if (wanted.empty())
        return;
    std::vector<std::pair<qint64, Row>> added;
    for (const auto& [row, start] : wanted)
        added.push_back({ start, row });
    std::sort(added.begin(), added.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(added.size()) - 1);
    for (const auto& a : added)
        m_rows.push_back(a.second);
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

int ChainListModel::columnCount(const QModelIndex& parent) const { return parent.isValid() ? 0 : ColumnCount; }

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

QVariant ChainListModel::data(const QModelIndex& index, int role) const
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
        return index.column() == CorrelationColumn || index.column() == RootTypeColumn
                || index.column() == StatusColumn
            ? QVariant(Qt::AlignLeft | Qt::AlignVCenter)
            : QVariant(Qt::AlignRight | Qt::AlignVCenter);
    default:
        return {};
    }
}

QVariant ChainListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case CorrelationColumn:
        return tr("Correlation");
    case RootTypeColumn:
        return tr("First event");
    case EventsColumn:
        return tr("Events");
    case StartColumn:
        return tr("Started (UTC)");
    case DurationColumn:
        return tr("Duration (ms)");
    case FailuresColumn:
        return tr("Failures");
    case RetriesColumn:
        return tr("Retries");
    case DeadLettersColumn:
        return tr("Dead letters");
    case OrphansColumn:
        return tr("Orphans");
    case StatusColumn:
        return tr("Status");
    }
    return {};
}
