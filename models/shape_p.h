// SPDX-License-Identifier: MIT
#pragma once

// A payload's shape, from the decoder's DOM (inside the models library: simdjson stays out of the
// public headers).

#include "shapetracker.h"

#include <simdjson.h>

namespace Shape {
/// The shape of `payload`: a hash of its set of (field path, JSON type) pairs, independent of the order
/// of keys and of the length of arrays (their items are merged); with `fields` set, the pairs too (paths
/// as JSON pointers, items as `*`). Bounded by ShapeTracker::MaxDepth and MaxPathsPerShape.
quint64 of(simdjson::dom::element payload, std::vector<ShapeTracker::ShapeField>* fields);
/// The shape of an event without a payload.
constexpr quint64 NoPayload = 1;
} // namespace Shape
