#!/bin/bash
# test-hunt-since.sh: "what do the new designations hit?" -- the version
# history (`dprk-intel history record|list`) and `hunt --since VERSION|DATE`
# through the real tool: an indicator of the old version is not reported, a
# new one is, by version (short, full, prefix) and by date; the loaded set
# newer than the last record; a removed indicator; unknown versions; a torn
# record and a missing set file; and dprk-intel-update recording each update.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

TOOL=$top_builddir/tool/dprk-intel
UPDATER=$top_builddir/updater/dprk-intel-update
[ -x "$TOOL" ] || bail_out "$TOOL is not built"
command -v python3 >/dev/null 2>&1 || bail_out "python3 is needed"

OLD=0x098b716b8aaf21512996dc57eb0615e2383e2f96
NEW=TBHTJqAy4DhHhmT3dNceJYNRz4SdLofLre
NEWER=1FsSia9rv4NeEwvJ2GvXrX7LyxYspbN2mo
H=$T/history
cd "$T" || bail_out "no temp dir"

write_feed feed.csv <<EOF
$OLD,eth,Lazarus Group,OFAC SDN,90,,,
EOF
printf 'withdrawal to %s\nnothing\nwithdrawal to %s\nand to %s\n' "$OLD" "$NEW" "$NEWER" >archive.log

record() { "$TOOL" history record --database feed.csv --history "$H" "$@"; }
since() { "$TOOL" hunt --database feed.csv --history "$H" --since "$@" archive.log; }
# lines SINCE...: the line numbers reported, space-separated
lines() { since "$@" 2>/dev/null | python3 -c 'import json,sys; print(" ".join(str(json.loads(l)["line"]) for l in sys.stdin))'; }

"$TOOL" history list --history "$H" >/dev/null 2>err.none
is "$?" "1" "list without a history: exit 1"
like "$(cat err.none)" 'no version history here' "... saying so"

out=$(record)
ok $? "record: exit 0"
like "$out" $'^recorded\t[0-9a-f]{16}@[0-9T:-]+Z\t1 indicators\tbaseline$' "the first record is the baseline"
V1=$(echo "$out" | cut -f2)
is "$(record)" "unchanged	$V1	1 indicators" "the same feed again: unchanged, nothing recorded"
is "$(python3 -c "import sys; print('$V1'.split('@')[0])")" "$("$TOOL" check --database feed.csv | sed -n 's/^version\t\(.\{16\}\)@.*/\1/p')" \
  "the recorded version is the one check prints"

# the same second would make a date ambiguous: the next record is made later
sleep 1.1
echo "$NEW,trx,Lazarus Group,OFAC SDN,90,,," >>feed.csv
out=$(record)
like "$out" $'^recorded\t[0-9a-f]{16}@[0-9T:-]+Z\t2 indicators\t1 added$' "a new indicator: recorded, 1 added"
V2=$(echo "$out" | cut -f2)
is "$("$TOOL" history list --history "$H" | cut -f1,3 | tr '\t\n' '  ')" "$V1 baseline $V2 1 added " \
  "list: both versions, the baseline and what the second added"

is "$(lines "${V1%@*}")" "3" "--since the old version (short form): only the new indicator's line"
is "$(lines "$V1")" "3" "--since the old version (full form): the same"
is "$(lines "${V1:0:8}")" "3" "--since an 8-digit prefix: the same"
since "${V1%@*}" >/dev/null 2>err.note
like "$(cat err.note)" "1 of 2 loaded indicators were added since ${V1%@*}" "... and says how many of the loaded ones"

since "${V2%@*}" >out.none 2>/dev/null
is "$?:$(wc -c <out.none)" "1:0" "--since the last version: nothing added, exit 1"

