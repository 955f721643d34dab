// SPDX-License-Identifier: MIT
#include "originwindows.h"

#include "decodedbatch.h"
#include "eventrecord.h"
#include "mainwindow.h"
#include "printable.h"
#include "session.h"
#include "sessionfeed.h"
#include "urlredaction.h"

#include <algorithm>

struct OriginWindows::Scope
{
    std::unique_ptr<Session> session;
    MainWindow* window = nullptr; ///< deletes itself on close; the scope goes with it
};

OriginWindows::OriginWindows(const Session& all, QObject* parent)
    : QObject(parent)
    , m_all(all)
{ }

OriginWindows::~OriginWindows()
{
    for (auto& [origin, scope] : m_scopes) {
        scope->window->disconnect(this);
        delete scope->window; // before its session
    }
}

MainWindow* OriginWindows::window(quint16 origin) const
{
    const auto it = m_scopes.find(origin);
    return it == m_scopes.end() ? nullptr : it->second->window;
}

const Session* OriginWindows::session(quint16 origin) const
{
    const auto it = m_scopes.find(origin);
    return it == m_scopes.end() ? nullptr : it->second->session.get();
}

MainWindow* OriginWindows::open(quint16 origin)
{
    if (MainWindow* w = window(origin)) {
        w->show();
        w->raise();
        w->activateWindow();
        return w;
    }
    auto scope = std::make_unique<Scope>();
    Session::Config config = m_all.config();
    config.memoryCapBytes = config.memoryCapBytes / 4;
    scope->session = std::make_unique<Session>(config);
    // the same origin ids as the main session, so live batches need no translation
    for (quint16 o = 0; o <= origin; ++o)
        scope->session->addOrigin(m_all.originName(o));
    scope->window = new MainWindow(*scope->session);
    MainWindow* w = scope->window;
    w->setPersistent(false); // the main window's layout is the one remembered
    w->setWindowTitle(
        tr("EventScope: %1").arg(Printable::forDisplay(UrlRedaction::readable(m_all.originName(origin)), 120)));
    // closing it frees it: its session and its share of the work stop with it (reopening fills it again)
    w->setAttribute(Qt::WA_DeleteOnClose, true);
    connect(w, &QObject::destroyed, this, [this, origin]() { m_scopes.erase(origin); });
    w->showDashboard();
    w->setConnectionText(m_connectionText);
    backfill(*scope, origin);
    m_scopes.emplace(origin, std::move(scope));
    Q_EMIT opened(w);
    w->show();
    return w;
}

void OriginWindows::backfill(Scope& scope, quint16 origin)
{
    const EventStore& store = m_all.store();
    // the newest retained events of this origin, oldest first
    std::vector<quint32> picked;
    for (quint32 i = store.end(); i != store.first() && picked.size() < BackfillEvents;) {
        --i;
        if (store.originAt(i) == origin)
            picked.push_back(i);
    }
    std::reverse(picked.begin(), picked.end());
    constexpr std::size_t batchEvents = 8192;
    for (std::size_t from = 0; from < picked.size(); from += batchEvents) {
        const std::size_t to = std::min(picked.size(), from + batchEvents);
        auto batch = std::make_shared<DecodedBatch>();
        // one buffer per batch holds the raw bytes (the main session may drop them meanwhile)
        std::size_t bytes = 0;
        for (std::size_t k = from; k < to; ++k)
            bytes += m_all.raw(picked[k]).size();
        QByteArray buffer;
        buffer.reserve(qsizetype(bytes));
        for (std::size_t k = from; k < to; ++k) {
            const std::string_view raw = m_all.raw(picked[k]);
            buffer.append(raw.data(), qsizetype(raw.size()));
        }
        batch->frames.push_back(buffer);
        const char* base = batch->frames.back().constData();
        std::size_t offset = 0;
        for (std::size_t k = from; k < to; ++k) {
            const EventRecord& r = store.at(picked[k]);
            const std::size_t length = r.rawLength();
            const std::size_t first = batch->events.size();
            const SourcePosition where { origin, SourcePosition::Record, picked[k], -1 };
            m_decoder.decode(base + offset, length, 0, where, r.receiveTimeUs, *batch);
            offset += length;
            if (batch->events.size() == first + 1) {
                DecodedEvent& e = batch->events.back();
                // the session time as the whole session had it (a file's placed times stay placed)
                e.receiveTimeUs = r.receiveTimeUs;
                if (!m_all.receiveTimeKnown(origin))
                    e.setReceivePlaced();
                // what came beside the body (a broker header's correlation id) is in the record, not the bytes
                if (!(e.flags & EventRecord::HasCorrelation) && r.chain != EventRecord::NoChain) {
                    const std::string text = m_all.chains().idText(r.chain).toStdString();
                    bool hashed = false;
                    e.correlation = Uuid::fromText(text, &hashed);
                    e.setCorrelationHashed(hashed);
                    if (hashed)
                        e.correlationText = batch->store(text);
                    e.flags |= EventRecord::HasCorrelation;
                }
            }
        }
        scope.window->feed().ingest(batch);
    }
}

void OriginWindows::route(const std::shared_ptr<DecodedBatch>& batch)
{
    if (m_scopes.empty() || !batch)
        return;
    // a source hands over batches of its own origin only
    const quint16 origin = !batch->events.empty() ? batch->events.front().origin
        : !batch->malformed.empty()               ? batch->malformed.front().position.origin
                                                  : quint16(0);
    const auto it = m_scopes.find(origin);
    if (it != m_scopes.end())
        it->second->window->feed().ingest(batch);
}

void OriginWindows::setConnectionText(const QString& text)
{
    m_connectionText = text;
    for (auto& [origin, scope] : m_scopes)
        scope->window->setConnectionText(text);
}
