// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class DeadLetterModel;
class QTableView;
class Session;

/// Every dead-lettered event with its reason and attempts; double-click (or Enter) opens its chain at
/// the event it is about.
class DeadLetterPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DeadLetterPanel(const Session& session, QWidget* parent = nullptr);
    ~DeadLetterPanel() override;

    void refresh();
    /// The session was reset (replay seeking backwards): start again empty.
    void reset();
    void selectReport(quint32 event);
    DeadLetterModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }

Q_SIGNALS:
    void chainRequested(quint32 chain, quint32 event);

private:
    DeadLetterModel* m_model;
    QTableView* m_table;
};
