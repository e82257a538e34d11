#!/bin/bash
# test-incidents-crash.sh: the state file is also written while syslog-ng
# runs (every 60 seconds when incidents changed), so a crash (SIGKILL, no
# deinit) loses at most the last minute: an incident opened more than a
# minute before the crash goes on after the start with its id and count.
# Slow by nature (a minute).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
write_feed "$T/feed.csv" <<<"$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,"

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp)); };
parser p_dprk { dprk-intel(database("$T/feed.csv") incident-key("\${PROGRAM}")); };
destination d_out { file("$T/out.log" template("\${PROGRAM}\t\${.dprk.incident.id}\t\${.dprk.incident.count}\n")); };
log { source(s_net); parser(p_dprk); destination(d_out); };
EOF

# send KEY: prints "ID COUNT" of one match for KEY
send()
{
  local n=1 line
  [ -f "$T/out.log" ] && n=$(($(wc -l <"$T/out.log") + 1))
  send_line "$PORT" "<13>$1: to $ADDR"
  wait_for_lines "$T/out.log" "$n" || return 1
  line=$(sed -n "${n}p" "$T/out.log")
  printf '%s %s\n' "$(printf '%s' "$line" | cut -f2)" "$(printf '%s' "$line" | cut -f3)"
}

plan 5

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
r=$(send acctA); id=${r% *}
is "${r#* }" "1" "acctA: count 1"
is "$(send acctA)" "$id 2" "acctA: count 2"
diag "waiting for the periodic save (60 s)"
saved() { grep -Eq '"key": *"acctA"' "$T/dprk-intel-p_dprk_0.state" 2>/dev/null; }
wait_until 180 saved
like "$(cat "$T/dprk-intel-p_dprk_0.state" 2>/dev/null)" '"key": *"acctA"' "the state file was written while running"

kill -KILL "$SNG_PID"
wait "$SNG_PID" 2>/dev/null
SNG_PID=
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start after the crash"
pass "syslog-ng starts after SIGKILL"
is "$(send acctA)" "$id 3" "after the crash acctA goes on: same id, count 3"

stop_syslog_ng
done_testing
