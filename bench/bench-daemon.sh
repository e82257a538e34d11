#!/usr/bin/env bash
# bench-daemon.sh [MESSAGES] [INDICATORS]: what the parser costs a real
# syslog-ng relay.  Runs the same daemon config twice in one go, once without
# and once with `dprk-intel()` holding INDICATORS synthetic indicators,
# replays the sample exchange logs N times over TCP with loggen, and prints
# messages per second of each run and their ratio.  Also prints the feed's
# load time and the daemon's resident memory with the feed loaded.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build}
n=${1:-400000}
indicators=${2:-1000000}
work=$(mktemp -d /tmp/dprk-intel-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

python3 "$top/bench/gen-feed.py" "$indicators" > "$work/feed.csv"
# the sample lines, with their indicators, repeated
cp "$top/samples/exchange.log" "$work/lines.log"

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
  local start end
  start=$(date +%s.%N)
  loggen --read-file "$work/lines.log" --loop-reading --dont-parse -S -i -r 10000000 -n "$n" \
    --active-connections=2 127.0.0.1 "$port" >/dev/null 2>&1
  until [ "$(syslog-ng-ctl query get 'dst.file.d#0.*.processed' -c "$work/$name.ctl" 2>/dev/null |
             awk -F= '{s+=$2} END {print s+0}')" -ge "$n" ]; do sleep 0.02; done
  end=$(date +%s.%N)
  kill $pid; wait $pid 2>/dev/null || true
  python3 -c "import sys; print('%-10s %9.0f msg/s   start-up %.2f s   RSS %d MiB' % ('$name', $n / ($end - $start), $t1 - $t0, $rss // 1024))"
  python3 -c "print($n / ($end - $start))" > "$work/$name.rate"
}

echo "messages: $n (samples/exchange.log replayed), indicators loaded: $indicators"
run bare ""
run dprk "parser p { dprk-intel(database(\"$work/feed.csv\")); };" "parser(p);"
python3 -c "print('ratio      %.3f of bare throughput' % ($(cat "$work/dprk.rate") / $(cat "$work/bare.rate")))"
