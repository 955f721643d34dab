// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractTableModel>
#include <unordered_set>
#include <vector>

class Session;

/// The correlation explorer's chain list: the newest chains that match a query (problems, open for too
/// long, a text found in any of their events), at most `limit` of them, as Jaeger's trace search is.
/// A query that names a correlation id or an event id finds that chain directly.
class ChainListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { CorrelationColumn, RootTypeColumn, EventsColumn, StartColumn, DurationColumn, FailuresColumn,
        RetriesColumn, DeadLettersColumn, OrphansColumn, StatusColumn, ColumnCount };
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
    };

    explicit ChainListModel(const Session& session, QObject* parent = nullptr);
    ~ChainListModel() override;

    void setQuery(const Query& query);
    const Query& query() const { return m_query; }
    void setLimit(int limit) { m_limit = std::max(1, limit); }
    /// Re-runs the query over the live chains (new, changed and gone ones); `nowUs` is the current time
    /// on the chains' clock. Text searches read at most `budgetMs` of events per call.
    void refresh(qint64 nowUs, int budgetMs = 8);
    /// Whether a text search is still reading older events.
    bool isSearching() const { return m_searchCursor != m_searchStop; }

    quint32 chainAt(int row) const { return m_rows[std::size_t(row)].slot; }
    int rowOfChain(quint32 chain) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
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
    void search(qint64 deadlineNs);
    QVariant value(const Row& row, int column) const;

    const Session& m_session;
    Query m_query;
    QByteArray m_needle; ///< the search text in lower case
    quint32 m_direct = 0xFFFFFFFFu; ///< the chain an id search names directly
    int m_limit = 2000;
    std::vector<Row> m_rows;
    std::unordered_set<Row, RowHash> m_hits; ///< chains holding the search text (bounded)
    quint32 m_searchNext = 0, m_searchCursor = 0, m_searchStop = 0;
    qint64 m_nowUs = 0;
};
