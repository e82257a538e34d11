#!/usr/bin/env bash
# bench-daemon.sh [MESSAGES] [INDICATORS] [ROUNDS]: what the parser costs a
# real syslog-ng relay, against syslog-ng alone and against syslog-ng's own
# add-contextual-data() holding the same indicators.
#
# Three configs, the same source (TCP, flow control) and destination
# (/dev/null): bare; dprk-intel() scanning every message with INDICATORS
# indicators of the benchmark mix (bench/gen-mix-feed); add-contextual-data()
# with the same values as its selectors (it looks the whole MESSAGE up: one
# hash lookup a message, no scanning).  ROUNDS rounds, the three configs
# interleaved in each (loggen shares the two cores with syslog-ng, so single
# runs are noisy); for each round and config: the daemon's CPU time per
# message (user + system of the syslog-ng process while it relays MESSAGES
# lines of the exchange mix, bench/gen-mix-feed --lines), the throughput, the
# load time and the resident memory once loaded.  The summary gives the
# medians and their ratios to bare syslog-ng, and the memory beyond the bare
# daemon per indicator.  Generated files go to a temp dir.
#
#   BUILD=_build bench/bench-daemon.sh 1000000 1000000 5
#   NO_ACD=1 ...   leaves add-contextual-data() out (it needs ~0.5 kB an indicator)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build}
n=${1:-1000000}
indicators=${2:-1000000}
rounds=${3:-5}
work=$(mktemp -d /tmp/dprk-intel-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
. "$top/bench/bench-lib.sh"

"$build/bench/gen-mix-feed" "$indicators" > "$work/feed.csv"
# add-contextual-data(): selector,name,value; the values are normalised
# already (the mix is lower case where case does not matter)
awk -F, 'NR > 1 { print $1 ",dprk.actor," $3 }' "$work/feed.csv" > "$work/context.csv"
"$build/bench/gen-mix-feed" --lines 20000 > "$work/lines.log"
configs="bare dprk"
if bench_has_acd; then
  configs="$configs acd"
else
  echo "add-contextual-data() left out (NO_ACD, or not installed: Debian's syslog-ng-mod-add-contextual-data)"
fi

_cpu_ticks() {   # user + system clock ticks of a process
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

_processed() {
  syslog-ng-ctl query get 'dst.file.d#0.*.processed' -c "$1" 2>/dev/null | awk -F= '{ s += $2 } END { print s + 0 }'
}

run() {   # run NAME: one round of one config; appends "cpu_us rate load rss" to $work/NAME.dat
  local name=$1 port feed=$work/feed.csv
  port=$(bench_free_port)
  [ "$name" = acd ] && feed=$work/context.csv
  bench_parser "$name" "$feed"
  cat > "$work/$name.conf" <<CONF
@version: 3.38
options { stats-level(1); log-fifo-size(100000); };
source s { network(ip(127.0.0.1) port($port) transport(tcp) log-iw-size(100000) max-connections(10)); };
$bench_parser_def
destination d { file("/dev/null"); };
log { source(s); $bench_parser_use destination(d); flags(flow-control); };
CONF
  local t0 t1 pid
  t0=$(date +%s.%N)
  bench_start_daemon "$name"
  pid=$bench_pid
  t1=$(date +%s.%N)
  local rss start end cpu0 cpu1 load
  rss=$(awk '/VmRSS/ { print $2 }' "/proc/$pid/status")
  load=$(bench_load_seconds "$name")
  [ -n "$load" ] || load=$(python3 -c "print($t1 - $t0)")
  cpu0=$(_cpu_ticks $pid)
  start=$(date +%s.%N)
  loggen --read-file "$work/lines.log" --loop-reading --dont-parse -S -i -r 10000000 -n "$n" -I 100000 \
    --active-connections=2 127.0.0.1 "$port" > /dev/null 2>&1
  until [ "$(_processed "$work/$name.ctl")" -ge "$n" ]; do sleep 0.02; done
  end=$(date +%s.%N)
  cpu1=$(_cpu_ticks $pid)
  bench_stop_daemon $pid
  local hz
  hz=$(getconf CLK_TCK)
  python3 - "$name" "$n" "$start" "$end" "$cpu0" "$cpu1" "$hz" "$load" "$rss" "$work/$name.dat" <<'PY'
import sys
name, n, start, end, cpu0, cpu1, hz, load, rss, out = sys.argv[1:]
n = int(n)
cpu_us = (int(cpu1) - int(cpu0)) * 1e6 / int(hz) / n
rate = n / (float(end) - float(start))
print("%-5s %9.0f msg/s  %6.2f us CPU/msg  load %6.2f s  RSS %7.1f MiB" % (name, rate, cpu_us, float(load), int(rss) / 1024))
open(out, "a").write("%f %f %f %d\n" % (cpu_us, rate, float(load), int(rss)))
PY
}

echo "messages: $n a run (the exchange mix of bench/gen-mix-feed --lines), indicators: $indicators, rounds: $rounds"
bench_machine
for r in $(seq "$rounds"); do
  echo "round $r"
  for c in $configs; do run "$c"; done
done

python3 - "$work" "$indicators" $configs <<'PY'
import statistics, sys
work, indicators, names = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
data = {}
for name in names:
    rows = [list(map(float, l.split())) for l in open("%s/%s.dat" % (work, name))]
    data[name] = [statistics.median(col) for col in zip(*rows)]
bare = data["bare"]
rounds = {name: [list(map(float, l.split())) for l in open("%s/%s.dat" % (work, name))] for name in names}
print("medians:")
for name in names:
    cpu, rate, load, rss = data[name]
    line = "%-5s %6.2f us CPU/msg (%.3f of bare)  %9.0f msg/s (%.3f of bare)" % (name, cpu, cpu / bare[0], rate, rate / bare[1])
    if name != "bare":
        line += "  load %.2f s  memory beyond bare %.1f bytes/indicator" % (load, (rss - bare[3]) * 1024 / indicators)
    print(line)
for name in names[1:]:
    ratios = [r[0] / b[0] for r, b in zip(rounds[name], rounds["bare"])]
    print("%-5s CPU per message against bare, paired by round: median %.3f (rounds: %s)"
          % (name, statistics.median(ratios), " ".join("%.3f" % x for x in ratios)))
print("(CPU per message is the relay's own cost; throughput also depends on loggen, which shares the cores)")
PY
