#!/bin/bash
# test-update.sh: dprk-intel-update against a local HTTPS server on 127.0.0.1
# (feed-server.py over files of this test, update-lib.sh): a good download is
# installed, a 404, a corrupt feed, an empty file, a page that is not a feed
# and a server that never answers leave the previous copy in place and exit
# 1 naming the URL and the file; OFAC's sdn.csv + sdn_comments.csv go in
# together or not at all; a real syslog-ng is asked to reload and matches
# the new indicators.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

. "$top_srcdir/tests/functional/update-lib.sh"
VERSION=$(sed -n 's/^PACKAGE_VERSION = //p' "$top_builddir/Makefile")
OFAC_EXCERPT=$DI_DATA/feeds/ofac_sdn_csv_excerpt_lazarus_bluenoroff_andariel.csv

start_feed_server
start_hang_server
URL=$HTTPS_URL

plan 56

# ---------------------------------------------------------------- options

is "$("$UPDATER" --version)" "dprk-intel-update (dprk-intel) $VERSION" "--version prints configure.ac's version"
"$UPDATER" --help >"$T/help" 2>&1
ok $? "--help exits 0"
like "$(cat "$T/help")" '--target-dir' "--help lists the options"
"$UPDATER" --no-such-option >/dev/null 2>"$T/err"
is $? 2 "an unknown option exits 2"

echo "colour = blue" >"$T/bad-key.conf"
update "$T/bad-key.conf"
is $? 2 "an unknown setting exits 2"
like "$(cat "$T/err")" "bad-key.conf:1: unknown setting 'colour'" "... and names FILE:LINE"

conf "$T/bad-name.conf" "feed = .hidden $URL/good.csv"
update "$T/bad-name.conf"
is $? 2 "a hidden feed name is refused"

conf "$T/no-feed.conf"
update "$T/no-feed.conf"
is $? 2 "a config that fetches nothing exits 2"

update "$T/missing.conf"
is $? 2 "a missing config file exits 2"
like "$(cat "$T/err")" "missing.conf: no such configuration file" "... and says so"

# ---------------------------------------------------------------- success

v1 "$WWW/good.csv"
conf "$T/good.conf" "feed = $URL/good.csv"
update "$T/good.conf"
is $? 0 "a good download: exit 0" || diag "$(cat "$T/err")"
cmp -s "$WWW/good.csv" "$FEEDS/good.csv"
ok $? "... installed as FEEDS/good.csv, identical to the download"
like "$(cat "$T/out")" 'good.csv: updated, 1 indicators' "... and reported with its indicator count"
like "$(cat "$T/out")" 'syslog-ng is not running .*not reloading' "... no syslog-ng: the reload is skipped with a message"
is "$(stat -c %a "$FEEDS/good.csv")" 644 "... readable by all (0644)"
is "$(leftovers)" "" "... no temp file or dir left behind"

update "$T/good.conf"
is $? 0 "the same download again: exit 0"
like "$(cat "$T/out")" 'good.csv: unchanged' "... reported unchanged"

v2 "$WWW/good.csv"
update "$T/good.conf" --check-only
is $? 0 "--check-only on a new version: exit 0"
v1 "$T/v1.csv"
cmp -s "$T/v1.csv" "$FEEDS/good.csv"
ok $? "... and the local copy is not replaced"

conf "$T/named.conf" "feed = local-name.csv $URL/good.csv?format=csv"
update "$T/named.conf"
is $? 0 "feed = NAME URL (with a query string): exit 0"
cmp -s "$WWW/good.csv" "$FEEDS/local-name.csv"
ok $? "... stored under NAME"
rm -f "$FEEDS/local-name.csv"

# ---------------------------------------------------------------- failures keep the old copy

cp "$FEEDS/good.csv" "$T/previous.csv"

conf "$T/404.conf" "feed = good.csv $URL/no-such-file.csv"
update "$T/404.conf"
is $? 1 "a 404: exit 1"
like "$(cat "$T/err")" "$URL/no-such-file.csv: download failed:.*404" "... the error names the URL and the 404"
like "$(cat "$T/err")" "good.csv: keeping the previous copy" "... and the file kept"
cmp -s "$T/previous.csv" "$FEEDS/good.csv"
ok $? "... the previous copy is untouched"

v2 "$WWW/corrupt.csv"
echo "999.1.2.3,ipv4,Lazarus Group,test feed,90,https://example.org/bad,,not an address" >>"$WWW/corrupt.csv"
conf "$T/corrupt.conf" "feed = good.csv $URL/corrupt.csv"
update "$T/corrupt.conf"
is $? 1 "a corrupt feed (999.1.2.3): exit 1"
like "$(cat "$T/err")" "$URL/corrupt.csv: the download does not parse" "... the error names the URL"
like "$(cat "$T/err")" "good.csv:4: invalid ipv4 address '999.1.2.3'" "... and FILE:LINE of the bad row"
cmp -s "$T/previous.csv" "$FEEDS/good.csv"
ok $? "... the previous copy is untouched"
is "$(leftovers)" "" "... no temp file or dir left behind"

: >"$WWW/empty.csv"
conf "$T/empty.conf" "feed = good.csv $URL/empty.csv"
update "$T/empty.conf"
is $? 1 "an empty download: exit 1"
like "$(cat "$T/err")" "$URL/empty.csv: the download is empty" "... says so"
cmp -s "$T/previous.csv" "$FEEDS/good.csv"
ok $? "... the previous copy is untouched"

