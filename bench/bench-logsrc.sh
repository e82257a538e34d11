#!/usr/bin/env bash
# bench-logsrc.sh [MESSAGES] [ROUNDS]: what the log parsers
# (dprk-intel-<source>-parser(), wrappers of the module's
# dprk-intel-log-parser()) cost a real syslog-ng relay, against syslog-ng's
# own parsers on the same lines.
#
# For each log source, the daemon relays MESSAGES lines of its sample log
# (samples/, replayed by loggen over TCP) three ways, ROUNDS times each,
# interleaved: with no parser (the relay itself), with syslog-ng's own parser
# for that kind of line (json-parser(), kv-parser(), apache-accesslog-parser(),
# or a regexp-parser() splitting the line for debug.log), and with the log
# parser.  A parser's cost is the relay's CPU time per message with it minus
# the CPU time without any (medians of the rounds); the ratio is the log
# parser's cost over syslog-ng's own, measured in the same run.  So that a
# parser's cost stands out of the relay's own (which varies from run to run
# by more than a cheap parser costs on a busy machine), each row puts its
# parser K times in the path (both sides alike: `xK` in the table) and
# divides by K.
#
# Then dprk-intel-enrich() against what a user writes by hand without it --
# json-parser() and dprk-intel() with fields(), incident-key() and
# incident-amount() on the exchange's keys -- and against dprk-intel() alone
# (same feed): over all the samples (what parsing adds to matching), and over
# lines that no parser recognises (sshd and kernel lines: what the trial
# costs); and the trial alone (dprk-intel-log-parser(source(auto)) on those
# lines, against no parser).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD:-$top/_build}
n=${1:-40000}
rounds=${2:-3}
work=$(mktemp -d /tmp/dprk-intel-bench-logsrc.XXXXXX)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

