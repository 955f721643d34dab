// SPDX-License-Identifier: MIT
#include "refreshscheduler.h"

#include <QElapsedTimer>
#include <QTimer>
#include <algorithm>

RefreshScheduler::RefreshScheduler(std::function<qint64()> now, QObject* parent)
    : QObject(parent)
    , m_now(std::move(now))
    , m_timer(new QTimer(this))
{
    connect(m_timer, &QTimer::timeout, this, [this] {
        if (m_parts == 0)
            return;
        refreshPart(m_next);
        m_next = (m_next + 1) % m_parts;
    });
}

void RefreshScheduler::add(int part, const QString& name, std::function<void(qint64)> refresh)
{
    m_views.push_back({ part, name, std::move(refresh) });
    m_parts = std::max(m_parts, part + 1);
}

void RefreshScheduler::start(int intervalMs) { m_timer->start(intervalMs); }

void RefreshScheduler::refreshAll()
{
    for (int part = 0; part < m_parts; ++part)
        refreshPart(part);
}

void RefreshScheduler::refreshPart(int part)
{
    const qint64 now = m_now();
    QElapsedTimer clock;
    clock.start();
    qint64 mark = 0;
    for (View& v : m_views) {
        if (v.part != part)
            continue;
        v.refresh(now);
        const qint64 t = clock.nsecsElapsed() / 1000;
        v.costUs = t - mark;
        mark = t;
    }
    m_totalUs = mark;
}

qint64 RefreshScheduler::lastCost(const QString& name) const
{
    if (name == QLatin1String("total"))
        return m_totalUs;
    for (const View& v : m_views)
        if (v.name == name)
            return v.costUs;
    return 0;
}
