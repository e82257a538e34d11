#!/usr/bin/env bash
# test.sh: installs what the tests need (as root), builds, and runs every
# test: Criterion unit tests and functional tests against the real syslog-ng,
# all through `make check`.  Ends with "N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "$0")" && pwd)
build=$top/_build

"$top/scripts/ensure-deps.sh" || exit 1
"$top/scripts/build.sh" "$build" || { echo "build failed"; echo "0 passed, 1 failed"; exit 1; }

cd "$build"
log=$build/test-suite.log
rm -f "$log"
make -j"$(nproc)" check "$@" > "$build/check.out" 2>&1
grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP|XFAIL)' "$build/check.out"
if [ ! -f "$log" ]; then
  tail -n 40 "$build/check.out"
  echo "the tests did not build or run"
  echo "0 passed, 1 failed"
  exit 1
fi
count() { sed -n "s/^# $1: *\([0-9]*\)/\1/p" "$log" | head -n 1; }
pass=$(count PASS); fail=$(count FAIL); error=$(count ERROR); xpass=$(count XPASS); skip=$(count SKIP)
failed=$(( ${fail:-0} + ${error:-0} + ${xpass:-0} ))
if [ "$failed" -gt 0 ]; then
  echo "failures (details in $log and the *.log beside each test):"
  grep -E '^(FAIL|ERROR|XPASS)' "$log" | head -n 50
fi
echo "${pass:-0} passed, ${failed} failed, ${skip:-0} skipped"
[ -n "$pass" ] && [ "$failed" -eq 0 ]
