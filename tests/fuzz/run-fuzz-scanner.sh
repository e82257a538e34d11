#!/bin/sh
# run-fuzz-scanner.sh: builds the scanner's libFuzzer target with clang and
# runs it briefly (20 s or 200000 inputs) from the seed corpus; prints TAP.
# The building and running is run-fuzz.sh's.
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
e="$src/engine"
exec sh "$src/tests/fuzz/run-fuzz.sh" scanner "$e/indicator-type.c" "$e/key.c" "$e/normalize.c" "$e/scanner.c" \
  "$e"/chains/*.c
