#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `eventscope-cli summary --no-index` of big files, four ways, run alternately on the same file, medians
# per size: every event held (--memory-cap 0), a cap of 1 GiB (the default's floor when an index is
# saved), as shipped (a summary that saves no index holds the newest 16 MiB), and as shipped with what
# is kept for the dropped events bounded (--exact-memory, BOUND_MIB, default 256). Past a cap the
# dropped events are counted exactly from what they keep: those three summaries must be identical
# (checked). Past the bound the figures are estimates: which of them differ is printed.
#   usage: [MODES="held bounded"] [BOUND_MIB=256] benchmarks/bench-bigfile.sh ROUNDS EVENTS...
#   e.g. benchmarks/bench-bigfile.sh 3 18000000 100000000
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:?rounds}; shift
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
bash scripts/setup.sh >/dev/null
cli=build/ci/app/eventscope-cli
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
modes=${MODES:-held capped shipped bounded}
bound=${BOUND_MIB:-256}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
stat_of() { sed -n "$1" "$2" | head -1; }
for events in "$@"; do
  file=$data/events-$events.ndjson
  [ -f "$file" ] || "$cli" generate --count "$events" --rate 5000 --seed 7 -o "$file"
  bytes=$(stat -c %s "$file")
  for mode in $modes; do
    for figure in wall rss heap kept filed dropped; do : > "$data/bf-$mode-$figure"; done
  done
  echo "not compared (held not run)" > "$data/bf-bounded-differs"
  for ((i = 1; i <= rounds; i++)); do
    for mode in $modes; do
      case $mode in
        held) cap=(--memory-cap 0) ;;
        capped) cap=(--memory-cap 1024) ;;
        shipped) cap=() ;;
        bounded) cap=(--exact-memory "$bound") ;;
      esac
      /usr/bin/time -f "%e %M" -o "$data/t" "$cli" summary --no-index "${cap[@]}" --json --stats "$file" \
        > "$data/bf-$mode.json" 2> "$data/bf-stats" || true
      read -r wall rss < "$data/t"
      echo "$wall" >> "$data/bf-$mode-wall"; echo "$rss" >> "$data/bf-$mode-rss"
      stat_of 's/.*session heap \([0-9.]*\) MiB.*/\1/p' "$data/bf-stats" >> "$data/bf-$mode-heap"
      kept=$(stat_of 's/.*kept for those to count[a-z ]*: \([0-9.]*\) MiB.*/\1/p' "$data/bf-stats"); echo "${kept:-0}" >> "$data/bf-$mode-kept"
      from=$(stat_of 's/^stats: estimates from event \([0-9]*\).*/\1/p' "$data/bf-stats"); echo "${from:--}" > "$data/bf-$mode-from"
      filed=$(stat_of 's/.*record file (page cache): \([0-9.]*\) MiB.*/\1/p' "$data/bf-stats"); echo "${filed:-0}" >> "$data/bf-$mode-filed"
      dropped=$(stat_of 's/.* held, \([0-9]*\) past --memory-cap.*/\1/p' "$data/bf-stats"); echo "${dropped:-0}" >> "$data/bf-$mode-dropped"
    done
    for mode in $modes; do
      case $mode in
        held) ;;
        bounded) [[ " $modes " == *" held "* ]] || continue
          python3 - "$data/bf-held.json" "$data/bf-bounded.json" > "$data/bf-bounded-differs" <<'EOF'
import json, sys
held, bounded = (json.load(open(f)) for f in sys.argv[1:3])
bounded.pop("estimates", None)
print(" ".join(k for k in sorted(set(held) | set(bounded)) if held.get(k) != bounded.get(k)) or "none")
EOF
          ;;
        *) cmp -s "$data/bf-held.json" "$data/bf-$mode.json" || { echo "bench: the summaries differ ($file, $mode)" >&2; exit 1; } ;;
      esac
    done
  done
  echo "file: $file ($events events, $bytes bytes), $rounds rounds, medians; held, capped and shipped summaries identical"
  for mode in $modes; do
    awk -v e="$events" -v mode="$mode" -v w="$(median < "$data/bf-$mode-wall")" -v r="$(median < "$data/bf-$mode-rss")" \
      -v h="$(median < "$data/bf-$mode-heap")" -v k="$(median < "$data/bf-$mode-kept")" \
      -v f="$(median < "$data/bf-$mode-filed")" -v d="$(median < "$data/bf-$mode-dropped")" 'BEGIN {
      printf "  %-8s %6.1f s (%.0f events/s); heap %.0f MiB held + %.0f MiB kept for %d dropped = %.1f B/event; page cache (record file) %.0f MiB = %.1f B/event; peak RSS %.0f MiB\n",
        mode, w, e/w, h, k, d, (h+k)*1048576/e, f, f*1048576/e, r/1024
    }'
  done
  if [[ " $modes " == *" bounded "* ]]; then
    echo "  bounded: estimates from event $(cat "$data/bf-bounded-from"); figures that differ from every event held: $(cat "$data/bf-bounded-differs")"
  fi
done
