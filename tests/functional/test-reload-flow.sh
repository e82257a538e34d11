#!/bin/bash
# test-reload-flow.sh: no message is lost while the feeds are reloaded.
# loggen sends over TCP into a log path with flow control while the feed is
# rewritten again and again, picked up both by reload-interval(1) and by
# `syslog-ng-ctl reload`: every message is found in the output exactly as
# often as it was sent, and every withdrawal to the listed address is tagged
# (the address stays in every version of the feed, so no message may pass
# the parser without a loaded set).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v loggen >/dev/null 2>&1 || skip_all "loggen is not installed"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
ROW_ADDR="$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,"

LINES=10000
CONNECTIONS=2
RATE=1000
for i in $(seq 1 "$LINES"); do
  if [ $((i % 2)) -eq 0 ]; then
    echo "seq=$i to=$ADDR withdrawal"
  else
    printf 'seq=%d from=0x%040x deposit\n' "$i" "$i"
  fi
done >"$T/lines.txt"
TOTAL=$((LINES * CONNECTIONS))

mkdir -p "$T/feeds"
write_feed "$T/feeds/10-main.csv" <<<"$ROW_ADDR"

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse) max-connections(8) log-iw-size(2000)); };
parser p_dprk { dprk-intel(database("$T/feeds") reload-interval(1) incident-timeout(3600)); };
destination d_out { file("$T/out.log" template("\${.dprk.actor}|\$MESSAGE\n")); };
log { source(s_net); parser(p_dprk); destination(d_out); flags(flow-control); };
EOF

plan 8

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"

# -T: no time limit (by default loggen stops after 10 s, whatever it has
# sent); each connection sends the whole file, at RATE lines a second so that
# the feed changes while it runs, however long a busy machine takes
loggen -i -S -d -T --active-connections="$CONNECTIONS" -r "$RATE" -R "$T/lines.txt" 127.0.0.1 "$PORT" \
  >"$T/loggen.log" 2>&1 &
loggen_pid=$!

# rewrite the feed while loggen runs: each version keeps the address and
# has a different set of other rows; every third round also asks for a
# reload, every fourth writes the file in place rather than renaming
round=0
reloads=0
while kill -0 "$loggen_pid" 2>/dev/null; do
  round=$((round + 1))
  {
    echo "$ROW_ADDR"
    for j in $(seq 1 $((round * 50))); do
      printf '198.51.%d.%d,ipv4,Kimsuky,round %d,50,,,\n' $((j / 250)) $((j % 250 + 1)) "$round"
    done
  } >"$T/next.csv"
  if [ $((round % 4)) -eq 0 ]; then
    write_feed "$T/feeds/10-main.csv" <"$T/next.csv"
  else
    write_feed "$T/feeds/10-main.csv.tmp" <"$T/next.csv" && mv "$T/feeds/10-main.csv.tmp" "$T/feeds/10-main.csv"
  fi
  if [ $((round % 3)) -eq 0 ]; then
    reload_syslog_ng && reloads=$((reloads + 1))
  fi
  sleep 0.7
done
wait "$loggen_pid"
ok $? "loggen finished" || diag "$(tail -n 3 "$T/loggen.log")"
is "$(loggen_sent "$T/loggen.log")" "$TOTAL" "loggen says it sent all $TOTAL lines" || diag "$(tail -n 3 "$T/loggen.log")"
swaps=$(grep -c 'reload-interval(): the feeds changed, database reloaded' "$SNG_LOG")
diag "$round feed versions, $reloads syslog-ng-ctl reloads, $swaps reload-interval() swaps"
ok $((swaps < 2 || reloads < 2)) "the feed was swapped several times by each way (swaps $swaps, reloads $reloads)"

wait_for_lines "$T/out.log" "$TOTAL"
ok $? "all $TOTAL messages came out"
missing=$(sed 's/^[^|]*|//' "$T/out.log" | awk '{ print $1 }' | sort | uniq -c |
          awk -v want="$CONNECTIONS" '$1 != want' | head -n 5)
is "$missing" "" "every line came out exactly $CONNECTIONS times"
is "$(grep -c '^Lazarus Group|seq=[0-9]* .* withdrawal$' "$T/out.log")" "$((TOTAL / 2))" "every withdrawal was matched"
is "$(grep -c '^|seq=[0-9]* .* deposit$' "$T/out.log")" "$((TOTAL / 2))" "no deposit was matched"
is_running
ok $? "syslog-ng still runs"

stop_syslog_ng
done_testing
