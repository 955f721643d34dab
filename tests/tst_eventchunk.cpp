// SPDX-License-Identifier: MIT
#include "eventchunk.h"
#include "rawstore.h"

#include <QTest>
#include <limits>
#include <vector>

Q_DECLARE_METATYPE(std::vector<EventRecord>)

namespace {
constexpr quint32 Capacity = 4096;
constexpr qint64 T0 = 1795946400000000LL; // 2026-11-30T10:00:00Z in µs

EventRecord record(quint32 i)
{
    EventRecord r;
    r.id = Uuid::hash(std::to_string(i));
    r.eventTimeUs = T0 + qint64(i) * 1000;
    r.receiveTimeUs = r.eventTimeUs;
    r.rawRef = RawStore::makeRef(3, 1000 + quint64(i) * 377);
    r.seqOrigin = (quint64(i + 1) << 16) | 1;
    r.rawLenFlags = (quint32(EventRecord::HasSeq | EventRecord::HasCorrelation) << 24) | 376;
    r.chain = i / 6;
    r.parentDelta = i % 6 ? -1 : 0;
    r.type = quint16(i % 17);
    r.source = quint16(i % 5);
    return r;
}

bool same(const EventRecord& a, const EventRecord& b)
{
    return a.id == b.id && a.eventTimeUs == b.eventTimeUs && a.receiveTimeUs == b.receiveTimeUs && a.rawRef == b.rawRef
        && a.seqOrigin == b.seqOrigin && a.rawLenFlags == b.rawLenFlags && a.chain == b.chain
        && a.parentDelta == b.parentDelta && a.type == b.type && a.source == b.source;
}
} // namespace

