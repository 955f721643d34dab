// SPDX-License-Identifier: MIT
#include "recordfile.h"

#include "scratchfile.h"

#include <QFile>
#include <algorithm>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/// One put(): its mapping and its blocks, both given back when it goes. Holds the descriptor open.
class RecordFile::Region
{
public:
    Region(std::shared_ptr<const int> fd, std::shared_ptr<std::atomic<quint64>> held, void* map, std::size_t length,
        quint64 offset)
        : m_fd(std::move(fd))
        , m_held(std::move(held))
        , m_map(map)
        , m_length(length)
        , m_offset(offset)
    {
        m_held->fetch_add(length, std::memory_order_relaxed);
    }
    ~Region()
    {
        ::munmap(m_map, m_length);
        ScratchFile::punchHole(*m_fd, m_offset, m_length);
        m_held->fetch_sub(m_length, std::memory_order_relaxed);
    }
    // a shared mapping's written pages go to the file's pages in the cache first, so nothing is lost
    void release() { ::madvise(m_map, m_length, MADV_DONTNEED); }
    Region(const Region&) = delete;
    Region& operator=(const Region&) = delete;

private:
    std::shared_ptr<const int> m_fd;
    std::shared_ptr<std::atomic<quint64>> m_held;
    void* m_map;
    std::size_t m_length;
    quint64 m_offset;
};

void RecordFile::release(Region& region) { region.release(); }

quint64 RecordFile::bytesInProcess() const
{
    struct stat st
    {
    };
    QFile smaps(QStringLiteral("/proc/self/smaps"));
    if (::fstat(*m_fd, &st) != 0 || !smaps.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray inode = QByteArray::number(qulonglong(st.st_ino));
    quint64 kib = 0;
    bool ours = false;
    for (const QByteArray& line : smaps.readAll().split('\n')) {
        const QList<QByteArray> fields = line.simplified().split(' ');
        // a mapping's first line: address range, permissions, offset, device, inode, name
        if (fields[0].contains('-') && !fields[0].endsWith(':'))
            ours = fields.size() >= 6 && fields[4] == inode && fields[5].startsWith(QFile::encodeName(m_directory));
        else if (ours && fields.size() >= 2 && fields[0] == "Rss:")
            kib += fields[1].toULongLong();
    }
    return kib * 1024;
}

std::shared_ptr<RecordFile> RecordFile::create(const QString& directory, QString* error, quint64 keepFreeBytes)
{
    const int fd = ScratchFile::openUnnamed(directory, error);
    if (fd < 0)
        return nullptr;
    if (ScratchFile::isInMemory(fd)) {
        ::close(fd);
        *error = QStringLiteral("%1 is in memory (tmpfs): records there would not leave it").arg(directory);
        return nullptr;
    }
    return std::shared_ptr<RecordFile>(new RecordFile(fd, directory, keepFreeBytes));
}

RecordFile::RecordFile(int fd, QString directory, quint64 keepFreeBytes)
    : m_fd(new int(fd),
        [](const int* fd) {
            ::close(*fd);
            delete fd;
        })
    , m_directory(std::move(directory))
    , m_keepFree(keepFreeBytes)
    , m_held(std::make_shared<std::atomic<quint64>>(0))
{ }

std::shared_ptr<RecordFile::Region> RecordFile::put(const char* bytes, std::size_t size, char** at)
{
    const std::size_t page = std::size_t(::sysconf(_SC_PAGESIZE));
    const std::size_t length = (size + page - 1) / page * page;
    if (!ScratchFile::hasRoom(*m_fd, length, m_keepFree, QStringLiteral("records leave"), m_directory, &m_error))
        return nullptr;
    // the rest of the last page is written too (zeros), so every byte of the mapping has its block
    static const char zeros[4096] = {};
    QString why;
    // In pieces of 64 KiB: the kernel caches a write in pieces of about its size (folios), and a read
    // through the mapping brings a whole piece into the process's memory, with at least 64 KiB around it
    // (fault-around). A chunk written at once would come back whole at the first read of one record.
    constexpr std::size_t Piece = 64 * 1024;
    bool written = true;
    for (std::size_t done = 0; written && done < size; done += Piece)
        written = ScratchFile::writeAt(*m_fd, bytes + done, std::min(Piece, size - done), m_end + done, &why);
    for (std::size_t done = size; written && done < length; done += sizeof zeros)
        written = ScratchFile::writeAt(*m_fd, zeros, std::min(length - done, sizeof zeros), m_end + done, &why);
    if (!written) {
        m_error = QStringLiteral("cannot write records to %1: %2").arg(m_directory, why);
        ScratchFile::punchHole(*m_fd, m_end, length);
        return nullptr;
    }
    void* map = ::mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_SHARED, *m_fd, off_t(m_end));
    if (map == MAP_FAILED) {
        m_error = QStringLiteral("cannot map records in %1: %2").arg(m_directory, ScratchFile::systemError());
        ScratchFile::punchHole(*m_fd, m_end, length);
        return nullptr;
    }
    *at = static_cast<char*>(map);
    auto region = std::make_shared<Region>(m_fd, m_held, map, length, m_end);
    m_end += length;
    return region;
}
