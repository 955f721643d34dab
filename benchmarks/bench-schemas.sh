#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What checking payloads against schemas costs: `summary --schemas resources/schemas` (a schema for each
# of the generated file's 27 types) against `summary` of the same build on the same file, alternately.
# Run as a user runs it (every core: the payloads are checked on the decoder's thread while the session
# takes in events on another) and held to one core (taskset -c 0: the whole cost in one sum). Prints each
# round, the medians and the median of the per-round speed (summary's time / summary --schemas' time).
#   usage: benchmarks/bench-schemas.sh [EVENTS] [ROUNDS] [SCHEMAS]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
rounds=${2:-11}
schemas=${3:-resources/schemas}
source benchmarks/benchfile.sh # cli, data, file, median, wall
for cores in all one; do
  pin=(); [ "$cores" = one ] && pin=(taskset -c 0)
  : > "$data/s-plain.txt"; : > "$data/s-schemas.txt"; : > "$data/s-speed.txt"
  for ((i = 1; i <= rounds; i++)); do
    if ((i % 2)); then
      p=$(wall "${pin[@]}" "$cli" summary --no-index "$file" --json); s=$(wall "${pin[@]}" "$cli" summary "$file" --json --schemas "$schemas")
    else
      s=$(wall "${pin[@]}" "$cli" summary "$file" --json --schemas "$schemas"); p=$(wall "${pin[@]}" "$cli" summary --no-index "$file" --json)
    fi
    echo "$p" >> "$data/s-plain.txt"; echo "$s" >> "$data/s-schemas.txt"
    r=$(awk -v p="$p" -v s="$s" 'BEGIN { printf "%.4f", p / s }')
    echo "$r" >> "$data/s-speed.txt"
    echo "round $i ($cores cores): summary ${p} s, with schemas ${s} s, speed kept ${r}"
  done
  echo "medians over $rounds rounds, $events events, $cores core(s): summary $(median < "$data/s-plain.txt") s," \
    "with schemas $(median < "$data/s-schemas.txt") s, speed kept (per round) $(median < "$data/s-speed.txt")"
done
