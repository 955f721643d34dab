#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# An EventScope capture that grew after its index was saved (a recording that went on): `summary`
# restores the index and reads on from its end, against reading the grown capture whole (--no-index).
# Each round generates EVENTS events as a capture (`generate --capture`) and indexes it (`summary`),
# then generates EVENTS + MORE of the same seed (the first EVENTS are the same bytes), and times the
# two summaries, alternately. Medians.
#   usage: benchmarks/bench-grown.sh [ROUNDS] [EVENTS] [MORE]     (default: 3 4000000 40000)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
events=${2:-4000000}
more=${3:-40000}
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
bash scripts/setup.sh >/dev/null
cmake --build build/ci --target eventscope-cli >/dev/null
cli=build/ci/app/eventscope-cli
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
file=$data/grown-$events.escap
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
: > "$data/gr-on.txt"; : > "$data/gr-whole.txt"; : > "$data/gr-on-rss.txt"; : > "$data/gr-whole-rss.txt"
for ((i = 1; i <= rounds; i++)); do
  rm -f "$file.esidx"
  "$cli" generate --count "$events" --rate 5000 --seed 7 --capture -o "$file"
  "$cli" summary "$file" --json > /dev/null
  indexed=$(stat -c %s "$file")
  "$cli" generate --count $((events + more)) --rate 5000 --seed 7 --capture -o "$file"
  /usr/bin/time -f "%e %M" -o "$data/gr-t" "$cli" summary "$file" --json --stats > "$data/gr-on.json" 2> "$data/gr-err"
  grep -q "read on from byte $indexed" "$data/gr-err" || { echo "bench: no read-on:" >&2; cat "$data/gr-err" >&2; exit 1; }
  read -r s m < "$data/gr-t"; echo "$s" >> "$data/gr-on.txt"; echo "$m" >> "$data/gr-on-rss.txt"
  /usr/bin/time -f "%e %M" -o "$data/gr-t" "$cli" summary "$file" --json --no-index > "$data/gr-whole.json" 2>/dev/null
  read -r s m < "$data/gr-t"; echo "$s" >> "$data/gr-whole.txt"; echo "$m" >> "$data/gr-whole-rss.txt"
  cmp -s "$data/gr-on.json" "$data/gr-whole.json" || { echo "bench: the summaries differ" >&2; exit 1; }
  echo "round $i: read on $(tail -1 "$data/gr-on.txt") s, whole $(tail -1 "$data/gr-whole.txt") s" >&2
done
m() { median < "$data/gr-$1.txt"; }
echo "capture: $events events indexed, then $more more ($(stat -c %s "$file") bytes), $rounds rounds, medians"
echo "summary, from the index and read on: $(m on) s, peak RSS $(( $(m on-rss) / 1024 )) MiB"
echo "summary, read whole (--no-index): $(m whole) s, peak RSS $(( $(m whole-rss) / 1024 )) MiB"
rm -f "$data/gr-t" "$data/gr-err" "$data/gr-on.json" "$data/gr-whole.json"
