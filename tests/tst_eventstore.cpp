// SPDX-License-Identifier: MIT
#include "eventstore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

namespace {
EventRecord record(quint32 i)
{
    EventRecord r;
    r.id = Uuid::hash(std::to_string(i));
    r.eventTimeUs = 1795946400000000LL + qint64(i) * 250;
    r.receiveTimeUs = r.eventTimeUs + (i % 7 == 0 ? (qint64(1) << 40) : 0); // now and then far off
    r.rawRef = RawStore::makeRef(1, quint64(i) * 300);
    r.seqOrigin = (quint64(i) << 16) | (i % 3);
    r.rawLenFlags = (quint32(EventRecord::HasSeq) << 24) | 299;
    r.chain = i / 5;
    r.parentDelta = -qint32(i % 5);
    r.type = quint16(i % 11);
    r.source = quint16(i % 4);
    return r;
}
} // namespace

/// The store keeps its records packed, chunk by chunk; a whole file's chunks share runs of huge pages.
/// Whatever the growth and whatever is dropped, every stored event must read back as appended.
class TestEventStore : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void recordsReadBackAcrossChunksAndDrops_data()
    {
        QTest::addColumn<bool>("smooth");
        QTest::addColumn<bool>("recordFile");
        QTest::addRow("smooth growth (a live window)") << true << false;
        QTest::addRow("growth at once (reading a file): chunks share blocks") << false << false;
        QTest::addRow("full chunks in a record file (an hour of a bus)") << false << true;
    }
    void recordsReadBackAcrossChunksAndDrops()
    {
        QFETCH(bool, smooth);
        QFETCH(bool, recordFile);
        EventStore store;
        store.setSmoothGrowth(smooth);
        EventStore plain; // the same events, on the heap
        plain.setSmoothGrowth(smooth);
        const QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/records-XXXXXX")); // on disk, not tmpfs
        if (recordFile)
            store.setRecordDirectory(dir.path(), EventStore::Filing::RecordsAndKept, 0);
        constexpr quint32 Total = 9 * EventStore::ChunkSize + 123;
        constexpr quint64 ChunkRecordBytes = EventStore::ChunkSize * EventChunk::FixedBytes;
        for (quint32 i = 0; i < Total; ++i) {
            QCOMPARE(store.nextIndex(), i);
            QCOMPARE(store.append(record(i)), i);
            QCOMPARE(store.insertId(i), i);
            plain.append(record(i));
            plain.insertId(i);
            // a memory cap drops the oldest chunks, their part of a shared block too
            if (i == 5 * EventStore::ChunkSize || i == 6 * EventStore::ChunkSize || i == 7 * EventStore::ChunkSize) {
                store.dropOldestChunk();
                plain.dropOldestChunk();
            }
            // a link written to an event whose records already lie in the file
            if (i == 4 * EventStore::ChunkSize + 10)
                store.setLink(3 * EventStore::ChunkSize + 1, i);
        }
        QCOMPARE(store.first(), 3 * EventStore::ChunkSize);
        if (recordFile) {
            QVERIFY2(store.recordFileError().isEmpty(), qPrintable(store.recordFileError()));
            // the 6 full chunks still held are in the file (the 3 dropped gave their disk space back);
            // the heap holds the last, partial chunk's records and the spare the next one reuses
            QCOMPARE(store.recordFileBytes(), 6 * ChunkRecordBytes);
            QVERIFY2(store.heapBytes() + 6 * ChunkRecordBytes <= plain.heapBytes(),
                qPrintable(QStringLiteral("%1 and %2").arg(store.heapBytes()).arg(plain.heapBytes())));
        } else {
            QCOMPARE(store.recordFileBytes(), quint64(0));
            QCOMPARE(store.heapBytes(), plain.heapBytes());
        }
        QCOMPARE(store.link(3 * EventStore::ChunkSize + 1), 4 * EventStore::ChunkSize + 10);
        store.setLink(3 * EventStore::ChunkSize + 1, EventStore::NotFound);
        for (quint32 i = store.first(); i != store.end(); ++i) {
            const EventRecord r = store.at(i);
            const EventRecord w = record(i);
            QVERIFY2(r.id == w.id && r.eventTimeUs == w.eventTimeUs && r.receiveTimeUs == w.receiveTimeUs
                    && r.rawRef == w.rawRef && r.seqOrigin == w.seqOrigin && r.rawLenFlags == w.rawLenFlags
                    && r.chain == w.chain && r.parentDelta == w.parentDelta && r.type == w.type && r.source == w.source,
                qPrintable(QString::number(i)));
            QCOMPARE(store.idAt(i), w.id);
            QCOMPARE(store.eventTimeAt(i), w.eventTimeUs);
            QCOMPARE(store.originAt(i), w.origin()); // what an origin's own window picks its events by
            QCOMPARE(store.typeAt(i), w.type);
        }
        QCOMPARE(store.findId(record(Total - 1).id), Total - 1);
        QCOMPARE(store.findId(record(3 * EventStore::ChunkSize).id), 3 * EventStore::ChunkSize);
        QCOMPARE(store.findId(record(17).id), EventStore::NotFound); // dropped
        // fields learnt later, on the newest and the oldest stored events
        store.setChain(Total - 1, 4242);
        store.setParentDelta(store.first(), 7);
        store.setFlag(Total - 2, EventRecord::Duplicate);
        store.setLink(Total - 3, Total - 1);
        QCOMPARE(store.at(Total - 1).chain, 4242u);
        QCOMPARE(store.parentDeltaAt(store.first()), 7);
        QVERIFY(!store.isFirstOfId(Total - 2));
        QCOMPARE(store.link(Total - 3), Total - 1);
        QCOMPARE(store.at(Total - 3).chain, record(Total - 3).chain);
    }

    /// Reads of records in the record file (a duplicate's or a cause's id, a walk over every report) bring
    /// their pages into the process's memory; the store hands them back as it goes, so an hour of a bus
    /// holds the records it reads lately, not every record it ever read. What was written through the
    /// mapping (a later event's link) stays.
    void recordsReadLongAgoLeaveTheProcess()
    {
        const QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/records-XXXXXX")); // on disk, not tmpfs
        EventStore store;
        store.setSmoothGrowth(false);
        store.setRecordDirectory(dir.path(), EventStore::Filing::RecordsAndKept, 0);
        constexpr quint32 Chunks = 64;
        constexpr quint32 Back = EventStore::KeepRecordPages + 4; // a chunk whose pages are handed back
        constexpr quint64 ChunkRecordBytes = EventStore::ChunkSize * EventChunk::FixedBytes;
        quint32 linkedFrom = 0;
        for (quint32 i = 0; i < Chunks * EventStore::ChunkSize + 7; ++i) {
            store.append(record(i));
            // each time a chunk is full, every record of an older chunk is read, and one link is written
            // into it
            if (i % EventStore::ChunkSize == 0 && i >= Back * EventStore::ChunkSize) {
                const quint32 from = i - Back * EventStore::ChunkSize;
                quint64 sum = 0;
                for (quint32 k = from; k < from + EventStore::ChunkSize; ++k)
                    sum += quint64(store.eventTimeAt(k));
                QVERIFY(sum > 0);
                store.setLink(from + 5, i);
                linkedFrom = from;
            }
        }
        QVERIFY2(store.recordFileError().isEmpty(), qPrintable(store.recordFileError()));
        QCOMPARE(store.recordFileBytes(), Chunks * ChunkRecordBytes);
        // 45 chunks were read whole: held, their records would be 62 MiB
        const quint64 held = store.recordFileBytesInProcess();
        QVERIFY2(held <= 12 * ChunkRecordBytes,
            qPrintable(QStringLiteral("%1 MiB of records in the process").arg(double(held) / 1048576.0)));
        // a walk over every event, handing each chunk back as it leaves it
        for (quint32 i = store.first(); i != store.end(); ++i) {
            QCOMPARE(store.eventTimeAt(i), record(i).eventTimeUs);
            if ((i + 1) % EventStore::ChunkSize == 0)
                store.releaseRecordPagesOf(i);
        }
        QVERIFY2(store.recordFileBytesInProcess() <= 3 * ChunkRecordBytes,
            qPrintable(
                QStringLiteral("%1 MiB after a walk").arg(double(store.recordFileBytesInProcess()) / 1048576.0)));
        // one record read brings in the pages around it (the kernel's fault-around: 64 KiB), not the
        // pieces the kernel cached a whole chunk's write in (256 KiB each here)
        const quint64 walked = store.recordFileBytesInProcess();
        for (quint32 c = 0; c < 20; ++c)
            QCOMPARE(store.idAt(c * EventStore::ChunkSize + 1000), record(c * EventStore::ChunkSize + 1000).id);
        QVERIFY(store.recordFileBytesInProcess() > walked); // they are in, and counted
        QVERIFY2(store.recordFileBytesInProcess() - walked <= 20 * 128 * 1024,
            qPrintable(QStringLiteral("%1 MiB for 20 records")
                           .arg(double(store.recordFileBytesInProcess() - walked) / 1048576.0)));
        for (quint32 from = 0; from <= linkedFrom; from += EventStore::ChunkSize)
            QCOMPARE(store.link(from + 5), from + Back * EventStore::ChunkSize);
    }

    /// Counting exactly past a memory cap (a summary that saves no index), each dropped event keeps its
    /// id, type, source and chain opener. Once a chunk of those is full it goes to the record file, with
    /// or without the records: the heap keeps only the id index, and every dropped event stays findable
    /// with what it kept, so a later duplicate or effect of it is still known.
    void whatDroppedEventsKeepGoesToTheRecordFile_data()
    {
        QTest::addColumn<int>("filing");
        QTest::addRow("records and what dropped events keep") << int(EventStore::Filing::RecordsAndKept);
        QTest::addRow("only what dropped events keep (records under the cap)") << int(EventStore::Filing::KeptOnly);
    }
    void whatDroppedEventsKeepGoesToTheRecordFile()
    {
        QFETCH(int, filing);
        const QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/records-XXXXXX")); // on disk, not tmpfs
        EventStore store;
        store.setSmoothGrowth(false);
        store.setKeepDropped(true);
        store.setRecordDirectory(dir.path(), EventStore::Filing(filing), 0);
        EventStore plain; // the same, all on the heap
        plain.setSmoothGrowth(false);
        plain.setKeepDropped(true);
        constexpr quint32 Total = 48 * EventStore::ChunkSize + 321;
        constexpr quint32 Dropped = 36;
        auto opener = [](quint32 i) { return i / 5 * 5; };
        store.expectIds(Total); // as a read of a file sizes it: a growth would read every id again
        plain.expectIds(Total);
        for (quint32 i = 0; i < Total; ++i) {
            for (EventStore* s : { &store, &plain }) {
                s->append(record(i));
                QCOMPARE(s->insertId(i), i);
            }
            // a cap retiring the oldest chunk each time the fourth newest is full
            if (i % EventStore::ChunkSize == EventStore::ChunkSize - 1 && store.first() + 4 * EventStore::ChunkSize <= i
                && store.first() < Dropped * EventStore::ChunkSize) {
                for (EventStore* s : { &store, &plain }) {
                    for (quint32 k = s->first(); k != s->first() + EventStore::ChunkSize; ++k)
                        s->keepDropped(k, opener(k));
                    s->dropOldestChunk();
                }
            }
        }
        QCOMPARE(store.first(), Dropped * EventStore::ChunkSize);
        QVERIFY2(store.recordFileError().isEmpty(), qPrintable(store.recordFileError()));
        constexpr quint64 KeptBytes = quint64(Dropped) * EventStore::ChunkSize * sizeof(EventStore::Dropped);
        constexpr quint64 RecordBytes
            = quint64(Total / EventStore::ChunkSize - Dropped) * EventStore::ChunkSize * EventChunk::FixedBytes;
        if (EventStore::Filing(filing) == EventStore::Filing::KeptOnly) {
            QCOMPARE(store.recordFileBytes(), KeptBytes);
            QCOMPARE(store.heapBytes(), plain.heapBytes()); // the records held stay where the cap sees them
        } else {
            QCOMPARE(store.recordFileBytes(), KeptBytes + RecordBytes);
            QVERIFY(store.heapBytes() + RecordBytes <= plain.heapBytes());
        }
        QCOMPARE(store.keptBytes() + KeptBytes, plain.keptBytes());
        const quint64 Chunk = EventStore::ChunkSize * sizeof(EventStore::Dropped);
        const quint64 records = EventStore::Filing(filing) == EventStore::Filing::KeptOnly ? 0 : RecordBytes;
        // every dropped event is found by its id, with what it kept
        for (quint32 i = 0; i < Dropped * EventStore::ChunkSize; ++i) {
            const EventRecord w = record(i);
            QCOMPARE(store.findId(w.id), EventStore::NotFound); // not stored
            QCOMPARE(store.findAnyId(w.id), i);
            const EventStore::Dropped* d = store.dropped(i);
            QVERIFY(d);
            QVERIFY2(d->id == w.id && d->opener == opener(i) && d->type == w.type && d->source == w.source,
                qPrintable(QString::number(i)));
        }
        QCOMPARE(store.dropped(Dropped * EventStore::ChunkSize), nullptr); // stored
        // an event that repeats a dropped one's id is its duplicate
        EventRecord again = record(Total);
        again.id = record(1234).id;
        store.append(again);
        QCOMPARE(store.insertId(Total), 1234u);
        // what was dropped long ago leaves the process: read (above: all of it), its pages come back,
        // and each chunk filed after hands an eighth of the older ones' back
        QVERIFY(store.recordFileBytesInProcess() >= KeptBytes);
        for (int more = 0; more < 8; ++more) {
            for (quint32 k = store.first(); k != store.first() + EventStore::ChunkSize; ++k)
                store.keepDropped(k, opener(k));
            store.dropOldestChunk();
        }
        QCOMPARE(store.recordFileBytes(),
            KeptBytes + 8 * Chunk + (records ? records - 8 * EventStore::ChunkSize * EventChunk::FixedBytes : 0));
        QVERIFY2(store.recordFileBytesInProcess() <= records + (EventStore::KeepRecordPages + 8) * Chunk,
            qPrintable(QStringLiteral("%1 MiB in the process after more were dropped")
                           .arg(double(store.recordFileBytesInProcess()) / 1048576.0)));
        QCOMPARE(store.findAnyId(record(77).id), 77u);
    }

    /// Where no record file can be made or written, the records stay on the heap, all of them, and the
    /// store says why.
    void recordsStayOnTheHeapWhereNoFileTakesThem_data()
    {
        QTest::addColumn<QString>("where");
        QTest::addColumn<quint64>("keepFree");
        QTest::addColumn<QString>("why");
        QTest::addRow("a file, not a folder") << QStringLiteral("file") << quint64(0) << QStringLiteral("cannot make");
        QTest::addRow("a disk that would be left too full")
            << QStringLiteral("dir") << (quint64(1) << 60) << QStringLiteral("MiB free, and records leave at least");
        QTest::addRow("memory (tmpfs)") << QStringLiteral("/dev/shm") << quint64(0) << QStringLiteral("tmpfs");
    }
    void recordsStayOnTheHeapWhereNoFileTakesThem()
    {
        QFETCH(QString, where);
        QFETCH(quint64, keepFree);
        QFETCH(QString, why);
        const QTemporaryDir dir(QDir::currentPath() + QStringLiteral("/records-XXXXXX"));
        QString directory = dir.path();
        if (where == QLatin1String("file")) {
            QFile f(dir.filePath(QStringLiteral("plain")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            directory = f.fileName() + QStringLiteral("/records");
        } else if (where.startsWith(u'/')) {
            if (!QFileInfo(where).isWritable())
                QSKIP("no /dev/shm to write to on this machine");
            directory = where + QStringLiteral("/eventscope-test-records");
        }
        EventStore store;
        store.setSmoothGrowth(false);
        store.setRecordDirectory(directory, EventStore::Filing::RecordsAndKept, keepFree);
        constexpr quint32 Total = 3 * EventStore::ChunkSize + 5;
        for (quint32 i = 0; i < Total; ++i)
            store.append(record(i));
        QVERIFY2(store.recordFileError().contains(why), qPrintable(store.recordFileError()));
        QCOMPARE(store.recordFileBytes(), quint64(0));
        QVERIFY(store.heapBytes() >= 3 * EventStore::ChunkSize * EventChunk::FixedBytes);
        for (quint32 i = 0; i < Total; i += 997)
            QCOMPARE(store.at(i).eventTimeUs, record(i).eventTimeUs);
        if (where.startsWith(u'/'))
            QDir(directory).removeRecursively();
    }
};

QTEST_APPLESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
