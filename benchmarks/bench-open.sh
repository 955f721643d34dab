#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Opening a 1 M-event capture in the window (offscreen) to fully built views, its
# memory beyond the file, and replay seeks; against a Node.js script that only parses and counts the
# same file. Both run alternately in the same session; medians are reported.
#   usage: benchmarks/bench-open.sh [EVENTS] [ROUNDS] [SEEKS]
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
rounds=${2:-5}
seeks=${3:-20}
command -v node >/dev/null || { echo "bench: installing nodejs" >&2; apt-get install -y -qq nodejs >/dev/null; }
bash scripts/setup.sh >/dev/null
cmake --build build/ci --target eventscope-bench-open >/dev/null
cli=build/ci/app/eventscope-cli
bench=build/ci/benchmarks/eventscope-bench-open
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
file=$data/events-$events.ndjson
[ -f "$file" ] || "$cli" generate --count "$events" --rate 5000 --seed 7 -o "$file"
cat "$file" > /dev/null # warm the page cache for both contenders
# the same window over the first 1,000 events: what the window itself costs, whatever the capture
small=$data/events-$events-head1000.ndjson
head -n 1000 "$file" > "$small"

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
: > "$data/open.txt"; : > "$data/paint.txt"; : > "$data/mem.txt"; : > "$data/fwd.txt"; : > "$data/back.txt"
: > "$data/late.txt"; : > "$data/node-open.txt"; : > "$data/marginal.txt"; : > "$data/peak.txt"
: > "$data/fwdx.txt"; : > "$data/backx.txt"
for ((i = 1; i <= rounds; i++)); do
  rm -f "$file.esidx" # a first open, read whole (benchmarks/bench-index.sh measures opening again)
  out=$(QT_QPA_PLATFORM=offscreen "$bench" "$file" "$seeks" 2>/dev/null)
  echo "$out" | sed -n 's/.*views built \([0-9]*\) ms.*/\1/p' >> "$data/open.txt"
  echo "$out" | sed -n 's/.*first paint \([0-9]*\) ms.*/\1/p' >> "$data/paint.txt"
  echo "$out" | sed -n 's/.*at most \([0-9]*\) ms late.*/\1/p' >> "$data/late.txt"
  echo "$out" | sed -n 's/^memory: \([0-9.]*\) B\/event.*/\1/p' >> "$data/mem.txt"
  echo "$out" | sed -n 's/^memory while reading: at most \([0-9.]*\) B\/event.*/\1/p' >> "$data/peak.txt"
  base=$(QT_QPA_PLATFORM=offscreen "$bench" "$small" 0 2>/dev/null)
  kib=$(echo "$out" | sed -n 's/.*anonymous RSS +\([0-9]*\) KiB.*/\1/p')
  basekib=$(echo "$base" | sed -n 's/.*anonymous RSS +\([0-9]*\) KiB.*/\1/p')
  awk -v k="$kib" -v b="$basekib" -v n="$events" 'BEGIN { printf "%.1f\n", (k - b) * 1024 / (n - 1000) }' >> "$data/marginal.txt"
  echo "$out" | sed -n 's/^seek: forward median \([0-9.]*\) ms.*/\1/p' >> "$data/fwd.txt"
  echo "$out" | sed -n 's/^seek: .*backward median \([0-9.]*\) ms.*/\1/p' >> "$data/back.txt"
  echo "$out" | sed -n 's/^seek, explorer shown: forward median \([0-9.]*\) ms.*/\1/p' >> "$data/fwdx.txt"
  echo "$out" | sed -n 's/^seek, explorer shown: .*backward median \([0-9.]*\) ms.*/\1/p' >> "$data/backx.txt"
  echo "$out" | sed -n 's/^seek/round '"$i"' seek/p' >&2
  start=$(date +%s.%N)
  node benchmarks/baseline-count.js "$file" > /dev/null
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.0f\n", (e - s) * 1000 }' >> "$data/node-open.txt"
done
open=$(median < "$data/open.txt"); paint=$(median < "$data/paint.txt"); mem=$(median < "$data/mem.txt")
fwd=$(median < "$data/fwd.txt"); back=$(median < "$data/back.txt"); late=$(median < "$data/late.txt")
marginal=$(median < "$data/marginal.txt"); peak=$(median < "$data/peak.txt")
fwdx=$(median < "$data/fwdx.txt"); backx=$(median < "$data/backx.txt")
nd=$(median < "$data/node-open.txt")
echo "file: $file ($events events, $(stat -c %s "$file") bytes), $rounds rounds, medians"
echo "eventscope: first paint $paint ms, views built $open ms, loop at most $late ms late, $mem B/event beyond the file"
echo "memory: $marginal B/event beyond the file and the window's own (the window over the first 1,000 events, same rounds); at most $peak B/event while reading"
echo "replay seeks ($seeks per round, random): forward $fwd ms, backward $back ms; with the explorer shown: forward $fwdx ms, backward $backx ms"
echo "node baseline (parse + count): $nd ms"
awk -v o="$open" -v n="$nd" 'BEGIN { printf "speed-up over node: %.1fx\n", n / o }'
