#!/bin/sh
# run-fuzz-logsrc.sh: the log-source readers' libFuzzer target
# (fuzz-logsrc.c, engine/logsrc/), briefly, through run-fuzz.sh; its seed
# corpus (corpus/logsrc) is the sample and malformed lines of the
# log-source tests.
src=${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}
exec sh "$src/tests/fuzz/run-fuzz.sh" logsrc "$src"/engine/logsrc/*.c
