# SPDX-License-Identifier: MIT
# Sourced by the benchmark scripts that time eventscope-cli on one generated file: sets `cli` (this
# build, or $EVENTSCOPE_CLI), `data` (the work directory), `file` (EVENTS events, made once and
# warmed in the page cache) and defines `median` and `wall`. Needs `events` set.
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cli=${EVENTSCOPE_CLI:-build/ci/app/eventscope-cli}
data=${BENCH_DIR:-build/bench}
mkdir -p "$data"
file=$data/events-$events.ndjson
[ -f "$file" ] || "$cli" generate --count "$events" --rate 5000 --seed 7 -o "$file"
cat "$file" > /dev/null
# A build that saves a capture's index opens the file from it from its second `summary` on: each
# contender is to read the file whole every time (--no-index, where the build knows it).
noindex() { "$1" summary --help 2>&1 | grep -q -- --no-index && echo --no-index || true; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
# Runs a command, its output dropped, and prints its wall time in seconds to the microsecond (the
# 10 ms steps of time(1) are 2 % of a half-second run).
wall() {
  local start=$EPOCHREALTIME
  "$@" > /dev/null 2>&1 || true
  awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.4f\n", b - a }'
}
