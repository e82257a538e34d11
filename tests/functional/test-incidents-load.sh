#!/bin/bash
# test-incidents-load.sh: incidents under load.  Several TCP connections at
# once (several worker threads add to the same incidents): the running counts
# of each key are exactly 1..N, and the summary counts equal the number of
# matching messages sent.  Then a flood of distinct keys with
# incident-max(100): never more than 100 open, the rest evicted (counted, and
# each with its summary), so memory is bounded by incident-max().
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v loggen >/dev/null 2>&1 || skip_all "loggen is not installed"

ADDR=0x098B716B8Aaf21512996dC57EB0615e2383E2f96
IP=203.0.113.77
write_feed "$T/feed.csv" <<EOF
$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
$IP,ipv4,Kimsuky,test feed,60,https://example.org/kimsuky,,
EOF

KEYS=10
LINES=4000
CONNECTIONS=4
# every 4th line does not match; the others match for acct-(i % KEYS)
for i in $(seq 1 "$LINES"); do
  if [ $((i % 4)) -eq 0 ]; then
    printf '{"account_id":"acct-%d","to_address":"0x%040x","amount":"1"}\n' $((i % KEYS)) "$i"
  elif [ $((i % 4)) -eq 1 ]; then
    printf '{"account_id":"acct-%d","client_ip":"%s","amount":"2"}\n' $((i % KEYS)) "$IP"
  else
    printf '{"account_id":"acct-%d","to_address":"%s","amount":"1"}\n' $((i % KEYS)) "$ADDR"
  fi
done >"$T/lines.txt"
MATCHING=$(( $(grep -c -e "$ADDR" -e "$IP" "$T/lines.txt") * CONNECTIONS ))
TOTAL=$((LINES * CONNECTIONS))

# an incident closes TIMEOUT s after its last match: long enough that a busy
# machine never pauses that long between two matches of one key while the
# lines flow (the counts would then restart), short enough to wait for
TIMEOUT=10
PORT=$(free_tcp_port)
FLOOD_PORT=$(free_tcp_port)
OUT_T='${json.account_id}\t${.dprk.incident.id}\t${.dprk.incident.count}\n'
SUM_T='${.dprk.incident.key}\t${.dprk.incident.id}\t${.dprk.incident.count}\t${.dprk.incident.reason}\t${.dprk.incident.amount}\n'
cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse) max-connections(16) log-iw-size(40000)); };
source s_flood { network(ip(127.0.0.1) port($FLOOD_PORT) transport(tcp) flags(no-parse)); };
parser p_load {
  dprk-intel(database("$T/feed.csv") fields("json.to_address" "json.client_ip")
             incident-key("\${json.account_id}") incident-timeout($TIMEOUT) incident-amount("\${json.amount}"));
};
parser p_flood {
  dprk-intel(database("$T/feed.csv") fields("json.to_address")
             incident-key("\${json.account_id}") incident-max(100));
};
log {
  source(s_net);
  parser { json-parser(prefix("json.")); };
  parser(p_load);
  log { filter { tags("dprk.incident"); }; destination { file("$T/summary.log" template("$SUM_T")); }; flags(final); };
  log { destination { file("$T/out.log" template("$OUT_T")); }; };
};
log {
  source(s_flood);
  parser { json-parser(prefix("json.")); };
  parser(p_flood);
  log { filter { tags("dprk.incident"); }; destination { file("$T/flood-summary.log" template("$SUM_T")); }; flags(final); };
  log { destination { file("$T/flood-out.log" template("$OUT_T")); }; };
};
EOF

stat_of() # PARSER NAME
{
  syslog_ng_ctl stats | sed -n "s/^parser;dprk-intel;$1;[^;]*;$2;//p"
}

plan 16

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"

# --- several connections at once
# -T: no time limit, every connection sends the whole file however long it takes
loggen -i -S -d -T --active-connections="$CONNECTIONS" -r 10000 -R "$T/lines.txt" 127.0.0.1 "$PORT" \
  >"$T/loggen.log" 2>&1 && [ "$(loggen_sent "$T/loggen.log")" = "$TOTAL" ]
ok $? "loggen sent $TOTAL lines over $CONNECTIONS connections" || diag "$(tail -n 3 "$T/loggen.log")"
wait_for_lines "$T/out.log" "$TOTAL"
ok $? "all $TOTAL messages came out"

