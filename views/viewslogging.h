// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

/// The views library's messages, eventscope.views: warnings by default;
/// QT_LOGGING_RULES="eventscope.views.info=true" adds what it does (a saved window layout that does not fit).
Q_DECLARE_LOGGING_CATEGORY(lcViews)
