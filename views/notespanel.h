// SPDX-License-Identifier: MIT
#pragma once

#include "capturenote.h"

#include <QWidget>

class QPushButton;
class QTableWidget;

/// A capture's bookmarks and comments, by time: add one at the playhead, edit, remove; a double-click
/// replays to it. What it shows is CaptureNotes' (kept with the capture).
class NotesPanel : public QWidget
{
    Q_OBJECT
public:
    explicit NotesPanel(QWidget* parent = nullptr);
    ~NotesPanel() override;

    /// The capture's start (offsets are shown from it) and its notes.
    void setNotes(qint64 startUs, const std::vector<CaptureNote>& notes);
    QTableWidget* table() const { return m_table; }
    /// The note in the selected row, or an empty id.
    CaptureNote selected() const;

Q_SIGNALS:
    void addRequested(const QString& kind);
    void editRequested(const CaptureNote& note);
    void removeRequested(const QString& id);
    void seekRequested(qint64 timeUs);

private:
    QTableWidget* m_table;
    QPushButton* m_edit;
    QPushButton* m_remove;
    std::vector<CaptureNote> m_notes;
    qint64 m_startUs = 0;
};
