// SPDX-License-Identifier: MIT
#pragma once

// The validator's entry point for a payload already parsed by simdjson (the decoder's DOM), inside the
// models library only: simdjson stays out of its public headers.

#include "jsonschema.h"

#include <simdjson.h>

/// Checks `value` against schema `schema` of `set`, as JsonSchemaSet::validate() does with a text.
bool validateElement(
    const JsonSchemaSet& set, int schema, simdjson::dom::element value, std::vector<SchemaViolation>* out);
