#!/bin/bash
# test-reload-background.sh: `syslog-ng-ctl reload` with big feeds never
# reads them with the workers stopped (docs/configuration.md, reload):
#  - files that did not change are not read again: the set stays;
#  - changed files bigger than 1 MiB are read by a loader thread while the
#    set loaded before stays in use; the new set is swapped in when ready;
#  - a broken feed found that way is logged with FILE:LINE and the set in
#    use stays.
# The big feed is the benchmarks' generated mix (bench/gen-mix-feed).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

GEN=$top_builddir/bench/gen-mix-feed
[ -x "$GEN" ] || skip_all "bench/gen-mix-feed is not built"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
IP2=203.0.113.20
ROW_ADDR="$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,"
ROW_IP2="$IP2,ipv4,Kimsuky,test feed,60,https://example.org/kimsuky,,"

mkdir -p "$T/feeds"
"$GEN" 25000 > "$T/feeds/10-big.csv"
write_feed "$T/feeds/20-main.csv" <<<"$ROW_ADDR"
size=$(stat -c %s "$T/feeds/10-big.csv")

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel(database("$T/feeds")); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_net); parser(p_dprk); destination(d_out); };
EOF

actor_of()
{
  reply_field "$PORT" "$T/out.log" actor "$1"
}

indicators()
{
  parser_counter p_dprk indicators
}

count() { grep -c -- "$1" "$SNG_LOG"; }

ok $((size <= 1048576)) "the big feed is over 1 MiB ($size bytes)"
start_syslog_ng "$T/test.conf" -v || bail_out "syslog-ng did not start: $(tail -n 5 "$SNG_LOG")"
is "$(count 'dprk-intel: database loaded')" "1" "loaded once at start"
like "$(grep 'database loaded' "$SNG_LOG")" "seconds='?[0-9]+\\.[0-9]{3}" "the load time is logged"
is "$(indicators)" "25001" "stats: indicators"
is "$(actor_of "to $ADDR")" "Lazarus Group" "the loaded indicator matches"

# --- the files did not change: nothing is read
reload_syslog_ng
ok $? "reload with unchanged feeds"
wait_for_text "$SNG_LOG" 'the feeds did not change, the indicators loaded before stay in use' 10
ok $? "the set is kept, not read again" || diag "$(tail -n 10 "$SNG_LOG")"
is "$(count 'dprk-intel: database loaded')" "1" "... no second load"
is "$(actor_of "to $ADDR")" "Lazarus Group" "the indicator still matches"

# --- a feed gains a row: loaded in the background
printf '%s\n%s\n' "$ROW_ADDR" "$ROW_IP2" | write_feed "$T/feeds/20-main.csv"
reload_syslog_ng
ok $? "reload after a feed changed"
like "$(cat "$SNG_LOG")" 'the feeds changed, loading them in the background, the indicators loaded before stay in use' \
  "the load goes to a loader thread"
wait_for_text "$SNG_LOG" 'database\(\): the feeds changed, database reloaded' 60
ok $? "the new set is swapped in when loaded" || diag "$(tail -n 10 "$SNG_LOG")"
is "$(actor_of "from $IP2")" "Kimsuky" "the new indicator matches"
is "$(actor_of "to $ADDR")" "Lazarus Group" "the old one still does"
is "$(indicators)" "25002" "stats: indicators"

# --- a broken row: logged, the set in use stays
printf '%s\n%s\n999.1.2.3,ipv4,,,,,,\n' "$ROW_ADDR" "$ROW_IP2" | write_feed "$T/feeds/20-main.csv"
reload_syslog_ng
ok $? "reload with a broken feed does not fail"
wait_for_text "$SNG_LOG" 'database\(\): the feeds changed but could not be loaded, the indicators loaded before stay in use' 60
ok $? "the failed background load is logged" || diag "$(tail -n 10 "$SNG_LOG")"
like "$(cat "$SNG_LOG")" '20-main\.csv:4: invalid ipv4' "the error names FILE:LINE"
is "$(actor_of "from $IP2")" "Kimsuky" "the set in use stays"
is "$(indicators)" "25002" "stats: indicators unchanged"
is_running
ok $? "syslog-ng still runs"

stop_syslog_ng
done_testing
