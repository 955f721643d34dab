// SPDX-License-Identifier: MIT
#include "connectionsettings.h"

#include <QDateTime>
#include <algorithm>

QString ConnectionStatus::stateName(State s)
{
    switch (s) {
    case Idle:
        return QStringLiteral("idle");
    case Connecting:
        return QStringLiteral("connecting");
    case Live:
        return QStringLiteral("live");
    case Reconnecting:
        return QStringLiteral("reconnecting");
    case Failed:
        return QStringLiteral("failed");
    case Finished:
        return QStringLiteral("finished");
    }
    return {};
}

QString ConnectionStatus::describe() const
{
    switch (state) {
    case Reconnecting: {
        const qint64 inMs = std::max<qint64>(0, retryAtMs - QDateTime::currentMSecsSinceEpoch());
        return QStringLiteral("reconnecting in %1 s (attempt %2%3)")
            .arg(double(inMs) / 1000.0, 0, 'f', 1)
            .arg(attempt)
            .arg(lastError.isEmpty() ? QString() : QStringLiteral(", last error: ") + lastError);
    }
    case Failed:
        return QStringLiteral("failed: ") + lastError;
    case Finished:
        return QStringLiteral("finished: ") + lastError;
    case Connecting:
        return attempt > 0 ? QStringLiteral("connecting (attempt %1%2)")
                                 .arg(attempt)
                                 .arg(lastError.isEmpty() ? QString() : QStringLiteral(", last error: ") + lastError)
                           : QStringLiteral("connecting");
    default:
        return stateName(state);
    }
}
