#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Opening a capture again from its saved index (SessionIndex), against reading it whole, in the window
# (offscreen, eventscope-bench-open) and with `eventscope-cli summary`; and a Node.js script that only
# parses and counts the same file. For each size: a first open (its index removed before, saved after),
# a reopen from the index, summary read whole (--no-index) and from the index, alternately, medians.
#   usage: benchmarks/bench-index.sh [ROUNDS] [EVENTS...]      (default: 3 rounds, 1000000 4000000)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
shift $(( $# < 1 ? $# : 1 ))
sizes=("${@:-1000000 4000000}")
[ $# -gt 0 ] || sizes=(1000000 4000000)
command -v node >/dev/null || { echo "bench: installing nodejs" >&2; apt-get install -y -qq nodejs >/dev/null; }
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
bash scripts/setup.sh >/dev/null
cmake --build build/ci --target eventscope-bench-open eventscope-cli >/dev/null
cli=build/ci/app/eventscope-cli
bench=build/ci/benchmarks/eventscope-bench-open
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
field() { sed -n "s/$1/\\1/p"; }
for events in "${sizes[@]}"; do
  file=$data/events-$events.ndjson
  [ -f "$file" ] || "$cli" generate --count "$events" --rate 5000 --seed 7 -o "$file"
  cat "$file" > /dev/null # warm the page cache for every contender
  for f in first-open first-paint reopen reopen-paint reopen-late reopen-mem sum-read sum-read-rss sum-index \
      sum-index-rss node index-bytes; do : > "$data/ix-$f.txt"; done
  for ((i = 1; i <= rounds; i++)); do
    rm -f "$file.esidx"
    out=$(QT_QPA_PLATFORM=offscreen "$bench" "$file" 0 2>/dev/null)
    echo "$out" | field '.*views built \([0-9]*\) ms.*' >> "$data/ix-first-open.txt"
    echo "$out" | field '.*first paint \([0-9]*\) ms.*' >> "$data/ix-first-paint.txt"
    stat -c %s "$file.esidx" >> "$data/ix-index-bytes.txt"
    out=$(QT_QPA_PLATFORM=offscreen "$bench" "$file" 0 2>/dev/null)
    echo "$out" | field '.*views built \([0-9]*\) ms.*' >> "$data/ix-reopen.txt"
    echo "$out" | field '.*first paint \([0-9]*\) ms.*' >> "$data/ix-reopen-paint.txt"
    echo "$out" | field '.*at most \([0-9]*\) ms late.*' >> "$data/ix-reopen-late.txt"
    echo "$out" | field '^memory: \([0-9.]*\) B\/event.*' >> "$data/ix-reopen-mem.txt"
    /usr/bin/time -f "%e %M" -o "$data/ix-t" "$cli" summary --no-index "$file" --json > /dev/null 2>&1 || true
    read -r s m < "$data/ix-t"; echo "$s" >> "$data/ix-sum-read.txt"; echo "$m" >> "$data/ix-sum-read-rss.txt"
    /usr/bin/time -f "%e %M" -o "$data/ix-t" "$cli" summary "$file" --json > /dev/null 2>&1 || true
    read -r s m < "$data/ix-t"; echo "$s" >> "$data/ix-sum-index.txt"; echo "$m" >> "$data/ix-sum-index-rss.txt"
    start=$EPOCHREALTIME
    node benchmarks/baseline-count.js "$file" > /dev/null
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }' >> "$data/ix-node.txt"
    echo "round $i ($events events): first open $(tail -1 "$data/ix-first-open.txt") ms," \
      "reopen $(tail -1 "$data/ix-reopen.txt") ms (first paint $(tail -1 "$data/ix-reopen-paint.txt") ms)," \
      "summary $(tail -1 "$data/ix-sum-read.txt") s / from the index $(tail -1 "$data/ix-sum-index.txt") s," \
      "node $(tail -1 "$data/ix-node.txt") ms" >&2
  done
  m() { median < "$data/ix-$1.txt"; }
  echo "file: $file ($events events, $(stat -c %s "$file") bytes; index $(m index-bytes) bytes), $rounds rounds, medians"
  echo "window: first open $(m first-open) ms (first paint $(m first-paint) ms); reopen from the index $(m reopen) ms" \
    "(first paint $(m reopen-paint) ms, loop at most $(m reopen-late) ms late, $(m reopen-mem) B/event beyond the file)"
  echo "summary: read whole $(m sum-read) s, peak RSS $(( $(m sum-read-rss) / 1024 )) MiB; from the index $(m sum-index) s," \
    "peak RSS $(( $(m sum-index-rss) / 1024 )) MiB"
  echo "node baseline (parse + count): $(m node) ms"
  awk -v f="$(m first-open)" -v r="$(m reopen)" -v n="$(m node)" \
    'BEGIN { printf "reopen: %.1fx faster than the first open, %.1fx faster than the node baseline\n", f / r, n / r }'
done
