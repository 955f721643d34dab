// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

/// Glob match ('*' any run, '?' one character), case-sensitive, as event types are. It backtracks only
/// to the last '*': at most the text's length times the pattern's steps, never exponential.
bool globMatch(std::string_view pattern, std::string_view text);
