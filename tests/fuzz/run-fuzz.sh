#!/bin/sh
# run-fuzz.sh NAME SOURCE...: builds the libFuzzer target tests/fuzz/fuzz-NAME.c
# with the engine SOURCEs (clang -fsanitize=fuzzer,address,undefined) and
# runs it briefly (20 s or 200000 inputs) with tests/fuzz/NAME.dict from the
# seed corpus tests/fuzz/corpus/NAME; prints TAP.  The run-fuzz-NAME.sh
# scripts that `make check` runs call it.  Skipped when clang with libFuzzer
# is not installed.  FUZZ_SECONDS and FUZZ_RUNS change the budget.
name=$1
shift
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
out=${top_builddir:-.}/tests/fuzz
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

if "$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
     -I"$src/engine" $(pkg-config --cflags glib-2.0) \
     "$src/tests/fuzz/fuzz-$name.c" "$@" $(pkg-config --libs glib-2.0) \
     -o "$out/fuzz-$name" 2>"$out/fuzz-$name.build.log"; then
  echo "ok 1 - fuzz-$name builds with clang -fsanitize=fuzzer,address,undefined"
else
  sed 's/^/# /' "$out/fuzz-$name.build.log"
  echo "not ok 1 - fuzz-$name builds with clang -fsanitize=fuzzer,address,undefined"
  echo "not ok 2 - fuzz-$name runs # not built"
  exit 0
fi

# new inputs go to a scratch corpus, never into the source tree
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
if "$out/fuzz-$name" -max_total_time="$seconds" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
     -dict="$src/tests/fuzz/$name.dict" -artifact_prefix="$out/" \
     "$work" "$src/tests/fuzz/corpus/$name" >"$out/fuzz-$name.log" 2>&1; then
  echo "# $(grep -E '^(#[0-9]+|Done)' "$out/fuzz-$name.log" | tail -n 1)"
  echo "ok 2 - fuzz-$name runs $seconds s / $runs inputs without a finding"
else
  tail -n 30 "$out/fuzz-$name.log" | sed 's/^/# /'
  echo "not ok 2 - fuzz-$name found a crash, a leak or a disagreement (see $out/fuzz-$name.log)"
fi
