#!/usr/bin/env bash
# bench-store.sh: memory and load time of the indicator set against the
# number of indicators, in one run, with plots.
#
#   BUILD=_build OUT=bench-results SIZES="1000 100000 1000000 10000000" bench/bench-store.sh
#
# 1. bench/bench-store over SIZES: the store in-process against a GHashTable
#    of strings (bytes per indicator, build time, lookups per second).
# 2. For each size, the real daemon: syslog-ng with dprk-intel() loading a
#    feed of that many indicators of the benchmark mix (bench/gen-mix-feed),
#    against bare syslog-ng and against add-contextual-data() holding the
#    same values (left out when not installed, or with NO_ACD=1): resident
#    memory beyond the bare daemon per indicator, and the load time
#    (dprk-intel logs its own, in wall and CPU seconds: on a busy machine the
#    CPU time is the steadier figure; for add-contextual-data() the time
#    until the control socket answers, less bare syslog-ng's).  Below some 100,000
#    indicators the memory is within the noise of the daemon's own (thread
#    stacks, buffers: a few MB either way).
# 3. $OUT/store-memory.svg and $OUT/store-load.svg (gnuplot; skipped with a
#    note when gnuplot is not installed) from $OUT/store.dat and
#    $OUT/daemon.dat.
# Generated feeds go to a temp dir.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build}
out=${OUT:-$build/bench-results}
sizes=${SIZES:-1000 100000 1000000 10000000}
work=$(mktemp -d /tmp/dprk-intel-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
. "$top/bench/bench-lib.sh"
mkdir -p "$out"
acd=
bench_has_acd && acd=1

bench_machine
echo "== the store in-process (CPU time of the thread)"
rm -f "$out/store.dat"
# shellcheck disable=SC2086
"$build/bench/bench-store" $sizes --data "$out/store.dat"

start_daemon() {   # start_daemon NAME FEED: starts it, prints "pid seconds-to-answer"
  local t0
  bench_parser "$1" "$2"
  cat > "$work/$1.conf" <<CONF
@version: 3.38
source s { network(ip(127.0.0.1) port(0) transport(tcp)); };
$bench_parser_def
destination d { file("/dev/null"); };
log { source(s); $bench_parser_use destination(d); };
CONF
  t0=$(date +%s.%N)
  bench_start_daemon "$1"
  echo "$bench_pid $(python3 -c "print($(date +%s.%N) - $t0)")"
}

rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

echo "== the daemon: memory beyond bare syslog-ng, load time"
rm -f "$out/daemon.dat"
start_daemon bare "" > "$work/started"
read -r pid bare_start < "$work/started"
bare_rss=$(rss_kb "$pid")
bench_stop_daemon "$pid"
printf '%10s  %-44s  %-30s\n' indicators "dprk-intel(): bytes/indicator, load (CPU)" "add-contextual-data(): same"
for n in $sizes; do
  "$build/bench/gen-mix-feed" "$n" > "$work/feed.csv"
  start_daemon dprk "$work/feed.csv" > "$work/started"
  read -r pid _ < "$work/started"
  dprk_rss=$(rss_kb "$pid")
  dprk_load=$(bench_load_seconds dprk)
  dprk_cpu=$(bench_load_seconds dprk cpu_)
  bench_stop_daemon "$pid"
  acd_bytes=nan acd_load=nan
  if [ -n "$acd" ]; then
    awk -F, 'NR > 1 { print $1 ",dprk.actor," $3 }' "$work/feed.csv" > "$work/context.csv"
    rm -f "$work/feed.csv"
    start_daemon acd "$work/context.csv" > "$work/started"
    read -r pid acd_start < "$work/started"
    acd_bytes=$(python3 -c "print('%.1f' % (($(rss_kb "$pid") - $bare_rss) * 1024 / $n))")
    acd_load=$(python3 -c "print('%.2f' % max($acd_start - $bare_start, 0))")
    bench_stop_daemon "$pid"
  fi
  dprk_bytes=$(python3 -c "print('%.1f' % (($dprk_rss - $bare_rss) * 1024 / $n))")
  printf '%10s  %8s B  %8s s (%8s s CPU)          %8s B  %8s s\n' "$n" "$dprk_bytes" "$dprk_load" "$dprk_cpu" \
    "$acd_bytes" "$acd_load"
  echo "$n $dprk_bytes $dprk_load $acd_bytes $acd_load $dprk_cpu" >> "$out/daemon.dat"
  rm -f "$work"/*.csv
done

if command -v gnuplot > /dev/null; then
  gnuplot -e "dir='$out'" "$top/bench/plot-store.gp"
  echo "plots: $out/store-memory.svg $out/store-load.svg"
else
  echo "gnuplot not found (Debian: gnuplot-nox): no plots; the data is in $out/store.dat and $out/daemon.dat"
fi
