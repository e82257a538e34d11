#!/bin/bash
# test-module-reload.sh: `syslog-ng-ctl reload` reads the feeds again; a
# reload with a broken feed logs FILE:LINE and keeps the indicators loaded
# before; a reload whose new config fails reverts to a working old config.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
IP2=203.0.113.20
IP3=203.0.113.30

ROW_ADDR="$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,"
ROW_IP2="$IP2,ipv4,Kimsuky,test feed,60,https://example.org/kimsuky,,"
ROW_IP3="$IP3,ipv4,Andariel,test feed,60,https://example.org/andariel,,"

PORT=$(free_tcp_port)
EXTRA_PORT=$(free_tcp_port)

# conf [EXTRA]: the config; EXTRA is added to it as is
conf()
{
  cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel(database("$T/feeds")); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_net); parser(p_dprk); destination(d_out); };
$1
EOF
}

# actor_of TEXT: sends TEXT, prints the .dprk.actor it came out with (runs
# in a subshell: the line number comes from the file, not a counter)
actor_of()
{
  reply_field "$PORT" "$T/out.log" actor "$1"
}

indicators()
{
  parser_counter p_dprk indicators
}

plan 20

mkdir -p "$T/feeds"
write_feed "$T/feeds/10-main.csv" <<<"$ROW_ADDR"
conf
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
pass "started with one indicator"
is "$(actor_of "to $ADDR")" "Lazarus Group" "the loaded indicator matches"
is "$(actor_of "from $IP2")" "" "an indicator not in the feed does not"
is "$(indicators)" "1" "stats: indicators = 1"

# --- a feed gains a row
printf '%s\n%s\n' "$ROW_ADDR" "$ROW_IP2" | write_feed "$T/feeds/10-main.csv"
reload_syslog_ng
ok $? "reload after a feed changed"
is "$(actor_of "from $IP2")" "Kimsuky" "after reload: the new indicator matches"
is "$(actor_of "to $ADDR")" "Lazarus Group" "after reload: the old indicator still matches"
is "$(indicators)" "2" "stats: indicators = 2"

# --- a broken feed: the reload goes on with what was loaded before
write_feed "$T/feeds/20-broken.csv" <<EOF
$ROW_IP3
999.1.2.3,ipv4,Lazarus Group,test,50,,,
EOF
reload_syslog_ng
ok $? "reload with a broken feed does not fail"
is_running
ok $? "syslog-ng still runs"
wait_for_text "$SNG_LOG" "20-broken\\.csv:3:"
ok $? "the error names FILE:LINE" || diag "$(tail -n 20 "$SNG_LOG")"
like "$(cat "$SNG_LOG")" 'indicators loaded before stay in use' "a warning says the old indicators stay in use"
is "$(actor_of "to $ADDR")" "Lazarus Group" "broken reload: the old indicators still match"
is "$(actor_of "from $IP2")" "Kimsuky" "broken reload: all of them"
is "$(actor_of "from $IP3")" "" "broken reload: nothing of the broken load is used"
is "$(indicators)" "2" "stats: indicators still 2"

# --- the feed is fixed
write_feed "$T/feeds/20-broken.csv" <<<"$ROW_IP3"
reload_syslog_ng
is "$(actor_of "from $IP3")" "Andariel" "fixed feed: reload loads it"

# --- a new config that fails to start: syslog-ng goes back to the old one
write_feed "$T/other-broken.csv" <<<"999.1.2.3,ipv4,,,,,,"
conf "source s_extra { network(ip(127.0.0.1) port($EXTRA_PORT) transport(tcp) flags(no-parse)); };
log { source(s_extra); parser { dprk-intel(database(\"$T/other-broken.csv\")); }; destination(d_out); };"
reload_syslog_ng
is_running
ok $? "a reload whose new config cannot start leaves syslog-ng running"
like "$(cat "$SNG_LOG")" 'reverting to old config' "syslog-ng reverted to the old config"
is "$(actor_of "to $ADDR")" "Lazarus Group" "the old config still matches"

stop_syslog_ng
done_testing
