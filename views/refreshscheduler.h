// SPDX-License-Identifier: MIT
#pragma once

#include <QObject>
#include <QString>
#include <functional>
#include <vector>

class QTimer;

/// Brings views up to date on a timer, never per event. The views are grouped in parts that take turns,
/// one part a tick, so no tick does all of their work at once (at 12 Hz and three parts each view
/// refreshes at 4 Hz: rates are per second, tables need no more). The time each view's last refresh took
/// is kept by name, for benchmarks.
class RefreshScheduler : public QObject
{
    Q_OBJECT
public:
    /// `now` gives the time the views are refreshed for (a replay's clock, or the wall clock live).
    RefreshScheduler(std::function<qint64()> now, QObject* parent);

    /// Refreshes a view in part `part` (0, 1, ...), in the order added; `name` keys its cost.
    void add(int part, const QString& name, std::function<void(qint64 nowUs)> refresh);
    void start(int intervalMs);
    /// Every part now, in order.
    void refreshAll();
    /// Microseconds the named view's last refresh took (0 before its first); "total": the last part's.
    qint64 lastCost(const QString& name) const;

private:
    void refreshPart(int part);

    struct View
    {
        int part;
        QString name;
        std::function<void(qint64)> refresh;
        qint64 costUs = 0;
    };
    std::function<qint64()> m_now;
    std::vector<View> m_views;
    QTimer* m_timer;
    int m_parts = 0;
    int m_next = 0;
    qint64 m_totalUs = 0;
};
