// SPDX-License-Identifier: MIT
// Helpers shared by the tests of live connections.
#pragma once

#include "websocketsource.h"

/// Settings that retry and hand over quickly, so tests of reconnecting finish in a fraction of a second.
inline ConnectionSettings fastSettings(const QUrl& url)
{
    ConnectionSettings s;
    s.url = url;
    s.initialBackoffMs = 50;
    s.maxBackoffMs = 200;
    s.handOffMs = 20;
    return s;
}
