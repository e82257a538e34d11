#!/bin/bash
# test-feed-version-daemon.sh: the version of the loaded set in the daemon
# (INTERFACE §5, docs/deployment.md): every match carries it as
# .dprk.feed_version ("<hash>@<load time>"), the hash `dprk-intel check`
# prints for the same feed; `syslog-ng-ctl stats` and `query` show it as a
# counter feed_version_<hash> whose value is the load time; when
# reload-interval() loads a changed feed, both move to the new version.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

TOOL=$top_builddir/tool/dprk-intel
[ -x "$TOOL" ] || bail_out "$TOOL is not built"

ADDR=0x098b716b8aaf21512996dc57eb0615e2383e2f96
DOMAIN=celasllc.com
write_feed "$T/feed.csv" <<EOF
$ADDR,eth,Lazarus Group,OFAC SDN,90,https://example.org/ofac,,
EOF
PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_net { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel(database("$T/feed.csv") reload-interval(1)); };
destination d_out { file("$T/out.log" template("\${.dprk.indicator}\t\${.dprk.feed_version}\n")); };
log { source(s_net); parser(p_dprk); destination(d_out); };
EOF

hash_of() # FEED: the hash `dprk-intel check` prints
{
  "$TOOL" check --database "$1" | sed -n 's/^version\t\([0-9a-f]\{16\}\)@.*/\1/p'
}
version_counters() # the feed_version_* counters, "NAME=VALUE" each
{
  syslog_ng_ctl query get 'parser.dprk-intel.p_dprk.feed_version_*' 2>/dev/null |
    sed -n 's/^parser\.dprk-intel\.p_dprk\.\(feed_version_[0-9a-f]*=[0-9]*\)$/\1/p' | sort
}
live_version_is() # HASH: the counter of HASH is there and not 0
{
  version_counters | grep -q "^feed_version_$1=[1-9]"
}
# match TEXT N: sends TEXT, waits for output line N, prints it
match()
{
  send_line "$PORT" "$1"
  wait_for_lines "$T/out.log" "$2" && sed -n "${2}p" "$T/out.log"
}

plan 9

h1=$(hash_of "$T/feed.csv")
start=$(date +%s)
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
line=$(match "withdrawal to $ADDR" 1)
like "$line" "^$ADDR"$'\t'"$h1@[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$" \
  "a match carries .dprk.feed_version: the hash dprk-intel check prints ($h1), @ the load time"
loaded=$(version_counters | sed -n "s/^feed_version_$h1=//p")
ok $([ -n "$loaded" ] && [ "$loaded" -ge $((start - 1)) ] && [ "$loaded" -le "$(date +%s)" ]; echo $?) \
  "syslog-ng-ctl query shows feed_version_$h1 = the load time ($loaded)"
is "$(date -u -d "@$loaded" +%Y-%m-%dT%H:%M:%SZ)" "${line##*@}" "the counter and the match name the same load time"
like "$(syslog_ng_ctl stats)" "^parser;dprk-intel;p_dprk;a;feed_version_$h1;$loaded\$" \
  "syslog-ng-ctl stats shows it too"
like "$(cat "$SNG_LOG")" "database loaded.*version='$h1@" "the load is logged with the version"

# --- the feed changes: reload-interval() loads it, the version moves
echo "$DOMAIN,domain,Lazarus Group,maltrail,50,,," >>"$T/feed.csv"
h2=$(hash_of "$T/feed.csv")
ok $([ -n "$h2" ] && [ "$h2" != "$h1" ]; echo $?) "the changed feed has another hash ($h2)"
wait_until "$DI_WAIT" live_version_is "$h2"
ok $? "after reload-interval() loaded it, the stats show feed_version_$h2"
is "$(version_counters | sed -n "s/^feed_version_$h1=//p")" "$( version_counters | grep -q "^feed_version_$h1=" && echo 0)" \
  "the old version's counter is gone or reads 0"
line=$(match "lure from $DOMAIN and $ADDR" 2)
like "$line" $'\t'"$h2@" "a match now carries the new version"

done_testing
