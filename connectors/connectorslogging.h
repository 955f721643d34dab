// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

/// The connectors library's messages, eventscope.connectors: warnings by default;
/// QT_LOGGING_RULES="eventscope.connectors.info=true" adds what it does (connections made and lost).
Q_DECLARE_LOGGING_CATEGORY(lcConnectors)
