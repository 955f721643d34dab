#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The cost of a change to `eventscope-cli summary`: this build against another (the baseline), run
# alternately on the same file in the same session, each held to one core (taskset -c 0). Prints each
# round, the medians, and the median of the per-round ratios (this build / baseline).
#   usage: benchmarks/bench-against.sh BASELINE_CLI [EVENTS] [ROUNDS] [-- EXTRA SUMMARY ARGS]
#   e.g.:  git worktree add /tmp/base HEAD~3 && cmake -S /tmp/base -B /tmp/base/build -G Ninja \
#            -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build /tmp/base/build --target eventscope-cli
#          benchmarks/bench-against.sh /tmp/base/build/app/eventscope-cli 1000000 11
set -euo pipefail
cd "$(dirname "$0")/.."
base=${1:?usage: bench-against.sh BASELINE_CLI [EVENTS] [ROUNDS]}
events=${2:-1000000}
rounds=${3:-9}
shift $(( $# < 3 ? $# : 3 ))
[ "${1:-}" = "--" ] && shift
source benchmarks/benchfile.sh # cli, data, file, median
: > "$data/new.txt"; : > "$data/base.txt"; : > "$data/ratio.txt"
run() {
  local bin=$1; shift
  wall taskset -c 0 "$bin" summary $(noindex "$bin") "$file" "$@"
}
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then b=$(run "$base" "$@"); n=$(run "$cli" "$@"); else n=$(run "$cli" "$@"); b=$(run "$base" "$@"); fi
  echo "$n" >> "$data/new.txt"; echo "$b" >> "$data/base.txt"
  r=$(awk -v n="$n" -v b="$b" 'BEGIN { printf "%.4f", n / b }')
  echo "$r" >> "$data/ratio.txt"
  echo "round $i: this build ${n} s, baseline ${b} s, ratio ${r}"
done
echo "medians over $rounds rounds, $events events, one core: this build $(median < "$data/new.txt") s," \
  "baseline $(median < "$data/base.txt") s, ratio (per round) $(median < "$data/ratio.txt")"
