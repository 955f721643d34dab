// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class ChainDiffModel;
class QCheckBox;
class QLabel;
class QSortFilterProxyModel;
class QSpinBox;
class QTableView;
class Session;

/// Two chains side by side (ChainDiff): A's steps, B's, aligned by type and causation, each
/// difference coloured and said in words; the threshold for a slower hop and "only what differs" are
/// the user's. What it shows is taken when it opens (and again when the threshold changes or A and B
/// are swapped, while both chains are in the session). Double-click a step to show it in the explorer.
class ChainDiffWindow : public QWidget
{
    Q_OBJECT
public:
    ChainDiffWindow(const Session& session, quint32 chainA, quint32 chainB, QWidget* parent = nullptr);
    ~ChainDiffWindow() override;

    ChainDiffModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    QSpinBox* threshold() const { return m_threshold; }
    QCheckBox* onlyDifferences() const { return m_onlyDifferences; }
    QLabel* summary() const { return m_summary; }
    /// Exchanges A and B.
    void swap();
    /// Says in A's header what A is ("a typical chain of its root").
    void setNoteA(const QString& note);

Q_SIGNALS:
    /// A step was double-clicked: its chain and event.
    void eventActivated(quint32 chain, quint32 event);

private:
    void compare();

    const Session& m_session;
    quint32 m_chainA, m_chainB;
    quint32 m_openerA, m_openerB; ///< the chains' first events: a reused slot is another chain
    QString m_noteA, m_noteB;
    QLabel* m_headerA;
    QLabel* m_headerB;
    QLabel* m_summary;
    QSpinBox* m_threshold;
    QCheckBox* m_onlyDifferences;
    ChainDiffModel* m_model;
    QSortFilterProxyModel* m_filtered;
    QTableView* m_table;
};
