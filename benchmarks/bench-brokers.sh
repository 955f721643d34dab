#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Through brokers: the demo bus publishing through nats-server and mosquitto (each over its WebSocket
# listener) into EventScope's ingest path (WebSocketSource + Session + every tracker), at increasing
# rates, with the direct bus (demo-bus serving its own WebSocket) as the baseline in the same run.
# For each run: events/s received, gaps (published but never received), and the CPU share of the
# publisher, the broker and EventScope, which says what limits the rate.
#   usage: benchmarks/bench-brokers.sh [SECONDS] [RATE...]      (default: 10 s; 50000 100000 200000 300000)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-10}
shift || true
rates=("$@")
[ ${#rates[@]} -gt 0 ] || rates=(50000 100000 200000 300000)
cli=build/ci/app/eventscope-cli
bench=build/ci/benchmarks/eventscope-bench-live
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
hz=$(getconf CLK_TCK)

nats_ws=$(port); nats_tcp=$(port); mq_ws=$(port); mq_tcp=$(port)
sed -e "s/@CLIENT_PORT@/$nats_tcp/" -e "s/@WS_PORT@/$nats_ws/" -e "s/@MAX_PENDING@/67108864/" -e "s/@AUTH@//" \
    tests/brokers/nats.conf > "$work/nats.conf"
sed -e "s/@TCP_PORT@/$mq_tcp/" -e "s/@WS_PORT@/$mq_ws/" -e "s/@AUTH@/allow_anonymous true/" \
    tests/brokers/mosquitto.conf > "$work/mosquitto.conf"
nats-server -c "$work/nats.conf" > "$work/nats.log" 2>&1 & nats_pid=$!
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 & mq_pid=$!
sleep 1

printf '%-8s %10s %12s %10s %10s %9s %11s %10s\n' path offered/s received/s gaps pub-dropped pub-cpu% broker-cpu% scope-cpu%
for rate in "${rates[@]}"; do
  for path in direct nats mqtt; do
    case $path in
      direct) dport=$(port); pubargs=(--port "$dport"); url="ws://127.0.0.1:$dport/events"; broker=0 ;;
      nats) pubargs=(--nats "nats+ws://127.0.0.1:$nats_ws"); url="nats+ws://127.0.0.1:$nats_ws"; broker=$nats_pid ;;
      mqtt) pubargs=(--mqtt "mqtt+ws://127.0.0.1:$mq_ws"); url="mqtt+ws://127.0.0.1:$mq_ws?topic=%23"; broker=$mq_pid ;;
    esac
    "$bench" --url "$url" $((seconds + 2)) > "$work/out" 2>&1 & scope=$!
    sleep 0.5
    "$cli" demo-bus "${pubargs[@]}" --rate "$rate" --duration $((seconds + 4)) --seed 3 > /dev/null 2> "$work/pub" & pub=$!
    sleep 2
    p0=$(ticks $pub); b0=$( [ "$broker" = 0 ] && echo 0 || ticks $broker ); s0=$(ticks $scope); t0=$(date +%s.%N)
    sleep "$seconds"
    p1=$(ticks $pub); b1=$( [ "$broker" = 0 ] && echo 0 || ticks $broker ); s1=$(ticks $scope); t1=$(date +%s.%N)
    wait $scope || true
    wait $pub || true
    received=$(sed -n 's/^received \([0-9]*\) events.*/\1/p' "$work/out")
    gaps=$(sed -n 's/.*gaps \([0-9]*\),.*/\1/p' "$work/out")
    pubdropped=$(sed -n 's/.*, \([0-9]*\) dropped before.*/\1/p' "$work/pub")
    pct() { awk -v a="$1" -v b="$2" -v t0="$t0" -v t1="$t1" -v hz="$hz" 'BEGIN{printf "%.0f", (b-a)/hz/(t1-t0)*100}'; }
    printf '%-8s %10s %12s %10s %10s %9s %11s %10s\n' "$path" "$rate" "${received:-?}" "${gaps:-?}" "${pubdropped:--}" \
      "$(pct "$p0" "$p1")" "$( [ "$broker" = 0 ] && echo - || pct "$b0" "$b1")" "$(pct "$s0" "$s1")"
  done
done
