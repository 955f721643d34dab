// SPDX-License-Identifier: MIT
#pragma once

#include "decodedbatch.h"

#include <QString>
#include <memory>

/// Where a compressed capture's decompressed bytes go instead of the heap: an unnamed temporary file
/// (it has no name, so nothing is left behind, whatever happens to the process), read back through a
/// read-only shared mapping. Each batch's bytes are written to it and its events point into the
/// mapping, as a plain capture's point into its own: the session keeps no copy, and the kernel keeps
/// the pages in its cache, dropping them under pressure and reading them back from the disk.
///
/// The file is mapped in segments (RawBlock each). A segment no event points into any more (the
/// memory cap dropped them all) is unmapped and its disk space given back, and no segment is started
/// that would leave the disk with less than 1 GiB free: the spool never fills the user's disk (the
/// caller keeps the bytes in memory instead, under its cap). Writing uses pwrite(), so
/// a full disk is an error returned, never a fault on a mapped page; unwritten parts of a segment are
/// holes that read as zeros, so reading past the written bytes (simdjson's padding) is safe too.
class ByteSpool
{
public:
    static constexpr std::size_t DefaultSegmentBytes = std::size_t(64) << 20;
    /// No segment is started that would leave less than this free on the spool's file system.
    static constexpr quint64 DefaultKeepFreeBytes = quint64(1) << 30;

    /// Opens an unnamed file in `directory` (made if missing). Null, with `error` saying why, when
    /// the directory cannot hold one.
    static std::unique_ptr<ByteSpool> create(const QString& directory, std::size_t segmentBytes, QString* error,
        quint64 keepFreeBytes = DefaultKeepFreeBytes);
    /// The cache directory's spool folder (EventScope's cache, where saved indexes go too).
    static QString defaultDirectory();
    ~ByteSpool();
    ByteSpool(const ByteSpool&) = delete;
    ByteSpool& operator=(const ByteSpool&) = delete;

    /// Appends `size` bytes; `*at` is where they can be read, inside the returned segment, followed by at
    /// least `padding` readable bytes. Null when the file cannot take them (error() says why): the
    /// caller keeps the bytes some other way.
    std::shared_ptr<const RawBlock> write(const char* bytes, std::size_t size, std::size_t padding, const char** at);
    QString error() const { return m_error; }
    /// Bytes written so far.
    quint64 bytesWritten() const { return m_written; }
    /// Disk space the file takes now: what the segments still in use hold.
    quint64 allocatedBytes() const;

private:
    class File;
    class Segment;
    ByteSpool(std::shared_ptr<File> file, std::size_t segmentBytes, quint64 keepFreeBytes);
    bool startSegment(std::size_t atLeast);

    std::shared_ptr<File> m_file;
    std::size_t m_segmentBytes;
    quint64 m_keepFree;
    std::shared_ptr<Segment> m_segment;
    std::size_t m_used = 0; ///< bytes of m_segment written
    quint64 m_end = 0; ///< file offset where the next segment starts
    quint64 m_written = 0;
    QString m_error;
};
