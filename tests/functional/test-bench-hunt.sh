#!/bin/bash
# test-bench-hunt.sh: a smoke run of bench/bench-hunt.sh on a few megabytes:
# it runs, its hunts agree and find the planted matches, and it prints every
# figure (the figures themselves are not judged: speed is the bench's job).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

[ -x "$top_builddir/tool/dprk-intel" ] || bail_out "the tool is not built"
for cmd in python3 gzip zcat; do
  command -v $cmd >/dev/null 2>&1 || bail_out "$cmd is needed"
done

BUILD=$top_builddir OUT=$T/results bash "$top_srcdir/bench/bench-hunt.sh" 6 1 2 >"$T/bench.out" 2>"$T/bench.err"
ok $? "bench-hunt.sh 6 1 2 runs" || diag "$(cat "$T/bench.err")"
out=$(cat "$T/bench.out")
num='[0-9]+\.[0-9]+'
like "$out" "^input: +2 files, [0-9]+ MB of text, [0-9]+ MB as gzip -6; [1-9][0-9]* matching lines" \
  "it names its input and the matches its hunts agree on"
like "$out" "^plain: +hunt $num s, scan $num GB/s .* cat $num s = $num GB/s +hunt/cat time $num" \
  "plain text: hunt against cat"
like "$out" "^gzip: +hunt $num s +zcat $num s +hunt/zcat time ${num}x" "gzip: hunt against zcat"
like "$out" "^gzip, one: +hunt $num s +zcat $num s" "one gzip archive: hunt against zcat"
is "$(grep -c '^jobs ' <<<"$out")" "$(( $(nproc) + 1 ))" "throughput for --jobs 1 to the cores, and twice that"
is "$(grep -vc '^#' "$T/results/bench-hunt.dat")" "$(( $(nproc) + 1 ))" "... and the plot's data"
if command -v gnuplot >/dev/null 2>&1; then
  like "$(head -c 300 "$T/results/bench-hunt.svg")" '<svg' "the plot of throughput against jobs (gnuplot)"
else
  like "$out" '^plot: +not made: gnuplot is not installed' "without gnuplot it says there is no plot"
fi

done_testing
