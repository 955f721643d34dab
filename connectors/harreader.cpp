// SPDX-License-Identifier: MIT
#include "harreader.h"

#include <simdjson.h>

using namespace simdjson;

HarReader::Result HarReader::parse(const char* data, std::size_t len, std::vector<Connection>& out, QString* error)
{
    out.clear();
    dom::parser parser;
    dom::element root;
    // copied into a padded buffer when the input has no 64 readable bytes after it (a mapped file's end)
    if (parser.parse(reinterpret_cast<const uint8_t*>(data), len, true).get(root) != SUCCESS)
        return Result::NotHar;
    dom::object log;
    dom::array entries;
    if (root["log"].get_object().get(log) != SUCCESS || log["entries"].get_array().get(entries) != SUCCESS)
        return Result::NotHar;
    std::size_t index = 0;
    for (dom::element entry : entries) {
        ++index;
        dom::array messages;
        if (entry["_webSocketMessages"].get_array().get(messages) != SUCCESS)
            continue; // an HTTP request: no bus messages in it
        Connection c;
        std::string_view url;
        if (entry.at_pointer("/request/url").get_string().get(url) == SUCCESS)
            c.url = QString::fromUtf8(url.data(), qsizetype(url.size()));
        for (dom::element m : messages) {
            Message message;
            std::string_view type, text;
            double seconds = 0;
            int64_t opcode = 1;
            if (m["type"].get_string().get(type) != SUCCESS || m["data"].get_string().get(text) != SUCCESS) {
                if (error)
                    *error = QStringLiteral("entry %1 has a WebSocket message without \"type\" or \"data\"").arg(index);
                return Result::Invalid;
            }
            if (m["time"].get_double().get(seconds) == SUCCESS && seconds > 0 && seconds < 1e11)
                message.timeUs = qint64(seconds * 1e6);
            if (m["opcode"].get_int64().get(opcode) != SUCCESS)
                opcode = 1;
            message.received = type == "receive";
            message.binary = opcode == 2;
            const QByteArray raw(text.data(), qsizetype(text.size()));
            message.data = message.binary ? QByteArray::fromBase64(raw) : raw;
            c.messages.push_back(std::move(message));
        }
        out.push_back(std::move(c));
    }
    return Result::Har;
}
