#!/bin/bash
# test-incidents-revert.sh: a reload whose new config fails to start makes
# syslog-ng start the old config again; the open incidents must come back
# with it (no state file here, so nothing can be read back from disk).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

ADDR=0x098B716B8Aaf21512996dC57EB0615e2383E2f96
write_feed "$T/feed.csv" <<EOF
$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
EOF

PORT=$(free_tcp_port)
BUSY=$(free_tcp_port)
config() {   # config [EXTRA-STATEMENTS]
  cat <<EOF
$(config_header)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel(database("$T/feed.csv") incident-key("acct-1") incident-timeout(600) state-file("")); };
destination d_out { file("$T/out.log" template("\${.dprk.incident.id} \${.dprk.incident.count}\n")); };
log { source(s_in); parser(p_dprk); destination(d_out); };
$1
EOF
}

plan 5
config > "$T/test.conf"
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
send_line "$PORT" "withdrawal to $ADDR"
wait_for_lines "$T/out.log" 1
first=$(sed -n 1p "$T/out.log")
like "$first" '^[0-9a-f]{16} 1$' "the first match opens an incident"

# the new config cannot start: two sources on one port
config "source s_a { network(ip(127.0.0.1) port($BUSY) transport(tcp)); };
source s_b { network(ip(127.0.0.1) port($BUSY) transport(tcp)); };
log { source(s_a); source(s_b); destination(d_out); };" > "$T/test.conf"
reload_syslog_ng
like "$(cat "$SNG_LOG")" "Error binding socket" "the new config fails to start"
ok "$(is_running && echo 0 || echo 1)" "syslog-ng runs on with the old config"

send_line "$PORT" "withdrawal to $ADDR"
wait_for_lines "$T/out.log" 2
second=$(sed -n 2p "$T/out.log")
is "${second% *}" "${first% *}" "the incident keeps its id after the failed reload"
is "${second#* }" "2" "... and its count goes on"
