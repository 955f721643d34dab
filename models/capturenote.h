// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// A bookmark or comment on a capture's timeline (CaptureNotes keeps them with the capture).
struct CaptureNote
{
    QString id; ///< a UUID; the same id in a later record replaces the note
    qint64 timeUs = 0; ///< where on the timeline (event time)
    QString kind; ///< "bookmark" or "comment"
    QString text;
};
