// SPDX-License-Identifier: MIT
#pragma once

#include "brokerpublisher.h"
#include "streaminfo.h"

#include <QObject>
#include <QTimer>
#include <vector>

/// Asks a NATS server (nats+ws[s]://) which JetStream streams it keeps, with their sizes and time
/// ranges (`$JS.API.STREAM.LIST`, every page), to pick one to read: `eventscope-cli streams`.
/// finished() comes once: with the streams, or with why there are none to show.
class StreamLister : public QObject
{
    Q_OBJECT
public:
    explicit StreamLister(const QUrl& url, QObject* parent = nullptr);

    /// False when the URL is not a NATS URL (*error says why); else finished() follows.
    bool start(QString* error);
    int timeoutMs = 5000; ///< for each page, and for reaching the server

Q_SIGNALS:
    void finished(const std::vector<StreamInfo>& streams, const QString& error);

private:
    void ask(quint64 offset);
    void received(const BrokerMessage& m);
    void done(const QString& error);

    QUrl m_url;
    BrokerPublisher m_publisher;
    QTimer m_timeout;
    QByteArray m_inbox;
    std::vector<StreamInfo> m_streams;
    int m_pages = 0;
    bool m_done = false;
};
