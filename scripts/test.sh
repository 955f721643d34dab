#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds EventScope (warnings are errors) and runs the whole test suite offscreen: first each fuzz
# target for 30 s (libFuzzer, ASan + UBSan), then the whole suite under AddressSanitizer +
# UndefinedBehaviorSanitizer, the threaded connector tests under ThreadSanitizer, then the whole
# suite as shipped.
#   EVENTSCOPE_FUZZ_SECONDS=N   seconds per fuzz target (default 30; 0 skips fuzzing)
#   EVENTSCOPE_QUICK=1          only the suite as shipped (no sanitizers, no fuzzing)
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
if [ "${EVENTSCOPE_QUICK:-0}" != 1 ]; then
  fuzz_seconds=${EVENTSCOPE_FUZZ_SECONDS:-30}
  [ "$fuzz_seconds" -gt 0 ] && bash scripts/fuzz.sh "$fuzz_seconds"
  EVENTSCOPE_PRESET=asan bash scripts/setup.sh
  echo "test: the whole suite under AddressSanitizer + UndefinedBehaviorSanitizer" >&2
  ASAN_OPTIONS=detect_leaks=1 LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build/asan --output-on-failure -j2 --timeout 600
  echo "test: the threaded connector tests under ThreadSanitizer" >&2
  bash scripts/tsan.sh
  echo "test: the whole suite as shipped" >&2
fi
ctest --test-dir build/ci --output-on-failure -j2 --timeout 300
