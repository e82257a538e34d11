#!/bin/sh
# run-fuzz-scanner.sh: the scanner's and matcher's libFuzzer target
# (fuzz-scanner.c), briefly, through run-fuzz.sh.  The engine is built with
# its work counters (engine/key.h): an input whose work per byte is not
# bounded aborts, whatever the machine's speed.  Inputs up to 64 KiB, a
# long log line.  README.md has the command for long runs.
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
build=${top_builddir:-.}
e="$src/engine"
FUZZ_CFLAGS="-DDI_WORK_HOOKS" FUZZ_MAX_LEN=65536 exec sh "$src/tests/fuzz/run-fuzz.sh" scanner \
  "$e/indicator-type.c" "$e/key.c" "$e/normalize.c" "$e/scanner.c" "$e/snapshot.c" "$e/matcher.c" \
  "$e/actors.c" "$build/engine/actor-table.c" "$e"/chains/*.c
