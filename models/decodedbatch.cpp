// SPDX-License-Identifier: MIT
#include "decodedbatch.h"

QString MalformedRecord::describe(const QString& originName) const
{
    static const char* const units[] = { "line", "frame", "record", "document", "message" };
    QString where = originName + u' ' + QLatin1String(units[position.unit]) + u' ' + QString::number(position.number);
    if (element >= 0)
        where += QStringLiteral(" element %1").arg(element);
    if (position.byteOffset >= 0)
        where += QStringLiteral(" (byte %1)").arg(position.byteOffset);
    return where + QStringLiteral(": ") + reason;
}

std::string_view DecodedBatch::raw(const DecodedEvent& e) const
{
    if (e.rawExternal)
        return std::string_view(e.rawExternal, e.rawLength);
    return std::string_view(text).substr(e.rawTextOffset, e.rawLength);
}

TextRef DecodedBatch::store(std::string_view s)
{
    TextRef r { quint32(text.size()), quint32(s.size()) };
    text.append(s);
    return r;
}

void DecodedBatch::clear()
{
    events.clear();
    telemetry.clear();
    malformed.clear();
    text.clear();
    frames.clear();
    stableBlock.reset();
}
