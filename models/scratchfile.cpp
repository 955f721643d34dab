// SPDX-License-Identifier: MIT
#include "scratchfile.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/statvfs.h>
#include <sys/vfs.h>
#include <unistd.h>

QString ScratchFile::defaultDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::GenericCacheLocation) + QStringLiteral("/EventScope/spool");
}

QString ScratchFile::systemError() { return QString::fromLocal8Bit(std::strerror(errno)); }

int ScratchFile::openUnnamed(const QString& directory, QString* error)
{
    if (!QDir().mkpath(directory)) {
        *error = QStringLiteral("cannot make %1").arg(directory);
        return -1;
    }
    const QByteArray dir = QFile::encodeName(directory);
    int fd = ::open(dir.constData(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0 && (errno == EOPNOTSUPP || errno == EISDIR || errno == EINVAL)) {
        // a file system without O_TMPFILE: a named file, unlinked at once
        QByteArray name = dir + "/spool-XXXXXX";
        fd = ::mkostemp(name.data(), O_CLOEXEC);
        if (fd >= 0)
            ::unlink(name.constData());
    }
    if (fd < 0)
        *error = QStringLiteral("cannot make a file in %1: %2").arg(directory, systemError());
    return fd;
}

qint64 ScratchFile::freeBytes(int fd)
{
    struct statvfs fs
    {
    };
    if (::fstatvfs(fd, &fs) != 0)
        return -1;
    return qint64(quint64(fs.f_bavail) * fs.f_frsize);
}

bool ScratchFile::isInMemory(int fd)
{
    struct statfs fs
    {
    };
    return ::fstatfs(fd, &fs) == 0 && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC);
}

bool ScratchFile::hasRoom(
    int fd, quint64 length, quint64 keepFree, const QString& what, const QString& directory, QString* error)
{
    const qint64 free = freeBytes(fd);
    if (free < 0 || (quint64(free) >= length && quint64(free) - length >= keepFree))
        return true;
    *error = QStringLiteral("the disk of %1 has %2 MiB free, and %3 at least %4 MiB")
                 .arg(directory)
                 .arg(free >> 20)
                 .arg(what)
                 .arg(keepFree >> 20);
    return false;
}

bool ScratchFile::writeAt(int fd, const char* bytes, std::size_t size, quint64 offset, QString* error)
{
    std::size_t done = 0;
    while (done < size) {
        const ssize_t n = ::pwrite(fd, bytes + done, size - done, off_t(offset + done));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            *error = n < 0 ? systemError() : QStringLiteral("no room");
            return false;
        }
        done += std::size_t(n);
    }
    return true;
}

void ScratchFile::punchHole(int fd, quint64 offset, quint64 length)
{
    ::fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, off_t(offset), off_t(length));
}
