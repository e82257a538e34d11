#!/bin/bash
# test-bench-store.sh: smoke runs of the store, daemon and reload benchmarks
# (bench/bench-store.sh, bench-daemon.sh, bench-reload.sh) on small sets:
# each runs to the end and prints every figure; the figures themselves are
# not judged (speed is the benches' job, not the tests').
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

for f in bench/bench-store bench/gen-mix-feed modules/dprk-intel/.libs/libdprk-intel.so; do
  [ -e "$top_builddir/$f" ] || bail_out "$f is not built"
done
for cmd in python3 loggen; do
  command -v $cmd >/dev/null 2>&1 || bail_out "$cmd is needed"
done
num='[0-9]+(\.[0-9]+)?'

# --- the store, in-process and in the daemon, with the plots
BUILD=$top_builddir OUT=$T/results SIZES="1000 20000" bash "$top_srcdir/bench/bench-store.sh" \
  >"$T/store.out" 2>"$T/store.err"
ok $? "bench-store.sh runs" || diag "$(tail -n 20 "$T/store.err")"
out=$(cat "$T/store.out")
like "$out" "^ +20000 +$num B \( *$num counted\) +$num B +$num +$num s \(" \
  "the store: bytes/indicator, the baseline's, the ratio, the build time"
like "$out" "M/s +$num M/s +$num M/s +$num M/s$" "... and lookups per second, hits and misses, against the baseline"
like "$out" "^ +20000 +-?$num B +$num s" "the daemon: memory beyond bare syslog-ng per indicator (noise at this size) and load time"
is "$(wc -l < "$T/results/daemon.dat")" "2" "one line of plot data per size"
if command -v gnuplot >/dev/null 2>&1; then
  like "$(head -c 300 "$T/results/store-memory.svg")" '<svg' "the plot of memory against indicators"
  like "$(head -c 300 "$T/results/store-load.svg")" '<svg' "the plot of load time against indicators"
else
  like "$out" 'gnuplot not found' "without gnuplot it says there is no plot"
  pass "(no second plot)"
fi

# --- the daemon against bare syslog-ng (and add-contextual-data() when installed)
BUILD=$top_builddir bash "$top_srcdir/bench/bench-daemon.sh" 20000 10000 1 >"$T/daemon.out" 2>"$T/daemon.err"
ok $? "bench-daemon.sh runs" || diag "$(tail -n 20 "$T/daemon.err")"
out=$(cat "$T/daemon.out")
like "$out" "^bare +$num us CPU/msg \(1\.000 of bare\) +$num msg/s" "the bare relay's medians"
like "$out" "^dprk +$num us CPU/msg \($num of bare\) +$num msg/s \($num of bare\) +load $num s +memory beyond bare -?$num bytes/indicator" \
  "dprk-intel(): CPU per message and throughput against bare, load, memory"

# --- the reload stall
BUILD=$top_builddir REPEATS=1 bash "$top_srcdir/bench/bench-reload.sh" 40000 2000 >"$T/reload.out" 2>"$T/reload.err"
ok $? "bench-reload.sh runs" || diag "$(tail -n 20 "$T/reload.err")"
out=$(cat "$T/reload.out")
like "$out" "^dprk longest gap at the destination, median of 1: quiet $num ms; reload, feeds unchanged $num ms; reload, feed changed, until the swap $num ms \(the new set in $num s\)" \
  "the longest gaps around the reloads"
like "$out" "^bare longest gap" "... and bare syslog-ng's, for comparison"
like "$out" "peak while a new set loads $num MiB = the set in use plus $num sets, at the end $num MiB" \
  "the memory a background load takes"

done_testing
