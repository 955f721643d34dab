// SPDX-License-Identifier: MIT
// Fuzzes what the views are handed: events decoded from the input (hostile names, control characters,
// bidi overrides, escaped surrogates, long strings) go into a Session, and every item model over it
// is asked for every role of every cell. No input may crash, hang or leak, and no text a view would
// lay out (DisplayRole, ToolTipRole) may be longer than Printable's bounds or hold a control character.
#include "alertmodel.h"
#include "breakermodel.h"
#include "chainlistmodel.h"
#include "chaintreemodel.h"
#include "deadlettermodel.h"
#include "decodedbatch.h"
#include "eventdecoder.h"
#include "eventlogmodel.h"
#include "printable.h"
#include "session.h"
#include "sourcestatsmodel.h"
#include "typestatsmodel.h"

#include <QAbstractItemModel>
#include <QCoreApplication>
#include <cstdint>

namespace {
void askEveryCell(const QAbstractItemModel& model, const QModelIndex& parent = {}, int depth = 0)
{
    const int rows = std::min(model.rowCount(parent), 64);
    for (int row = 0; row < rows; ++row) {
        for (int column = 0; column < model.columnCount(parent); ++column) {
            const QModelIndex index = model.index(row, column, parent);
            for (int role : { int(Qt::DisplayRole), int(Qt::ToolTipRole), int(Qt::ForegroundRole),
                     int(Qt::BackgroundRole), int(Qt::TextAlignmentRole), int(Qt::AccessibleTextRole),
                     int(Qt::UserRole), int(Qt::UserRole) + 1, int(Qt::UserRole) + 2, int(Qt::UserRole) + 3 }) {
                const QVariant v = model.data(index, role);
                if ((role == Qt::DisplayRole || role == Qt::ToolTipRole) && v.typeId() == QMetaType::QString) {
                    const QString text = v.toString();
                    if (text.size() > (role == Qt::DisplayRole ? Printable::DisplayChars : Printable::TooltipChars))
                        __builtin_trap();
                    for (const QChar c : text)
                        if (Printable::isHazard(c.unicode()) || (role == Qt::DisplayRole && c == u'\n'))
                            __builtin_trap();
                }
            }
        }
        if (depth < 8 && model.hasChildren(model.index(row, 0, parent)))
            askEveryCell(model, model.index(row, 0, parent), depth + 1);
    }
    for (int column = 0; column < model.columnCount(parent); ++column)
        model.headerData(column, Qt::Horizontal, Qt::DisplayRole);
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    static int argc = 1;
    static char name[] = "fuzz_viewtext";
    static char* argv[] = { name, nullptr };
    static QCoreApplication app(argc, argv);
    static EventDecoder decoder;
    DecodedBatch batch;
    // each line a frame: several events, some about the others
    const QByteArray input(reinterpret_cast<const char*>(data), qsizetype(size));
    for (const QByteArray& line : input.split('\n')) {
        batch.frames.push_back(line);
        const QByteArray& held = batch.frames.back();
        decoder.decode(held.constData(), std::size_t(held.size()), 0,
            { 0, SourcePosition::Frame, quint64(batch.frames.size()), -1 }, 1000 + qint64(batch.frames.size()), batch);
    }
    Session::Config config;
    config.memoryCapBytes = 0;
    config.rateSeconds = 60;
    Session session(config);
    session.addOrigin(QString::fromUtf8(input.left(300)));
    session.ingest(batch);
    const qint64 now = 1000 + qint64(batch.frames.size()) + 120000000;

    TypeStatsModel types(session);
    types.refresh(now);
    askEveryCell(types);
    EventLogModel log(session);
    while (log.isFilling() || log.rowCount() == 0) {
        log.refresh(1000);
        if (!log.isFilling())
            break;
    }
    askEveryCell(log);
    ChainListModel chains(session);
    chains.refresh(now, 1000);
    askEveryCell(chains);
    if (session.chains().size() > 0) {
        ChainTreeModel tree(session);
        tree.setChain(0);
        askEveryCell(tree);
    }
    BreakerModel breakers(session);
    breakers.refresh(now);
    askEveryCell(breakers);
    BreakerHistoryModel history(session);
    history.setBreaker(0);
    askEveryCell(history);
    DeadLetterModel deadLetters(session);
    deadLetters.refresh();
    askEveryCell(deadLetters);
    AlertModel alerts(session);
    alerts.refresh(now);
    askEveryCell(alerts);
    SourceStatsModel sources(session);
    sources.refresh();
    askEveryCell(sources);
    return 0;
}
