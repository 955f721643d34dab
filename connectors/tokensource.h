// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// Where a bearer token comes from without showing in `ps`: a file of its own (readable by its owner
/// only), or the EVENTSCOPE_TOKEN environment variable; --token on the command line still works.
namespace TokenSource {
/// The token: `given` (--token) if set, else the first line of `file` (--token-file) if set, else
/// $EVENTSCOPE_TOKEN, else empty. False, with `error` saying why, when the file cannot be read, is
/// readable by its group or others, or is not a regular file.
bool read(const QString& given, const QString& file, QString* token, QString* error);
} // namespace TokenSource
