// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonValue>
#include <QString>

/// YAML read into JSON values (libyaml's parser), for documents that are JSON in YAML's clothes:
/// AsyncAPI files, JSON Schemas written as YAML. Mappings become objects (keys as text), sequences arrays,
/// plain scalars take the YAML 1.2 core schema's types (null, true/false, integers, floats), quoted and
/// block scalars are strings. Aliases are followed. The first document of a stream is read. Bounded: a
/// document of more than MaxNodes values (after aliases are expanded) or nested deeper than MaxDepth is
/// refused, so an alias bomb stays small.
namespace YamlJson {
constexpr int MaxNodes = 1000000;
constexpr int MaxDepth = 256;
/// The document in `yaml`; on failure, an undefined value with `error` saying what and where ("line L,
/// column C: ...").
QJsonValue parse(const QByteArray& yaml, QString* error);
} // namespace YamlJson
