// SPDX-License-Identifier: MIT
#include "notespanel.h"

#include "timestamp.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

NotesPanel::NotesPanel(QWidget* parent)
    : QWidget(parent)
    , m_table(new QTableWidget(0, 3, this))
    , m_edit(new QPushButton(tr("Edit..."), this))
    , m_remove(new QPushButton(tr("Remove"), this))
{
    setObjectName(QStringLiteral("notesPanel"));
    m_table->setHorizontalHeaderLabels({ tr("At"), tr("Kind"), tr("Text") });
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAccessibleName(tr("Bookmarks and comments"));
    auto* bookmark = new QPushButton(tr("Bookmark here"), this);
    bookmark->setToolTip(tr("A bookmark at the playhead (Ctrl+B)"));
    bookmark->setShortcut(QKeySequence(tr("Ctrl+B")));
    auto* comment = new QPushButton(tr("Comment here..."), this);
    comment->setToolTip(tr("A comment at the playhead (Ctrl+Shift+B)"));
    comment->setShortcut(QKeySequence(tr("Ctrl+Shift+B")));
    m_edit->setEnabled(false);
    m_remove->setEnabled(false);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(bookmark);
    buttons->addWidget(comment);
    buttons->addStretch(1);
    buttons->addWidget(m_edit);
    buttons->addWidget(m_remove);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(2, 2, 2, 2);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);

    connect(bookmark, &QPushButton::clicked, this, [this] { Q_EMIT addRequested(QStringLiteral("bookmark")); });
    connect(comment, &QPushButton::clicked, this, [this] { Q_EMIT addRequested(QStringLiteral("comment")); });
    connect(m_edit, &QPushButton::clicked, this, [this] {
        if (!selected().id.isEmpty())
            Q_EMIT editRequested(selected());
    });
    connect(m_remove, &QPushButton::clicked, this, [this] {
        if (!selected().id.isEmpty())
            Q_EMIT removeRequested(selected().id);
    });
    connect(m_table, &QTableWidget::itemSelectionChanged, this, [this] {
        const bool any = !selected().id.isEmpty();
        m_edit->setEnabled(any);
        m_remove->setEnabled(any);
    });
    connect(m_table, &QTableWidget::cellDoubleClicked, this, [this](int row) {
        if (row >= 0 && std::size_t(row) < m_notes.size())
            Q_EMIT seekRequested(m_notes[std::size_t(row)].timeUs);
    });
}

NotesPanel::~NotesPanel() = default;

void NotesPanel::setNotes(qint64 startUs, const std::vector<CaptureNote>& notes)
{
    m_startUs = startUs;
    m_notes = notes;
    m_table->setRowCount(int(notes.size()));
    for (std::size_t i = 0; i < notes.size(); ++i) {
        const CaptureNote& n = notes[i];
        const double offset = double(n.timeUs - startUs) / 1e6;
        auto* at = new QTableWidgetItem(QStringLiteral("+%1 s").arg(offset, 0, 'f', 3));
        at->setToolTip(Timestamp::toIso8601(n.timeUs));
        m_table->setItem(int(i), 0, at);
        m_table->setItem(
            int(i), 1, new QTableWidgetItem(n.kind == QLatin1String("bookmark") ? tr("Bookmark") : tr("Comment")));
        auto* text = new QTableWidgetItem(n.text);
        text->setToolTip(n.text);
        m_table->setItem(int(i), 2, text);
    }
    m_table->resizeColumnToContents(0);
    m_table->resizeColumnToContents(1);
}

CaptureNote NotesPanel::selected() const
{
    const int row = m_table->currentRow();
    if (row < 0 || std::size_t(row) >= m_notes.size() || m_table->selectedItems().isEmpty())
        return {};
    return m_notes[std::size_t(row)];
}
