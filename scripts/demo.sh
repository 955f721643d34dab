#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds EventScope and starts it on the embedded demo bus.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec build/ci/app/eventscope --demo "$@"