write_feed "$WWW/header-only.csv" </dev/null
conf "$T/header.conf" "feed = good.csv $URL/header-only.csv"
update "$T/header.conf"
is $? 1 "a feed with no indicator at all: exit 1"
cmp -s "$T/previous.csv" "$FEEDS/good.csv"
ok $? "... the previous copy is untouched"

printf '<!DOCTYPE html>\n<html><body><h1>Maintenance</h1></body></html>\n' >"$WWW/page.html"
conf "$T/html.conf" "feed = good.csv $URL/page.html"
update "$T/html.conf"
is $? 1 "an HTML page served with 200: exit 1"
cmp -s "$T/previous.csv" "$FEEDS/good.csv"
ok $? "... the previous copy is untouched"

HANG_URL=https://127.0.0.1:$HANG_PORT/feed.csv
conf "$T/hang.conf" "feed = good.csv $HANG_URL" "max_time = 2"
start=$SECONDS
update "$T/hang.conf"
is $? 1 "a server that never answers: exit 1"
# stopped by max_time: curl's timeout (28), long before the server gives up
# (600 s); no bound tighter than that, a busy machine may be slow
ok $(( SECONDS - start < 300 ? 0 : 1 )) "... it gives up ($(( SECONDS - start ))s; the server would hang 600 s)"
like "$(cat "$T/err")" "$HANG_URL: download failed: .*\(28\)" "... the error names the URL and curl's timeout (28)"
cmp -s "$T/previous.csv" "$FEEDS/good.csv"
ok $? "... the previous copy is untouched"

# one good feed and one bad: the good one is still updated
v2 "$WWW/other.csv"
conf "$T/mixed.conf" "feed = other.csv $URL/other.csv" "feed = good.csv $URL/no-such-file.csv"
update "$T/mixed.conf"
is $? 1 "one good feed and one 404: exit 1"
cmp -s "$WWW/other.csv" "$FEEDS/other.csv"
ok $? "... the good feed is installed anyway"
rm -f "$FEEDS/other.csv"

# ---------------------------------------------------------------- OFAC: sdn.csv + sdn_comments.csv

cp "$OFAC_EXCERPT" "$WWW/SDN.CSV"
printf '27307,"G TEAM'"'"'."\r\n' >"$WWW/SDN_COMMENTS.CSV"
cat >"$T/ofac.conf" <<EOF
ofac = csv
retries = 0
ca_file = $CA
ofac_sdn_csv_url = $URL/SDN.CSV
ofac_sdn_comments_url = $URL/SDN_COMMENTS.CSV
EOF
update "$T/ofac.conf"
is $? 0 "OFAC sdn.csv + sdn_comments.csv: exit 0" || diag "$(cat "$T/err")"
cmp -s "$WWW/SDN.CSV" "$FEEDS/sdn.csv" && cmp -s "$WWW/SDN_COMMENTS.CSV" "$FEEDS/sdn_comments.csv"
ok $? "... both installed under OFAC's names"
"$TOOL" check --database "$FEEDS/sdn.csv" >"$T/check.out" 2>&1
like "$(cat "$T/check.out")" $'actor\tLazarus Group\t8' "... and the installed copy loads the 8 Lazarus Group addresses"

cp "$FEEDS/sdn.csv" "$T/sdn.previous"
printf '27307,"G TEAM\r\n' >"$WWW/SDN_COMMENTS.CSV"
printf '\n' >>"$WWW/SDN.CSV"
update "$T/ofac.conf"
is $? 1 "a truncated sdn_comments.csv: exit 1"
like "$(cat "$T/err")" "sdn_comments.csv:1: " "... FILE:LINE names sdn_comments.csv"
cmp -s "$T/sdn.previous" "$FEEDS/sdn.csv"
ok $? "... and the (good) new sdn.csv is not installed without it"

# ---------------------------------------------------------------- reload a real syslog-ng

rm -f "$FEEDS"/sdn*.csv
v1 "$WWW/good.csv"
update "$T/good.conf" >/dev/null
PORT=$(free_tcp_port)
cat >"$T/sng.conf" <<EOF
$(config_header)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
destination d_out { file("$T/sng.out" template("$(di_out_template)")); };
log { source(s_in); parser { dprk-intel(database("$FEEDS")); }; destination(d_out); };
EOF
start_syslog_ng "$T/sng.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
send_line "$PORT" "login from $IP"
wait_for_lines "$T/sng.out" 1
unlike "$(field_of "$(sed -n 1p "$T/sng.out")" TAGS)" 'dprk\.match' "before the update: $IP does not match"

v2 "$WWW/good.csv"
"$UPDATER" --config "$T/good.conf" --target-dir "$FEEDS" --tool "$TOOL" --control-socket "$T/ctl" \
  --syslog-ng-ctl "$SYSLOG_NG_CTL" >"$T/out" 2>"$T/err"
is $? 0 "an update with syslog-ng running: exit 0" || diag "$(cat "$T/err")"
like "$(cat "$T/out")" "asked syslog-ng to reload \($T/ctl\)" "... it asked syslog-ng to reload"
wait_for_text "$SNG_LOG" 'reload finished'
ok $? "... syslog-ng reloaded" || diag "$(tail -n 20 "$SNG_LOG")"
send_line "$PORT" "login from $IP"
wait_for_lines "$T/sng.out" 2
line=$(sed -n 2p "$T/sng.out")
like "$(field_of "$line" TAGS)" 'dprk\.match' "after the update: $IP matches"
is "$(field_of "$line" actor)" "Kimsuky" "... with the actor of the new feed"

done_testing
