#!/bin/bash
# test-module.sh: dprk-intel() in a real syslog-ng: matched and unmatched
# messages, fields(), prefix(), one parser in two log paths, the counters.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

ADDR_MIXED=0x098B716B8Aaf21512996dC57EB0615e2383E2f96
ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
REF=https://ofac.treasury.gov/recent-actions/20220414
IP=203.0.113.77

write_feed "$T/feed.csv" <<EOF
$ADDR_MIXED,eth,Lazarus Group,OFAC SDN,90,$REF,,Ronin bridge exploiter
$IP,ipv4,Kimsuky,test feed,60,https://example.org/kimsuky,,test address
EOF

P_MSG=$(free_tcp_port)
P_JSON=$(free_tcp_port)
P_PREFIX=$(free_tcp_port)
P_SECOND=$(free_tcp_port)

# p_dprk is referenced by two log paths (the second use is a clone)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_msg    { network(ip(127.0.0.1) port($P_MSG) transport(tcp) flags(no-parse)); };
source s_json   { network(ip(127.0.0.1) port($P_JSON) transport(tcp) flags(no-parse)); };
source s_prefix { network(ip(127.0.0.1) port($P_PREFIX) transport(tcp) flags(no-parse)); };
source s_second { network(ip(127.0.0.1) port($P_SECOND) transport(tcp) flags(no-parse)); };

parser p_dprk { dprk-intel(database("$T/feed.csv")); };

destination d_msg    { file("$T/msg.log" template("$(di_out_template)")); };
destination d_json   { file("$T/json.log" template("$(di_out_template)")); };
destination d_prefix { file("$T/prefix.log" template("$(di_out_template my.)")); };
destination d_second { file("$T/second.log" template("$(di_out_template)")); };
destination d_nv     { file("$T/nv.log" template("\$(format-json --scope all-nv-pairs --exclude SOURCE --exclude PROGRAM)\n")); };

log { source(s_msg); parser(p_dprk); destination(d_msg); destination(d_nv); };
log {
  source(s_json);
  parser { json-parser(prefix("json.")); };
  parser { dprk-intel(database("$T/feed.csv") fields("json.to_address")); };
  destination(d_json);
};
log { source(s_prefix); parser { dprk-intel(database("$T/feed.csv") prefix("my.")); }; destination(d_prefix); };
log { source(s_second); parser(p_dprk); destination(d_second); };
EOF

plan 40

syntax_check "$T/test.conf"
ok $? "the config passes --syntax-only" || diag "$(cat "$T/syntax.log")"

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
pass "syslog-ng starts with dprk-intel()"

# --- MESSAGE (the default field)
WITHDRAWAL="{\"to_address\":\"$ADDR_MIXED\"}"
UNMATCHED='{"to_address":"0x0000000000000000000000000000000000000001","amount":"5"}'
send_line "$P_MSG" "$WITHDRAWAL" "$UNMATCHED" "withdrawal to $ADDR from $IP"
wait_for_lines "$T/msg.log" 3
ok $? "three messages came out of the MESSAGE log path"

line=$(sed -n 1p "$T/msg.log")
tags=",$(field_of "$line" TAGS),"
like "$tags" ',dprk\.match,' "matched: tagged dprk.match"
like "$tags" ',dprk\.actor\.lazarus_group,' "matched: tagged dprk.actor.lazarus_group"
is "$(field_of "$line" indicator)" "$ADDR" ".dprk.indicator is the normalised address"
is "$(field_of "$line" type)" "eth" ".dprk.type"
is "$(field_of "$line" field)" "MESSAGE" ".dprk.field"
is "$(field_of "$line" actor)" "Lazarus Group" ".dprk.actor"
is "$(field_of "$line" actors)" "Lazarus Group" ".dprk.actors"
is "$(field_of "$line" source)" "OFAC SDN" ".dprk.source"
is "$(field_of "$line" confidence)" "90" ".dprk.confidence"
is "$(field_of "$line" reference)" "$REF" ".dprk.reference"
is "$(field_of "$line" match_count)" "1" ".dprk.match_count"
is "$(field_of "$line" MSG)" "$WITHDRAWAL" "matched: MESSAGE unchanged"

