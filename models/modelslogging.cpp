// SPDX-License-Identifier: MIT
#include "modelslogging.h"

Q_LOGGING_CATEGORY(lcModels, "eventscope.models", QtWarningMsg)