scl_includes() {
  local f
  echo '@include "scl.conf"'
  for f in "$top"/parsers/log-*.conf "$top"/scl/dprk-intel/*.conf; do
    echo "@include \"$f\""
  done
}

_cpu_ticks() {   # user + system clock ticks of a process
  awk '{print $14 + $15}' "/proc/$1/stat"
}

# run NAME LINES PARSER: relays n lines of LINES through PARSER (a parser
# statement, or "" for none); appends the CPU time per message to NAME.cpu
run() {
  local name=$1 lines=$2 parser=$3 port pid stmt=""
  [ -z "$parser" ] || stmt="parser { $parser };"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  cat > "$work/run.conf" <<CONF
@version: 3.38
$(scl_includes)
options { stats-level(1); log-fifo-size(100000); };
source s { network(ip(127.0.0.1) port($port) transport(tcp) flags(no-parse) log-iw-size(100000) max-connections(10)); };
destination d { file("/dev/null"); };
log { source(s); $stmt destination(d); flags(flow-control); };
CONF
  /usr/sbin/syslog-ng -F --no-caps --module-path="$build/modules/dprk-intel/.libs:/usr/lib/syslog-ng/3.38" \
    -f "$work/run.conf" -R "$work/persist" -p "$work/pid" -c "$work/ctl" &
  pid=$!
  until syslog-ng-ctl stats -c "$work/ctl" >/dev/null 2>&1; do
    kill -0 $pid 2>/dev/null || { echo "syslog-ng did not start ($name): $parser" >&2; exit 1; }
    sleep 0.05
  done
  local cpu0 cpu1
  cpu0=$(_cpu_ticks $pid)
  loggen --read-file "$lines" --loop-reading --dont-parse -S -i -r 10000000 -n "$n" -I 100000 \
    --active-connections=2 127.0.0.1 "$port" >/dev/null 2>&1
  until [ "$(syslog-ng-ctl query get 'dst.file.d#0.*.processed' -c "$work/ctl" 2>/dev/null |
             awk -F= '{s+=$2} END {print s+0}')" -ge "$n" ]; do sleep 0.02; done
  cpu1=$(_cpu_ticks $pid)
  kill $pid; wait $pid 2>/dev/null || true
  rm -f "$work/persist"
  python3 -c "print(($cpu1 - $cpu0) * 1e6 / $(getconf CLK_TCK) / $n)" >> "$work/$name.cpu"
}

median() { sort -g "$work/$1.cpu" | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

# times K STATEMENT: the statement K times over
times() { local k=$1 s=""; [ -n "$2" ] || return 0; for _ in $(seq "$k"); do s="$s $2"; done; echo "$s"; }

# compare K LABEL LINES BASELINE-NAME BASELINE-PARSER OURS-NAME OURS-PARSER
compare() {
  local k=$1 label=$2 lines=$3 bname=$4 bparser=$5 oname=$6 oparser=$7 key
  key=$(echo "$label" | tr -c 'a-z0-9\n' '_')
  for _ in $(seq "$rounds"); do
    run "$key.bare" "$lines" ""
    run "$key.base" "$lines" "$(times "$k" "$bparser")"
    run "$key.ours" "$lines" "$(times "$k" "$oparser")"
  done
  python3 - "$k" "$label" "$bname" "$oname" "$(median "$key.bare")" "$(median "$key.base")" "$(median "$key.ours")" <<'PY'
import sys
k = int(sys.argv[1])
label, bname, oname = sys.argv[2:5]
bare, base, ours = map(float, sys.argv[5:8])
cb, co = (base - bare) / k, (ours - bare) / k
if bname == "(none)":
    print("| %s | %s | - | %s x%d | %.2f | - |" % (label, bname, oname, k, co))
else:
    ratio = co / cb if cb > 0 else float("nan")
    print("| %s | %s x%d | %.2f | %s x%d | %.2f | %.2f |" % (label, bname, k, cb, oname, k, co, ratio))
PY
}

feed="$top/tests/functional/logsrc/feed.csv"
s="$top/samples"
# sshd and kernel lines: text no log parser recognises
python3 - > "$work/other.log" <<'PY'
for i in range(200):
    print("Accepted publickey for deploy from 198.51.100.%d port %d ssh2: ED25519 SHA256:q3Zk0c1yYlGEn9l8xkG1Wfl0f9nQv2j2h0m0u%03d" % (i % 250, 40000 + i, i))
    print("pam_unix(sshd:session): session opened for user deploy(uid=1001) by (uid=0)")
    print("IN=eth0 OUT= MAC=00:16:3e:12:34:56 SRC=203.0.113.%d DST=10.0.0.5 LEN=60 PROTO=TCP SPT=%d DPT=22 SYN" % (i % 250, 50000 + i))
PY
cat "$s"/exchange-events.log "$s"/accesslog-combined.log "$s"/accesslog-json.log "$s"/cloudtrail.log \
    "$s"/fireblocks.log "$s"/bitgo.log "$s"/bitcoind-debug.log "$s"/geth.log "$s"/geth-logfmt.log \
    "$s"/geth-json.log "$s"/wallet-signer.log > "$work/all.log"

echo "messages per run: $n, rounds: $rounds (median of each); cost = relay CPU time per message minus the relay's without a parser"
echo
echo "| lines | syslog-ng's parser | us/msg | log parser | us/msg | ratio |"
echo "| --- | --- | --- | --- | --- | --- |"
compare 2 "exchange events (JSON)" "$s/exchange-events.log" "json-parser()" 'json-parser(prefix(".j."));' \
  "dprk-intel-exchange-parser()" 'dprk-intel-exchange-parser();'
compare 2 "CloudTrail records" "$s/cloudtrail.log" "json-parser()" 'json-parser(prefix(".j."));' \
  "dprk-intel-cloudtrail-parser()" 'dprk-intel-cloudtrail-parser();'
compare 2 "Fireblocks webhooks" "$s/fireblocks.log" "json-parser()" 'json-parser(prefix(".j."));' \
  "dprk-intel-fireblocks-parser()" 'dprk-intel-fireblocks-parser();'
compare 2 "BitGo transfers" "$s/bitgo.log" "json-parser()" 'json-parser(prefix(".j."));' \
  "dprk-intel-bitgo-parser()" 'dprk-intel-bitgo-parser();'
compare 4 "nginx JSON access log" "$s/accesslog-json.log" "json-parser()" 'json-parser(prefix(".j."));' \
  "dprk-intel-accesslog-parser()" 'dprk-intel-accesslog-parser();'
compare 4 "geth JSON" "$s/geth-json.log" "json-parser()" 'json-parser(prefix(".j."));' \
  "dprk-intel-geth-parser()" 'dprk-intel-geth-parser();'
compare 3 "combined access log" "$s/accesslog-combined.log" "apache-accesslog-parser()" 'apache-accesslog-parser();' \
  "dprk-intel-accesslog-parser()" 'dprk-intel-accesslog-parser();'
compare 10 "wallet key=value" "$s/wallet-signer.log" "kv-parser()" 'kv-parser(prefix(".kv."));' \
  "dprk-intel-wallet-parser()" 'dprk-intel-wallet-parser();'
compare 10 "geth logfmt" "$s/geth-logfmt.log" "kv-parser()" 'kv-parser(prefix(".kv."));' \
  "dprk-intel-geth-parser()" 'dprk-intel-geth-parser();'
compare 10 "geth terminal" "$s/geth.log" "kv-parser()" 'kv-parser(prefix(".kv."));' \
  "dprk-intel-geth-parser()" 'dprk-intel-geth-parser();'
compare 10 "Bitcoin Core debug.log" "$s/bitcoind-debug.log" "regexp-parser()" \
  "regexp-parser(prefix(\".r.\") patterns('^(?<ts>[0-9T:.Z-]+) (?<pre>(?:\\\\[[^]]*\\\\] )*)(?<msg>.*)\$'));" \
  "dprk-intel-bitcoind-parser()" 'dprk-intel-bitcoind-parser();'
compare 2 "exchange events, matched" "$s/exchange-events.log" "json-parser() + dprk-intel()" \
  "json-parser(prefix(\".j.\")); dprk-intel(database(\"$feed\") fields(\".j.to_address\" \".j.address\" \".j.from_address\" \".j.ip\" \"MESSAGE\") incident-key(\"\$(or \${.j.account_id} \${HOST})\") incident-amount(\"\${.j.amount}\"));" \
  "dprk-intel-enrich()" "dprk-intel-enrich(database(\"$feed\"));"
compare 2 "all samples" "$work/all.log" "dprk-intel()" "dprk-intel(database(\"$feed\"));" \
  "dprk-intel-enrich()" "dprk-intel-enrich(database(\"$feed\"));"
compare 10 "lines no parser knows" "$work/other.log" "dprk-intel()" "dprk-intel(database(\"$feed\"));" \
  "dprk-intel-enrich()" "dprk-intel-enrich(database(\"$feed\"));"
compare 10 "lines no parser knows, the trial alone" "$work/other.log" "(none)" "" \
  "dprk-intel-log-parser(source(auto))" "dprk-intel-log-parser(source(auto));"
echo
echo "(ratio: the log parser's cost over syslog-ng's own parser's on the same lines; the last rows compare"
echo " dprk-intel-enrich() with the hand-written chain and with dprk-intel() alone, and give the trial's own"
echo " cost.  loggen and syslog-ng share the machine's cores; CPU time per message is the relay's own cost.)"
