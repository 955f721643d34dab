#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A pretty-printed JSON array document of about SIZE_MB megabytes (`eventscope-cli generate`'s events,
# indented by Python's json module), plain and compressed with `zstd -1`, each read by `eventscope-cli
# summary --stats` ROUNDS times: time, throughput and peak RSS against the document's size, medians.
#   usage: benchmarks/bench-document.sh [SIZE_MB] [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-1024}
rounds=${2:-5}
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cli=build/ci/app/eventscope-cli
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
file=$data/document-${size_mb}mb.json
if [ ! -f "$file" ]; then
  # about 445 pretty-printed bytes an event
  events=$((size_mb * 1024 * 1024 / 445))
  "$cli" generate --count "$events" --rate 5000 --seed 7 | python3 -c '
import json, sys
out = sys.stdout
out.write("[\n")
first = True
for line in sys.stdin:
    if not first:
        out.write(",\n")
    first = False
    out.write(json.dumps(json.loads(line), indent=2))
out.write("\n]\n")' > "$file"
fi
bytes=$(stat -c %s "$file")
[ -f "$file.zst" ] || zstd -1 -q "$file" -o "$file.zst"
cat "$file" "$file.zst" > /dev/null
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# The most anonymous memory (KiB) the newest `eventscope-cli` held, sampled every 20 ms until it
# ends: RSS also counts file pages (the mapped document, the record file's pages in the page cache),
# which the kernel drops under pressure; anonymous memory it cannot.
peak_anon() {
  local pid="" max=0 key value rest
  for ((w = 0; w < 100; w++)); do
    pid=$(pgrep -n -x eventscope-cli || true)
    [ -n "$pid" ] && break
    sleep 0.01
  done
  [ -n "$pid" ] || { echo 0; return; }
  while [ -r "/proc/$pid/status" ]; do
    { while read -r key value rest; do
      if [ "$key" = RssAnon: ] && [ "$value" -gt "$max" ]; then max=$value; fi
    done < "/proc/$pid/status"; } 2>/dev/null || true
    sleep 0.02
  done
  echo "$max"
}
for kind in plain zstd; do : > "$data/doc-$kind-wall.txt"; : > "$data/doc-$kind-rss.txt"; : > "$data/doc-$kind-heap.txt"; : > "$data/doc-$kind-anon.txt"; done
# plain and zstd alternately, so both see the same moods of the machine
for ((i = 1; i <= rounds; i++)); do
  for kind in plain zstd; do
    input=$file; [ "$kind" = zstd ] && input=$file.zst
    /usr/bin/time -f "%e %M" -o "$data/t" "$cli" summary --no-index "$input" --stats > /dev/null 2> "$data/stats" &
    anon=$(peak_anon)
    wait $! || true
    read -r wall rss < "$data/t"
    echo "$wall" >> "$data/doc-$kind-wall.txt"; echo "$rss" >> "$data/doc-$kind-rss.txt"; echo "$anon" >> "$data/doc-$kind-anon.txt"
    sed -n 's/.*session heap \([0-9.]*\) MiB.*/\1/p' "$data/stats" >> "$data/doc-$kind-heap.txt"
    echo "round $i $kind: $wall s, peak RSS $((rss / 1024)) MiB (anonymous $((anon / 1024)) MiB), $(sed -n 's/^stats: \([0-9]*\) events.*/\1/p' "$data/stats") events"
  done
done
for kind in plain zstd; do
  wall=$(median < "$data/doc-$kind-wall.txt"); rss=$(median < "$data/doc-$kind-rss.txt"); heap=$(median < "$data/doc-$kind-heap.txt")
  anon=$(median < "$data/doc-$kind-anon.txt")
  awk -v k="$kind" -v b="$bytes" -v w="$wall" -v r="$rss" -v h="$heap" -v a="$anon" 'BEGIN {
    if (k == "plain")
      printf "plain, document %.0f MiB: median %.2f s = %.0f MB/s; peak RSS %.0f MiB = the mapped document + %.0f MiB; at most %.0f MiB anonymous, the session heap %.0f MiB\n",
        b / 1048576, w, b / w / 1e6, r / 1024, r / 1024 - b / 1048576, a / 1024, h
    else
      printf "zstd: median %.2f s = %.0f MB/s of JSON; peak RSS %.0f MiB (the spooled bytes are written, not mapped in, while reading); at most %.0f MiB anonymous, the session heap %.0f MiB\n",
        w, b / w / 1e6, r / 1024, a / 1024, h }'
done
