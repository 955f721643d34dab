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
