#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds EventScope (warnings are errors) and runs the whole test suite offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
ctest --test-dir build/ci --output-on-failure -j2 --timeout 300
