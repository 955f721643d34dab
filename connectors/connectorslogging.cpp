// SPDX-License-Identifier: MIT
#include "connectorslogging.h"

Q_LOGGING_CATEGORY(lcConnectors, "eventscope.connectors", QtWarningMsg)
