#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what EventScope needs on Debian 12 (as root) and builds it.
# Takes seconds when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake ninja-build pkg-config
  qt6-base-dev qt6-base-dev-tools libqt6opengl6-dev qt6-websockets-dev qt6-charts-dev libgl-dev
  libsimdjson-dev libzstd-dev zlib1g-dev libxxhash-dev qtkeychain-qt6-dev libpcre2-dev libyaml-dev
  json-schema-test-suite
  gnome-keyring dbus
  xvfb xauth
  nats-server libnats-dev mosquitto mosquitto-clients
  clang
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

preset=${EVENTSCOPE_PRESET:-ci}
build=build/$preset
if [ ! -f "$build/build.ninja" ]; then
  cmake --preset "$preset" >/dev/null
fi
cmake --build "$build" -j"$(nproc)"
