#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Live over WebSocket: the demo bus in its own process at each given rate, against the GUI's ingest path
# without the window (eventscope-bench-live: WebSocketSource decoding on its worker thread, Session and
# every tracker on the main thread, the default 1 GiB memory cap), one run per rate, each measured from
# the first event on; then `eventscope-cli record` at the same rates for a third of the time.
#   usage: benchmarks/bench-live.sh [SECONDS] [RATE...]      (default: 60 s; 250000 250000 250000 300000 350000)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(250000 250000 250000 300000 350000)
command -v /usr/bin/time >/dev/null || apt-get install -y -qq time >/dev/null
cmake --build build/ci --target eventscope-cli eventscope-bench-live >/dev/null
cli=build/ci/app/eventscope-cli
bench=build/ci/benchmarks/eventscope-bench-live
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

for rate in "${rates[@]}"; do
  p=$(port)
  "$cli" demo-bus --port "$p" --rate "$rate" --duration $((seconds + 4)) > /dev/null 2>&1 & bus=$!
  sleep 1
  echo "ingest path, $rate/s offered: $("$bench" --url "ws://127.0.0.1:$p/events" "$seconds" 2>&1 | tail -1)"
  kill "$bus" 2>/dev/null || true; wait "$bus" 2>/dev/null || true
done
short=$((seconds / 3 > 5 ? seconds / 3 : 5))
for rate in $(printf '%s\n' "${rates[@]}" | sort -un); do
  p=$(port)
  "$cli" demo-bus --port "$p" --rate "$rate" --duration $((short + 4)) > /dev/null 2>&1 & bus=$!
  sleep 1
  /usr/bin/time -f "%U %S %M" -o "$work/t" "$cli" record "ws://127.0.0.1:$p/events" -o "$work/r.escap" \
    --duration "$short" > /dev/null 2> "$work/rec" || true
  read -r user sys rss < "$work/t"
  echo "record, $rate/s offered: $(grep -o '^record: [0-9].*dropped' "$work/rec" | tail -1); max RSS $((rss / 1024)) MiB"
  kill "$bus" 2>/dev/null || true; wait "$bus" 2>/dev/null || true
  rm -f "$work/r.escap"
done
