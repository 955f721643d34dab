// SPDX-License-Identifier: MIT
#include "eventexport.h"

#include "chainreport.h"
#include "eventfilter.h"
#include "jsontext.h"
#include "session.h"
#include "timestamp.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QIODevice>
#include <QSaveFile>
#include <simdjson.h>

namespace {
QByteArray idOf(const Session& s, quint32 event) { return s.store().at(event).id.toString().toUtf8(); }

/// Compact JSON of one event: the bytes as received when they hold no line break, else minified.
QByteArray ndjsonLine(std::string_view raw)
{
    if (raw.find_first_of("\r\n") == std::string_view::npos)
        return QByteArray(raw.data(), qsizetype(raw.size()));
    QByteArray out(qsizetype(raw.size()), Qt::Uninitialized);
    std::size_t length = 0;
    if (simdjson::minify(raw.data(), raw.size(), out.data(), length) != simdjson::SUCCESS)
        return {}; // cannot happen for a stored event (each was parsed), but never write a broken line
    out.truncate(qsizetype(length));
    return out;
}

bool looksNumeric(const QByteArray& text)
{
    bool ok = false;
    text.toDouble(&ok);
    return ok;
}
} // namespace

QStringList EventExport::fixedCsvColumns()
{
    return { QStringLiteral("received"), QStringLiteral("timestamp"), QStringLiteral("type"), QStringLiteral("source"),
        QStringLiteral("id"), QStringLiteral("correlation_id"), QStringLiteral("causation_id"), QStringLiteral("seq"),
        QStringLiteral("origin") };
}

std::vector<quint32> EventExport::matching(const Session& session, const EventFilter& filter)
{
    std::vector<quint32> out;
    const EventStore& store = session.store();
    for (quint32 i = store.first(); i != store.end(); ++i)
        if (filter.isEmpty() || filter.matches(session, i))
            out.push_back(i);
    return out;
}

QByteArray EventExport::csvCell(const QByteArray& text)
{
    QByteArray cell = text;
    if (!cell.isEmpty() && QByteArrayView("=+-@\t\r").contains(cell.front()) && !looksNumeric(cell))
        cell.prepend('\'');
    if (cell.contains(',') || cell.contains('"') || cell.contains('\n') || cell.contains('\r')) {
        cell.replace("\"", "\"\"");
        cell = '"' + cell + '"';
    }
    return cell;
}

EventExport::Result EventExport::write(const Session& s, const std::vector<quint32>& events, Format format,
    QIODevice& out, const QStringList& fieldColumns)
{
    Result result;
    std::vector<std::string> paths;
    for (const QString& f : fieldColumns)
        paths.push_back(f.toStdString());
    QByteArray buffer;
    const auto flush = [&]() {
        if (!buffer.isEmpty() && out.write(buffer) != buffer.size() && result.error.isEmpty())
            result.error = out.errorString();
        buffer.clear();
        return result.error.isEmpty();
    };
    if (format == Format::Csv) {
        QStringList header = fixedCsvColumns() + fieldColumns;
        for (qsizetype i = 0; i < header.size(); ++i)
            buffer += (i ? "," : "") + csvCell(header[i].toUtf8());
        buffer += "\r\n";
    }
    const EventStore& store = s.store();
    std::string value;
    for (quint32 event : events) {
        if (!store.contains(event)) {
            ++result.gone;
            continue;
        }
        const EventRecord& r = store.at(event);
        const std::string_view raw = s.raw(event);
        if (format == Format::NdJson) {
            const QByteArray line = ndjsonLine(raw);
            if (line.isEmpty()) {
                ++result.gone;
                continue;
            }
            buffer += line;
            buffer += '\n';
        } else {
            QByteArray causation;
            if (r.parentDelta != 0 && store.contains(event + quint32(r.parentDelta)))
                causation = idOf(s, event + quint32(r.parentDelta));
            else if (r.has(EventRecord::HasCausation)
                && (JsonText::field(raw, "causationId", &value) || JsonText::field(raw, "causationid", &value)))
                causation = QByteArray::fromStdString(value);
            const QByteArray cells[]
                = { Timestamp::toIso8601(r.receiveTimeUs).toUtf8(), Timestamp::toIso8601(r.eventTimeUs).toUtf8(),
                      s.types().string(r.type).toUtf8(), s.sources().string(r.source).toUtf8(), idOf(s, event),
                      r.chain != EventRecord::NoChain ? s.chains().idText(r.chain).toUtf8() : QByteArray(), causation,
                      r.has(EventRecord::HasSeq) ? QByteArray::number(r.seq()) : QByteArray(),
                      s.originName(r.origin()).toUtf8() };
            bool first = true;
            for (const QByteArray& c : cells) {
                buffer += (first ? "" : ",") + csvCell(c);
                first = false;
            }
            for (const std::string& path : paths) {
                buffer += ',';
                if (JsonText::field(raw, path, &value))
                    buffer += csvCell(QByteArray::fromStdString(value));
            }
            buffer += "\r\n";
        }
        ++result.written;
        if (buffer.size() >= (1 << 20) && !flush())
            return result;
    }
    flush();
    return result;
}

bool EventExport::toFile(const Session& session, const std::vector<quint32>& events, int chain, const QString& path,
    const QStringList& fieldColumns, QString* message)
{
    const auto tr = [](const char* text) { return QCoreApplication::translate("EventExport", text); };
    const QString suffix = QFileInfo(path).suffix().toLower();
    const bool report = suffix == QLatin1String("txt");
    if (report && chain < 0) {
        *message = tr("A text report is written for a chain; choose .ndjson or .csv for events.");
        return false;
    }
    if (events.empty() && !report) {
        *message = tr("There are no events to export.");
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *message = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    Result result;
    if (report) {
        const QByteArray text = ChainReport::toText(session, chain).toUtf8();
        if (file.write(text) != text.size())
            result.error = file.errorString();
        result.written = events.size();
    } else {
        const Format format = suffix == QLatin1String("csv") ? Format::Csv : Format::NdJson;
        result = write(session, events, format, file, fieldColumns);
    }
    if (!result.error.isEmpty() || !file.commit()) {
        *message = tr("Cannot write %1: %2").arg(path, result.error.isEmpty() ? file.errorString() : result.error);
        return false;
    }
    *message = tr("Exported %L1 events to %2").arg(result.written).arg(QFileInfo(path).fileName());
    if (result.gone > 0)
        *message += tr(" (%L1 more had been dropped by the memory cap)").arg(result.gone);
    return true;
}
