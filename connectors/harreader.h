// SPDX-License-Identifier: MIT
#pragma once

#include <QByteArray>
#include <QString>
#include <vector>

/// Reads the WebSocket messages out of a HAR file (what browser developer tools export: Chrome and
/// Edge keep them in each entry's `_webSocketMessages`): per WebSocket entry, its request URL and its
/// messages in order, text as is and binary decoded from base64.
class HarReader
{
public:
    struct Message
    {
        qint64 timeUs = 0;
        bool received = true; ///< "receive" (from the bus) or "send" (from the page)
        bool binary = false;
        QByteArray data;
    };
    struct Connection
    {
        QString url;
        std::vector<Message> messages;
    };
    enum class Result { NotHar, Har, Invalid };

    /// NotHar when `data` is not a JSON object with a "log" holding "entries"; Invalid (with *error)
    /// when it is, but its entries cannot be read.
    static Result parse(const char* data, std::size_t len, std::vector<Connection>& out, QString* error);
};