# the running counts of every key are exactly 1..N, N = its matches
bad=
for k in $(seq 0 $((KEYS - 1))); do
  want=$(( $(grep -c -P "\"acct-$k\".*($ADDR|$IP)" "$T/lines.txt") * CONNECTIONS ))
  got=$(awk -F'\t' -v k="acct-$k" '$1 == k && $3 != "" { print $3 }' "$T/out.log" | sort -n | tr '\n' ' ')
  [ "$got" = "$(seq 1 "$want" | tr '\n' ' ')" ] || bad="$bad acct-$k"
  ids=$(awk -F'\t' -v k="acct-$k" '$1 == k && $2 != "" { print $2 }' "$T/out.log" | sort -u | wc -l)
  [ "$ids" = 1 ] || bad="$bad acct-$k(ids:$ids)"
done
is "$bad" "" "every key's running counts are 1..N without gap or repeat, under one id"

wait_for_lines "$T/summary.log" "$KEYS"
ok $? "one summary per key came out after incident-timeout($TIMEOUT)"
sleep 1.5
is "$(wc -l <"$T/summary.log")" "$KEYS" "exactly $KEYS summaries"
sum=$(awk -F'\t' '{ s += $3 } END { print s }' "$T/summary.log")
is "$sum" "$MATCHING" "the summary counts add up to the $MATCHING matching messages sent"
bad=
for k in $(seq 0 $((KEYS - 1))); do
  want=$(( $(grep -c -P "\"acct-$k\".*($ADDR|$IP)" "$T/lines.txt") * CONNECTIONS ))
  got=$(awk -F'\t' -v k="acct-$k" '$1 == k { print $3 }' "$T/summary.log")
  [ "$got" = "$want" ] || bad="$bad acct-$k:$got/$want"
done
is "$bad" "" "each summary count is that key's number of matches"
amount=$(awk -F'\t' '{ s += $5 } END { print s }' "$T/summary.log")
want_amount=$(( ($(grep -c -e "$ADDR" "$T/lines.txt") + 2 * $(grep -c -e "$IP" "$T/lines.txt")) * CONNECTIONS ))
is "$amount" "$want_amount" "the summed amounts are exact"
is "$(stat_of p_load matched)" "$MATCHING" "stats: matched = $MATCHING"
is "$(stat_of p_load incidents_closed)" "$KEYS" "stats: incidents_closed = $KEYS"

# --- a flood of distinct keys against incident-max(100)
FLOOD=3000
for i in $(seq 1 "$FLOOD"); do
  printf '{"account_id":"flood-%d","to_address":"%s"}\n' "$i" "$ADDR"
done >"$T/flood.txt"
send_file "$FLOOD_PORT" "$T/flood.txt" &
sender=$!
max_open=0
while kill -0 "$sender" 2>/dev/null || [ "$(wc -l <"$T/flood-out.log" 2>/dev/null || echo 0)" -lt "$FLOOD" ]; do
  open=$(stat_of p_flood incidents_open)
  [ "${open:-0}" -gt "$max_open" ] && max_open=$open
  sleep 0.1
  [ "$SECONDS" -gt 600 ] && break
done
wait "$sender"
# the incident counters are published by the parser's timer
wait_for_stat p_flood incidents_opened "$FLOOD"
open=$(stat_of p_flood incidents_open)
[ "${open:-0}" -gt "$max_open" ] && max_open=$open
diag "most incidents open at once while flooding: $max_open"
ok $((max_open > 100)) "never more than incident-max(100) incidents open"
is "$open" "100" "stats: 100 open after the flood"
is "$(stat_of p_flood incidents_opened)" "$FLOOD" "stats: $FLOOD opened"
is "$(stat_of p_flood incidents_evicted)" "$((FLOOD - 100))" "stats: $((FLOOD - 100)) evicted"
wait_for_lines "$T/flood-summary.log" "$((FLOOD - 100))"
is "$(awk -F'\t' '$4 == "evicted"' "$T/flood-summary.log" | wc -l)" "$((FLOOD - 100))" \
  "one summary (reason evicted) for each evicted incident"
# the oldest are evicted first: the last 100 keys are the ones still open
is "$(awk -F'\t' '{ sub(/flood-/, "", $1); if ($1 + 0 > m) m = $1 + 0 } END { print m }' "$T/flood-summary.log")" \
  "$((FLOOD - 100))" "the incidents idle longest were the ones evicted"

stop_syslog_ng
done_testing
