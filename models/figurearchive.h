// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <algorithm>
#include <cstring>
#include <deque>
#include <string_view>
#include <type_traits>
#include <vector>

class StringPool;

/// The trackers' figures in a saved index (SessionIndex's FIGS section, docs/capture-format.md): each
/// tracker lists its own fields once, in a template over the direction,
///
///     template<class Archive, class Self> static void figures(Archive& a, Self& self);
///
/// instantiated with a FigureWriter and a const tracker to save, and with a FigureReader and the tracker
/// to restore, so what is written and what is read cannot drift apart. Values are written as the
/// machine holds them (the index is little-endian only). The reader checks every count against the
/// bytes left and its bound; what the values name (types, chains, slots) each tracker checks itself,
/// after reading, before anything uses them.
class FigureWriter
{
public:
    static constexpr bool Reading = false;

    template<typename T>
    void value(const T& v)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        bytes.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    template<typename... T>
    void fields(const T&... v)
    {
        (value(v), ...);
    }
    template<typename T>
    void array(const T* data, std::size_t n)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        if (n != 0)
            bytes.append(reinterpret_cast<const char*>(data), qsizetype(n * sizeof(T)));
    }
    /// The number of items that follow (the reader takes at most `max`, each of at least `itemBytes`).
    std::size_t size(std::size_t n, std::size_t /*itemBytes*/, std::size_t /*max*/)
    {
        value(quint64(n));
        return n;
    }
    template<typename T>
    void values(const std::vector<T>& v, std::size_t max)
    {
        size(v.size(), sizeof(T), max);
        array(v.data(), v.size());
    }
    template<typename T>
    void values(const std::deque<T>& v, std::size_t max)
    {
        size(v.size(), sizeof(T), max);
        for (const T& item : v)
            value(item);
    }
    void tag(const char (&t)[5]) { bytes.append(t, 4); }
    void text(std::string_view t)
    {
        value(quint32(t.size()));
        bytes.append(t.data(), qsizetype(t.size()));
    }

    QByteArray bytes;
};

class FigureReader
{
public:
    static constexpr bool Reading = true;

    FigureReader(const char* begin, const char* end)
        : m_p(begin)
        , m_end(end)
    { }

    template<typename T>
    void value(T& v)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        array(&v, 1);
    }
    template<typename... T>
    void fields(T&... v)
    {
        (value(v), ...);
    }
    template<typename T>
    void array(T* data, std::size_t n)
    {
        static_assert(std::is_trivially_copyable_v<T>);
        if (!ok() || n == 0)
            return; // (an empty vector's data() may be null, which memcpy may not be given)
        if (std::size_t(m_end - m_p) / sizeof(T) < n) {
            fail(QStringLiteral("they end early"));
            return;
        }
        std::memcpy(static_cast<void*>(data), m_p, n * sizeof(T));
        m_p += n * sizeof(T);
    }
    /// A count of items of at least `itemBytes` each, at most `max`: 0 (and failed) when the bytes left
    /// cannot hold them, so that a hostile count never allocates.
    std::size_t size(std::size_t /*written*/, std::size_t itemBytes, std::size_t max)
    {
        quint64 n = 0;
        value(n);
        if (ok() && (n > max || n > std::size_t(m_end - m_p) / std::max<std::size_t>(itemBytes, 1)))
            fail(QStringLiteral("a count of %1 cannot be").arg(n));
        return ok() ? std::size_t(n) : 0;
    }
    template<typename T>
    void values(std::vector<T>& v, std::size_t max)
    {
        v.resize(size(0, sizeof(T), max));
        array(v.data(), v.size());
    }
    template<typename T>
    void values(std::deque<T>& v, std::size_t max)
    {
        const std::size_t n = size(0, sizeof(T), max);
        v.clear();
        for (std::size_t i = 0; i < n && ok(); ++i)
            value(v.emplace_back());
    }
    void tag(const char (&t)[5])
    {
        char got[4] = {};
        array(got, 4);
        if (ok() && std::memcmp(got, t, 4) != 0)
            fail(QStringLiteral("%1 expected").arg(QLatin1String(t, 4)));
    }

    std::string_view text(std::size_t max)
    {
        quint32 n = 0;
        value(n);
        if (ok() && (n > max || n > std::size_t(m_end - m_p)))
            fail(QStringLiteral("a text of %1 bytes cannot be").arg(n));
        if (!ok())
            return {};
        const std::string_view t(m_p, n);
        m_p += n;
        return t;
    }

    /// The first failure is kept: `what` names where it was.
    void fail(const QString& what)
    {
        if (m_why.isEmpty())
            m_why = what;
    }
    /// Fails unless `condition` holds.
    void check(bool condition, const char* what)
    {
        if (!condition && ok())
            fail(QString::fromLatin1(what));
    }
    bool ok() const { return m_why.isEmpty(); }
    bool atEnd() const { return m_p == m_end; }
    QString why() const { return m_why; }

private:
    const char* m_p;
    const char* m_end;
    QString m_why;
};

/// A list of items, at most `max` of at least `itemBytes` each: made as many when reading, each then
/// visited by `each(item&)`.
template<class Archive, class List, class Each>
void figureList(Archive& a, List& list, std::size_t itemBytes, std::size_t max, Each each)
{
    const std::size_t n = a.size(list.size(), itemBytes, max);
    if constexpr (Archive::Reading)
        list.resize(n);
    for (auto& item : list)
        each(item);
}

/// A list of items that may be missing (null pointers), at most `max`: each present one is made by
/// `make()` when reading, and visited by `each(Archive&, item&)`.
template<class Archive, class List, class Make, class Each>
void figureOptionals(Archive& a, List& list, std::size_t max, Make make, Each each)
{
    const std::size_t n = a.size(list.size(), 1, max);
    if constexpr (Archive::Reading)
        list.resize(n);
    for (auto& item : list) {
        quint8 present = item != nullptr;
        a.value(present);
        if constexpr (Archive::Reading) {
            if (!a.ok() || !present)
                continue;
            item = make();
        }
        if (item)
            each(a, *item);
    }
}

/// What a tracker's read figures may name: the restored session's names, chains and events, and the
/// length of its rate series.
struct FigureLimits
{
    const StringPool* types = nullptr;
    std::size_t sources = 0;
    std::size_t origins = 0;
    std::size_t chains = 0;
    quint64 events = 0;
    int rateSeconds = 0;
    /// Times of a saved index (SessionIndex's isTime()): any two's difference fits a qint64.
    static constexpr qint64 MaxTimeUs = qint64(1'000'000'000'000'000'000);
    static bool isTime(qint64 t) { return t >= -MaxTimeUs && t <= MaxTimeUs; }
};
