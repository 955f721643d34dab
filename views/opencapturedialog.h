// SPDX-License-Identifier: MIT
#pragma once

#include "decodeas.h"

#include <QString>

class QWidget;

/// File > Open: Qt's own file dialog (a platform dialog takes no extra part) with "Decode as" below the
/// file list; a file chosen before starts with the choice made for it then (when `remembered`).
namespace OpenCaptureDialog {
/// False when cancelled, or when the "Decode as" choice is not valid (the user is told why).
bool ask(QWidget* parent, const QString& directory, bool remembered, QString* path, DecodeAs* decodeAs);
} // namespace OpenCaptureDialog
