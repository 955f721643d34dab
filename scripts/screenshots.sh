#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Regenerates every picture in docs/screenshots from the demo bus and from captures made here, in the
# light and the dark palette, at scale 1 (and 2 for the overview and the breakers). Each picture is
# the real window, offscreen, 1600x960 logical pixels. Look at each one after running it.
#
#   scripts/screenshots.sh [BUILD_DIR]        (default build/ci; nats-server on PATH adds broker.png)
set -euo pipefail
cd "$(dirname "$0")/.."
build=${1:-build/ci}
gui=$build/app/eventscope
cli=$build/app/eventscope-cli
out=docs/screenshots
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
export QT_QPA_PLATFORM=offscreen QT_FONT_DPI=96
mkdir -p "$out"

shot() { # NAME PALETTE SCALE ARGS...
    local name=$1 palette=$2 scale=$3
    shift 3
    QT_SCALE_FACTOR=$scale "$gui" --palette "$palette" --screenshot "$out/$name.png" "$@" 2>/dev/null
    echo "$out/$name.png"
}

python3 scripts/screenshot-capture.py "$work/breakers.ndjson"
"$cli" generate --count 40000 --rate 400 --scenario incident --seed 1 -o "$work/incident.ndjson" >/dev/null
"$cli" generate --count 40000 --rate 400 --scenario steady --seed 1 -o "$work/steady.ndjson" >/dev/null

for palette in light dark; do
    suffix=$([ "$palette" = dark ] && echo -dark || true)
    shot "dashboard$suffix" "$palette" 1 --demo --scenario incident --after 35 &
    shot "explorer$suffix" "$palette" 1 --demo --scenario incident --after 35 --view explorer &
    wait
    shot "dashboard$suffix-2x" "$palette" 2 --demo --scenario incident --after 35 &
    shot "refused$suffix" "$palette" 1 ws://127.0.0.1:9/events --after 4 &
    wait
    shot "breakers$suffix" "$palette" 1 "$work/breakers.ndjson" --view breakers
    shot "breakers$suffix-2x" "$palette" 2 "$work/breakers.ndjson" --view breakers
done
shot sources light 1 --demo --scenario incident --after 35 --view sources &
shot replay light 1 "$work/incident.ndjson" --at 32 &
wait
shot flow-map light 1 --demo --scenario incident --after 35 --view flow
shot schemas light 1 --demo --scenario schema-change --schemas resources/schemas --after 35 --view schemas
shot shape-changes light 1 --demo --scenario schema-change --after 35 --view schemas
shot compare light 1 "$work/steady.ndjson" --compare "$work/incident.ndjson"
shot chain-diff light 1 "$work/incident.ndjson" --view chain-diff

if command -v nats-server >/dev/null; then
    printf 'listen: 127.0.0.1:14222\nwebsocket {\n    listen: "127.0.0.1:14223"\n    no_tls: true\n}\njetstream { store_dir: "%s" }\n' \
        "$work/js" >"$work/nats.conf"
    nats-server -c "$work/nats.conf" >/dev/null 2>&1 &
    sleep 1
    "$cli" demo-bus --nats nats+ws://127.0.0.1:14223 --rate 400 --scenario incident >/dev/null 2>&1 & demo=$!
    shot broker light 1 'nats+ws://127.0.0.1:14223?subject=>' --after 35
    kill $demo
    # the same demo into a JetStream stream, its services as durable consumers: email falls behind
    "$cli" demo-bus --nats nats+ws://127.0.0.1:14223 --jetstream EVENTS --rate 400 --scenario incident >/dev/null 2>&1 &
    sleep 2
    shot consumers light 1 'nats+ws://127.0.0.1:14223?stream=EVENTS&from=new' --after 52 --view consumers
else
    echo "nats-server not found: broker.png and consumers.png left as they are" >&2
fi
