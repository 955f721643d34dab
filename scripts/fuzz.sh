#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets (clang, AddressSanitizer + UndefinedBehaviorSanitizer) and runs each
# for SECONDS (default 60) from its seed corpus in tests/fuzz/corpus/. Any crash, leak, timeout
# (10 s for one input) or memory use over 2 GiB fails the run; the input that did it is kept in
# build/fuzz/findings/ and its command to reproduce is printed.
#   usage: scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(eventdecoder capturereader brokerprotocols controlmessages viewtext jsonschema jetstream sessionindex)

if [ ! -f build/fuzz/build.ninja ]; then
  cmake --preset fuzz >/dev/null
fi
cmake --build build/fuzz -j"$(nproc)" >/dev/null

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
mkdir -p build/fuzz/findings
failed=0
for t in "${targets[@]}"; do
  work=build/fuzz/corpus/$t
  mkdir -p "$work"
  seeds=(tests/fuzz/corpus/"$t")
  [ "$t" = capturereader ] && seeds+=(tests/data)
  log=build/fuzz/$t.log
  if build/fuzz/tests/fuzz/fuzz_"$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -print_final_stats=1 -artifact_prefix=build/fuzz/findings/"$t"- "$work" "${seeds[@]}" > "$log" 2>&1; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "fuzz: $t: $runs inputs in ${seconds} s, no crash, leak or timeout"
  else
    failed=$((failed + 1))
    echo "fuzz: $t FAILED:" >&2
    grep -E "ERROR|SUMMARY|Test unit written|runtime error" "$log" | head -10 >&2
    echo "  reproduce: build/fuzz/tests/fuzz/fuzz_$t build/fuzz/findings/$t-<file>  (log: $log)" >&2
  fi
done
[ "$failed" -eq 0 ]
