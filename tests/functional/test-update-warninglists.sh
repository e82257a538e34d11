#!/bin/bash
# test-update-warninglists.sh: dprk-intel-update refreshing the MISP
# warninglists (`warninglist = ...` lines, into warninglists_dir) with the
# feeds' hardening, against the test's feed server on 127.0.0.1: https only
# (redirects too), max_filesize, a pinned SHA-256; the sanity gate refuses a
# list that parses to nothing (not a warninglist, or no entry) or drops more
# than max_drop of the installed one's entries, and keeps the installed list
# (--force installs a shrunk one).  The installed list is the one the tool
# then uses.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/update-lib.sh"

start_feed_server

WL=$T/warninglists
LIST=$WWW/lists/test-list/list.json
mkdir -p "$(dirname "$LIST")"

# wl N FILE: a MISP warninglist of N /24 ranges (10.1.0.0/24 ...)
wl()
{
  local i sep=
  {
    printf '{"name":"test list","type":"cidr","description":"test","version":1,"list":['
    for ((i = 0; i < $1; i++)); do
      printf '%s"10.1.%d.0/24"' "$sep" "$i"
      sep=,
    done
    printf ']}\n'
  } >"$2"
}

# installed FILE: the installed list is FILE
installed() { cmp -s "$1" "$WL/test-list.json"; }

plan 33

# ---------------------------------------------------------------- a first list, named after its MISP folder

wl 20 "$LIST"
cp "$LIST" "$T/list20.json"
conf "$T/wl.conf" "warninglists_dir = $WL" "warninglist = $HTTPS_URL/lists/test-list/list.json"
update "$T/wl.conf"
is $? 0 "warninglist = https://.../lists/test-list/list.json: exit 0" || diag "$(cat "$T/err")"
installed "$T/list20.json"
ok $? "... installed as test-list.json in warninglists_dir"
like "$(cat "$T/out")" "test-list.json: updated, 20 entries" "... saying how many entries"
update "$T/wl.conf"
is $? 0 "the same list again: exit 0"
like "$(cat "$T/out")" "test-list.json: unchanged \(20 entries\)" "... unchanged"

# the tool reads the installed list: a feed's indicator in it is kept out
write_feed "$T/feed.csv" <<EOF
10.1.3.7,ipv4,Lazarus Group,test feed,90,https://example.org/,,
$IP,ipv4,Kimsuky,test feed,70,https://example.org/,,
EOF
"$TOOL" check --warninglists "$WL" --database "$T/feed.csv" >"$T/check.out" 2>"$T/check.err"
like "$(cat "$T/check.out")" $'warninglist\ttest-list\t20' "the tool uses the installed list"
like "$(cat "$T/check.out")" $'suppressed\t.*10\\.1\\.3\\.7.*test-list' "... and keeps out what it lists"

# ---------------------------------------------------------------- https only, size, pin

conf "$T/http.conf" "warninglists_dir = $WL" "warninglist = test-list.json $HTTP_URL/lists/test-list/list.json"
update "$T/http.conf"
is $? 2 "warninglist = ... http:// URL: a config error (exit 2)"
like "$(cat "$T/err")" "plain http; https only, unless the line says allow-http" "... saying https only"

wl 30 "$LIST"
conf "$T/downgrade.conf" "warninglists_dir = $WL" "warninglist = test-list.json $HTTPS_URL/to-http/lists/test-list/list.json"
update "$T/downgrade.conf"
is $? 1 "a redirect from https to http: exit 1"
like "$(cat "$T/err")" "to-http/lists/test-list/list.json: download failed: .*https only" "... refused, naming the URL"
like "$(cat "$T/err")" "test-list.json: keeping the previous copy" "... keeping the installed list"
installed "$T/list20.json"
ok $? "... which is unchanged"

conf "$T/size.conf" "warninglists_dir = $WL" "max_filesize = 200" "warninglist = $HTTPS_URL/lists/test-list/list.json"
update "$T/size.conf"
is $? 1 "a list over max_filesize: exit 1"
like "$(cat "$T/err")" "download failed: larger than max_filesize \(200\)" "... refused"
installed "$T/list20.json"
ok $? "... the installed list stays"

conf "$T/pin.conf" "warninglists_dir = $WL" \
  "warninglist = $HTTPS_URL/lists/test-list/list.json sha256=$(printf '0%.0s' {1..64})"
update "$T/pin.conf"
is $? 1 "a pinned SHA-256 the download does not have: exit 1"
like "$(cat "$T/err")" "sha256 mismatch" "... refused"
conf "$T/pin.conf" "warninglists_dir = $WL" \
  "warninglist = $HTTPS_URL/lists/test-list/list.json sha256=$(sha256sum <"$LIST" | cut -d' ' -f1)"
update "$T/pin.conf"
is $? 0 "the pinned SHA-256 it has: exit 0" || diag "$(cat "$T/err")"
installed "$LIST"
ok $? "... installed"
cp "$LIST" "$T/list30.json"

# ---------------------------------------------------------------- the sanity gate

echo '{"name":"test list","type":"cidr","entries":["10.1.0.0/24"]}' >"$LIST"
update "$T/wl.conf"
is $? 1 "JSON that is not a MISP warninglist: exit 1"
like "$(cat "$T/err")" "list.json: not a MISP warninglist: .*\"list\" array" "... refused, with the tool's reason"
installed "$T/list30.json"
ok $? "... the installed list stays"

wl 0 "$LIST"
update "$T/wl.conf"
is $? 1 "a warninglist without entries: exit 1"
like "$(cat "$T/err")" "the warninglist holds no entry" "... refused"
installed "$T/list30.json"
ok $? "... the installed list stays"

wl 3 "$LIST"
update "$T/wl.conf"
is $? 1 "a list with 3 of the 30 entries (drops 90%): exit 1"
like "$(cat "$T/err")" "the new version has 3 entries, the installed one 30: it drops 90%, more than max_drop \(50%\)" \
  "... says how many it drops"
installed "$T/list30.json"
ok $? "... the installed list stays"
update "$T/wl.conf" --force
is $? 0 "--force: exit 0" || diag "$(cat "$T/err")"
installed "$LIST"
ok $? "... installed"

# ---------------------------------------------------------------- names; nothing left behind

conf "$T/name.conf" "warninglists_dir = $WL" "warninglist = test-list.txt $HTTPS_URL/lists/test-list/list.json"
update "$T/name.conf"
is $? 2 "a warninglist name not ending in .json: a config error (exit 2)"
is "$(find "$WL" -name '.*'; leftovers)" "" "no temp file left in warninglists_dir or target_dir"

done_testing
