#!/bin/sh
# run-fuzz-scanner.sh: builds the scanner's and matcher's libFuzzer target
# with clang and runs it briefly (20 s or 200000 inputs) from the seed corpus
# and the kept findings; prints TAP.  Skipped when clang with libFuzzer is not
# installed.  FUZZ_SECONDS and FUZZ_RUNS change the budget; README.md has the
# command for long runs.
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-.}
out=$build/tests/fuzz
clang=${CLANG:-clang}
seconds=${FUZZ_SECONDS:-20}
runs=${FUZZ_RUNS:-200000}

echo "1..2"
mkdir -p "$out"
probe="$out/probe-$$"
if ! command -v "$clang" >/dev/null 2>&1 \
   || ! printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n) { return 0; }\n' \
        | "$clang" -x c -fsanitize=fuzzer - -o "$probe" >/dev/null 2>&1; then
  rm -f "$probe"
  echo "ok 1 # SKIP clang with libFuzzer is not available"
  echo "ok 2 # SKIP clang with libFuzzer is not available"
  exit 0
fi
rm -f "$probe"

# the engine with its work counters (engine/key.h): an input whose work per
# byte is not bounded aborts, whatever the machine's speed
e="$src/engine"
if "$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -DDI_WORK_HOOKS \
     -I"$e" -I"$build/engine" $(pkg-config --cflags glib-2.0) \
     "$src/tests/fuzz/fuzz-scanner.c" "$e/indicator-type.c" "$e/key.c" "$e/normalize.c" "$e/scanner.c" \
     "$e/snapshot.c" "$e/matcher.c" "$e/actors.c" "$build/engine/actor-table.c" \
     "$e"/chains/*.c $(pkg-config --libs glib-2.0) -o "$out/fuzz-scanner" 2>"$out/fuzz-scanner.build.log"; then
  echo "ok 1 - fuzz-scanner builds with clang -fsanitize=fuzzer,address,undefined"
else
  sed 's/^/# /' "$out/fuzz-scanner.build.log"
  echo "not ok 1 - fuzz-scanner builds with clang -fsanitize=fuzzer,address,undefined"
  echo "not ok 2 - fuzz-scanner runs # not built"
  exit 0
fi

# new inputs go to a scratch corpus, never into the source tree; inputs up
# to 64 KiB (a long log line), 5 s each at most (the slowest real input
# takes milliseconds: anything near that is a finding)
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-scanner.XXXXXX")
trap 'rm -rf "$work"' EXIT
if "$out/fuzz-scanner" -max_total_time="$seconds" -runs="$runs" -max_len=65536 -timeout=5 -rss_limit_mb=2048 \
     -dict="$src/tests/fuzz/scanner.dict" -artifact_prefix="$out/" \
     "$work" "$src/tests/fuzz/corpus/scanner" "$src/tests/fuzz/regressions/scanner" >"$out/fuzz-scanner.log" 2>&1; then
  echo "# $(grep -E '^(#[0-9]+|Done)' "$out/fuzz-scanner.log" | tail -n 1)"
  echo "ok 2 - fuzz-scanner runs $seconds s / $runs inputs without a finding"
else
  tail -n 30 "$out/fuzz-scanner.log" | sed 's/^/# /'
  echo "not ok 2 - fuzz-scanner found a crash, a hang, unbounded work or a disagreement (see $out/fuzz-scanner.log)"
fi
