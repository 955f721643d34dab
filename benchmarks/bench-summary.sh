#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Decoding + every tracker on a 1 M-event NDJSON capture, against a Node.js script
# that only parses and counts. All run alternately in the same session; medians are reported. The
# summary runs twice a round: as shipped (the file decoded on a second thread while the main one
# ingests) and held to one core with taskset (both threads sharing it: the bar's "on one core").
#   usage: benchmarks/bench-summary.sh [EVENTS] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
rounds=${2:-5}
for tool in node /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench: installing $tool" >&2; apt-get install -y -qq nodejs time >/dev/null; }
done
bash scripts/setup.sh >/dev/null
cli=build/ci/app/eventscope-cli
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
file=$data/events-$events.ndjson
[ -f "$file" ] || "$cli" generate --count "$events" --rate 5000 --seed 7 -o "$file"
bytes=$(stat -c %s "$file")
cat "$file" > /dev/null # warm the page cache for both contenders

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
: > "$data/es.txt"; : > "$data/es-ingest.txt"; : > "$data/es-rss.txt"; : > "$data/node.txt"; : > "$data/node-rss.txt"
: > "$data/one.txt"; : > "$data/one-ingest.txt"
for ((i = 1; i <= rounds; i++)); do
  /usr/bin/time -f "%e %M" -o "$data/t" "$cli" summary --no-index "$file" --stats > /dev/null 2> "$data/stats" || true
  read -r wall rss < "$data/t"; echo "$wall" >> "$data/es.txt"; echo "$rss" >> "$data/es-rss.txt"
  sed -n 's/^stats: [0-9]* events in \([0-9.]*\) s.*/\1/p' "$data/stats" >> "$data/es-ingest.txt"
  /usr/bin/time -f "%e %M" -o "$data/t" taskset -c 0 "$cli" summary --no-index "$file" --stats > /dev/null 2> "$data/stats1" || true
  read -r wall rss < "$data/t"; echo "$wall" >> "$data/one.txt"
  sed -n 's/^stats: [0-9]* events in \([0-9.]*\) s.*/\1/p' "$data/stats1" >> "$data/one-ingest.txt"
  /usr/bin/time -f "%e %M" -o "$data/t" node benchmarks/baseline-count.js "$file" > /dev/null
  read -r wall rss < "$data/t"; echo "$wall" >> "$data/node.txt"; echo "$rss" >> "$data/node-rss.txt"
done
es=$(median < "$data/es.txt"); ing=$(median < "$data/es-ingest.txt"); nd=$(median < "$data/node.txt")
one=$(median < "$data/one.txt"); oneing=$(median < "$data/one-ingest.txt")
esrss=$(median < "$data/es-rss.txt"); ndrss=$(median < "$data/node-rss.txt")
heap=$(sed -n 's/.*(\([0-9.]*\) B\/event while reading.*/\1/p' "$data/stats")
retained=$(sed -n 's/.*; \([0-9.]*\) B\/event retained.*/\1/p' "$data/stats")
echo "file: $file ($events events, $bytes bytes, $((bytes / events)) B/event), $rounds rounds, medians"
awk -v e="$events" -v es="$es" -v ing="$ing" -v nd="$nd" -v esrss="$esrss" -v ndrss="$ndrss" -v heap="$heap" -v retained="$retained" -v one="$one" -v oneing="$oneing" 'BEGIN {
  printf "eventscope-cli summary: %.2f s wall (%.0f events/s), ingest %.2f s (%.0f events/s), peak RSS %.0f MiB\n", es, e/es, ing, e/ing, esrss/1024
  printf "  heap: %.1f B/event while reading (lookup indexes included), %.1f B/event retained once read\n", heap, retained
  printf "  on one core (taskset): %.2f s wall (%.0f events/s), ingest %.2f s (%.0f events/s)\n", one, e/one, oneing, e/oneing
  printf "node baseline:          %.2f s wall (%.0f events/s), peak RSS %.0f MiB\n", nd, e/nd, ndrss/1024
  printf "speed-up over node:     %.1fx (wall)\n", nd/es
}'
# every round, so a run that straddles one of this VM's slow stretches shows it
echo "  one-core ingest rounds (s, in order): $(tr '\n' ' ' < "$data/one-ingest.txt")"
echo "  node rounds (s, in order):            $(tr '\n' ' ' < "$data/node.txt")"
