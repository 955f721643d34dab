#!/bin/sh
# SPDX-License-Identifier: MIT
# Runs a test inside a private D-Bus session with an unlocked GNOME Keyring (the Secret Service),
# with HOME in a fresh temporary folder, as a desktop session would have it. Exit 77 (skipped, with
# the reason) only when the keyring cannot be had here at all.
command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null || {
  echo "SKIP: dbus-run-session or gnome-keyring-daemon is not installed (scripts/setup.sh installs them)"
  exit 77
}
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
export HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" XDG_RUNTIME_DIR="$home/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
export EVENTSCOPE_KEYRING=1
dbus-run-session -- sh -c 'printf eventscope-test | gnome-keyring-daemon --unlock --components=secrets --daemonize >/dev/null 2>&1; exec "$@"' sh "$@"
