// SPDX-License-Identifier: MIT
#include "deadletterpanel.h"

#include "deadlettermodel.h"
#include "tablesetup.h"

#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

DeadLetterPanel::DeadLetterPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_model(new DeadLetterModel(session, this))
    , m_table(new QTableView(this))
{
    auto* sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(m_model);
    sorted->setSortRole(DeadLetterModel::SortRole);
    m_table->setModel(sorted);
    m_table->setObjectName(QStringLiteral("deadLetters"));
    m_table->setAccessibleName(tr("Dead letters"));
    setUpTable(m_table, 4);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(DeadLetterModel::TimeColumn, Qt::DescendingOrder);
    sizeColumnsToTypicalContent(m_table);
    m_table->horizontalHeader()->setStretchLastSection(true);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_table);
    const auto open = [this](const QModelIndex& i) {
        const QVariant chain = i.data(DeadLetterModel::ChainRole);
        if (!chain.isValid())
            return;
        const QVariant target = i.data(DeadLetterModel::TargetRole);
        Q_EMIT chainRequested(
            chain.toUInt(), target.isValid() ? target.toUInt() : i.data(DeadLetterModel::ReportRole).toUInt());
    };
    connect(m_table, &QTableView::doubleClicked, this, open);
    connect(m_table, &QTableView::activated, this, open);
}

DeadLetterPanel::~DeadLetterPanel() = default;

void DeadLetterPanel::refresh() { m_model->refresh(); }

void DeadLetterPanel::reset() { m_model->reset(); }

void DeadLetterPanel::selectReport(quint32 event)
{
    const QAbstractItemModel* shown = m_table->model();
    for (int row = 0; row < shown->rowCount(); ++row)
        if (shown->index(row, 0).data(DeadLetterModel::ReportRole).toUInt() == event) {
            m_table->selectRow(row);
            m_table->scrollTo(shown->index(row, 0));
            return;
        }
}
