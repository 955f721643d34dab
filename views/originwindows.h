// SPDX-License-Identifier: MIT
#pragma once

#include "eventdecoder.h"

#include <QObject>
#include <map>
#include <memory>

class MainWindow;
class Session;
struct DecodedBatch;

/// Every view for one origin (one bus or broker of several): a window of its own whose Session takes
/// only that origin's events, beside the main window that shows them all. It starts from the newest
/// retained events of that origin (re-decoded from their raw bytes, at most BackfillEvents) and then
/// follows that origin's batches live. Each window's session has a quarter of the main cap.
class OriginWindows : public QObject
{
    Q_OBJECT
public:
    static constexpr std::size_t BackfillEvents = 200000;

    explicit OriginWindows(const Session& all, QObject* parent = nullptr);
    ~OriginWindows() override;

    /// Opens (or raises) the window for `origin`; returns it.
    MainWindow* open(quint16 origin);
    /// Hands a batch to the window of its origin, if one is open (connect SourceHub::batchReady here).
    void route(const std::shared_ptr<DecodedBatch>& batch);
    void setConnectionText(const QString& text);
    MainWindow* window(quint16 origin) const;
    const Session* session(quint16 origin) const;

Q_SIGNALS:
    /// A window was opened; its own "watch one origin" menu should be wired back to open().
    void opened(MainWindow* window);

private:
    struct Scope;
    void backfill(Scope& scope, quint16 origin);

    const Session& m_all;
    EventDecoder m_decoder;
    std::map<quint16, std::unique_ptr<Scope>> m_scopes;
    QString m_connectionText;
};
