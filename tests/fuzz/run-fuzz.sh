#!/bin/sh
# run-fuzz.sh NAME SOURCE...: builds the libFuzzer target tests/fuzz/fuzz-NAME.c
# with the engine SOURCEs (clang -fsanitize=fuzzer,address,undefined) and
# runs it briefly (20 s or 200000 inputs) with tests/fuzz/NAME.dict from the
# seed corpus tests/fuzz/corpus/NAME and the kept findings
# tests/fuzz/regressions/NAME (when there are); prints TAP.  The
# run-fuzz-NAME.sh scripts that `make check` runs call it.  Skipped when
# clang with libFuzzer is not installed.  FUZZ_SECONDS and FUZZ_RUNS change
# the budget; FUZZ_CFLAGS adds compiler flags, FUZZ_MAX_LEN the input size.
name=$1
shift
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-.}
out=$build/tests/fuzz
clang=${CLANG:-clang}
seconds=${FUZZ_SECONDS:-20}
runs=${FUZZ_RUNS:-200000}
max_len=${FUZZ_MAX_LEN:-4096}

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

# shellcheck disable=SC2086  # FUZZ_CFLAGS is a list of flags
if "$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined ${FUZZ_CFLAGS:-} \
     -I"$src/engine" -I"$build/engine" $(pkg-config --cflags glib-2.0) \
     "$src/tests/fuzz/fuzz-$name.c" "$@" $(pkg-config --libs glib-2.0) \
     -o "$out/fuzz-$name" 2>"$out/fuzz-$name.build.log"; then
  echo "ok 1 - fuzz-$name builds with clang -fsanitize=fuzzer,address,undefined"
else
  sed 's/^/# /' "$out/fuzz-$name.build.log"
  echo "not ok 1 - fuzz-$name builds with clang -fsanitize=fuzzer,address,undefined"
  echo "not ok 2 - fuzz-$name runs # not built"
  exit 0
fi

# new inputs go to a scratch corpus, never into the source tree; 10 s an
# input at most (real inputs take milliseconds: anything near that is a
# finding)
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$name.XXXXXX")
trap 'rm -rf "$work"' EXIT
kept=
[ -d "$src/tests/fuzz/regressions/$name" ] && kept="$src/tests/fuzz/regressions/$name"
if "$out/fuzz-$name" -max_total_time="$seconds" -runs="$runs" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
     -dict="$src/tests/fuzz/$name.dict" -artifact_prefix="$out/" \
     "$work" "$src/tests/fuzz/corpus/$name" $kept >"$out/fuzz-$name.log" 2>&1; then
  echo "# $(grep -E '^(#[0-9]+|Done)' "$out/fuzz-$name.log" | tail -n 1)"
  echo "ok 2 - fuzz-$name runs $seconds s / $runs inputs without a finding"
else
  tail -n 30 "$out/fuzz-$name.log" | sed 's/^/# /'
  echo "not ok 2 - fuzz-$name found a crash, a hang, unbounded work or a disagreement (see $out/fuzz-$name.log)"
fi
