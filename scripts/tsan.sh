#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the threaded tests (the connectors and the background jobs) with ThreadSanitizer (the tsan
# preset) and runs them; any race report fails them. tests/tsan.supp says which frames of Qt (not
# built with TSan) are set aside, and why.
set -euo pipefail
cd "$(dirname "$0")/.."
tests=(websocketsource brokersource demobus faults flightrecorder_threads captureloader background recordingindexer)
# flightrecorder_threads is an entry of tst_flightrecorder (recording from several connections at once);
# its window tests stay out: Qt Gui's own threads and QString internals (not built with TSan) make noise
if [ ! -f build/tsan/build.ninja ]; then
  cmake --preset tsan >/dev/null
fi
cmake --build build/tsan -j"$(nproc)" --target eventscope-cli tst_websocketsource tst_brokersource tst_demobus tst_faults \
  tst_flightrecorder tst_captureloader tst_background tst_recordingindexer >/dev/null
pattern="^($(IFS='|'; echo "${tests[*]}"))\$"
# Qt's posted-event list (a QList<QPostEvent> grown and shifted under Qt's futex mutex) is also touched
# from an unnamed Qt frame, which no suppression can name: about one run in 40 of tst_demobus under
# load reports it. A test that reports a race runs once more and fails only if the
# second run reports one too (any failure is retried here; the same tests run without retry in the
# ASan and shipped suites, so a plain test failure still fails CI). ignore_noninstrumented_modules=1
# was tried and rejected: it also hides the eventfd wake-ups that give TSan its only view of Qt's
# hand-overs, and reported a queued argument instead.
TSAN_OPTIONS="suppressions=$PWD/tests/tsan.supp die_after_fork=0 halt_on_error=0 exitcode=66" QT_QPA_PLATFORM=offscreen \
  ctest --test-dir build/tsan --output-on-failure -j2 --timeout 600 --repeat until-pass:2 -R "$pattern"
