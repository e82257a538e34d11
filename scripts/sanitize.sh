#!/usr/bin/env bash
# sanitize.sh BUILDDIR [address|thread]: a second build tree with the
# sanitizers (configure --enable-sanitizers=KIND, once; default address),
# built, then `make check-sanitized` (tests/sanitizers/Makefile.inc): ASan +
# UBSan over the unit tests, the tool's tests and daemon tests with the
# sanitized module; TSan over the threaded daemon tests (reloads while
# messages flow, incidents under load).  Any report the daemon wrote
# (BUILDDIR/sanitizer-logs) is a failure too.  Ends with
# "N passed, N failed, N skipped" as test.sh does; exit 0 when all passed.
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: sanitize.sh BUILDDIR [address|thread]}
kind=${2:-address}

[ -x "$top/configure" ] && [ "$top/configure" -nt "$top/configure.ac" ] || "$top/autogen.sh" >/dev/null 2>&1
mkdir -p "$build"
cd "$build" || exit 1
if [ ! -f Makefile ]; then
  "$top/configure" --quiet --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
    --enable-sanitizers="$kind" >configure.log 2>&1 || {
    tail -n 20 configure.log
    echo "0 passed, 1 failed, 0 skipped"
    exit 1
  }
fi
if ! make -j"$(nproc)" >build.log 2>&1; then
  tail -n 30 build.log
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

rm -f test-suite.log
make -j"$(nproc)" check-sanitized >check.out 2>&1
grep -E '^(PASS|FAIL|ERROR|XPASS|SKIP|XFAIL)' check.out | sed "s|^|[$kind] |"
count() { sed -n "s/^# $1: *\([0-9]*\)/\1/p" test-suite.log 2>/dev/null | head -n 1; }
pass=$(count PASS); fail=$(count FAIL); error=$(count ERROR); xpass=$(count XPASS); skip=$(count SKIP)
failed=$(( ${fail:-0} + ${error:-0} + ${xpass:-0} ))
[ -f test-suite.log ] || { tail -n 30 check.out; failed=$((failed + 1)); }

# the daemon's reports (syslog-ng-sanitized writes them here)
reports=$(find sanitizer-logs -type f -name 'syslog-ng.*' 2>/dev/null)
if [ -n "$reports" ]; then
  echo "[$kind] sanitizer reports of the daemon:"
  for r in $reports; do
    echo "== $r"
    head -n 60 "$r"
  done
  failed=$((failed + 1))
fi
echo "${pass:-0} passed, ${failed} failed, ${skip:-0} skipped"
[ -n "$pass" ] && [ "$failed" -eq 0 ]
