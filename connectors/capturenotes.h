// SPDX-License-Identifier: MIT
#pragma once

#include "capturenote.h"

#include <QByteArray>
#include <QString>
#include <utility>
#include <vector>

/// Bookmarks and comments on a capture's timeline, kept with the capture. In an EventScope capture they
/// are annotation records appended to the file itself (append-only, as the format is: an edit or a
/// removal is a newer record with the same id). Other files (NDJSON, JSON, HAR, compressed or damaged
/// captures) are never modified: their notes go to a file beside them, FILE.notes.ndjson, one JSON
/// object per line in the same form.
class CaptureNotes
{
public:
    using Note = CaptureNote;

    /// The notes of `capturePath`: those in the file (`inFile`, from CaptureReader::annotations()) and
    /// those beside it. `appendable`: the capture is a plain, undamaged EventScope capture, so new
    /// notes go into it.
    void load(const QString& capturePath, const std::vector<std::pair<qint64, QByteArray>>& inFile, bool appendable);
    const std::vector<Note>& notes() const { return m_notes; }
    /// Where new notes are written.
    QString storePath() const;
    /// The capture (and the notes file beside it, if any) moved to `capturePath`.
    void relocate(const QString& capturePath) { m_capture = capturePath; }

    /// Adds (a new id) or replaces (a known id) a note, written at once; false with `error` when it cannot be.
    bool put(Note note, QString* error);
    bool remove(const QString& id, QString* error);

    static QString sidecarPath(const QString& capturePath) { return capturePath + QStringLiteral(".notes.ndjson"); }
    /// Folds annotation records in order: the last record of an id wins, a removed one goes.
    static std::vector<Note> fold(const std::vector<std::pair<qint64, QByteArray>>& records);

private:
    bool append(const Note& note, bool removed, QString* error);

    QString m_capture;
    bool m_appendable = false;
    std::vector<Note> m_notes; ///< by time
};
