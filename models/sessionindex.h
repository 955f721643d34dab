// SPDX-License-Identifier: MIT
#pragma once

#include "session.h"

#include <QByteArray>
#include <QByteArrayView>
#include <QFile>
#include <QString>
#include <cstdlib>
#include <future>
#include <memory>
#include <utility>
#include <vector>

class RawBlock;
struct DecoderConfig;

/// Which capture an index belongs to: its size, its modification time and a hash of its first and
/// last 64 KiB. An index made for a capture that differs in any of them is stale, but for an EventScope
/// capture that has grown since (Extra::ReadOn): its first bytes are the ones indexed.
struct CaptureIdentity
{
    quint64 size = 0;
    qint64 modifiedMs = 0;
    quint64 headHash = 0;
    quint64 tailHash = 0;
    bool operator==(const CaptureIdentity& o) const
    {
        return size == o.size && modifiedMs == o.modifiedMs && headHash == o.headHash && tailHash == o.tailHash;
    }
    /// Read off the file at `path` (its first `bytes`, when not 0 and it has more: a capture being
    /// written); false with `error` when it cannot be read.
    static bool of(const QString& path, CaptureIdentity* identity, QString* error, quint64 bytes = 0);
};

/// A capture's saved index (docs/capture-format.md, "The index"): what a whole read of a capture made
/// of it, so that opening it again takes no parse. It holds the events' records (ids, times, type,
/// source, origin, sequence, chain, cause, flags and where each event's bytes lie in the capture) and
/// the reports the records do not (breaker transitions, retry and dead-letter entries, malformed and
/// clock-skewed records, learned payload shapes, the chains' ids) and the figures the trackers made of
/// them (FIGS: rates, chains' counts, stages, flow, gaps, times on the bus, shape counts). Reading it
/// restores them, replaying only the reports; the payloads stay in the capture, mapped.
///
/// An index is never trusted: a wrong magic, version, settings key or checksum, a capture that changed,
/// and any value that names what does not exist (a type, a chain, a cause past the last event, bytes
/// past the capture's end) make read() refuse it, and the caller reads the capture instead.
class SessionIndex
{
public:
    static constexpr quint32 Version = 5;
    static constexpr std::size_t HeaderBytes = 104;
    /// Smaller captures are read again each time (a few hundred milliseconds at most): no index.
    static constexpr quint64 MinimumCaptureBytes = quint64(8) << 20;

    /// What an opened capture needs beside its session: the bookmarks kept inside it, and whether new
    /// ones may be appended to it (CaptureNotes).
    struct Extra
    {
        std::vector<std::pair<qint64, QByteArray>> annotations;
        bool appendable = false;
        /// Where a read of an EventScope capture stood at the index's end, for reading on from there when
        /// the capture has grown since (a recording that went on, bookmarks added): the records read and
        /// the name of each origin the capture declared, by its id there (empty: none). `records` is 0
        /// for other formats, whose index serves only the capture as it was.
        struct ReadOn
        {
            quint64 records = 0;
            std::vector<QString> origins;
        } readOn;
    };

