// SPDX-License-Identifier: MIT
#include "tablesetup.h"

#include "sessiontablemodel.h"

#include <QHeaderView>
#include <QMenu>
#include <QStyle>
#include <QTableView>

void setUpTable(QTableView* table, int rowPadding)
{
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setWordWrap(false);
    // ids and names keep both ends: the start tells the kind, the end tells one from its neighbours
    table->setTextElideMode(Qt::ElideMiddle);
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

void sizeColumnsToTypicalContent(QTableView* table)
{
    const QAbstractItemModel* model = table->model();
    QHeaderView* header = table->horizontalHeader();
    const QFontMetrics cells = table->fontMetrics();
    const QFontMetrics titles = header->fontMetrics();
    // a cell's margins, and a title's with room for the sort arrow
    const int cellMargin = 2 * (table->style()->pixelMetric(QStyle::PM_FocusFrameHMargin, nullptr, table) + 1) + 8;
    const int titleMargin = 2 * table->style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header)
        + table->style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, header) + 8;
    for (int c = 0; c < model->columnCount(); ++c) {
        const QString typical = model->headerData(c, Qt::Horizontal, SessionTableModel::TypicalTextRole).toString();
        if (typical.isEmpty())
            continue;
        const QString title = model->headerData(c, Qt::Horizontal).toString();
        header->resizeSection(
            c, std::max(cells.horizontalAdvance(typical) + cellMargin, titles.horizontalAdvance(title) + titleMargin));
    }
}
