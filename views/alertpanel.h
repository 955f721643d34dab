// SPDX-License-Identifier: MIT
#pragma once

#include "alertmodel.h"

#include <QFrame>
#include <QWidget>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class ElidedLabel;
class QPushButton;
class QSpinBox;
class QTableView;

/// The alerts list with its thresholds. Activating an alert asks for its evidence.
class AlertPanel : public QWidget
{
    Q_OBJECT
public:
    AlertPanel(AlertModel* model, QWidget* parent = nullptr);
    ~AlertPanel() override;

    void setRules(const AlertRules& rules);
    AlertRules rules() const;
    QTableView* table() const { return m_table; }

Q_SIGNALS:
    void evidenceRequested(int alertRow);
    void rulesChanged(const AlertRules& rules);

private:
    AlertModel* m_model;
    QTableView* m_table;
    QCheckBox* m_breakers;
    QCheckBox* m_schemas;
    QSpinBox* m_silentAfter;
    QDoubleSpinBox* m_silentRate;
    QSpinBox* m_deadLetters;
    QSpinBox* m_consumerLag;
    QSpinBox* m_redeliveries;
};

/// A banner across the top of the window for the newest alert: what happened, a button to its
/// evidence, and dismiss.
class AlertBanner : public QFrame
{
    Q_OBJECT
public:
    explicit AlertBanner(QWidget* parent = nullptr);
    ~AlertBanner() override;

    void showAlert(int row, const Alert& alert, int unseen);
    QString text() const;
    int alertRow() const { return m_row; }

Q_SIGNALS:
    void evidenceRequested(int alertRow);

private:
    ElidedLabel* m_text;
    QPushButton* m_show;
    int m_row = -1;
};
