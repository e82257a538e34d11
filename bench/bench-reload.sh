#!/usr/bin/env bash
# bench-reload.sh [INDICATORS] [RATE]: how long `syslog-ng-ctl reload` stops
# message processing with INDICATORS indicators loaded (default 10 million),
# and how much memory a reload takes.
#
# A syslog-ng relay (TCP in, file out) runs under a steady load of RATE
# messages a second (default 20000) of the exchange mix; the destination
# writes the time each message is written (${C_UNIXTIME}, microseconds).
# While it runs, REPEATS times (default 3): a quiet stretch, a reload with
# the feeds unchanged, then a reload after a row was appended to the feed
# (the new set is built in a loader thread and swapped in).  Printed: the
# medians over the repeats of the longest gap between consecutive messages
# at the destination in the quiet stretch (the noise floor of this
# machine), around the unchanged reload, and from the changed reload to the
# swap, each against bare syslog-ng's (the same config without
# dprk-intel()); and the resident memory before, at its peak during the
# background loads, and after.  Generated files go to a temp dir.
#
#   BUILD=_build bench/bench-reload.sh 10000000
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build}
indicators=${1:-10000000}
rate=${2:-20000}
repeats=${REPEATS:-3}
work=$(mktemp -d /tmp/dprk-intel-bench.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
. "$top/bench/bench-lib.sh"

"$build/bench/gen-mix-feed" "$indicators" > "$work/feed.csv"
"$build/bench/gen-mix-feed" --lines 20000 > "$work/lines.log"

now() { date +%s.%N; }

rss_sampler() {   # rss_sampler PID OUT: "time rss_kb anon_kb" every 20 ms until PID ends
  while kill -0 "$1" 2>/dev/null; do
    printf '%s %s\n' "$(now)" "$(awk '/^VmRSS/ { r = $2 } /^RssAnon/ { a = $2 } END { print r, a }' \
                                 "/proc/$1/status" 2>/dev/null)" >> "$2"
    sleep 0.02
  done
}

run() {   # run NAME: the relay under load, two reloads; results in $work/NAME.*
  local name=$1 port pid
  port=$(bench_free_port)
  bench_parser "$name" "$work/feed.csv"
  cat > "$work/$name.conf" <<CONF
@version: 3.38
options { stats-level(1); frac-digits(6); log-fifo-size(100000); };
source s { network(ip(127.0.0.1) port($port) transport(tcp) log-iw-size(100000) max-connections(10)); };
$bench_parser_def
destination d { file("$work/$name.out" template("\${C_UNIXTIME}\n")); };
log { source(s); $bench_parser_use destination(d); flags(flow-control); };
CONF
  bench_start_daemon "$name" -v
  pid=$bench_pid
  rss_sampler $pid "$work/$name.rss" &
  local sampler=$!
  loggen --read-file "$work/lines.log" --loop-reading --dont-parse -S -i -r "$rate" -n 100000000 -I 1000 \
    --active-connections=1 127.0.0.1 "$port" > /dev/null 2>&1 &
  local loggen=$!
  local events="$work/$name.events" i swaps=0
  sleep 4
  for i in $(seq "$repeats"); do
    echo "quiet-$i $(now)" >> "$events"
    sleep 2
    echo "unchanged-start-$i $(now)" >> "$events"
    syslog-ng-ctl reload -c "$work/$name.ctl" > /dev/null
    echo "unchanged-end-$i $(now)" >> "$events"
    sleep 2
    [ "$name" = dprk ] && sed -n "$((i + 1))p" "$work/feed.csv" | sed 's/^0x[0-9a-f]\{4\}/0x0000/' >> "$work/feed.csv"
    echo "changed-start-$i $(now)" >> "$events"
    syslog-ng-ctl reload -c "$work/$name.ctl" > /dev/null
    if [ "$name" = dprk ]; then
      swaps=$((swaps + 1))
      until [ "$(grep -c 'database(): the feeds changed, database reloaded' "$work/$name.log")" -ge $swaps ]; do
        grep -q 'could not be loaded' "$work/$name.log" && { echo "the reload failed" >&2; exit 1; }
        sleep 0.05
      done
    fi
    echo "changed-end-$i $(now)" >> "$events"
    sleep 3
  done
  echo "stop $(now)" >> "$events"
  kill $loggen
  wait $loggen 2> /dev/null || true
  sleep 1
  bench_stop_daemon $pid
  wait $sampler 2> /dev/null || true
}

echo "indicators: $indicators, load: $rate messages/s of the exchange mix"
bench_machine
run bare
run dprk
python3 - "$work" "$indicators" <<'PY'
import sys
work, indicators = sys.argv[1], int(sys.argv[2])

def events(name):
    return {k: float(v) for k, v in (l.split() for l in open("%s/%s.events" % (work, name)))}

def max_gap(name, start, end):
    """the longest gap (ms) between consecutive messages written in [start, end]"""
    times = [float(l) for l in open("%s/%s.out" % (work, name)) if l.strip()]
    inside = [t for t in times if start <= t <= end]
    before = [t for t in times if t < start]
    if before:
        inside.insert(0, before[-1])
    gaps = [b - a for a, b in zip(inside, inside[1:])]
    return max(gaps) * 1000 if gaps else float("nan")

def rss(name, start, end, col=1):
    """VmRSS (col 1) or RssAnon (col 2, without the pages of mapped files) samples in [start, end]"""
    rows = [l.split() for l in open("%s/%s.rss" % (work, name))]
    return [int(r[col]) for r in rows if len(r) == 3 and start <= float(r[0]) <= end]

def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2] if len(xs) % 2 else (xs[len(xs) // 2 - 1] + xs[len(xs) // 2]) / 2

for name in ("bare", "dprk"):
    e = events(name)
    n = sum(1 for k in e if k.startswith("quiet-"))
    quiet = [max_gap(name, e["quiet-%d" % i], e["unchanged-start-%d" % i]) for i in range(1, n + 1)]
    same = [max_gap(name, e["unchanged-start-%d" % i] - 0.2, e["unchanged-end-%d" % i] + 0.5) for i in range(1, n + 1)]
    changed = [max_gap(name, e["changed-start-%d" % i] - 0.2, e["changed-end-%d" % i] + 0.5) for i in range(1, n + 1)]
    load = [e["changed-end-%d" % i] - e["changed-start-%d" % i] for i in range(1, n + 1)]
    print("%-4s longest gap at the destination, median of %d: quiet %.1f ms; reload, feeds unchanged %.1f ms; "
          "reload, feed changed, until the swap %.1f ms (the new set in %.1f s)"
          % (name, n, median(quiet), median(same), median(changed), median(load)))
    print("     each: quiet %s; unchanged %s; changed %s" % tuple(" ".join("%.0f" % x for x in v) for v in (quiet, same, changed)))
e, e_bare = events("dprk"), events("bare")
base = max(rss("bare", e_bare["quiet-1"], e_bare["stop"]))
steady = max(rss("dprk", e["quiet-1"], e["changed-start-1"]))
loading = [x for i in range(1, sum(1 for k in e if k.startswith("quiet-")) + 1)
           for x in rss("dprk", e["changed-start-%d" % i], e["changed-end-%d" % i])]
print("dprk RSS: bare syslog-ng %d MiB; with the set %d MiB (%.1f bytes/indicator beyond bare); "
      "peak while a new set loads %d MiB; at the end %d MiB"
      % (base // 1024, steady // 1024, (steady - base) * 1024 / indicators, max(loading) // 1024,
         rss("dprk", e["quiet-1"], e["stop"])[-1] // 1024))
base = max(rss("bare", e_bare["quiet-1"], e_bare["stop"], 2))
steady = max(rss("dprk", e["quiet-1"], e["changed-start-1"], 2))
peak = max(x for i in range(1, sum(1 for k in e if k.startswith("quiet-")) + 1)
           for x in rss("dprk", e["changed-start-%d" % i], e["changed-end-%d" % i], 2))
print("dprk anonymous memory (RssAnon: without the pages of the feed file the loader maps): bare %d MiB, "
      "with the set %d MiB, peak while a new set loads %d MiB = the set in use plus %.2f sets, at the end %d MiB"
      % (base // 1024, steady // 1024, peak // 1024, (peak - steady) / max(steady - base, 1),
         rss("dprk", e["quiet-1"], e["stop"], 2)[-1] // 1024))
PY