matches=$(field_of "$line" matches)
if command -v python3 >/dev/null 2>&1; then
  summary=$(printf '%s' "$matches" | python3 -c '
import json, sys
m = json.load(sys.stdin)
e = m[0]
print(len(m), e["indicator"]["name"], e["indicator"]["type"], e["indicator"]["provider"],
      e["matched"]["atomic"], e["matched"]["field"], e["dprk_intel"]["actor"], sep="|")' 2>&1)
  is "$summary" "1|$ADDR|eth|OFAC SDN|$ADDR_MIXED|MESSAGE|Lazarus Group" \
    ".dprk.matches is a JSON array of enrichments"
else
  like "$matches" "^\[\{.*\"name\":\"$ADDR\".*\"atomic\":\"$ADDR_MIXED\"" ".dprk.matches is a JSON array"
fi

line=$(sed -n 2p "$T/msg.log")
unlike "$(field_of "$line" TAGS)" 'dprk\.' "unmatched: no dprk tag"
is "$(field_of "$line" indicator)$(field_of "$line" actor)$(field_of "$line" match_count)$(field_of "$line" matches)" "" \
  "unmatched: no dprk fields"
is "$(field_of "$line" MSG)" "$UNMATCHED" "unmatched: MESSAGE unchanged"
nv=$(sed -n 2p "$T/nv.log")
unlike "$nv" 'dprk' "unmatched: no dprk name-value pair at all"
like "$(sed -n 1p "$T/nv.log")" 'dprk' "(the name-value dump does show dprk pairs when matched)"

line=$(sed -n 3p "$T/msg.log")
tags=",$(field_of "$line" TAGS),"
like "$tags" ',dprk\.actor\.kimsuky,' "two actors: tagged dprk.actor.kimsuky"
like "$tags" ',dprk\.actor\.lazarus_group,' "two actors: tagged dprk.actor.lazarus_group"
is "$(field_of "$line" match_count)" "2" "two actors: .dprk.match_count"
is "$(field_of "$line" actors)" "Lazarus Group,Kimsuky" "two actors: .dprk.actors in match order"

# --- json-parser + fields("json.to_address")
send_line "$P_JSON" "$WITHDRAWAL"
wait_for_lines "$T/json.log" 1
line=$(sed -n 1p "$T/json.log")
tags=",$(field_of "$line" TAGS),"
like "$tags" ',dprk\.match,' "fields(json.to_address): tagged dprk.match"
like "$tags" ',dprk\.actor\.lazarus_group,' "fields(json.to_address): tagged dprk.actor.lazarus_group"
is "$(field_of "$line" field)" "json.to_address" "fields(json.to_address): .dprk.field"
is "$(field_of "$line" actor)" "Lazarus Group" "fields(json.to_address): .dprk.actor"
is "$(field_of "$line" indicator)" "$ADDR" "fields(json.to_address): .dprk.indicator"

# --- prefix("my.")
send_line "$P_PREFIX" "$WITHDRAWAL"
wait_for_lines "$T/prefix.log" 1
line=$(sed -n 1p "$T/prefix.log")
is "$(field_of "$line" actor)" "Lazarus Group" "prefix(my.): my.actor is set"
is "$(field_of "$line" indicator)" "$ADDR" "prefix(my.): my.indicator is set"
like ",$(field_of "$line" TAGS)," ',dprk\.match,' "prefix(my.): still tagged dprk.match"

# --- the same parser in a second log path
send_line "$P_SECOND" "$WITHDRAWAL" "$UNMATCHED"
wait_for_lines "$T/second.log" 2
line=$(sed -n 1p "$T/second.log")
is "$(field_of "$line" actor)" "Lazarus Group" "second log path of p_dprk: matched"
unlike "$(sed -n 2p "$T/second.log")" 'dprk\.match' "second log path of p_dprk: unmatched passes"

# --- counters (both uses of p_dprk count under its name)
stats=$(syslog_ng_ctl stats)
like "$stats" '^parser;dprk-intel;p_dprk;[^;]*;scanned;5$' "stats: scanned = 5 for p_dprk"
like "$stats" '^parser;dprk-intel;p_dprk;[^;]*;matched;3$' "stats: matched = 3 for p_dprk"
like "$stats" '^parser;dprk-intel;p_dprk;[^;]*;indicators;2$' "stats: indicators = 2 for p_dprk"
query=$(syslog_ng_ctl query get 'parser.dprk-intel.p_dprk.*')
like "$query" 'parser\.dprk-intel\.p_dprk\.matched=3' "query get: parser.dprk-intel.p_dprk.matched" || diag "$stats"

stop_syslog_ng
pass "syslog-ng stops"
done_testing
