#!/bin/bash
# test-reload-interval.sh: reload-interval(1) watches the database() files
# and directories and swaps in a new set without `syslog-ng-ctl reload`: a
# changed file (new indicator matches, removed one does not), a new file in
# the directory, a removed file; a broken feed logs FILE:LINE and keeps the
# indicators loaded before; a fixed one is picked up.  A parser without
# reload-interval() keeps its set until a reload.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
IP2=203.0.113.20
IP3=203.0.113.30
IP4=203.0.113.40

ROW_ADDR="$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,"
ROW_IP2="$IP2,ipv4,Kimsuky,test feed,60,https://example.org/kimsuky,,"
ROW_IP3="$IP3,ipv4,Andariel,test feed,60,https://example.org/andariel,,"
ROW_IP4="$IP4,ipv4,APT37,test feed,60,https://example.org/apt37,,"

PORT=$(free_tcp_port)
STATIC_PORT=$(free_tcp_port)

mkdir -p "$T/feeds"
write_feed "$T/feeds/10-main.csv" <<<"$ROW_ADDR"

cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
source s_static { network(ip(127.0.0.1) port($STATIC_PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel(database("$T/feeds") reload-interval(1)); };
parser p_static { dprk-intel(database("$T/feeds")); };
destination d_out { file("$T/out.log" template("\${.dprk.actor}|\$MESSAGE\n")); };
destination d_static { file("$T/static.log" template("\${.dprk.actor}|\$MESSAGE\n")); };
log { source(s_net); parser(p_dprk); destination(d_out); };
log { source(s_static); parser(p_static); destination(d_static); };
EOF

# actor_of [PORT FILE] TEXT: sends TEXT, prints the .dprk.actor it came out with
actor_of()
{
  local port=$PORT file=$T/out.log n=1 line
  if [ $# -gt 1 ]; then port=$1; file=$2; shift 2; fi
  [ -f "$file" ] && n=$(($(wc -l <"$file") + 1))
  send_line "$port" "$1"
  wait_for_lines "$file" "$n" || return 1
  line=$(sed -n "${n}p" "$file")
  echo "${line%%|*}"
}

# becomes TEXT ACTOR [TIMEOUT]: sends TEXT every half second until it comes
# out with ACTOR ("" for no match); fails after TIMEOUT seconds ($DI_WAIT)
becomes()
{
  local got deadline=$((SECONDS + ${3:-$DI_WAIT}))
  while [ "$SECONDS" -le "$deadline" ]; do
    got=$(actor_of "$1")
    [ "$got" = "$2" ] && return 0
    sleep 0.5
  done
  diag "'$1' still came out as '$got', not '$2'"
  return 1
}

indicators()
{
  syslog_ng_ctl stats | sed -n "s/^parser;dprk-intel;$1;[^;]*;indicators;//p"
}

replace_feed() # FILE: stdin to FILE atomically (a temp file renamed over it)
{
  write_feed "$1.tmp" && mv "$1.tmp" "$1"
}

plan 25

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
is "$(actor_of "to $ADDR")" "Lazarus Group" "the loaded indicator matches"
is "$(actor_of "from $IP2")" "" "an indicator not in the feed does not"

# --- the file changes: one indicator removed, one added (rewritten in place)
write_feed "$T/feeds/10-main.csv" <<<"$ROW_IP2"
becomes "from $IP2" "Kimsuky"
ok $? "a changed file: the new indicator matches without syslog-ng-ctl reload"
is "$(actor_of "to $ADDR")" "" "the removed indicator no longer matches"
like "$(cat "$SNG_LOG")" 'reload-interval\(\): the feeds changed, database reloaded' "the swap is logged"
is "$(indicators p_dprk)" "1" "stats: indicators = 1"
is "$(actor_of "$STATIC_PORT" "$T/static.log" "from $IP2")" "" "the parser without reload-interval() still has its set"
is "$(actor_of "$STATIC_PORT" "$T/static.log" "to $ADDR")" "Lazarus Group" "(and its old indicator)"

# --- a new file in the directory
replace_feed "$T/feeds/20-extra.csv" <<<"$ROW_IP3"
becomes "from $IP3" "Andariel"
ok $? "a new file in the directory is picked up"
is "$(actor_of "from $IP2")" "Kimsuky" "the other file's indicators stay"
like "$(syslog_ng_ctl stats)" 'parser;dprk-intel;p_dprk;[^;]*;matched_andariel;1' \
  "the counter of an actor that came with the new file counts"

# --- a broken feed: errors with FILE:LINE, the old set stays
replace_feed "$T/feeds/30-broken.csv" <<EOF
$ROW_IP4
999.1.2.3,ipv4,Lazarus Group,test,50,,,
EOF
wait_for_text "$SNG_LOG" '30-broken\.csv:3:'
ok $? "a broken feed is logged with FILE:LINE" || diag "$(tail -n 5 "$SNG_LOG")"
like "$(cat "$SNG_LOG")" 'reload-interval\(\): the feeds changed but could not be loaded, the indicators loaded before stay in use' \
  "a warning says the old indicators stay in use"
is "$(actor_of "from $IP2")" "Kimsuky" "broken feed: the indicators loaded before still match"
is "$(actor_of "from $IP3")" "Andariel" "broken feed: all of them"
is "$(actor_of "from $IP4")" "" "broken feed: nothing of the broken load is used"
is "$(indicators p_dprk)" "2" "stats: indicators still 2"
is_running
ok $? "syslog-ng still runs"

# --- fixed
replace_feed "$T/feeds/30-broken.csv" <<<"$ROW_IP4"
becomes "from $IP4" "APT37"
ok $? "the fixed feed is picked up"

# --- a file removed
rm -f "$T/feeds/20-extra.csv"
becomes "from $IP3" ""
ok $? "a removed file's indicators no longer match"
is "$(actor_of "from $IP4")" "APT37" "the other files' indicators stay"
is "$(indicators p_dprk)" "2" "stats: indicators = 2"

# --- a big feed loads in its own thread (GLib names it dprk-intel-load):
# messages keep flowing meanwhile.  Shown without a clock: a probe sent while
# that thread runs comes out while it still runs.  A load that ends between
# the two looks is tried again with the file grown by a row (at most 5 times).
BIG=2000000
big_feed() # ROWS: the big feed, atomically
{
  awk -v n="$1" 'BEGIN { print "indicator,type,actor,source,confidence,reference,valid_until,description";
    for (i = 0; i < n; i++) printf "10.%d.%d.%d,ipv4,Kimsuky,big,50,,,\n", int(i / 65536) % 256, int(i / 256) % 256, i % 256 }' \
    >"$T/big.csv.tmp" && mv "$T/big.csv.tmp" "$T/feeds/40-big.csv"
}
loading() { grep -qx 'dprk-intel-load' /proc/"$SNG_PID"/task/*/comm 2>/dev/null; }
reloaded() { [ "$(grep -c 'database reloaded' "$SNG_LOG")" -gt "$1" ]; }
rows=$BIG
flowed=
for attempt in 1 2 3 4 5; do
  reloaded_before=$(grep -c 'database reloaded' "$SNG_LOG")
  big_feed "$rows"
  if wait_until "$DI_WAIT" loading; then
    n=$(($(wc -l <"$T/out.log") + 1))
    send_line "$PORT" "probe $attempt"
    wait_for_lines "$T/out.log" "$n" && loading && flowed=$attempt
  else
    diag "attempt $attempt: the load thread was not seen running"
  fi
  wait_until "$DI_WAIT" reloaded "$reloaded_before" || diag "attempt $attempt: no 'database reloaded' in $DI_WAIT s"
  [ -n "$flowed" ] && break
  rows=$((rows + 1))
done
diag "the probe of attempt ${flowed:-none} came out while the feed of $rows rows was loading"
is "$(indicators p_dprk)" "$((rows + 2))" "the big feed was loaded by reload-interval()"
ok $([ -n "$flowed" ]; echo $?) "no message waited for the load: a probe sent while it ran came out before it ended"
is "$(actor_of "from 10.1.2.3")" "Kimsuky" "the big feed matches"

stop_syslog_ng
done_testing
