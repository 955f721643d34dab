// SPDX-License-Identifier: MIT
#pragma once

class QTableView;

/// How every table of the dashboard behaves: whole rows selected one at a time, no row header (and no
/// per-row sizes to keep up to date: rows are `rowPadding` pixels taller than the font), no word wrap,
/// and a right-click on the column header to show or hide columns (at least one stays; the choice lives
/// in the header's state, so it persists wherever that is saved).
void setUpTable(QTableView* table, int rowPadding = 4);

/// Gives each column the width of its model's typical value (SessionTableModel::TypicalTextRole) or of
/// its title with the sort arrow, whichever is wider, in the table's own fonts (so it holds at any
/// scale). Columns without a typical value keep their width. For a table's first show: a saved header
/// state restored afterwards keeps the user's widths.
void sizeColumnsToTypicalContent(QTableView* table);
