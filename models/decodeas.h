// SPDX-License-Identifier: MIT
#pragma once

#include "eventprofile.h"

#include <QString>
#include <optional>
#include <utility>
#include <vector>

struct DecoderConfig;

/// How a file or connection is decoded when the user chose: one envelope profile for every event, or
/// fields mapped by hand (role -> dotted path); neither is detection per event. The same choice as
/// the command line's --profile and --field, kept as text (remembered per file and per URL).
struct DecodeAs
{
    /// The roles a field can be mapped to, in the order forms show them.
    static const std::vector<QString>& roles();
    static constexpr int MaxPathLength = 256;

    std::optional<EventProfile> profile; ///< never Custom: fields make the custom mapping
    std::vector<std::pair<QString, QString>> fields; ///< role, dotted path

    bool isAutomatic() const { return !profile && fields.empty(); }
    /// Adds a "role=path" mapping; false with `error` saying what is wrong (unknown role, no path).
    bool addField(const QString& mapping, QString* error);
    bool addField(const QString& role, const QString& path, QString* error);
    /// Applies the choice to a decoder configuration.
    void applyTo(DecoderConfig& config) const;

    /// "profile=eventstoredb" or "id=eventId;type=eventType" ("" when automatic), and back. Text that
    /// is not such a choice (a damaged or hostile setting) gives nothing, with `error` saying why.
    QString toText() const;
    static std::optional<DecodeAs> fromText(const QString& text, QString* error = nullptr);
    /// For people: "EventStoreDB", "fields id=eventId, type=eventType", "detected per event".
    QString describe() const;

    friend bool operator==(const DecodeAs& a, const DecodeAs& b)
    {
        return a.profile == b.profile && a.fields == b.fields;
    }
};
