// SPDX-License-Identifier: MIT
#include "capturenotes.h"

#include "capturewriter.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>
#include <algorithm>

namespace {
constexpr qsizetype MaxNoteBytes = 64 * 1024; ///< a note's JSON; longer ones (hostile files) are skipped
constexpr std::size_t MaxNotes = 100000;

QByteArray toJson(const CaptureNotes::Note& n, bool removed)
{
    QJsonObject o { { QStringLiteral("id"), n.id }, { QStringLiteral("kind"), n.kind },
        { QStringLiteral("text"), n.text } };
    if (removed)
        o[QStringLiteral("removed")] = true;
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}
} // namespace

std::vector<CaptureNotes::Note> CaptureNotes::fold(const std::vector<std::pair<qint64, QByteArray>>& records)
{
    std::vector<Note> notes;
    int anonymous = 0;
    for (const auto& [timeUs, json] : records) {
        if (json.size() > MaxNoteBytes)
            continue;
        const QJsonObject o = QJsonDocument::fromJson(json).object();
        if (o.isEmpty())
            continue;
        Note n;
        n.timeUs = timeUs;
        n.id = o.value(QLatin1String("id")).toString();
        if (n.id.isEmpty())
            n.id = QStringLiteral("note-%1").arg(++anonymous); // written without one (the flight recorder's)
        n.kind = o.value(QLatin1String("kind")).toString() == QLatin1String("bookmark") ? QStringLiteral("bookmark")
                                                                                        : QStringLiteral("comment");
        n.text = o.value(QLatin1String("text")).toString().left(10000);
        const auto known = std::find_if(notes.begin(), notes.end(), [&](const Note& k) { return k.id == n.id; });
        if (o.value(QLatin1String("removed")).toBool()) {
            if (known != notes.end())
                notes.erase(known);
        } else if (known != notes.end()) {
            *known = n;
        } else if (notes.size() < MaxNotes) {
            notes.push_back(n);
        }
    }
    std::stable_sort(notes.begin(), notes.end(), [](const Note& a, const Note& b) { return a.timeUs < b.timeUs; });
    return notes;
}

void CaptureNotes::load(
    const QString& capturePath, const std::vector<std::pair<qint64, QByteArray>>& inFile, bool appendable)
{
    m_capture = capturePath;
    m_appendable = appendable;
    std::vector<std::pair<qint64, QByteArray>> records = inFile;
    QFile side(sidecarPath(capturePath));
    if (side.size() <= 64 * 1024 * 1024 && side.open(QIODevice::ReadOnly)) {
        // one {"time": µs, ...note} per line; what does not parse is skipped
        while (!side.atEnd()) {
            const QByteArray line = side.readLine(MaxNoteBytes + 1).trimmed();
            const QJsonObject o = QJsonDocument::fromJson(line).object();
            if (!o.isEmpty())
                records.emplace_back(qint64(o.value(QLatin1String("time")).toDouble()), line);
        }
    }
    m_notes = fold(records);
}

QString CaptureNotes::storePath() const { return m_appendable ? m_capture : sidecarPath(m_capture); }

bool CaptureNotes::append(const Note& note, bool removed, QString* error)
{
    if (m_appendable) {
        CaptureWriter out;
        if (!out.openForAppend(m_capture) || !out.writeAnnotation(note.timeUs, toJson(note, removed)) || !out.flush()) {
            *error = out.errorString();
            return false;
        }
        out.close();
        return true;
    }
    QFile side(sidecarPath(m_capture));
    if (!side.open(QIODevice::WriteOnly | QIODevice::Append)) {
        *error = QStringLiteral("cannot write %1: %2").arg(side.fileName(), side.errorString());
        return false;
    }
    QJsonObject o = QJsonDocument::fromJson(toJson(note, removed)).object();
    o[QStringLiteral("time")] = double(note.timeUs);
    const QByteArray line = QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    if (side.write(line) != line.size()) {
        *error = QStringLiteral("cannot write %1: %2").arg(side.fileName(), side.errorString());
        return false;
    }
    return true;
}

bool CaptureNotes::put(Note note, QString* error)
{
    if (note.id.isEmpty())
        note.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    if (note.kind != QLatin1String("comment"))
        note.kind = QStringLiteral("bookmark");
    if (!append(note, false, error))
        return false;
    const auto known = std::find_if(m_notes.begin(), m_notes.end(), [&](const Note& k) { return k.id == note.id; });
    if (known != m_notes.end())
        *known = note;
    else
        m_notes.push_back(note);
    std::stable_sort(m_notes.begin(), m_notes.end(), [](const Note& a, const Note& b) { return a.timeUs < b.timeUs; });
    return true;
}

bool CaptureNotes::remove(const QString& id, QString* error)
{
    const auto known = std::find_if(m_notes.begin(), m_notes.end(), [&](const Note& k) { return k.id == id; });
    if (known == m_notes.end())
        return true;
    if (!append(*known, true, error))
        return false;
    m_notes.erase(known);
    return true;
}
