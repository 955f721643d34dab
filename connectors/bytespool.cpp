// SPDX-License-Identifier: MIT
#include "bytespool.h"

#include "scratchfile.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using ScratchFile::systemError;

class ByteSpool::File
{
public:
    File(int fd, QString directory)
        : fd(fd)
        , directory(std::move(directory))
    { }
    ~File() { ::close(fd); }
    const int fd;
    const QString directory;
};

class ByteSpool::Segment : public RawBlock
{
public:
    Segment(std::shared_ptr<File> file, const char* map, std::size_t length, quint64 offset)
        : m_file(std::move(file))
        , m_map(map)
        , m_length(length)
        , m_offset(offset)
    { }
    ~Segment() override
    {
        ::munmap(const_cast<char*>(m_map), m_length);
        // no event points here any more: the disk space goes back now, not when the file closes
        ScratchFile::punchHole(m_file->fd, m_offset, m_length);
    }
    const char* data() const override { return m_map; }
    std::size_t size() const override { return m_length; }
    bool isDecompressed() const override { return true; }
    quint64 offset() const { return m_offset; }

private:
    std::shared_ptr<File> m_file;
    const char* m_map;
    std::size_t m_length;
    quint64 m_offset;
};

QString ByteSpool::defaultDirectory() { return ScratchFile::defaultDirectory(); }

std::unique_ptr<ByteSpool> ByteSpool::create(
    const QString& directory, std::size_t segmentBytes, QString* error, quint64 keepFreeBytes)
{
    const int fd = ScratchFile::openUnnamed(directory, error);
    if (fd < 0)
        return nullptr;
    const std::size_t page = std::size_t(::sysconf(_SC_PAGESIZE));
    segmentBytes = std::max(page, (segmentBytes + page - 1) / page * page);
    return std::unique_ptr<ByteSpool>(
        new ByteSpool(std::make_shared<File>(fd, directory), segmentBytes, keepFreeBytes));
}

ByteSpool::ByteSpool(std::shared_ptr<File> file, std::size_t segmentBytes, quint64 keepFreeBytes)
    : m_file(std::move(file))
    , m_segmentBytes(segmentBytes)
    , m_keepFree(keepFreeBytes)
{ }

ByteSpool::~ByteSpool() = default;

bool ByteSpool::startSegment(std::size_t atLeast)
{
    const std::size_t page = std::size_t(::sysconf(_SC_PAGESIZE));
    const std::size_t length = std::max(m_segmentBytes, (atLeast + page - 1) / page * page);
    if (!ScratchFile::hasRoom(
            m_file->fd, length, m_keepFree, QStringLiteral("the spool leaves"), m_file->directory, &m_error))
        return false;
    // the file covers the whole segment (a hole until written), so no read of the mapping faults
    if (::ftruncate(m_file->fd, off_t(m_end + length)) != 0) {
        m_error = QStringLiteral("cannot grow the spool file in %1: %2").arg(m_file->directory, systemError());
        return false;
    }
    void* map = ::mmap(nullptr, length, PROT_READ, MAP_SHARED, m_file->fd, off_t(m_end));
    if (map == MAP_FAILED) {
        m_error = QStringLiteral("cannot map the spool file in %1: %2").arg(m_file->directory, systemError());
        return false;
    }
    m_segment = std::make_shared<Segment>(m_file, static_cast<const char*>(map), length, m_end);
    m_end += length;
    m_used = 0;
    return true;
}

std::shared_ptr<const RawBlock> ByteSpool::write(
    const char* bytes, std::size_t size, std::size_t padding, const char** at)
{
    if ((!m_segment || m_used + size + padding > m_segment->size()) && !startSegment(size + padding))
        return nullptr;
    const quint64 offset = m_segment->offset() + m_used;
    QString why;
    if (!ScratchFile::writeAt(m_file->fd, bytes, size, offset, &why)) {
        m_error = QStringLiteral("cannot write to the spool file in %1: %2").arg(m_file->directory, why);
        return nullptr;
    }
    *at = m_segment->data() + m_used;
    m_used += size;
    m_written += size;
    return m_segment;
}

quint64 ByteSpool::allocatedBytes() const
{
    struct stat st
    {
    };
    return ::fstat(m_file->fd, &st) == 0 ? quint64(st.st_blocks) * 512 : 0;
}
