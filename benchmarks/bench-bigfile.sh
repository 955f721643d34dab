#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `eventscope-cli summary` of files bigger than its memory cap: a cap of 1 GiB (the default's floor; the
# dropped events counted exactly from what they keep) against --memory-cap 0 (every event held), run
# alternately on the same file, medians per size. The two summaries must be identical (checked).
#   usage: benchmarks/bench-bigfile.sh ROUNDS EVENTS...     e.g. 3 18000000 100000000
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:?rounds}; shift
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
bash scripts/setup.sh >/dev/null
cli=build/ci/app/eventscope-cli
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
stat_of() { sed -n "$1" "$2" | head -1; }
for events in "$@"; do
  file=$data/events-$events.ndjson
  [ -f "$file" ] || "$cli" generate --count "$events" --rate 5000 --seed 7 -o "$file"
  bytes=$(stat -c %s "$file")
  for mode in held capped; do : > "$data/bf-$mode-wall"; : > "$data/bf-$mode-rss"; : > "$data/bf-$mode-heap"; done
  : > "$data/bf-kept"
  for ((i = 1; i <= rounds; i++)); do
    for mode in held capped; do
      cap=$([ "$mode" = held ] && echo 0 || echo 1024)
      /usr/bin/time -f "%e %M" -o "$data/t" "$cli" summary --no-index --memory-cap "$cap" --json --stats "$file" \
        > "$data/bf-$mode.json" 2> "$data/bf-stats" || true
      read -r wall rss < "$data/t"
      echo "$wall" >> "$data/bf-$mode-wall"; echo "$rss" >> "$data/bf-$mode-rss"
      stat_of 's/.*session heap \([0-9.]*\) MiB.*/\1/p' "$data/bf-stats" >> "$data/bf-$mode-heap"
      [ "$mode" = capped ] && stat_of 's/.*count exactly: \([0-9.]*\) MiB.*/\1/p' "$data/bf-stats" >> "$data/bf-kept"
      [ "$mode" = capped ] && dropped=$(stat_of 's/.* held, \([0-9]*\) past --memory-cap.*/\1/p' "$data/bf-stats")
    done
    cmp -s "$data/bf-held.json" "$data/bf-capped.json" || { echo "bench: the summaries differ ($file)" >&2; exit 1; }
  done
  hw=$(median < "$data/bf-held-wall"); cw=$(median < "$data/bf-capped-wall")
  hr=$(median < "$data/bf-held-rss"); cr=$(median < "$data/bf-capped-rss")
  hh=$(median < "$data/bf-held-heap"); ch=$(median < "$data/bf-capped-heap")
  kept=$(median < "$data/bf-kept" 2>/dev/null || echo 0); kept=${kept:-0}; dropped=${dropped:-0}
  echo "file: $file ($events events, $bytes bytes), $rounds rounds, medians; summaries identical"
  awk -v e="$events" -v hw="$hw" -v cw="$cw" -v hr="$hr" -v cr="$cr" -v hh="$hh" -v ch="$ch" -v kept="$kept" -v dropped="$dropped" 'BEGIN {
    printf "  every event held (--memory-cap 0): %.1f s (%.0f events/s), heap %.0f MiB (%.1f B/event), peak RSS %.0f MiB\n", hw, e/hw, hh, hh*1048576/e, hr/1024
    printf "  default cap (1 GiB held):          %.1f s (%.0f events/s), heap %.0f MiB + %.0f MiB kept for %d dropped events (%.1f B/event overall), peak RSS %.0f MiB\n", cw, e/cw, ch, kept, dropped, (ch+kept)*1048576/e, cr/1024
  }'
done
