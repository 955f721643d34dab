// SPDX-License-Identifier: MIT
#include "eventstore.h"

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
        QTest::addRow("smooth growth (a live window)") << true;
        QTest::addRow("growth at once (reading a file): chunks share blocks") << false;
    }
    void recordsReadBackAcrossChunksAndDrops()
    {
        QFETCH(bool, smooth);
        EventStore store;
        store.setSmoothGrowth(smooth);
        constexpr quint32 Total = 9 * EventStore::ChunkSize + 123;
        for (quint32 i = 0; i < Total; ++i) {
            QCOMPARE(store.nextIndex(), i);
            QCOMPARE(store.append(record(i)), i);
            QCOMPARE(store.insertId(i), i);
            // a memory cap drops the oldest chunks, their part of a shared block too
            if (i == 5 * EventStore::ChunkSize || i == 6 * EventStore::ChunkSize || i == 7 * EventStore::ChunkSize)
                store.dropOldestChunk();
        }
        QCOMPARE(store.first(), 3 * EventStore::ChunkSize);
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
};

QTEST_APPLESS_MAIN(TestEventStore)
#include "tst_eventstore.moc"