/// The store keeps records column by column, clocks, raw offsets and seqs as differences from the
/// chunk's first value: whatever values come, each must read back exactly as written, and the packing
/// must save the memory it is there for.
class TestEventChunk : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void everyRecordReadsBackAsWritten_data()
    {
        QTest::addColumn<std::vector<EventRecord>>("records");
        QTest::addColumn<int>("maxBytesPerEvent"); // the memory the packing must stay within

        std::vector<EventRecord> plain;
        for (quint32 i = 0; i < Capacity; ++i)
            plain.push_back(record(i));
        // a file's events: receive time is event time, one origin, one block of raw bytes
        // and the bus's sequence numbers going up by one an event: 44 bytes
        QTest::addRow("a file: receive times, origin and raw block the same") << plain << 44;

        std::vector<EventRecord> noSeq = plain; // CloudEvents and the like carry none
        for (EventRecord& r : noSeq)
            r.seqOrigin = 1;
        QTest::addRow("no sequence numbers") << noSeq << 44;

        // sequence numbers that go up by one, then jump: each an exact 32-bit difference from there on
        std::vector<EventRecord> jump = plain;
        for (quint32 i = 3000; i < Capacity; ++i)
            jump[i].seqOrigin = (quint64(i + 1000) << 16) | 1;
        QTest::addRow("a sequence that jumps late in the chunk") << jump << 48;
        std::vector<EventRecord> perStream = plain; // EventStoreDB: a number per stream, streams interleaved
        for (quint32 i = 0; i < Capacity; ++i)
            perStream[i].seqOrigin = (quint64(i / 2 + (i % 2) * 500000) << 16) | 1;
        QTest::addRow("two streams' numbers interleaved") << perStream << 48;
        std::vector<EventRecord> farJump = plain; // then a difference past 32 bits: widened
        farJump[Capacity - 2].seqOrigin = (EventRecord::MaxSeq << 16) | 1;
        QTest::addRow("a sequence that jumps past 32 bits") << farJump << 52;

        std::vector<EventRecord> live = plain;
        for (quint32 i = 0; i < Capacity; ++i) {
            live[i].receiveTimeUs = live[i].eventTimeUs + 350 + qint64(i % 90) * 1000; // network delay
            live[i].seqOrigin = (quint64(i / 3 + 1) << 16) | (1 + i % 3); // three connections
        }
        QTest::addRow("live: receive delays, three origins, their sequences interleaved") << live << 54;

        std::vector<EventRecord> arena = plain;
        for (quint32 i = 0; i < Capacity; ++i) // a new 4 MiB arena block every 1,000 events
            arena[i].rawRef = RawStore::makeRef(quint16(7 + i / 1000), quint64(i % 1000) * 400);
        QTest::addRow("raw bytes over several arena blocks") << arena << 46;

        std::vector<EventRecord> backwards = plain;
        for (quint32 i = 0; i < Capacity; ++i) // out of order: older events after newer ones
            backwards[i].eventTimeUs = backwards[i].receiveTimeUs = T0 - qint64(i) * 99983;
        QTest::addRow("clocks going back") << backwards << 44;

        // differences too big for 32 bits, first late in the chunk, then at once: widened, still exact
        std::vector<EventRecord> far = plain;
        far[Capacity - 1].eventTimeUs = T0 + (qint64(1) << 40);
        far[Capacity - 1].rawRef = RawStore::makeRef(3, (quint64(1) << 48) - 1);
        far[Capacity - 1].seqOrigin = (EventRecord::MaxSeq << 16) | 1;
        QTest::addRow("one value far off, last in the chunk") << far << int(EventChunk::MaxBytes);
        std::vector<EventRecord> second = plain;
        second[1].eventTimeUs = std::numeric_limits<qint64>::min();
        second[1].receiveTimeUs = std::numeric_limits<qint64>::max();
        QTest::addRow("the extremes of the clock, second in the chunk") << second << 56;

        std::vector<EventRecord> hostile;
        for (quint32 i = 0; i < Capacity; ++i) {
            EventRecord r = record(i);
            const quint64 x = quint64(i + 1) * 0x9E3779B97F4A7C15ULL;
            r.eventTimeUs = qint64(x);
            r.receiveTimeUs = qint64(x * 31);
            r.rawRef = x;
            r.seqOrigin = x * 7;
            r.rawLenFlags = quint32(x >> 13);
            r.chain = quint32(x >> 3);
            r.parentDelta = qint32(x >> 17);
            hostile.push_back(r);
        }
        QTest::addRow("every field at random") << hostile << int(EventChunk::MaxBytes);

        std::vector<EventRecord> few(plain.begin(), plain.begin() + 3);
        QTest::addRow("a chunk barely begun") << few << int(EventChunk::MaxBytes * Capacity);
    }
    void everyRecordReadsBackAsWritten()
    {
        QFETCH(std::vector<EventRecord>, records);
        QFETCH(int, maxBytesPerEvent);
        EventChunk chunk(Capacity, LargeArrayPages::Small);
        for (quint32 i = 0; i < records.size(); ++i) {
            chunk.write(i, records[i]);
            // what a widening copies must not change what was read before
            if (i > 0 && (i & (i - 1)) == 0)
                for (quint32 j = 0; j <= i; ++j)
                    QVERIFY2(same(chunk.read(j), records[j]),
                        qPrintable(QStringLiteral("record %1 after %2").arg(j).arg(i)));
        }
        for (quint32 i = 0; i < records.size(); ++i) {
            QVERIFY2(same(chunk.read(i), records[i]), qPrintable(QStringLiteral("record %1").arg(i)));
            QCOMPARE(chunk.id(i), records[i].id);
            QCOMPARE(chunk.eventTimeUs(i), records[i].eventTimeUs);
            QCOMPARE(chunk.chain(i), records[i].chain);
            QCOMPARE(chunk.link(i), EventRecord::NoChain);
        }
        QVERIFY2(chunk.heapBytes() <= std::size_t(maxBytesPerEvent) * records.size(),
            qPrintable(QStringLiteral("%1 bytes").arg(chunk.heapBytes())));

        // what a saved index holds of it (its records, each column's form, first value and array), copied
        // elsewhere, makes a chunk over that memory that reads the same and owns none of it
        const quint32 n = quint32(records.size());
        std::vector<quint64> saved((std::size_t(n) * EventChunk::FixedBytes + 7) / 8);
        std::memcpy(saved.data(), chunk.recordBytes(), std::size_t(n) * EventChunk::FixedBytes);
        std::vector<std::vector<quint64>> arrays(EventChunk::Columns);
        quint8 modes[EventChunk::Columns];
        quint64 bases[EventChunk::Columns];
        char* arrayAt[EventChunk::Columns];
        for (int k = 0; k < EventChunk::Columns; ++k) {
            const EventChunk::ColumnImage c = chunk.column(k);
            modes[k] = c.mode;
            bases[k] = c.base;
            QCOMPARE(EventChunk::arrayBytes(k, c.mode), c.array ? c.elementBytes : std::size_t(0));
            arrays[std::size_t(k)].resize((n * c.elementBytes + 7) / 8);
            if (c.array)
                std::memcpy(arrays[std::size_t(k)].data(), c.array, n * c.elementBytes);
            arrayAt[k] = c.array ? reinterpret_cast<char*>(arrays[std::size_t(k)].data()) : nullptr;
        }
        const EventChunk mapped(reinterpret_cast<char*>(saved.data()), n, modes, bases, arrayAt);
        QVERIFY(mapped.isBorrowed());
        QCOMPARE(mapped.heapBytes(), std::size_t(0));
        for (quint32 i = 0; i < n; ++i)
            QVERIFY2(same(mapped.read(i), records[i]), qPrintable(QStringLiteral("saved record %1").arg(i)));
    }

    void aReusedChunkForgetsTheLastOnesValues()
    {
        // the store reuses the chunk it dropped last: its arrays are kept, its modes start afresh
        EventChunk chunk(Capacity, LargeArrayPages::Small);
        for (quint32 i = 0; i < Capacity; ++i) {
            EventRecord r = record(i);
            r.receiveTimeUs = r.eventTimeUs + qint64(i) * (qint64(1) << 33); // widened
            chunk.write(i, r);
        }
        const std::size_t widened = chunk.heapBytes();
        for (quint32 i = 0; i < Capacity; ++i) {
            chunk.write(i, record(i));
            QVERIFY(same(chunk.read(i), record(i)));
        }
        for (quint32 i = 0; i < Capacity; ++i)
            QVERIFY(same(chunk.read(i), record(i)));
        QCOMPARE(chunk.heapBytes(), widened); // its arrays are held for the next use, and counted
    }

    void fieldsChangedLaterReadBack()
    {
        // what ingest learns after storing an event: duplicate, chain, cause, the chain's next event
        EventChunk chunk(Capacity, LargeArrayPages::Small);
        for (quint32 i = 0; i < 100; ++i)
            chunk.write(i, record(i));
        chunk.setFlag(42, EventRecord::Duplicate);
        chunk.setChain(43, 9);
        chunk.setParentDelta(44, -40);
        chunk.setLink(45, 99);
        QVERIFY(chunk.read(42).has(EventRecord::Duplicate));
        QVERIFY(chunk.read(42).has(EventRecord::HasSeq));
        QCOMPARE(chunk.read(42).rawLength(), 376u);
        QCOMPARE(chunk.read(43).chain, 9u);
        QCOMPARE(chunk.read(44).parentDelta, -40);
        QCOMPARE(chunk.link(45), 99u);
        QVERIFY(same(chunk.read(46), record(46)));
    }
};

QTEST_APPLESS_MAIN(TestEventChunk)
#include "tst_eventchunk.moc"
