#!/bin/bash
# test-tsan-reload.sh: the parser under ThreadSanitizer, in the real daemon,
# with worker threads and reloads at once.  Run in the TSan build only
# (configure --enable-sanitizers=thread; scripts/sanitize.sh): four loggen
# connections into syslog-ng (its worker threads run the parser in
# parallel), each message opening or joining an incident (the shared
# incident table, evictions past incident-max()), while the feed is
# rewritten (reload-interval() swaps from its loader thread) and
# `syslog-ng-ctl reload` rebuilds the parser (the state file saved and read
# back).  No message is lost, the daemon survives, and TSan reports nothing
# (tsan.supp names what in syslog-ng and GLib is not ours to fix).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

[ "${DI_SANITIZERS:-}" = thread ] || skip_all "not a TSan build (configure --enable-sanitizers=thread)"
command -v loggen >/dev/null 2>&1 || skip_all "loggen is not installed"

# GLib's mutexes, visible to TSan (tsan-glib.c)
"${CC:-gcc}" -shared -fPIC -O1 -o "$T/tsan-glib.so" "$top_srcdir/tests/sanitizers/tsan-glib.c" -ldl \
  >"$T/cc.log" 2>&1 || bail_out "tsan-glib.c does not build: $(cat "$T/cc.log")"
export DI_TSAN_PRELOAD=$T/tsan-glib.so
DI_SANITIZER_LOGS=${DI_SANITIZER_LOGS:-$T/sanitizer-logs}
export DI_SANITIZER_LOGS
mkdir -p "$DI_SANITIZER_LOGS"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
ROW_ADDR="$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,"
LINES=3000
CONNECTIONS=4
RATE=300
for i in $(seq 1 "$LINES"); do
  echo "seq=$i acct=$((i % 700)) to=$ADDR withdrawal"
done >"$T/lines.txt"
TOTAL=$((LINES * CONNECTIONS))

mkdir -p "$T/feeds"
write_feed "$T/feeds/10-main.csv" <<<"$ROW_ADDR"

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
options { threaded(yes); };
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse) max-connections(8) log-iw-size(4000)); };
parser p_dprk {
  dprk-intel(database("$T/feeds") reload-interval(1)
             incident-key("\${MESSAGE}") incident-timeout(3600) incident-max(500)
             incident-amount("12.5") state-file("$T/incidents.state"));
};
destination d_out { file("$T/out.log" template("\${.dprk.actor}|\${.dprk.incident.id}|\$MESSAGE\n")); };
log { source(s_net); parser(p_dprk); destination(d_out); flags(flow-control); };
EOF

plan 8

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(tail -n 20 "$SNG_LOG")"
diag "syslog-ng $SNG_PID with $(grep -o 'libtsan[^ ]*' <<<"$(tr '\0' '\n' </proc/$SNG_PID/environ 2>/dev/null | grep LD_PRELOAD)")"

loggen -i -S -d -T --active-connections="$CONNECTIONS" -r "$RATE" -R "$T/lines.txt" 127.0.0.1 "$PORT" \
  >"$T/loggen.log" 2>&1 &
loggen_pid=$!

round=0
reloads=0
while kill -0 "$loggen_pid" 2>/dev/null; do
  round=$((round + 1))
  {
    echo "$ROW_ADDR"
    for j in $(seq 1 $((round * 20))); do
      printf '198.51.%d.%d,ipv4,Kimsuky,round %d,50,,,\n' $((j / 250)) $((j % 250 + 1)) "$round"
    done
  } >"$T/next.csv"
  write_feed "$T/feeds/10-main.csv.tmp" <"$T/next.csv" && mv "$T/feeds/10-main.csv.tmp" "$T/feeds/10-main.csv"
  if [ $((round % 2)) -eq 0 ]; then
    reload_syslog_ng && reloads=$((reloads + 1))
  fi
  sleep 1
done
wait "$loggen_pid"
ok $? "loggen finished" || diag "$(tail -n 3 "$T/loggen.log")"
is "$(loggen_sent "$T/loggen.log")" "$TOTAL" "loggen says it sent all $TOTAL lines"
swaps=$(grep -c 'reload-interval(): the feeds changed, database reloaded' "$SNG_LOG")
diag "$round feed versions, $reloads syslog-ng-ctl reloads, $swaps reload-interval() swaps"
ok $((swaps < 1 || reloads < 2)) "the feed was swapped by reload-interval() and by reloads while messages flowed (swaps $swaps, reloads $reloads)"

wait_for_lines "$T/out.log" "$TOTAL"
ok $? "all $TOTAL messages came out"
is "$(grep -c '^Lazarus Group|[0-9a-f]\{16\}|seq=' "$T/out.log")" "$TOTAL" "every one matched, with an incident id"
is_running
ok $? "syslog-ng still runs"
pid=$SNG_PID
stop_syslog_ng

reports=$(ls "$DI_SANITIZER_LOGS"/syslog-ng."$pid"* 2>/dev/null)
is "$reports" "" "ThreadSanitizer reported nothing" || diag "$(head -n 80 $reports)"
like "$(cat "$T/incidents.state" 2>/dev/null | head -c 200)" '"format":"dprk-intel-incidents"' "the state file was saved at exit"

done_testing