V2_TIME=${V2#*@}
is "$(lines "$V2_TIME")" "3" "--since the second record's time: the new indicator only"
is "$(lines 2000-01-01)" "3" "--since a date before the history: what the baseline held is not counted as added"
since 2000-01-01 2>&1 >/dev/null | grep -q 'the history begins at'
ok $? "... and a note says where the history begins"
since 2999-01-01 >/dev/null 2>&1
is "$?" "1" "--since a date after every record: nothing, exit 1"

# loaded but not recorded yet: newer than the last record, so added since V2
echo "$NEWER,btc,APT38,FBI,80,,," >>feed.csv
is "$(lines "${V2%@*}")" "4" "an indicator loaded but not recorded yet counts as added since the last record"
is "$(lines "${V1%@*}")" "3 4" "... and since the old version, with the recorded one"

# a removed indicator is not hunted, even if it was added since
grep -v "$NEW" feed.csv >feed2.csv && mv feed2.csv feed.csv
is "$(lines "${V1%@*}")" "4" "an indicator removed since is not hunted"

since ffffffffffff >/dev/null 2>err.unknown
is "$?" "2" "an unknown version: exit 2"
like "$(cat err.unknown)" 'not a version recorded in' "... saying so"
since yesterday >/dev/null 2>err.bad
is "$?" "2" "neither a version nor a date: exit 2"
"$TOOL" hunt --database feed.csv --history "$T/nowhere" --since 2000-01-01 archive.log >/dev/null 2>err.nohist
is "$?" "2" "--since without a history: exit 2"
like "$(cat err.nohist)" "$T/nowhere: no version history here" "... naming the directory"

# ---------------------------------------------------------------- crash safety

size=$(stat -c %s "$H/versions")
printf 'DIH1\0\0\0\0torn' >>"$H/versions"
is "$("$TOOL" history list --history "$H" | wc -l)" "2" "a torn record at the end is ignored"
out=$(record)
like "$out" $'^recorded\t.*\t1 added$' "the next record is made"
is "$("$TOOL" history list --history "$H" | wc -l)" "3" "... after the records before it"
is "$(( $(stat -c %s "$H/versions") - size ))" "56" "... where the torn one was cut off (40 + 8 an indicator + 8)"
is "$(ls "$H" | grep -c '^set-')" "1" "one set file: the last version's"

rm -f "$H"/set-*
echo "0x1111111111111111111111111111111111111111,eth,Lazarus Group,x,50,,," >>feed.csv
record >/dev/null 2>err.set
is "$?" "1" "the last version's set file missing: record fails"
like "$(cat err.set)" 'set-[0-9a-f]{16}: missing' "... naming it"
is "$("$TOOL" history list --history "$H" | wc -l)" "3" "... and records nothing"

# ---------------------------------------------------------------- the updater

if [ -x "$UPDATER" ] && command -v curl >/dev/null 2>&1; then
  mkdir -p www upd/feeds
  write_feed www/dprk.csv <<EOF
$OLD,eth,Lazarus Group,OFAC SDN,90,,,
EOF
  printf 'ofac = none\nretries = 0\nfeed = dprk.csv file://%s/www/dprk.csv\n' "$T" >update.conf
  "$UPDATER" --config update.conf --target-dir upd/feeds --tool "$TOOL" --no-reload >upd.out 2>&1
  ok $? "the updater installs a feed" || diag "$(cat upd.out)"
  echo "$NEW,trx,Lazarus Group,OFAC SDN,90,,," >>www/dprk.csv
  "$UPDATER" --config update.conf --target-dir upd/feeds --tool "$TOOL" --no-reload >upd.out 2>&1
  is "$("$TOOL" history list --history upd/history | cut -f3 | tr '\n' ' ')" "baseline 1 added " \
    "... and records each update in the history beside the feeds"
  "$TOOL" hunt --database upd/feeds --history upd/history --since 2000-01-01 archive.log 2>/dev/null >upd.json
  like "$(cat upd.json)" "\"line\":3,\"indicator\":\"$NEW\"" "hunt --since finds what the update added"
else
  diag "the updater or curl is missing: its part is not run"
fi

done_testing
