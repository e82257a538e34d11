#!/bin/bash
# test-module-macros.sh: fields() naming several macros (SOURCEIP, SDATA):
# syslog-ng renders every macro into one per-thread buffer, so the parser must
# copy each value before asking for the next, or the matched text it reports
# comes from freed memory.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

ADDR=0x098B716B8Aaf21512996dC57EB0615e2383E2f96
write_feed "$T/feed.csv" <<EOF
127.0.0.1,ipv4,Kimsuky,test,60,https://example.org/loopback,,
$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
EOF

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_in { syslog(ip(127.0.0.1) port($PORT) transport(tcp)); };
parser p_dprk { dprk-intel(database("$T/feed.csv") fields("SOURCEIP" "SDATA" "MESSAGE")); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_in); parser(p_dprk); destination(d_out); };
EOF

plan 4
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"

big=$(printf 'x%.0s' $(seq 1 3000))
payload="<13>1 2026-11-25T10:00:00Z wallet-01 app - - [meta@32473 note=\"$big\"] withdrawal to $ADDR"
send_line "$PORT" "${#payload} $payload"
wait_for_lines "$T/out.log" 1
ok $? "the message came out"

line=$(head -n 1 "$T/out.log")
is "$(field_of "$line" match_count)" "2" "both the source IP and the address matched"
atomics=$(field_of "$line" matches | python3 -c '
import json, sys
print(",".join(m["matched"]["field"] + "=" + m["matched"]["atomic"] for m in json.load(sys.stdin)))')
is "$atomics" "SOURCEIP=127.0.0.1,MESSAGE=$ADDR" "each match reports the text as found in its own field"
is "$(field_of "$line" actors)" "Kimsuky,Lazarus Group" "both actors"