    /// A key for every setting that changes what a read makes of a capture: the decoding (profile,
    /// fields, clock skew, size limits) and the session's configuration. Whether payload shapes were
    /// learned is told apart (read()'s `needShapes`): an index with them serves a read without.
    static quint64 settingsKey(const Session::Config& config, const DecoderConfig& decoder);
    /// Why `session`, made by reading a capture whole, cannot be saved (empty: it can): it must hold
    /// every event it took in, each with its bytes in the one mapped capture (not decompressed into the
    /// heap), and no figure the records cannot rebuild (a broker's consumers, schema checks).
    static QString whyNot(const Session& session);
    /// The index's sections before the records (names, chains, reports, shapes, bookmarks).
    static QByteArray sections(const Session& session, const Extra& extra);
    /// Writes the index of `session` with `sections` to `device`, which must be seekable (whyNot() must be
    /// empty).
    static bool writeTo(QIODevice& device, const Session& session, const CaptureIdentity& identity, quint64 settingsKey,
        const QByteArray& sections);
    /// The same, as bytes.
    static QByteArray make(
        const Session& session, const CaptureIdentity& identity, quint64 settingsKey, const Extra& extra);
    /// Restores the session saved in `index` into `session` (new, made with the configuration the key
    /// was made of), its events' bytes in `capture`, and rebuilds every figure. False with why (stale,
    /// for other settings, corrupt, and where) when the index cannot be used: `session` is then reset,
    /// but the names it took in stay, so it is better replaced by a new one.
    static bool read(QByteArrayView index, const CaptureIdentity& identity, quint64 settingsKey, bool needShapes,
        std::shared_ptr<const RawBlock> capture, Session& session, Extra* extra, QString* why);
    /// read() a slice at a time, so that a window shows the events as they are restored (each step() adds
    /// their chains' sizes and their reports; the trackers' figures come with the last) and stays
    /// responsive. `index` and `capture` must stay
    /// mapped until done; on Failed the session is reset (and better replaced, as for read()).
    class Restore
    {
    public:
        enum Step { More, Done, Failed };
        Restore() = default;
        ~Restore();
        Restore(const Restore&) = delete;
        Restore& operator=(const Restore&) = delete;
        /// begin() with the capture's index (beside it, else in the cache), mapped while this lives: false
        /// when there is none (`why` empty) or it cannot be used (`why` says which and why).
        bool open(const QString& capturePath, quint64 settingsKey, bool needShapes, Session& session, Extra* extra,
            QString* why, quint64 captureBytes = 0);
        /// The index file open() maps.
        QString path() const { return m_file ? m_file->fileName() : QString(); }
        /// Checks the index and restores all but the records: false with why when it cannot be used.
        bool begin(QByteArrayView index, const CaptureIdentity& identity, quint64 settingsKey, bool needShapes,
            std::shared_ptr<const RawBlock> capture, Session& session, Extra* extra, QString* why);
        /// Restores up to `maxEvents` more records (with the last, the figures).
        Step step(std::size_t maxEvents, QString* why);
        /// Ends the restore where it has got to (a cancelled open): the session holds the events restored
        /// so far, every figure of them, as a read cancelled there would.
        void stop();
        quint32 events() const { return m_events; }
        quint32 restored() const { return m_next; }
        /// The capture has grown since it was indexed: the byte where what the index holds ends and the
        /// rest is to be read (CaptureReader::readOn(), with Extra::readOn); 0 when it holds all.
        quint64 readOnFrom() const { return m_readOnFrom; }
        /// The capture, mapped: the rest is read from this mapping, so that every event's bytes lie in
        /// one block and the whole can be indexed again.
        std::shared_ptr<const RawBlock> capture() const { return m_capture; }
        /// Once Done: what the restore let go (the replay's copy of every report), for the caller to free
        /// where it costs the window nothing; else it goes with the Restore.
        std::shared_ptr<void> takeGarbage() { return std::move(m_garbage); }

    private:
        Session* m_session = nullptr;
        std::shared_ptr<QFile> m_file;
        std::shared_ptr<const RawBlock> m_capture;
        /// Hands the next chunk (`events` events from event `first`, its header and extent checked) to the
        /// store: mapped (the index file's private mapping) when it is whole, else copied. False, with why,
        /// when it is not one.
        bool adoptChunk(quint32 first, quint32 events, QString* why);
        const char* m_chunkAt = nullptr; ///< the next chunk to restore
        const char* m_chunksEnd = nullptr;
        EventChunk* m_current = nullptr; ///< the chunk being restored
        std::shared_ptr<const void> m_backing; ///< the index file, when its mapping may be the store's
        std::shared_ptr<void> m_garbage; ///< takeGarbage()
        struct FreeAligned
        {
            void operator()(char* p) const { std::free(p); }
        };
        std::unique_ptr<char, FreeAligned> m_aligned; ///< a copy of an index handed over misaligned
        quint32 m_events = 0;
        quint32 m_next = 0;
        quint16 m_chunk = 0;
        quint64 m_readOnFrom = 0;
        std::vector<quint32> m_nextOfChain; ///< per chain restored: the event its last one's link leads to
        std::size_t m_chainCount = 0;
        const quint8* m_shapeLogAt = nullptr; ///< each event's shape (SHPS), when learned
        const char* m_chainsAt = nullptr; ///< the next chain of the CHNS section to restore
        const char* m_chainsEnd = nullptr;
        std::size_t m_chainsRestored = 0;
        qint64 m_lastOpener = -1;
        quint32 m_lastEntryEvent = 0;
        /// The trackers' figures of the FIGS section (each tracker's checks; the checksum was checked with
        /// the last record) into the session: false with why when they cannot be.
        bool restoreFigures(QString* why);
        /// After the last record: the chains' counts, a slice of them each step, then the rest of the
        /// figures (restoreFigures()) and Done.
        Step stepFigures(std::size_t maxEvents, QString* why);
        std::size_t m_chainsCounted = 0; ///< chains whose counts stepFigures() restored
        bool m_recordsDone = false;
        const char* m_figuresAt = nullptr; ///< the FIGS section
        const char* m_figuresEnd = nullptr;
        std::size_t m_figuresHashed = 0; ///< its items' bytes taken into its checksum so far
        quint64 m_partHashes[4] = {}; ///< CHNS, RTRS, SLOG and FIGS's checksums, as PART gives them
        struct XXH3_state_s* m_partState[4] = {}; ///< theirs so far
        const char* m_entriesAt = nullptr; ///< the next retry entry of the RTRS section to restore
        const char* m_entriesEnd = nullptr;
        std::size_t m_entries = 0, m_entriesRestored = 0;
        std::size_t m_firstOfIds = 0;
        struct XXH3_state_s* m_hash = nullptr; ///< of the chunks so far
        quint64 m_recordsHash = 0;
        // what the rebuilt session must count again
        quint64 m_ingested = 0, m_duplicates = 0, m_orphans = 0, m_liveChains = 0;
        qint64 m_firstTimeUs = 0, m_lastTimeUs = 0;
    };

