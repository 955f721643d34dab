// SPDX-License-Identifier: MIT
#pragma once

#include "blastradius.h"
#include "sessiontablemodel.h"
#include "slotmarks.h"

#include <QAbstractTableModel>
#include <functional>
#include <unordered_set>
#include <vector>

class QDeadlineTimer;
class Session;
struct Chain;

/// The correlation explorer's chain list: the newest chains that match a query (problems, open for too
/// long, a text found in any of their events), at most `limit` of them, as Jaeger's trace search is.
/// A query that names a correlation id or an event id finds that chain directly.
class ChainListModel : public SessionTableModel
{
    Q_OBJECT
public:
    enum Column {
        CorrelationColumn,
        RootTypeColumn,
        EventsColumn,
        StartColumn,
        DurationColumn,
        FailuresColumn,
        RetriesColumn,
        DeadLettersColumn,
        OrphansColumn,
        StatusColumn,
        ColumnCount
    };
    enum Role { SortRole = Qt::UserRole, ChainRole };

    struct Query
    {
        // a chain matches when it has any of the checked problems (none checked: any chain)...
        bool failed = false;
        bool retried = false;
        bool deadLettered = false;
        bool orphaned = false;
        /// ...and, when >= 0, has no terminal event this many seconds after it started...
        int openAfterSeconds = -1;
        /// ...and, when not empty, is that correlation id, holds that event id, or holds an event whose JSON
        /// contains this text (case-insensitive).
        QString search;
        /// ...and, when not empty, holds an event whose cause has the first type of one of these
        /// (cause type, effect type) pairs and which has the second (a flow map edge).
        std::vector<std::pair<quint16, quint16>> through;
        /// ...and, when >= 0, started with an event of type `endedRoot` and has got no further than
        /// stage `endedStage` (StageTracker::chainStage()).
        int endedRoot = -1;
        int endedStage = -1;
        /// ...and, when `onlyChains` is set, is one of `chains` (sorted; a breaker's blast radius).
        bool onlyChains = false;
        std::vector<BlastRadius::ChainRef> chains;
    };

    explicit ChainListModel(const Session& session, QObject* parent = nullptr);
    ~ChainListModel() override;

    void setQuery(const Query& query);
    const Query& query() const { return m_query; }
    void setLimit(int limit) { m_limit = std::max(1, limit); }
    int limit() const { return m_limit; }
    /// Chains that matched the query when the list was last built, shown or not (at most `limit()`
    /// are shown: the newest); grows as new matching chains come.
    quint64 matchCount() const { return m_matchCount; }
    /// Catches up with the session: chains touched by events since the last call join when they match,
    /// rows whose chain went away or stopped matching leave, the oldest rows beyond the limit leave.
    /// Only a new query, or "open after N s" (which time alone can satisfy, re-checked at most every
    /// 2 s), looks at every chain. `nowUs` is the current time on the chains' clock. At most `budgetMs`
    /// of events are read per call.
    ///
    /// A look at every chain takes at most sliceMs() (or `budgetMs`, when more) per call, from the
    /// newest chain down, and changes the rows and the count only once it has seen them all (a hundred
    /// million events hold 15 M chains: a quarter of a second): isLooking() until then.
    void refresh(qint64 nowUs, int budgetMs = 8);
    static constexpr int WholeSliceMs = 30;
    /// How long a call may look at every chain: WholeSliceMs unless set; at 0, 65,536 chains a call.
    void setSliceMs(int ms) { m_sliceMs = std::max(0, ms); }
    int sliceMs() const { return m_sliceMs; }
    /// The next refresh starts a look at every chain: the list and its count whole, whatever was read
    /// since (a file just read, whose last events may be more than a few budgets' worth).
    void rescan() { m_rescan = true; }
    /// A look at every chain has begun and not yet seen them all: call refresh() again soon.
    bool isLooking() const { return m_look.active; }
    /// The session was reset (Session::reset()): forget every row.
    void reset();
    /// Whether a text search is still reading older events.
    bool isSearching() const { return m_searchCursor != m_searchStop; }

    quint32 chainAt(int row) const { return m_rows[std::size_t(row)].slot; }
    int rowOfChain(quint32 chain) const;

    int rowCount(const QModelIndex& parent = {}) const final;

private:
    QVariant unboundedData(const QModelIndex& index, int role) const override;
    struct Row
    {
        quint32 slot;
        quint32 opener;
        bool operator==(const Row& o) const { return slot == o.slot && opener == o.opener; }
    };
    struct RowHash
    {
        std::size_t operator()(const Row& r) const { return (std::size_t(r.slot) << 32) ^ r.opener; }
    };
    bool matches(quint32 slot, qint64 nowUs) const;
    bool goesThrough(const Chain& chain) const;
    void search(const QDeadlineTimer& deadline);
    using Match = std::pair<qint64, Row>; ///< a chain's start and row
    /// A look at every chain (scanAllChains()), a slice at a time.
    struct Look
    {
        bool active = false;
        quint32 slot = 0; ///< the next slot looked at is the one below
        qint64 nowUs = 0; ///< matched as of when it began
        quint32 storeEnd = 0; ///< the events read when it began
        quint64 count = 0; ///< matches so far
        std::vector<Match> newest; ///< the newest `limit` matches: a heap, its top the oldest
    };
    /// Goes on with the look until `deadline`: true once it has seen every chain, its rows in `found`.
    bool scanAllChains(const QDeadlineTimer& deadline, std::vector<Row>& found);
    void removeRowsWhere(const std::function<bool(const Row&)>& gone);
    QVariant value(const Row& row, int column) const;

    Query m_query;
    QByteArray m_needle; ///< the search text in lower case
    quint32 m_direct = 0xFFFFFFFFu; ///< the chain an id search names directly
    int m_limit = 1000;
    quint64 m_matchCount = 0;
    SlotMarks m_counted; ///< per chain slot: the opener counted in m_matchCount
    std::vector<Row> m_rows;
    std::unordered_set<Row, RowHash> m_hits; ///< chains holding the search text (bounded)
    SlotMarks m_shown; ///< per chain slot: the opener of its row
    quint32 m_next = 0; ///< the next event to look at for touched chains
    bool m_rescan = true; ///< the next refresh looks at every chain
    Look m_look;
    int m_sliceMs = WholeSliceMs;
    qint64 m_lastRescanUs = 0;
    quint32 m_searchNext = 0, m_searchCursor = 0, m_searchStop = 0;
    qint64 m_nowUs = 0;
};
