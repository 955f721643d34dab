// SPDX-License-Identifier: MIT
#include "demofeed.h"

#include "decodedbatch.h"

#include <QDateTime>

DemoFeed::DemoFeed(DemoGenerator::Options options, double eventsPerSecond, quint16 origin, QObject* parent)
    : QObject(parent)
    , m_generator(std::move(options))
    , m_rate(eventsPerSecond)
    , m_origin(origin)
{
    m_timer.setInterval(50);
    connect(&m_timer, &QTimer::timeout, this, &DemoFeed::tick);
}

DemoFeed::~DemoFeed() = default;

void DemoFeed::start()
{
    m_startUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    m_emitted = 0;
    m_timer.start();
}

void DemoFeed::stop()
{
    m_timer.stop();
}

void DemoFeed::tick()
{
    const qint64 nowUs = QDateTime::currentMSecsSinceEpoch() * 1000;
    const quint64 due = quint64(double(nowUs - m_startUs) / 1e6 * m_rate);
    if (due <= m_emitted)
        return;
    auto batch = std::make_shared<DecodedBatch>();
    QByteArray lines;
    while (m_emitted < due) {
        const qint64 at = m_startUs + qint64(double(m_emitted) * 1e6 / m_rate);
        if (!lines.isEmpty())
            lines.append('\n');
        m_generator.next(at, lines);
        ++m_emitted;
    }
    batch->frames.push_back(lines);
    const QByteArray& held = batch->frames.back();
    const char* p = held.constData();
    const char* end = p + held.size();
    while (p < end) {
        const char* nl = static_cast<const char*>(memchr(p, '\n', std::size_t(end - p)));
        const char* lineEnd = nl ? nl : end;
        SourcePosition pos { m_origin, SourcePosition::Frame, ++m_frame, -1 };
        m_decoder.decode(p, std::size_t(lineEnd - p), std::size_t(end - lineEnd), pos, nowUs, *batch);
        p = lineEnd + 1;
    }
    Q_EMIT batchReady(batch);
}
