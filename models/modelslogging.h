// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

/// The models library's messages, eventscope.models: warnings by default;
/// QT_LOGGING_RULES="eventscope.models.info=true" adds what it does (the session starting to drop batches).
Q_DECLARE_LOGGING_CATEGORY(lcModels)
