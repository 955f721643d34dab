// SPDX-License-Identifier: MIT
#pragma once

#include "flowgraph.h"

#include <QWidget>
#include <utility>
#include <vector>

class FlowMapView;
class QComboBox;
class StageFunnelView;
class QCheckBox;
class QLabel;
class QSpinBox;
class QTimer;
class Session;

/// The flow map with its controls: one box per event type or per service, and links fewer than a
/// count the user sets left out (so 200 types stay readable).
class FlowMapPanel : public QWidget
{
    Q_OBJECT
public:
    explicit FlowMapPanel(const Session& session, QWidget* parent = nullptr);
    ~FlowMapPanel() override;

    /// Builds the graph again when the flow changed and the panel shows, at most once a second (a new
    /// graph of 200 types and 350 links takes about 25 ms to lay out and draw): a change within the
    /// second is built when it is up, whether or not another refresh comes (a capture restored from its
    /// index gets its whole flow in one turn, and no refresh after its last).
    void refresh(qint64 nowUs);
    /// The graph again at the next refresh when anything changed, not up to a second later (the window's
    /// own refresh: a capture's first paint and its end).
    void buildNow() { m_builtAtMs = 0; }
    /// The session was reset (replay seeking backwards).
    void reset();
    /// Builds the graph and the stages again now.
    void rebuild();
    FlowMapView* view() const { return m_view; }
    StageFunnelView* funnel() const { return m_funnel; }
    QComboBox* rootBox() const { return m_root; }
    QCheckBox* byServiceBox() const { return m_byService; }
    QSpinBox* minCountBox() const { return m_minCount; }

Q_SIGNALS:
    /// The chains through an edge were asked for: the (cause, effect) type pairs it stands for.
    void chainsThroughRequested(const std::vector<std::pair<quint16, quint16>>& typePairs, const QString& label);
    /// A stage of the funnel was clicked: the chains of `root` that ended at `type`.
    void chainsEndedAtRequested(int root, int type, const QString& label);
    /// A box was clicked: the log filtered to its type ("type", name) or its service ("source", name).
    void filterRequested(const QString& field, const QString& value);

private:
    void fillRoots();

    const Session& m_session;
    FlowMapView* m_view;
    StageFunnelView* m_funnel;
    QComboBox* m_root;
    QCheckBox* m_byService;
    QSpinBox* m_minCount;
    QLabel* m_status;
    qint64 m_nowUs = 0;
    quint64 m_seenLinks = ~quint64(0);
    quint64 m_seenEvents = ~quint64(0);
    qint64 m_builtAtMs = 0; ///< steady clock of the last rebuild
    QTimer* m_due = nullptr; ///< the rebuild a refresh within the second left for later
    FlowGraph::History m_history;
};
