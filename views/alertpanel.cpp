// SPDX-License-Identifier: MIT
#include "alertpanel.h"

#include "elidedlabel.h"
#include "ratetracker.h"
#include "tablesetup.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QToolButton>
#include <QVBoxLayout>

AlertPanel::AlertPanel(AlertModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_table(new QTableView(this))
    , m_breakers(new QCheckBox(tr("when a breaker opens"), this))
    , m_schemas(new QCheckBox(tr("when a type's payloads start breaking its schema, or change shape"), this))
    , m_silentAfter(new QSpinBox(this))
    , m_silentRate(new QDoubleSpinBox(this))
    , m_deadLetters(new QSpinBox(this))
    , m_consumerLag(new QSpinBox(this))
    , m_redeliveries(new QSpinBox(this))
{
    m_table->setModel(model);
    m_table->setObjectName(QStringLiteral("alerts"));
    m_table->setAccessibleName(tr("Alerts"));
    setUpTable(m_table);
    m_table->horizontalHeader()->setStretchLastSection(true);
    sizeColumnsToTypicalContent(m_table);
    // the shortest quiet spell told is RateTracker::MinQuietUs: the step below it is "never"
    constexpr int shortest = int(RateTracker::MinQuietUs / 1000000);
    m_silentAfter->setRange(shortest - 1, 3600);
    m_silentAfter->setSuffix(tr(" s quiet"));
    m_silentAfter->setSpecialValueText(tr("never"));
    m_silentRate->setRange(0.01, 100000);
    m_silentRate->setSuffix(tr(" /s before"));
    m_deadLetters->setRange(0, 1000000);
    m_deadLetters->setSuffix(tr(" in 10 s"));
    m_deadLetters->setSpecialValueText(tr("never"));
    m_consumerLag->setRange(0, 86400);
    m_consumerLag->setSuffix(tr(" s growing"));
    m_consumerLag->setSpecialValueText(tr("never"));
    m_redeliveries->setRange(0, 1000000000);
    m_redeliveries->setSuffix(tr(" in 10 s"));
    m_redeliveries->setSpecialValueText(tr("never"));
    auto* form = new QFormLayout;
    form->addRow(tr("Alert"), m_breakers);
    auto* silent = new QHBoxLayout;
    silent->addWidget(m_silentAfter);
    silent->addWidget(new QLabel(tr("after averaging at least"), this));
    silent->addWidget(m_silentRate);
    form->addRow(tr("A type went silent:"), silent);
    form->addRow(tr("Dead letters rise:"), m_deadLetters);
    form->addRow(QString(), m_schemas);
    form->addRow(tr("A consumer's lag grows:"), m_consumerLag);
    form->addRow(tr("Redeliveries rise:"), m_redeliveries);
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_table, 3);
    layout->addLayout(form, 2);
    setRules(model->rules());

    connect(
        m_table, &QTableView::doubleClicked, this, [this](const QModelIndex& i) { Q_EMIT evidenceRequested(i.row()); });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex& i) { Q_EMIT evidenceRequested(i.row()); });
    const auto changed = [this] {
        m_model->setRules(rules());
        Q_EMIT rulesChanged(rules());
    };
    connect(m_breakers, &QCheckBox::toggled, this, changed);
    connect(m_schemas, &QCheckBox::toggled, this, changed);
    connect(m_silentAfter, &QSpinBox::valueChanged, this, changed);
    connect(m_silentRate, &QDoubleSpinBox::valueChanged, this, changed);
    connect(m_deadLetters, &QSpinBox::valueChanged, this, changed);
    connect(m_consumerLag, &QSpinBox::valueChanged, this, changed);
    connect(m_redeliveries, &QSpinBox::valueChanged, this, changed);
}

AlertPanel::~AlertPanel() = default;

void AlertPanel::setRules(const AlertRules& rules)
{
    m_breakers->setChecked(rules.breakerOpened);
    m_schemas->setChecked(rules.schemaViolated);
    m_silentAfter->setValue(rules.silentAfterSeconds == 0 ? m_silentAfter->minimum() : rules.silentAfterSeconds);
    m_silentRate->setValue(rules.silentMinRate);
    m_deadLetters->setValue(rules.deadLettersPer10s);
    m_consumerLag->setValue(rules.consumerLagSeconds);
    m_redeliveries->setValue(rules.redeliveriesPer10s);
    m_model->setRules(rules);
}

AlertRules AlertPanel::rules() const
{
    AlertRules r;
    r.breakerOpened = m_breakers->isChecked();
    r.schemaViolated = m_schemas->isChecked();
    r.silentAfterSeconds = m_silentAfter->value() == m_silentAfter->minimum() ? 0 : m_silentAfter->value();
    r.silentMinRate = m_silentRate->value();
    r.deadLettersPer10s = m_deadLetters->value();
    r.consumerLagSeconds = m_consumerLag->value();
    r.redeliveriesPer10s = m_redeliveries->value();
    return r;
}

AlertBanner::AlertBanner(QWidget* parent)
    : QFrame(parent)
    , m_text(new ElidedLabel(this))
    , m_show(new QPushButton(tr("Show evidence"), this))
{
    setObjectName(QStringLiteral("alertBanner"));
    setAccessibleName(tr("Alert"));
    setStyleSheet(QStringLiteral("#alertBanner { background: #c62828; border-radius: 3px; }"
                                 "#alertBanner QLabel { color: white; font-weight: bold; }"));
    m_text->setTextFormat(Qt::PlainText);
    auto* dismiss = new QToolButton(this);
    dismiss->setText(tr("Dismiss"));
    dismiss->setAutoRaise(true);
    dismiss->setStyleSheet(QStringLiteral("color: white;"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 8, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_show);
    layout->addWidget(dismiss);
    hide();
    connect(m_show, &QPushButton::clicked, this, [this] { Q_EMIT evidenceRequested(m_row); });
    connect(dismiss, &QToolButton::clicked, this, &QWidget::hide);
}

AlertBanner::~AlertBanner() = default;

void AlertBanner::showAlert(int row, const Alert& alert, int unseen)
{
    m_row = row;
    QString text = QStringLiteral("\u26a0 ") + alert.text;
    if (unseen > 1)
        text += tr("   (+%1 more in Alerts)").arg(unseen - 1);
    m_text->setFullText(text);
    m_show->setVisible(alert.event != 0xFFFFFFFFu || alert.breaker >= 0 || alert.type >= 0);
    show();
}

QString AlertBanner::text() const { return m_text->text(); }
