#!/bin/bash
# test-module-load.sh: dprk-intel() under load from several connections at
# once (several worker threads in process()), with reloads while messages
# flow: nothing is lost, nothing crashes, every matching message is tagged.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v loggen >/dev/null 2>&1 || skip_all "loggen is not installed"

ADDR=0x098B716B8Aaf21512996dC57EB0615e2383E2f96
write_feed "$T/feed.csv" <<EOF
$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
EOF

# half the lines carry the address; the others carry look-alikes that must
# not match (a 64-hex transaction hash, a different address)
LINES=5000
CONNECTIONS=4
for i in $(seq 1 "$LINES"); do
  if [ $((i % 2)) -eq 0 ]; then
    echo "withdrawal id=$i to=$ADDR amount=0.5"
  else
    printf 'deposit id=%d tx=0x%064x from=0x%040x\n' "$i" "$i" "$i"
  fi
done >"$T/lines.txt"
TOTAL=$((LINES * CONNECTIONS))

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse) max-connections(16) log-iw-size(40000)); };
parser p_dprk { dprk-intel(database("$T/feed.csv")); };
destination d_out { file("$T/out.log" template("\${.dprk.actor}|\$TAGS|\$MESSAGE\n")); };
log { source(s_net); parser(p_dprk); destination(d_out); };
EOF

plan 8

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"

# -T: no time limit, every connection sends the whole file however long it takes
loggen -i -S -d -T --active-connections="$CONNECTIONS" -r 5000 -R "$T/lines.txt" 127.0.0.1 "$PORT" \
  >"$T/loggen.log" 2>&1 &
loggen_pid=$!
reloads=0
while kill -0 "$loggen_pid" 2>/dev/null && [ "$reloads" -lt 20 ]; do
  reload_syslog_ng && reloads=$((reloads + 1))
  sleep 0.05
done
wait "$loggen_pid"
diag "$reloads reloads while loggen ran"
is "$(loggen_sent "$T/loggen.log")" "$TOTAL" "loggen says it sent all $TOTAL lines" || diag "$(tail -n 3 "$T/loggen.log")"

wait_for_lines "$T/out.log" "$TOTAL"
ok $? "all $TOTAL messages came out" || diag "$(tail -n 3 "$T/loggen.log")"
is_running
ok $? "syslog-ng still runs"

matched=$(grep -c '^Lazarus Group|.*dprk\.actor\.lazarus_group.*withdrawal' "$T/out.log")
is "$matched" "$((TOTAL / 2))" "every withdrawal is matched and tagged"
is "$(grep -c '^|.*deposit' "$T/out.log")" "$((TOTAL / 2))" "no deposit (look-alikes) is matched"

stats=$(syslog_ng_ctl stats)
like "$stats" "^parser;dprk-intel;p_dprk;[^;]*;scanned;$TOTAL\$" "stats: scanned counts every message across reloads"
like "$stats" "^parser;dprk-intel;p_dprk;[^;]*;matched;$((TOTAL / 2))\$" "stats: matched"

stop_syslog_ng
pass "syslog-ng stops"
done_testing
