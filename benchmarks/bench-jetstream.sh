#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Reading a JetStream stream's history from one local nats-server: EventScope (over the server's
# WebSocket listener, every event decoded and taken into a Session with all its trackers) against
# nats.js, the NATS project's JavaScript client (over TCP, its ordered consumer, each message parsed
# as JSON and counted), alternately on the same stream in the same run. Prints each round, then the
# medians and the median of the per-round ratios (EventScope's events/s / nats.js's). Then the window
# (eventscope-bench-open --url) opening the stream's last hour, up to now and followed live: its first
# paint, and every event in.
#   usage: benchmarks/bench-jetstream.sh [EVENTS] [ROUNDS]     (default 1000000 events, 5 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
events=${1:-1000000}
rounds=${2:-5}
source benchmarks/benchfile.sh # cli, data, file, median
bench=build/ci/benchmarks/eventscope-bench-live
[ -d benchmarks/jetstream/node_modules/nats ] \
  || npm install --prefix benchmarks/jetstream --no-audit --no-fund --silent > /dev/null
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ws=$(port); tcp=$(port)
sed -e "s/@CLIENT_PORT@/$tcp/" -e "s/@WS_PORT@/$ws/" -e "s/@MAX_PENDING@/67108864/" \
    -e "s|@AUTH@|jetstream { store_dir: \"$work/js\" }|" tests/brokers/nats.conf > "$work/nats.conf"
nats-server -c "$work/nats.conf" > "$work/nats.log" 2>&1 &
sleep 1
node benchmarks/jetstream/fill.js "nats://127.0.0.1:$tcp" EVENTS "$file" > /dev/null

: > "$data/js-scope.txt"; : > "$data/js-natsjs.txt"; : > "$data/js-ratio.txt"
scope() {
  "$bench" --history "nats+ws://127.0.0.1:$ws/?stream=EVENTS&to=$events" \
    | sed -n 's/^history: \([0-9]*\) events in \([0-9.]*\) s.*/\1 \2/p' | awk '{printf "%.0f\n", $1 / $2}'
}
natsjs() {
  node benchmarks/jetstream/read.js "nats://127.0.0.1:$tcp" EVENTS "$events" \
    | python3 -c 'import json,sys; r=json.load(sys.stdin); print(round(r["events"] / r["seconds"]))'
}
for ((i = 1; i <= rounds; i++)); do
  if ((i % 2)); then s=$(scope); n=$(natsjs); else n=$(natsjs); s=$(scope); fi
  echo "$s" >> "$data/js-scope.txt"; echo "$n" >> "$data/js-natsjs.txt"
  r=$(awk -v s="$s" -v n="$n" 'BEGIN { printf "%.2f", s / n }')
  echo "$r" >> "$data/js-ratio.txt"
  echo "round $i: eventscope $s events/s, nats.js $n events/s, ratio $r"
done
echo "medians over $rounds rounds, $events events: eventscope $(median < "$data/js-scope.txt") events/s," \
  "nats.js $(median < "$data/js-natsjs.txt") events/s, ratio (per round) $(median < "$data/js-ratio.txt")"

# the window opening "the last hour" of the stream (all of it was stored within the hour): as File >
# Open bus history does, up to now, in a window of its own (the first paint with events, and the range
# read with replay ready), and followed live in the main window (first paint, every event in)
for mode in history live; do
  : > "$data/js-paint.txt"; : > "$data/js-all.txt"
  for ((i = 1; i <= rounds; i++)); do
    url="nats+ws://127.0.0.1:$ws/?stream=EVENTS&from=1h"
    [ "$mode" = history ] && url="$url&to=$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
    out=$(build/ci/benchmarks/eventscope-bench-open --url "$url" "$events")
    echo "window ($mode) round $i: $out"
    echo "$out" | sed -n 's/.*first paint \([0-9-]*\) ms.*/\1/p' >> "$data/js-paint.txt"
    echo "$out" | sed -n 's/.* events in \([0-9]*\) ms.*/\1/p' >> "$data/js-all.txt"
  done
  echo "window ($mode), medians over $rounds rounds: first paint $(median < "$data/js-paint.txt") ms," \
    "every event in $(median < "$data/js-all.txt") ms"
done
