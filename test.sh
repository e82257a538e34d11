#!/usr/bin/env bash
# test.sh: installs what the tests need (as root), builds, and runs every
# test: Criterion unit tests and functional tests against the real syslog-ng,
# all through `make check`; then the sanitizer runs (scripts/sanitize.sh):
# ASan + UBSan in _build-asan, TSan in _build-tsan (DI_SANITIZE=no skips
# them).  Ends with "N passed, N failed".
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

# the sanitizer builds, each ending with "N passed, N failed, N skipped"
if [ "${DI_SANITIZE:-yes}" != no ]; then
  for kind in address thread; do
    tree=$top/_build-asan
    [ "$kind" = thread ] && tree=$top/_build-tsan
    "$top/scripts/sanitize.sh" "$tree" "$kind" >"$tree.out" 2>&1
    grep -E '^\[' "$tree.out" | grep -Ev '^\[[a-z]+\] PASS'
    summary=$(tail -n 1 "$tree.out")
    if ! [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]; then
      tail -n 30 "$tree.out"
      summary="0 passed, 1 failed, 0 skipped"
      [[ $summary =~ ^([0-9]+)\ passed,\ ([0-9]+)\ failed,\ ([0-9]+)\ skipped$ ]]
    fi
    echo "$kind sanitizer: $summary (details in $tree.out and $tree)"
    pass=$(( ${pass:-0} + BASH_REMATCH[1] ))
    failed=$(( failed + BASH_REMATCH[2] ))
    skip=$(( ${skip:-0} + BASH_REMATCH[3] ))
    [ "${BASH_REMATCH[2]}" -eq 0 ] || grep -B2 -A30 'sanitizer reports' "$tree.out" | head -n 60
  done
fi
echo "${pass:-0} passed, ${failed} failed, ${skip:-0} skipped"
[ -n "$pass" ] && [ "$failed" -eq 0 ]
