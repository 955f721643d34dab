// SPDX-License-Identifier: MIT
// Fuzzes the text that comes from outside and steers EventScope: a client's subscribe message (bus
// server), connection URLs (command line, connect dialog, settings) and display filters.
#include "brokerprotocol.h"
#include "busserver.h"
#include "eventfilter.h"
#include "urlredaction.h"

#include <QUrl>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, std::size_t size)
{
    const QByteArray bytes(reinterpret_cast<const char*>(data), qsizetype(size));
    BusServer::Subscription subscription;
    BusServer::parseSubscription(bytes, subscription);

    const QString text = QString::fromUtf8(bytes);
    for (const QUrl& url : { QUrl(text, QUrl::TolerantMode), QUrl(text, QUrl::StrictMode) }) {
        BrokerEndpoint endpoint;
        QString error;
        BrokerEndpoint::parse(url, endpoint, &error);
        UrlRedaction::redacted(url);
        // whatever the URL, what is shown carries no user info
        if (!UrlRedaction::redact(url).userInfo().isEmpty()
            || !UrlRedaction::withoutCredentials(url).userInfo().isEmpty())
            __builtin_trap();
    }
    EventFilter filter;
    QString error;
    filter.parse(text, &error);
    return 0;
}
