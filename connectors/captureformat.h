// SPDX-License-Identifier: MIT
#pragma once

#include <QtGlobal>

/// The EventScope capture format (docs/capture-format.md): an 8-byte magic, then records of
/// [u32 length][u8 kind][u8 flags][u16 origin][i64 receive time µs][body][u32 CRC-32], little-endian.
namespace CaptureFormat {
constexpr char Magic[8] = { '\x89', 'E', 'S', 'C', 'A', 'P', '\r', '\n' };
constexpr int Version = 1;
constexpr int RecordHeaderBytes = 16;
constexpr int RecordTrailerBytes = 4;
constexpr quint32 MaxBodyBytes = 64u << 20;
constexpr int MaxConsumersPerRecord = 256;

enum Kind : quint8 {
    Header = 1, ///< JSON: format, version, source, started, application
    Origin = 2, ///< JSON: id, name, protocol
    TextFrame = 3,
    BinaryFrame = 4,
    Annotation = 5, ///< JSON: a comment or bookmark
    Message = 6, ///< a broker message: u16 subject length, subject, u32 header length, headers, body
    Consumers = 7, ///< JSON: a stream's durable consumers as its server reported them (JetStream)
};

/// Record flags.
enum Flag : quint8 {
    TopicSlashes = 0x01, ///< a Message whose topic separates levels with '/' (MQTT): types use dots instead
};
} // namespace CaptureFormat
