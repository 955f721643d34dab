#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What one long name costs the window, against a short one in the same run: eventscope-bench-names
# with a 16-byte name and with LONG bytes in turn, ROUNDS times each; medians of time and memory.
#   usage: benchmarks/bench-names.sh [LONG] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
long=${1:-1000000}
rounds=${2:-5}
bench=build/ci/benchmarks/eventscope-bench-names
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
declare -A ms mib session
for ((i = 1; i <= rounds; i++)); do
  for size in 16 "$long"; do
    line=$("$bench" "$size")
    echo "round $i: $line"
    ms[$size]+="$(sed -n 's/^name [0-9]* bytes: \([0-9]*\) ms.*/\1/p' <<< "$line") "
    mib[$size]+="$(sed -n 's/.*window memory +\([-0-9.]*\) MiB.*/\1/p' <<< "$line") "
    session[$size]+="$(sed -n 's/.*storing the events +\([-0-9.]*\) MiB.*/\1/p' <<< "$line") "
  done
done
for size in 16 "$long"; do
  echo "name of $size bytes: median $(tr ' ' '\n' <<< "${ms[$size]}" | grep . | median) ms," \
    "window memory +$(tr ' ' '\n' <<< "${mib[$size]}" | grep . | median) MiB" \
    "(of which the session storing the events +$(tr ' ' '\n' <<< "${session[$size]}" | grep . | median) MiB)"
done
