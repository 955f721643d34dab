#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What the analysis commands (flow, ...) cost beyond reading a file: each against `summary` of the same
# build on the same file, alternately, held to one core (taskset -c 0). Prints each round, the medians
# and the median of the per-round ratios (command / summary).
#   usage: benchmarks/bench-analysis.sh [EVENTS] [ROUNDS] [COMMAND...]   (default: flow)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
rounds=${2:-9}
shift $(( $# < 2 ? $# : 2 ))
commands=("${@:-flow}")
[ ${#commands[@]} -gt 0 ] || commands=(flow)
source benchmarks/benchfile.sh # cli, data, file, median
run() {
  if [ "$1" = summary ]; then
    wall taskset -c 0 "$cli" summary $(noindex "$cli") "$file" --json
  else
    wall taskset -c 0 "$cli" "$1" "$file" --json
  fi
}
for c in "${commands[@]}"; do
  : > "$data/a-summary.txt"; : > "$data/a-$c.txt"; : > "$data/a-ratio.txt"
  for ((i = 1; i <= rounds; i++)); do
    if ((i % 2)); then s=$(run summary); n=$(run "$c"); else n=$(run "$c"); s=$(run summary); fi
    echo "$s" >> "$data/a-summary.txt"; echo "$n" >> "$data/a-$c.txt"
    r=$(awk -v n="$n" -v s="$s" 'BEGIN { printf "%.4f", n / s }')
    echo "$r" >> "$data/a-ratio.txt"
    echo "round $i: $c ${n} s, summary ${s} s, ratio ${r}"
  done
  echo "medians over $rounds rounds, $events events, one core: $c $(median < "$data/a-$c.txt") s," \
    "summary $(median < "$data/a-summary.txt") s, ratio (per round) $(median < "$data/a-ratio.txt")"
done
