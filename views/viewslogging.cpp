// SPDX-License-Identifier: MIT
#include "viewslogging.h"

Q_LOGGING_CATEGORY(lcViews, "eventscope.views", QtWarningMsg)
