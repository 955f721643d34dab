// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <cstddef>

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
/// Whether `length` more bytes leave the disk of `fd` at least `keepFree` free (true when it cannot be
/// told); when not, `error` says so, naming `what` and its verb ("the spool leaves", "records leave") and `directory`.
bool hasRoom(int fd, quint64 length, quint64 keepFree, const QString& what, const QString& directory, QString* error);
/// Writes all `size` bytes at `offset` (pwrite, retried when interrupted): a full disk is an error
/// returned, never a fault on a mapped page. False with `error` ("no room" or the system's words).
bool writeAt(int fd, const char* bytes, std::size_t size, quint64 offset, QString* error);
/// Gives the disk space of `length` bytes at `offset` back (a hole), the file's size unchanged.
void punchHole(int fd, quint64 offset, quint64 length);
/// Whether `fd` lies in memory (tmpfs, ramfs): its pages would never be given back to the system.
bool isInMemory(int fd);
/// The last system error, in words.
QString systemError();
} // namespace ScratchFile