    /// Writes the checksums of an index in memory again: the fuzz target's hostile indexes get past them
    /// to what they check.
    static void seal(QByteArray& index);

    /// The capture's index: `CAPTURE.esidx` beside it, or, where nothing can be written there, in the
    /// user's cache directory (`~/.cache/EventScope/index/`, the window's and the command line's) under a
    /// hash of the capture's absolute path.
    static QString besidePath(const QString& capture);
    static QString cachePath(const QString& capture);
    /// Opens `capturePath` from its index (beside it, else in the cache) into `session`: false when there
    /// is none (`why` empty) or it cannot be used (`why` says which and why); the capture must be read.
    /// `session` must be new; when this fails it is better replaced by a new one (see read()). When the
    /// capture has grown since, `readOn` (if given) gets where the rest begins and the capture's mapping,
    /// for the caller to read the rest from (Extra::readOn says how); without it such an index is stale.
    struct ReadOnAt
    {
        quint64 offset = 0;
        std::shared_ptr<const RawBlock> capture;
    };
    /// `captureBytes` (when not 0) takes only the capture's first bytes, as if it ended there (a capture
    /// being recorded, up to its last complete record).
    static bool load(const QString& capturePath, quint64 settingsKey, bool needShapes, Session& session, Extra* extra,
        QString* why, ReadOnAt* readOn = nullptr, quint64 captureBytes = 0);
    /// Saves the index of `session`, read whole from `capturePath` (whyNot() empty): beside it, else in
    /// the cache. Written whole or not at all (a temporary file renamed). `where` gets the path.
    static bool save(const QString& capturePath, const Session& session, quint64 settingsKey, const Extra& extra,
        QString* where, QString* error);
    /// save() in steps: prepare() checks that the session can be saved, on the session's thread;
    /// write() takes what its reports hold (the sections: about 290 ms at 18 M events) and writes the
    /// file, its records with it, on any thread. The session's records must stay as they are (a loaded
    /// capture's: a replay does not change them) and the session must live until write() returns; its
    /// reports must not change (Session::replayTo()) until waitForSections() returns.
    class Save
    {
    public:
        bool prepare(const QString& capturePath, const Session& session, quint64 settingsKey, const Extra& extra,
            QString* error);
        bool write(QString* where, QString* error);
        /// Blocks until write() has taken the reports: only while write() runs or is sure to (or once
        /// this Save is gone from every other holder).
        void waitForSections() const;

    private:
        const Session* m_session = nullptr;
        QString m_capture;
        CaptureIdentity m_identity;
        quint64 m_key = 0;
        Extra m_extra;
        std::promise<void> m_taken;
        std::shared_future<void> m_takenFuture = m_taken.get_future().share();
    };
    /// Removes the capture's index, beside it and in the cache (a capture being written to again).
    static void remove(const QString& capturePath);
};
