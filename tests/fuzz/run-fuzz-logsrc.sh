#!/bin/sh
# run-fuzz-logsrc.sh: builds the log-source readers' libFuzzer target
# (fuzz-logsrc.c) with clang and runs it briefly (20 s or 200000 inputs)
# from the seed corpus (corpus/logsrc: the sample and malformed lines of
# the log-source tests); prints TAP.
# Skipped when clang with libFuzzer is not installed.  FUZZ_SECONDS and
# FUZZ_RUNS change the budget.
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

e="$src/engine"
if "$clang" -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
     -I"$e" $(pkg-config --cflags glib-2.0) \
     "$src/tests/fuzz/fuzz-logsrc.c" "$e"/logsrc/*.c \
     $(pkg-config --libs glib-2.0) -o "$out/fuzz-logsrc" 2>"$out/fuzz-logsrc.build.log"; then
  echo "ok 1 - fuzz-logsrc builds with clang -fsanitize=fuzzer,address,undefined"
else
  sed 's/^/# /' "$out/fuzz-logsrc.build.log"
  echo "not ok 1 - fuzz-logsrc builds with clang -fsanitize=fuzzer,address,undefined"
  echo "not ok 2 - fuzz-logsrc runs # not built"
  exit 0
fi

# new inputs go to a scratch corpus, never into the source tree
work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-logsrc.XXXXXX")
trap 'rm -rf "$work"' EXIT
if "$out/fuzz-logsrc" -max_total_time="$seconds" -runs="$runs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
     -dict="$src/tests/fuzz/logsrc.dict" -artifact_prefix="$out/" \
     "$work" "$src/tests/fuzz/corpus/logsrc" >"$out/fuzz-logsrc.log" 2>&1; then
  echo "# $(grep -E '^(#[0-9]+|Done)' "$out/fuzz-logsrc.log" | tail -n 1)"
  echo "ok 2 - fuzz-logsrc runs $seconds s / $runs inputs without a finding"
else
  tail -n 30 "$out/fuzz-logsrc.log" | sed 's/^/# /'
  echo "not ok 2 - fuzz-logsrc found a crash, a leak or a disagreement (see $out/fuzz-logsrc.log)"
fi
