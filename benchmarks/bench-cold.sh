#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A file opened after a pause against one opened right after another: two builds of eventscope-cli
# (A, B), each run on one core after IDLE seconds of nothing ("cold": on a VM with free page reporting
# the memory freed by the last run has gone back to the host by then) and once more at once ("warm").
# The builds alternate, so both see the same minutes of the machine; medians of the rounds.
#   usage: benchmarks/bench-cold.sh CLI_A CLI_B [EVENTS] [ROUNDS] [IDLE]
set -euo pipefail
cd "$(dirname "$0")/.."
a=${1:?usage: bench-cold.sh CLI_A CLI_B [EVENTS] [ROUNDS] [IDLE]}
b=${2:?usage: bench-cold.sh CLI_A CLI_B [EVENTS] [ROUNDS] [IDLE]}
events=${3:-1000000}
rounds=${4:-7}
idle=${5:-8}
command -v /usr/bin/time >/dev/null || { echo "bench: installing time" >&2; apt-get install -y -qq time >/dev/null; }
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
file=$data/events-$events.ndjson
[ -f "$file" ] || "$a" generate --count "$events" --rate 5000 --seed 7 -o "$file"
cat "$file" > /dev/null # the file itself in the page cache: only the program's own memory is cold

# one run: "<ingest s> <system s>"
run() {
  /usr/bin/time -f "%S" -o "$data/cold-sys" taskset -c 0 "$1" summary $("$1" summary --help 2>&1 | grep -o -- --no-index || true) "$file" --stats > /dev/null 2> "$data/cold-stats" || true
  echo "$(sed -n 's/^stats: [0-9]* events in \([0-9.]*\) s.*/\1/p' "$data/cold-stats") $(cat "$data/cold-sys")"
}
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
: > "$data/cold-A.txt"; : > "$data/cold-B.txt"
for ((i = 1; i <= rounds; i++)); do
  for side in A B; do
    cli=$a; [ "$side" = B ] && cli=$b
    sleep "$idle"
    cold=$(run "$cli"); warm=$(run "$cli")
    echo "$cold $warm" >> "$data/cold-$side.txt"
    echo "round $i $side: cold ingest ${cold% *} s (system ${cold#* } s), warm ${warm% *} s (system ${warm#* } s)"
  done
done
echo "medians of $rounds rounds, $events events, one core, ${idle} s idle before each cold run:"
for side in A B; do
  f=$data/cold-$side.txt
  echo "  $side: cold ingest $(awk '{print $1}' "$f" | median) s, system $(awk '{print $2}' "$f" | median) s;" \
    "warm ingest $(awk '{print $3}' "$f" | median) s, system $(awk '{print $4}' "$f" | median) s"
done
