// SPDX-License-Identifier: MIT
#pragma once

#include "blastradius.h"

#include <QElapsedTimer>
#include <QWidget>
#include <utility>
#include <vector>

class ChainDiffWindow;
class ChainListModel;
class ChainTreeModel;
class EventDetail;
class QCheckBox;
class ElidedLabel;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class QToolButton;
class QTreeView;
class Session;
class WaterfallView;

/// The correlation explorer: find chains (by id, event id or any text in their events; failed, retried,
/// dead-lettered, orphaned, still open after N s), then see the chosen one as a causation tree and a
/// waterfall, and any of its events in full.
class ExplorerPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ExplorerPanel(const Session& session, QWidget* parent = nullptr);
    ~ExplorerPanel() override;

    void refresh(qint64 nowUs);
    /// The session was reset (replay seeking backwards): start again empty.
    void reset();
    /// The chain list is refreshed at the next refresh() instead of within a second.
    void listNow() { m_listClock.invalidate(); }
    /// The chain list whole at its next refresh (ChainListModel::rescan()): a capture read to its end.
    void listWhole();
    /// Shows a chain (selecting `event` in it when given).
    void showChain(quint32 chain, quint32 event = 0xFFFFFFFFu);
    /// Runs a search as if typed.
    void search(const QString& text);
    /// Lists the chains holding a causation link of one of these (cause type, effect type) pairs (a flow
    /// map edge, named `label`), slowest first, until the filter is cleared.
    void showChainsThrough(const std::vector<std::pair<quint16, quint16>>& typePairs, const QString& label);
    /// Lists the chains of root type `root` whose latest stage is `stage` (a funnel's row, named `label`),
    /// slowest first, until the filter is cleared.
    void showChainsEndedAt(int root, int stage, const QString& label);
    /// Lists these chains (a breaker's blast radius, named `label`), slowest first, until the filter is
    /// cleared.
    void showChains(const std::vector<BlastRadius::ChainRef>& chains, const QString& label);
    /// The flow map edge, stage or breaker the list is filtered to ("" when none).
    QString throughFilter() const;
    /// Opens a chain diff of `a` and `b` in a window of its own.
    ChainDiffWindow* compareChains(quint32 a, quint32 b);
    /// Compares the chain shown (B) with a typical chain of its root (A: ChainDiff::typicalChain());
    /// nullptr when there is none.
    ChainDiffWindow* compareWithTypical();
    /// The chain shown becomes A of the next "Compare with A".
    void selectForCompare();
    QToolButton* compareButton() const { return m_compare; }
    quint32 currentChain() const;
    quint32 selectedEvent() const;

    ChainListModel* chainModel() const { return m_chains; }
    ChainTreeModel* treeModel() const { return m_tree; }
    QTableView* chainTable() const { return m_chainTable; }
    QTreeView* treeView() const { return m_treeView; }
    WaterfallView* waterfall() const { return m_waterfall; }
    EventDetail* detail() const { return m_detail; }
    QLineEdit* searchEdit() const { return m_search; }

    QByteArray saveState() const;
    void restoreState(const QByteArray& state);

private:
    void applyQuery();
    void selectEvent(quint32 event);

    const Session& m_session;
    ChainListModel* m_chains;
    QSortFilterProxyModel* m_sorted;
    ChainTreeModel* m_tree;
    QLineEdit* m_search;
    QCheckBox* m_failed;
    QCheckBox* m_retried;
    QCheckBox* m_deadLettered;
    QCheckBox* m_orphaned;
    QCheckBox* m_open;
    QSpinBox* m_openSeconds;
    QLabel* m_status;
    QToolButton* m_throughChip;
    std::vector<std::pair<quint16, quint16>> m_through;
    std::pair<int, int> m_endedAt { -1, -1 };
    bool m_onlyChains = false;
    std::vector<BlastRadius::ChainRef> m_chainSet;
    void showFilterChip(const QString& text);
    ElidedLabel* m_chainTitle;
    QTableView* m_chainTable;
    QTreeView* m_treeView;
    WaterfallView* m_waterfall;
    class QScrollArea* m_scroll = nullptr;
    EventDetail* m_detail;
    qint64 m_nowUs = 0;
    QElapsedTimer m_listClock;
    QToolButton* m_compare;
    quint32 m_compareA = 0xFFFFFFFFu; ///< the chain selected for compare, while its opener is the same
    quint32 m_compareOpener = 0xFFFFFFFFu;
};
