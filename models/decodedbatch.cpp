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
    schemaBreaches.clear();
    shapes.clear();
    shapeDescriptions.clear();
    malformed.clear();
    skewed.clear();
    consumers.clear();
    text.clear();
    frames.clear();
    stableBlock.reset();
}

void DecodedBatch::ownExternalBytes()
{
    const auto inside
        = [](const char* p, const char* begin, std::size_t size) { return p >= begin && p < begin + size; };
    // events come in their frames' order: the frame of the previous event is where to look first, so
    // a batch of one frame per event costs one look each, not one per frame
    std::size_t frame = 0;
    const auto inAFrame = [&](const char* p) {
        for (std::size_t n = 0; n < frames.size(); ++n, frame = (frame + 1) % frames.size())
            if (inside(p, frames[frame].constData(), std::size_t(frames[frame].size())))
                return true;
        return false;
    };
    for (DecodedEvent& e : events) {
        if (!e.rawExternal)
            continue;
        if (stableBlock && inside(e.rawExternal, stableBlock->data(), stableBlock->size()))
            continue;
        if (inAFrame(e.rawExternal))
            continue;
        e.rawTextOffset = store(std::string_view(e.rawExternal, e.rawLength)).offset;
        e.rawExternal = nullptr;
    }
}
