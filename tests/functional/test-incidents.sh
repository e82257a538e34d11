#!/bin/bash
# test-incidents.sh: suspected incidents in a real syslog-ng: matches grouped
# by incident-key() with running ids and counts, one summary per incident
# when it times out (count, distinct indicators, actors, first/last seen,
# incident-amount() with a non-number skipped and counted), the counters in
# `syslog-ng-ctl stats` and `query` agreeing with the summaries, and option
# errors that name the option.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

ADDR1=0x098b716b8aaf21512996dc57eb0615e2383e2f96
ADDR2=0xa0e1c89ef1a489c9c7de96311ed5ce5d32c20e4b
IP=203.0.113.77

write_feed "$T/feed.csv" <<EOF
$ADDR1,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
$ADDR2,eth,TraderTraitor,FBI,80,https://example.org/fbi,,
$IP,ipv4,Kimsuky,test feed,60,https://example.org/kimsuky,,
EOF

PORT=$(free_tcp_port)
# one line a message: the running values of a matched message
OUT_T='acct=${json.account_id}\tid=${.dprk.incident.id}\tcount=${.dprk.incident.count}\tTAGS=${TAGS}\n'
# one line a summary
SUM_T='TAGS=${TAGS}\tHOST=${HOST}\tPROGRAM=${PROGRAM}\tid=${.dprk.incident.id}\tkey=${.dprk.incident.key}'
SUM_T="$SUM_T"'\tcount=${.dprk.incident.count}\tindicators=${.dprk.incident.indicators}'
SUM_T="$SUM_T"'\tindicators_count=${.dprk.incident.indicators_count}\tactors=${.dprk.incident.actors}'
SUM_T="$SUM_T"'\tfirst_seen=${.dprk.incident.first_seen}\tlast_seen=${.dprk.incident.last_seen}'
SUM_T="$SUM_T"'\tamount=${.dprk.incident.amount}\treason=${.dprk.incident.reason}\tmatch=${.dprk.match_count}\tMSG=${MESSAGE}\n'

