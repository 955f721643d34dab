// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

/// Unnamed files in EventScope's cache, for what would otherwise take the heap: a compressed capture's
/// decompressed bytes (ByteSpool) and a big session's records (RecordFile).
namespace ScratchFile {
/// EventScope's folder for them, in the user's cache (where saved indexes go too).
QString defaultDirectory();
/// Opens a file in `directory` (made if missing) that has no name (O_TMPFILE, else a named one unlinked
/// at once), so nothing is left behind whatever happens to the process. -1, with `error` saying why,
/// when the directory cannot hold one.
int openUnnamed(const QString& directory, QString* error);
/// Bytes an unprivileged writer may still use on the file system of `fd`; -1 when it cannot be told.
qint64 freeBytes(int fd);
/// Whether `fd` lies in memory (tmpfs, ramfs): its pages would never be given back to the system.
bool isInMemory(int fd);
/// The last system error, in words.
QString systemError();
} // namespace ScratchFile
