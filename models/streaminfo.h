// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QStringList>
#include <QtGlobal>

/// A stream a broker keeps (JetStream's STREAM.LIST): what it holds, to pick one and a range of it.
struct StreamInfo
{
    QString name;
    QStringList subjects;
    quint64 messages = 0;
    quint64 bytes = 0;
    quint64 firstSeq = 0, lastSeq = 0;
    qint64 firstTimeUs = 0, lastTimeUs = 0; ///< when the first and last messages were stored (0: empty)
    quint64 consumers = 0;
};
