// SPDX-License-Identifier: MIT
#pragma once

#include <QLoggingCategory>

/// The models library's messages: warnings by default; QT_LOGGING_RULES="eventscope.models.info=true" adds
/// what it does (connections made and lost, layouts not restored).
Q_DECLARE_LOGGING_CATEGORY(lcModels)
