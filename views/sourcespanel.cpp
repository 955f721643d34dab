// SPDX-License-Identifier: MIT
#include "sourcespanel.h"

#include "sourcestatsmodel.h"
#include "tablesetup.h"

#include <QFontMetrics>
#include <QHeaderView>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

SourcesPanel::SourcesPanel(const Session& session, QWidget* parent)
    : QWidget(parent)
    , m_model(new SourceStatsModel(session, this))
    , m_table(new QTableView(this))
{
    auto* sorted = new QSortFilterProxyModel(this);
    sorted->setSourceModel(m_model);
    sorted->setSortRole(SourceStatsModel::SortRole);
    sorted->setDynamicSortFilter(true);
    m_table->setModel(sorted);
    m_table->setObjectName(QStringLiteral("sources"));
    m_table->setAccessibleName(tr("Sources"));
    setUpTable(m_table, 4);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SourceStatsModel::EventsColumn, Qt::DescendingOrder);
    // the figures keep their width beside the name, whatever the dock's (a stretched last column would
    // put the p99 a screen away from its source)
    QHeaderView* header = m_table->horizontalHeader();
    sizeColumnsToTypicalContent(m_table);
    header->setStretchLastSection(false);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addWidget(m_table);
    const auto open = [this](const QModelIndex& i) {
        if (i.isValid())
            Q_EMIT sourceActivated(
                i.siblingAtColumn(SourceStatsModel::SourceColumn).data(SourceStatsModel::SortRole).toString());
    };
    connect(m_table, &QTableView::doubleClicked, this, open);
    connect(m_table, &QTableView::activated, this, open);
}

void SourcesPanel::refresh() { m_model->refresh(); }

void SourcesPanel::reset() { m_model->reset(); }
