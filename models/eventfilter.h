// SPDX-License-Identifier: MIT
#pragma once

#include <QString>
#include <memory>
#include <string>
#include <vector>

class Session;

/// A display filter over stored events, in the spirit of Wireshark's:
///
///     booking.* && payload.bookingId == "BK-10042"
///     type == "system.event.*" || "timed out"
///     !(source == booking-service) && payload.attempts >= 3
///
/// - `field OP value` with OP one of == != ~ (glob) contains < <= > >=; a field is `type`, `source`,
///   `origin`, `seq`, `delay` (ms between producer and receive time) or a dotted path into the event's
///   JSON (`id`, `correlationId`, `payload.bookingId`; `payload.` also finds CloudEvents' `data.`).
///   `==` on `type` with a `*` in the value is a glob. Numbers compare as numbers.
/// - a bare word or quoted string is free text, found anywhere in the event (case-insensitive); a bare
///   word with a `*` is a type glob.
/// - `&&` / `and` (or juxtaposition), `||` / `or`, `!` / `not`, parentheses.
/// The empty filter matches everything.
class EventFilter
{
public:
    EventFilter();
    ~EventFilter();
    EventFilter(EventFilter&&) noexcept;
    EventFilter& operator=(EventFilter&&) noexcept;

    /// A term that matches `field` equal to `value` exactly, whatever characters it holds:
    /// equals("type", "a\"b") is `type == "a\"b"`.
    static QString equals(const QString& field, const QString& value);

    /// Parses `text`; on error returns false and says what and at which column (1-based) in `error`.
    bool parse(const QString& text, QString* error);
    QString text() const { return m_text; }
    bool isEmpty() const { return !m_root; }

    /// Whether stored event `index` of `session` matches. Fields other than type/source/origin/seq/delay
    /// parse the event's JSON once per call.
    bool matches(const Session& session, quint32 index) const;

    struct Node;

private:
    QString m_text;
    std::unique_ptr<Node> m_root;
};
