#!/bin/bash
# test-incidents-limits.sh: the incident table against hostile input, in the
# real daemon (issue 11; the limits are in docs/incidents.md):
#  - incident-key() values longer than 1024 bytes are shortened (one
#    incident per distinct key still), logged once, counted in
#    incident_keys_truncated; the daemon goes on;
#  - thousands of keys that collide under an unkeyed string hash (blocks of
#    "Aa"/"B@") each open their incident and every message comes out;
#  - a state file whose incident was last seen far in the future: the time
#    is set to now at start (logged, counted in state_times_clamped) and the
#    incident times out like any other;
#  - mode() and the options mode(aggregate) does not take are refused by name.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
write_feed "$T/feed.csv" <<EOF
$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
EOF
PORT=$(free_tcp_port)
TIMEOUT=3600

conf()
{
  cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse) log-iw-size(10000)); };
parser p_dprk {
  dprk-intel(database("$T/feed.csv") fields("json.to_address") incident-key("\${json.key}")
             incident-timeout($TIMEOUT) state-file("$T/state"));
};
destination d_out { file("$T/out.log" template("\${.dprk.incident.id}\t\${.dprk.incident.count}\n")); };
destination d_sum { file("$T/summary.log" template("\${.dprk.incident.key}\t\${.dprk.incident.count}\t\${.dprk.incident.reason}\n")); };
log {
  source(s_net);
  parser { json-parser(prefix("json.")); };
  parser(p_dprk);
  log { filter { tags("dprk.incident"); }; destination(d_sum); flags(final); };
  log { destination(d_out); };
  flags(flow-control);
};
EOF
}
line() { printf '{"key":"%s","to_address":"%s"}\n' "$1" "$ADDR"; }
stat_of() { di_stat p_dprk "$1"; }

plan 13

# --- option errors
cat >"$T/bad.conf" <<EOF
$(config_header)
parser p { dprk-intel(mode(relay)); };
EOF
syntax_check "$T/bad.conf"
ok $([ $? -ne 0 ] && grep -q 'mode() must be scan .* or aggregate' "$T/syntax.log"; echo $?) "mode(relay) is refused, naming mode()"
cat >"$T/bad.conf" <<EOF
$(config_header)
parser p { dprk-intel(mode(aggregate) database("$T/feed.csv")); };
EOF
syntax_check "$T/bad.conf"
ok $([ $? -ne 0 ] && grep -q 'mode(aggregate) .* database(), fields() and reload-interval() have no use' "$T/syntax.log"; echo $?) \
  "mode(aggregate) with database() is refused, saying why"
cat >"$T/good.conf" <<EOF
$(config_header)
parser p { dprk-intel(mode(aggregate) incident-key("\${json.account_id}") incident-id-salt("x")); };
EOF
syntax_check "$T/good.conf"
ok $? "mode(aggregate) with the incident options and incident-id-salt() passes --syntax-only" || diag "$(cat "$T/syntax.log")"

# --- long keys
conf
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
long=$(head -c 5000 /dev/zero | tr '\0' 'k')
{ line "${long}A"; line "${long}B"; line "${long}A"; line short; } >"$T/long.in"
send_file "$PORT" "$T/long.in"
wait_for_lines "$T/out.log" 4
ok $? "messages with 5000-byte keys come out"
is "$(cut -f2 "$T/out.log" | tr '\n' ' ')" "1 1 2 1 " "two long keys that differ only at the end are two incidents"
wait_for_stat p_dprk incident_keys_truncated 3
ok $? "each long key is counted in incident_keys_truncated (3)"
is "$(grep -c 'incident-key() value is longer than the limit' "$SNG_LOG")" "1" "and logged once, with the limit"

# --- keys built to collide under g_str_hash
python3 -c '
import sys
n = 12
for i in range(1 << n):
    key = "acct-" + "".join("B@" if (i >> b) & 1 else "Aa" for b in range(n))
    print("{\"key\":\"%s\",\"to_address\":\"%s\"}" % (key, sys.argv[1]))' "$ADDR" >"$T/collide.in"
send_file "$PORT" "$T/collide.in"
wait_for_lines "$T/out.log" $((4 + 4096))
ok $? "4096 keys that collide under an unkeyed hash all come out"
wait_for_stat p_dprk incidents_opened $((3 + 4096))
ok $? "each opened its own incident"
stop_syslog_ng

# --- a state file from the future
python3 - "$T/state" <<'PY'
import json, sys, time
us = 1000000
future = int(time.time() + 100 * 365 * 86400) * us
doc = {"format": "dprk-intel-incidents", "version": 1, "saved_at": future, "incidents": [
    {"id": "0123456789abcdef", "key": "from-the-future", "count": 7, "first_seen": future, "last_seen": future,
     "indicators": {"names": ["0x098b716b8aaf21512996dc57eb0615e2383e2f96"], "distinct": 1},
     "actors": {"names": ["Lazarus Group"], "distinct": 1}}]}
open(sys.argv[1], "w").write(json.dumps(doc) + "\n")
PY
TIMEOUT=2
conf
: >"$T/summary.log"
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start with a state file from the future"
like "$(cat "$SNG_LOG")" 'last seen in the future, their times were set to now' "the start logs the clamped times"
wait_for_stat p_dprk state_times_clamped 1
ok $? "and counts them in state_times_clamped"
wait_for_text "$T/summary.log" $'^from-the-future\t7\ttimeout$'
ok $? "the incident from the future times out like any other (incident-timeout(2) after the start)"
send_line "$PORT" "$(line after)"
wait_for_lines "$T/out.log" $((4 + 4096 + 1))
ok $? "and the daemon goes on delivering"

done_testing
