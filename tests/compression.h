// SPDX-License-Identifier: MIT
#pragma once
// gzip and zstd in memory, for tests that write compressed captures (link ZLIB::ZLIB and PkgConfig::ZSTD).

#include <QByteArray>
#include <zlib.h>
#include <zstd.h>

inline QByteArray gzip(const QByteArray& in)
{
    z_stream zs {};
    deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
    QByteArray out(int(deflateBound(&zs, uLong(in.size()))) + 64, '\0');
    zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.constData()));
    zs.avail_in = uInt(in.size());
    zs.next_out = reinterpret_cast<Bytef*>(out.data());
    zs.avail_out = uInt(out.size());
    deflate(&zs, Z_FINISH);
    out.resize(qsizetype(zs.total_out));
    deflateEnd(&zs);
    return out;
}

inline QByteArray zstd(const QByteArray& in)
{
    QByteArray out(qsizetype(ZSTD_compressBound(std::size_t(in.size()))), '\0');
    out.resize(
        qsizetype(ZSTD_compress(out.data(), std::size_t(out.size()), in.constData(), std::size_t(in.size()), 3)));
    return out;
}
