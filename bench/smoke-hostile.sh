#!/bin/sh
# smoke-hostile.sh: runs bench-hostile on small lines (--smoke) and checks that
# it printed a figure for every shape; the figures are not judged (speed is
# the benchmark's business, not the test suite's).  Prints TAP.
bench=${top_builddir:-.}/bench/bench-hostile
out=$(mktemp "${TMPDIR:-/tmp}/bench-hostile.XXXXXX")
trap 'rm -f "$out"' EXIT
echo "1..2"
if "$bench" --smoke >"$out" 2>&1; then
  echo "ok 1 - bench-hostile --smoke runs"
else
  sed 's/^/# /' "$out" | tail -n 20
  echo "not ok 1 - bench-hostile --smoke runs"
fi
# every shape at both sizes: a line with two ns/byte figures and their ratios
rows=$(grep -cE '^.{48} +[0-9]+K +[0-9.]+ +[0-9.]+x +[0-9.]+ +[0-9.]+x$' "$out")
sed -n '1p;$p' "$out" | sed 's/^/# /'
if [ "$rows" -ge 100 ] && grep -q '^worst ratio to normal text: [0-9.]*x' "$out"; then
  echo "ok 2 - bench-hostile prints ns/byte and the ratio to normal text for every shape ($rows rows)"
else
  sed 's/^/# /' "$out" | tail -n 20
  echo "not ok 2 - bench-hostile prints ns/byte and the ratio to normal text for every shape ($rows rows)"
fi
