#!/bin/bash
# test-incidents-state.sh: open incidents survive `syslog-ng-ctl reload` (the
# persist config) and a stop and start of the daemon (the state file): the
# same id, the count goes on; a reload that changes incident-timeout() applies
# it to the open incidents; a state file that cannot be read is set aside and
# logged and the daemon starts anyway; state-file() chooses the file.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
IP=203.0.113.77
write_feed "$T/feed.csv" <<EOF
$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
$IP,ipv4,Kimsuky,test feed,60,https://example.org/kimsuky,,
EOF

PORT=$(free_tcp_port)
OUT_T='acct=${json.account_id}\tid=${.dprk.incident.id}\tcount=${.dprk.incident.count}\n'
SUM_T='key=${.dprk.incident.key}\tid=${.dprk.incident.id}\tcount=${.dprk.incident.count}\tindicators=${.dprk.incident.indicators}\tfirst_seen=${.dprk.incident.first_seen}\tamount=${.dprk.incident.amount}\n'

# conf TIMEOUT [EXTRA-OPTIONS]
conf()
{
  cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk {
  dprk-intel(database("$T/feed.csv") fields("json.to_address" "json.client_ip")
             incident-key("\${json.account_id}") incident-timeout($1) incident-amount("\${json.amount}") $2);
};
destination d_out { file("$T/out.log" template("$OUT_T")); };
destination d_sum { file("$T/summary.log" template("$SUM_T")); };
log {
  source(s_net);
  parser { json-parser(prefix("json.")); };
  parser(p_dprk);
  log { filter { tags("dprk.incident"); }; destination(d_sum); flags(final); };
  log { destination(d_out); };
};
EOF
}

# send ACCOUNT: one match for ACCOUNT, amount 1; prints "ID COUNT" of it
send()
{
  local n=1 line
  [ -f "$T/out.log" ] && n=$(($(wc -l <"$T/out.log") + 1))
  send_line "$PORT" "{\"account_id\":\"$1\",\"to_address\":\"$ADDR\",\"amount\":\"1\"}"
  wait_for_lines "$T/out.log" "$n" || return 1
  line=$(sed -n "${n}p" "$T/out.log")
  echo "$(field_of "$line" id) $(field_of "$line" count)"
}

stat_of()
{
  syslog_ng_ctl stats | sed -n "s/^parser;dprk-intel;p_dprk;[^;]*;$1;//p"
}

plan 32

conf 3600
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
t0=$(date -u +%Y-%m-%dT%H:%M:%SZ)
r=$(send acct-A); id_a=${r% *}
is "${r#* }" "1" "acct-A: count 1"
is "$(send acct-A)" "$id_a 2" "acct-A: count 2, same id"
r=$(send acct-B); id_b=${r% *}
is "${r#* }" "1" "acct-B: count 1"

# --- reload in the middle of the incidents
reload_syslog_ng
ok $? "syslog-ng-ctl reload"
is "$(send acct-A)" "$id_a 3" "after reload: acct-A goes on with the same id, count 3"
wait_for_stat p_dprk incidents_open 2   # published by the parser's timer
is "$(stat_of incidents_open)" "2" "after reload: stats still say 2 open"
is "$(stat_of incidents_opened)" "2" "after reload: and 2 opened (no double count)"

# --- stop and start
t1=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1
stop_syslog_ng
state="$T/dprk-intel-p_dprk_0.state"
ok $([ -s "$state" ]; echo $?) "stop wrote the state file $state"
like "$(cat "$state")" "\"key\": *\"acct-A\"" "the state file holds acct-A"
is "$(cat "$T/summary.log" 2>/dev/null)" "" "stop closed no incident (no summary)"

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start again"
like "$(cat "$SNG_LOG")" 'open incidents restored from the state file' "start: restored from the state file"
is "$(send acct-A)" "$id_a 4" "after restart: acct-A goes on with the same id, count 4"
is "$(send acct-B)" "$id_b 2" "after restart: acct-B goes on with the same id, count 2"
wait_for_stat p_dprk incidents_loaded 2
is "$(stat_of incidents_loaded)" "2" "stats: incidents_loaded = 2"
is "$(stat_of incidents_open)" "2" "stats: incidents_open = 2"

# --- a reload that shortens incident-timeout() closes them by the new one.
# Not too short: acct-A's next match must come within it, after a reload
# that a busy machine may take seconds for.
conf 10
reload_syslog_ng
ok $? "reload with incident-timeout(10)"
is "$(send acct-A)" "$id_a 5" "after that reload: acct-A count 5, same id"
wait_for_lines "$T/summary.log" 2
ok $? "both incidents closed after the new timeout"
sa=$(grep -P '^key=acct-A\t' "$T/summary.log")
is "$(field_of "$sa" id)" "$id_a" "summary A: the id from before the reload and the restart"
is "$(field_of "$sa" count)" "5" "summary A: count 5, across reload and restart"
is "$(field_of "$sa" amount)" "5" "summary A: the amounts from before the restart are kept"
first=$(field_of "$sa" first_seen)
ok $([[ ! "$first" < "$t0" && ! "$first" > "$t1" ]]; echo $?) \
  "summary A: first_seen is the first match, before the restart ($t0 <= $first <= $t1)"
sb=$(grep -P '^key=acct-B\t' "$T/summary.log")
is "$(field_of "$sb" id) $(field_of "$sb" count)" "$id_b 2" "summary B: same id, count 2"

# --- a state file that cannot be read
r=$(send acct-C); id_c=${r% *}
stop_syslog_ng
printf '{"format":"dprk-intel-incidents","version":1,"incidents":[{"id":' >"$state"
start_syslog_ng "$T/test.conf"
ok $? "syslog-ng starts with a broken state file"
like "$(cat "$SNG_LOG")" 'incident state file cannot be read, it was set aside' "the broken state file is logged"
aside=$(ls "$T"/dprk-intel-p_dprk_0.state.corrupt-* 2>/dev/null | head -n 1)
ok $([ -n "$aside" ] && grep -q '"id":$' "$aside"; echo $?) "and set aside as ${aside##*/}"
r=$(send acct-C)
is "${r#* }" "1" "without state, acct-C starts a new incident"

# --- state-file() chooses the file
conf 3600 "state-file(\"$T/my.state\")"
reload_syslog_ng
r=$(send acct-D); id_d=${r% *}
stop_syslog_ng
like "$(cat "$T/my.state" 2>/dev/null)" '"key": *"acct-D"' "state-file(): the open incidents are written there"
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start with state-file()"
is "$(send acct-D)" "$id_d 2" "state-file(): acct-D goes on after a restart"

# --- an incident whose timeout passes while syslog-ng is down: its summary
# comes out right after the start
conf 2 "state-file(\"$T/my.state\")"
reload_syslog_ng
n_sum=$(wc -l <"$T/summary.log")
r=$(send acct-E); id_e=${r% *}
stop_syslog_ng
sleep 3
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start again"
wait_for_text "$T/summary.log" "^key=acct-E"
ok $? "an incident that timed out during the downtime is summarised at start"
se=$(grep -P '^key=acct-E\t' "$T/summary.log")
is "$(field_of "$se" id) $(field_of "$se" count)" "$id_e 1" "with its id and count"
stop_syslog_ng
pass "syslog-ng stops"

done_testing
