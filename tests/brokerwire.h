// SPDX-License-Identifier: MIT
// The connection's side of a BrokerProtocol, for the protocol tests: what it sends, delivers and says.
#pragma once

#include "brokerprotocol.h"

#include <QList>

struct BrokerWire
{
    BrokerProtocol::Connection c;
    QByteArray sent;
    QList<QByteArray> subjects, bodies, headers;
    int ready = 0;
    QString failure;
    bool fatal = false;

    BrokerWire()
    {
        c.send = [this](const QByteArray& b) { sent += b; };
        c.message = [this](const BrokerMessage& m) {
            subjects << m.subject.toByteArray();
            bodies << m.body.toByteArray();
            headers << m.headers.toByteArray();
        };
        c.ready = [this]() { ++ready; };
        c.fail = [this](const QString& why, bool f) {
            failure = why;
            fatal = f;
        };
    }
};