# incident-timeout(3): short to wait for, long enough that a busy machine
# does not pause that long between the lines of one burst
cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk {
  dprk-intel(database("$T/feed.csv") fields("json.to_address" "json.client_ip")
             incident-key("\${json.account_id}") incident-timeout(3) incident-amount("\${json.amount}"));
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

msg() # ACCOUNT ADDRESS AMOUNT
{
  printf '{"account_id":"%s","to_address":"%s","amount":"%s"}' "$1" "$2" "$3"
}

stat_of() # NAME: the counter of p_dprk in `syslog-ng-ctl stats`
{
  syslog_ng_ctl stats | sed -n "s/^parser;dprk-intel;p_dprk;[^;]*;$1;//p"
}

# summary_of KEY: the (last) summary line of KEY
summary_of()
{
  grep -P "\tkey=$1\t" "$T/summary.log" | tail -n 1
}

plan 59

# --- options: wrong values fail and name the option
conf_with() # NAME OPTIONS
{
  cat >"$T/$1.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
log { source(s_net); parser { dprk-intel(database("$T/feed.csv") $2); }; destination { file("$T/x.log"); }; };
EOF
}
for case in "timeout-zero|incident-timeout(0)|incident-timeout" \
            "timeout-negative|incident-timeout(-5)|incident-timeout" \
            "timeout-text|incident-timeout(\"soon\")|incident-timeout" \
            "max-zero|incident-max(0)|incident-max" \
            "reload-negative|reload-interval(-1)|reload-interval" \
            "reload-float|reload-interval(1.5)|reload-interval"; do
  IFS='|' read -r name opts option <<<"$case"
  conf_with "$name" "$opts"
  syntax_check "$T/$name.conf"
  status=$?
  if [ "$status" -ne 0 ] && grep -q "dprk-intel: $option()" "$T/syntax.log"; then
    pass "$opts is refused, naming $option()"
  else
    fail "$opts is refused, naming $option()"
    diag "$(cat "$T/syntax.log")"
  fi
done
conf_with good "incident-key(\"\${HOST}/\${json.account_id}\") incident-timeout(3600) incident-max(100000) incident-amount(\"\${json.amount}\") state-file(\"$T/s.state\") reload-interval(0)"
syntax_check "$T/good.conf"
ok $? "every incident option with a good value passes --syntax-only" || diag "$(cat "$T/syntax.log")"

# --- the daemon
syntax_check "$T/test.conf"
ok $? "the test config passes --syntax-only" || diag "$(cat "$T/syntax.log")"
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
pass "syslog-ng starts"

t_start=$(date -u +%Y-%m-%dT%H:%M:%SZ)
# acct-A: 3 matches of 2 indicators (2 actors), amounts 100 + 50.5 and one
# that is not a number; one message that does not match.
# acct-B: 2 matches (Kimsuky by IP, Lazarus by address), amounts 7 + 3.
send_line "$PORT" \
  "$(msg acct-A "$ADDR1" 100)" \
  "$(msg acct-B 0x0000000000000000000000000000000000000001 1)" \
  "{\"account_id\":\"acct-B\",\"client_ip\":\"$IP\",\"amount\":\"7\"}" \
  "$(msg acct-A 0x098B716B8Aaf21512996dC57EB0615e2383E2f96 50.5)" \
  "$(msg acct-A 0x0000000000000000000000000000000000000002 1000)" \
  "$(msg acct-B "$ADDR1" 3)" \
  "$(msg acct-A "$ADDR2" lots)"
wait_for_lines "$T/out.log" 7
ok $? "seven messages came out"

counts_of() { grep -P "^acct=$1\t" "$T/out.log" | while IFS= read -r l; do field_of "$l" count; done | tr '\n' ' '; }
ids_of() { grep -P "^acct=$1\t.*dprk\.match" "$T/out.log" | while IFS= read -r l; do field_of "$l" id; done | sort -u; }
is "$(counts_of acct-A)" "1 2  3 " "acct-A: running counts 1 2 3 (the unmatched message has none)"
is "$(counts_of acct-B)" " 1 2 " "acct-B: running counts 1 2"
id_a=$(ids_of acct-A)
id_b=$(ids_of acct-B)
is "$(printf '%s\n' "$id_a" | wc -l)" "1" "acct-A: one incident id for all its matches"
like "$id_a" '^[0-9a-f]{16}$' "the id is 16 hex digits"
is "$(printf '%s\n' "$id_b" | wc -l)" "1" "acct-B: one incident id"
ok $([ "$id_a" != "$id_b" ]; echo $?) "acct-A and acct-B are different incidents"
line=$(grep -P '^acct=acct-B\t' "$T/out.log" | head -n 1)
is "$(field_of "$line" id)$(field_of "$line" count)" "" "an unmatched message gets no incident"

# the incident counters are published by the parser's timer, once a second
# (on a busy machine the incidents may already have timed out by now)
wait_for_stat p_dprk incidents_opened 2
stats=$(syslog_ng_ctl stats)
n_open=$(printf '%s\n' "$stats" | sed -n 's/^parser;dprk-intel;p_dprk;[^;]*;incidents_open;//p')
n_closed=$(printf '%s\n' "$stats" | sed -n 's/^parser;dprk-intel;p_dprk;[^;]*;incidents_closed;//p')
is "$(printf '%s\n' "$stats" | sed -n 's/^parser;dprk-intel;p_dprk;[^;]*;incidents_opened;//p')" "2" \
  "stats: 2 incidents opened"
is "$((n_open + n_closed))" "2" "stats: open ($n_open) + closed ($n_closed) = 2"

# --- summaries after incident-timeout(3)
wait_for_lines "$T/summary.log" 2
ok $? "two summaries came out after the timeout, without another message"
t_end=$(date -u +%Y-%m-%dT%H:%M:%SZ)
sleep 1.5
is "$(wc -l <"$T/summary.log")" "2" "exactly one summary per incident"

sa=$(summary_of acct-A)
like ",$(field_of "$sa" TAGS)," ',dprk\.incident,' "summary: tagged dprk.incident"
unlike ",$(field_of "$sa" TAGS)," ',dprk\.match,' "summary: not tagged dprk.match"
is "$(field_of "$sa" PROGRAM)" "dprk-intel" "summary: PROGRAM dprk-intel"
is "$(field_of "$sa" HOST)" "$(hostname -s)" "summary: HOST is the local host"
is "$(field_of "$sa" id)" "$id_a" "summary A: the id of the running messages"
is "$(field_of "$sa" count)" "3" "summary A: count 3"
is "$(field_of "$sa" indicators)" "$ADDR1,$ADDR2" "summary A: the distinct indicators, normalised"
is "$(field_of "$sa" indicators_count)" "2" "summary A: indicators_count 2"
is "$(field_of "$sa" actors)" "Lazarus Group,TraderTraitor" "summary A: the actors"
is "$(field_of "$sa" amount)" "150.5" "summary A: the amount sums the numbers, skips 'lots'"
is "$(field_of "$sa" reason)" "timeout" "summary A: closed by the timeout"
is "$(field_of "$sa" match)" "" "summary A: carries no match fields"
first=$(field_of "$sa" first_seen)
last=$(field_of "$sa" last_seen)
like "$first" '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "summary A: first_seen is ISO 8601 UTC"
ok $([[ ! "$first" < "$t_start" && ! "$last" < "$first" && ! "$t_end" < "$last" ]]; echo $?) \
  "summary A: start <= first_seen <= last_seen <= end ($t_start $first $last $t_end)"
like "$(field_of "$sa" MSG)" "^dprk-intel: incident $id_a key=acct-A: 3 matches of 2 Lazarus Group/TraderTraitor indicators from $first to $last, amount 150\\.5\$" \
  "summary A: a readable MESSAGE"

sb=$(summary_of acct-B)
is "$(field_of "$sb" id)" "$id_b" "summary B: the id of the running messages"
is "$(field_of "$sb" count)" "2" "summary B: count 2"
is "$(field_of "$sb" indicators)" "$IP,$ADDR1" "summary B: indicators in the order seen"
is "$(field_of "$sb" actors)" "Kimsuky,Lazarus Group" "summary B: actors"
is "$(field_of "$sb" amount)" "10" "summary B: amount 10"

# --- a new match of acct-A opens a new incident
send_line "$PORT" "$(msg acct-A "$ADDR2" 1)"
wait_for_lines "$T/out.log" 8
line=$(tail -n 1 "$T/out.log")
is "$(field_of "$line" count)" "1" "after the summary, acct-A starts again at 1"
ok $([ "$(field_of "$line" id)" != "$id_a" ]; echo $?) "with a new id"
wait_for_lines "$T/summary.log" 3
ok $? "its summary comes out too"

# --- counters agree with the summaries (once the timer has published them)
wait_for_stat p_dprk incidents_closed "$(wc -l <"$T/summary.log")"
stats=$(syslog_ng_ctl stats)
diag "$(printf '%s\n' "$stats" | grep 'dprk-intel;p_dprk')"
n_sum=$(wc -l <"$T/summary.log")
sum_counts=$(awk -F'\t' '{for (i = 1; i <= NF; i++) if ($i ~ /^count=/) { sub(/^count=/, "", $i); s += $i } } END { print s }' "$T/summary.log")
is "$(stat_of incidents_opened)" "$n_sum" "stats: incidents_opened = number of summaries ($n_sum)"
is "$(stat_of incidents_closed)" "$n_sum" "stats: incidents_closed = number of summaries"
is "$(stat_of incidents_timed_out)" "$n_sum" "stats: incidents_timed_out"
is "$(stat_of incidents_evicted)" "0" "stats: incidents_evicted = 0"
is "$(stat_of incidents_open)" "0" "stats: incidents_open = 0"
is "$(stat_of matched)" "$sum_counts" "stats: matched = the sum of the summaries' counts ($sum_counts)"
is "$(stat_of amount_invalid)" "1" "stats: amount_invalid = 1 ('lots')"
is "$(stat_of scanned)" "8" "stats: scanned = 8"
is "$(stat_of matched_lazarus_group)" "3" "stats: matched_lazarus_group = 3"
is "$(stat_of matched_tradertraitor)" "2" "stats: matched_tradertraitor = 2"
is "$(stat_of matched_kimsuky)" "1" "stats: matched_kimsuky = 1"
query=$(syslog_ng_ctl query get 'parser.dprk-intel.p_dprk.*')
like "$query" "parser\\.dprk-intel\\.p_dprk\\.incidents_closed=$n_sum" "query get: incidents_closed"
like "$query" 'parser\.dprk-intel\.p_dprk\.matched_lazarus_group=3' "query get: matched_lazarus_group"

# --- the state file: default place beside the persist file, written on stop
stop_syslog_ng
state=$(ls "$T"/dprk-intel-*.state 2>/dev/null)
is "$(basename "$state")" "dprk-intel-p_dprk_0.state" "the default state file is in the persist directory"
like "$(head -c 200 "$state")" '"format": *"dprk-intel-incidents"' "it is an incident state file"

done_testing
