// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <atomic>
#include <memory>

/// Where a big session's full chunks of records go instead of the heap (EventStore::setRecordDirectory()):
/// an unnamed file in EventScope's cache (ScratchFile). Each chunk's records are written to it with
/// pwrite() and mapped back, shared and writable, where the chunk goes on reading and changing them
/// (a later event's chain link, a flag): the kernel keeps those pages in its cache, writes them back and
/// drops them under pressure, so an hour of a busy bus costs the heap only what is not a record. The
/// process holds a region's pages while it reads them; release() hands them back (EventStore does so
/// in turn for all but its newest chunks).
///
/// Safe on a filling disk: pwrite() allocates the blocks, so a write through the mapping never meets a
/// full disk (which would be a SIGBUS); no chunk is written that would leave the disk with less than
/// keepFreeBytes, and a chunk that cannot be written stays on the heap. Never in memory (tmpfs), where
/// the pages would not be given back.
class RecordFile
{
public:
    static constexpr quint64 DefaultKeepFreeBytes = quint64(1) << 30;
    class Region;

    /// Opens one in `directory`. Null, with `error` saying why, when it cannot hold one.
    static std::shared_ptr<RecordFile> create(
        const QString& directory, QString* error, quint64 keepFreeBytes = DefaultKeepFreeBytes);
    RecordFile(const RecordFile&) = delete;
    RecordFile& operator=(const RecordFile&) = delete;

    /// Writes `size` bytes to the file, from the start of a page, and maps them: `*at` (page-aligned) is
    /// where they lie from now on, for as long as the returned handle lives; when it goes, they are
    /// unmapped and their disk space is given back. Null, with error() saying why, when the file
    /// cannot take them.
    std::shared_ptr<Region> put(const char* bytes, std::size_t size, char** at);
    QString error() const { return m_error; }
    /// Takes a region's pages out of this process's memory (its RSS) until they are read again: what was
    /// written through the mapping stays in the file, in the kernel's cache.
    static void release(Region& region);
    /// Bytes written and still held by a handle.
    quint64 bytesHeld() const { return m_held->load(std::memory_order_relaxed); }
    /// Bytes of its pages in this process's memory (its RSS, from /proc/self/smaps), not only in the
    /// kernel's cache: what reads brought in and release() has not handed back yet. Reads the whole
    /// smaps: for figures and tests, not for each event.
    quint64 bytesInProcess() const;

private:
    RecordFile(int fd, QString directory, quint64 keepFreeBytes);

    std::shared_ptr<const int> m_fd; ///< closed when the file and every region have gone
    const QString m_directory;
    const quint64 m_keepFree;
    quint64 m_end = 0; ///< where the next region goes
    std::shared_ptr<std::atomic<quint64>> m_held;
    QString m_error;
};
