// SPDX-License-Identifier: MIT
#include "tablesetup.h"

#include <QHeaderView>
#include <QMenu>
#include <QTableView>

void setUpTable(QTableView* table, int rowPadding)
{
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setWordWrap(false);
    QHeaderView* rows = table->verticalHeader();
    rows->hide();
    rows->setSectionResizeMode(QHeaderView::Fixed);
    rows->setDefaultSectionSize(table->fontMetrics().height() + rowPadding);

    QHeaderView* header = table->horizontalHeader();
    header->setContextMenuPolicy(Qt::CustomContextMenu);
    QObject::connect(header, &QHeaderView::customContextMenuRequested, table, [table, header](const QPoint& pos) {
        QMenu menu(table);
        const QAbstractItemModel* model = table->model();
        int shown = 0;
        for (int c = 0; c < model->columnCount(); ++c)
            shown += !header->isSectionHidden(c);
        for (int c = 0; c < model->columnCount(); ++c) {
            QAction* a = menu.addAction(model->headerData(c, Qt::Horizontal).toString());
            a->setCheckable(true);
            a->setChecked(!header->isSectionHidden(c));
            a->setEnabled(header->isSectionHidden(c) || shown > 1);
            QObject::connect(a, &QAction::toggled, table, [header, c](bool on) { header->setSectionHidden(c, !on); });
        }
        menu.exec(header->mapToGlobal(pos));
    });
}
