// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <QtGlobal>
#include <array>

/// An envelope shape the decoder maps onto the event record (docs/protocol.md, "Profiles"). Detected
/// per event: the first whose id and type fields are present wins, in this order.
enum class EventProfile : quint8 {
    Native, ///< EventScope's own envelope and its aliases
    CloudEvents, ///< CloudEvents 1.0 structured mode (the native mapping, with `specversion`)
    EventStoreDb, ///< eventId, eventType, data, metadata/metaData ($correlationId, $causationId)
    MassTransit, ///< messageId, messageType (urn:message:...), conversationId, initiatorId, message
    Axon, ///< identifier, payloadType, metaData.traceId, metaData.correlationId (the cause)
    Prooph, ///< uuid, message_name, created_at, metadata._causation_id
    Custom, ///< fields mapped by hand (`--field role=path`)
};

namespace EventProfiles {
constexpr int Count = 7;
/// The name used on command lines and in JSON ("eventstoredb").
QString name(EventProfile p);
/// The name shown to people ("EventStoreDB").
QString title(EventProfile p);
/// Parses a name (case-insensitive); false when it names no profile.
bool parse(const QString& text, EventProfile& out);
/// Every profile's name, for usage text.
QString names();
} // namespace EventProfiles

/// Events decoded per profile.
using ProfileCounts = std::array<quint64, EventProfiles::Count>;
