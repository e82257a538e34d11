#!/usr/bin/env bash
# bench-daemon.sh [MESSAGES] [INDICATORS] [ROUNDS]: what the parser costs a
# real syslog-ng relay.  Runs the same daemon config, ROUNDS times each and
# interleaved (on a small shared machine single runs are noisy; the best of
# each is compared), once without and once with `dprk-intel()` holding
# INDICATORS synthetic indicators,
# replays the sample exchange logs N times over TCP with loggen, and prints
# messages per second and CPU time per message of each, and their ratios.
# Also prints the feed's
# load time and the daemon's resident memory with the feed loaded.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build}
n=${1:-400000}
indicators=${2:-1000000}
rounds=${3:-3}
work=$(mktemp -d /tmp/dprk-intel-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

python3 "$top/bench/gen-feed.py" "$indicators" > "$work/feed.csv"
# the sample lines, with their indicators, repeated
cp "$top/samples/exchange.log" "$work/lines.log"

_cpu_ticks() {   # user + system clock ticks of a process
  awk '{print $14 + $15}' "/proc/$1/stat"
}

run() {   # run NAME PARSER-STATEMENT
  local name=$1 parser=$2 port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$work/$name.conf" <<CONF
@version: 3.38
options { stats-level(1); log-fifo-size(100000); };
source s { network(ip(127.0.0.1) port($port) transport(tcp) log-iw-size(100000) max-connections(10)); };
$parser
destination d { file("/dev/null"); };
log { source(s); ${3:-} destination(d); flags(flow-control); };
CONF
  local t0 t1
  t0=$(date +%s.%N)
  /usr/sbin/syslog-ng -F --no-caps --module-path="$build/modules/dprk-intel/.libs:/usr/lib/syslog-ng/3.38" \
    -f "$work/$name.conf" -R "$work/$name.persist" -p "$work/$name.pid" -c "$work/$name.ctl" &
  local pid=$!
  until syslog-ng-ctl stats -c "$work/$name.ctl" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "syslog-ng did not start ($name)" >&2; exit 1; }
    sleep 0.05
  done
  t1=$(date +%s.%N)
  local rss
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  local start end cpu0 cpu1
  cpu0=$(_cpu_ticks $pid)
  start=$(date +%s.%N)
  loggen --read-file "$work/lines.log" --loop-reading --dont-parse -S -i -r 10000000 -n "$n" -I 100000 \
    --active-connections=2 127.0.0.1 "$port" >/dev/null 2>&1
  until [ "$(syslog-ng-ctl query get 'dst.file.d#0.*.processed' -c "$work/$name.ctl" 2>/dev/null |
             awk -F= '{s+=$2} END {print s+0}')" -ge "$n" ]; do sleep 0.02; done
  end=$(date +%s.%N)
  cpu1=$(_cpu_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  local hz
  hz=$(getconf CLK_TCK)
  python3 -c "print('%-10s %9.0f msg/s   %5.2f us CPU/msg   start-up %.2f s   RSS %d MiB' % ('$name', $n / ($end - $start), ($cpu1 - $cpu0) * 1e6 / $hz / $n, $t1 - $t0, $rss // 1024))"
  python3 -c "print(($cpu1 - $cpu0) * 1e6 / $hz / $n)" >> "$work/$name.cpu"
  python3 -c "print($n / ($end - $start))" >> "$work/$name.rate"
}

echo "messages: $n (samples/exchange.log replayed), indicators loaded: $indicators, rounds: $rounds"
for _ in $(seq "$rounds"); do
  run bare ""
  run dprk "parser p { dprk-intel(database(\"$work/feed.csv\")); };" "parser(p);"
done
python3 - "$work"/{bare,dprk}.{rate,cpu} <<'PY'
import sys
bare, dprk = (max(float(x) for x in open(f)) for f in (sys.argv[1], sys.argv[3]))
bare_cpu, dprk_cpu = (min(float(x) for x in open(f)) for f in (sys.argv[2], sys.argv[4]))
print("best       bare %.0f msg/s, dprk-intel %.0f msg/s: %.3f of bare throughput" % (bare, dprk, dprk / bare))
print("CPU        bare %.2f us/msg, dprk-intel %.2f us/msg: %.3f of bare per-message cost"
      % (bare_cpu, dprk_cpu, bare_cpu / dprk_cpu))
print("           (loggen and syslog-ng share this machine's cores; the CPU time per message is the relay's cost)")
PY
