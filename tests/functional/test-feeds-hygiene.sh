#!/bin/bash
# test-feeds-hygiene.sh: what the loader keeps out of, and puts into, a real
# syslog-ng's database: OFAC entries of other programs than the DPRK ones
# (the real sdn.csv excerpt of 2022) are not loaded unless
# sanctions-programs() asks for them; a defanged list matches the refanged
# values; benign services a vendor list names (box.com, dropboxapi.com ...)
# match nothing, are counted in the stats and named by `dprk-intel check`
# with the warninglist that kept them out.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

TOOL="$top_builddir/tool/dprk-intel"
[ -x "$TOOL" ] || bail_out "$TOOL is not built"
LISTS="$top_srcdir/feeds/warninglists"
mkdir -p "$T/feeds"
cp "$top_srcdir/tests/data/feeds/ofac/sdn_2022-01-31_excerpt.csv" "$T/feeds/sdn.csv"
# values of maltrail's apt_bluenoroff.txt, written defanged as analysts share them
cat >"$T/feeds/apt_bluenoroff-defanged.txt" <<'EOF'
# Reference: https://securelist.com/the-bluenoroff-cryptocurrency-hunt-is-still-on/105488/
hxxp://163[.]25[.]24[.]44
abiesvc[.]com
hxxps[://]antcapital[.]us/download
EOF
# a vendor playbook's "indicators": four file-sharing services and one C2
cat >"$T/feeds/vendor-playbook.txt" <<'EOF'
box.com
dropboxapi.com
api.pcloud.com
yandex.com
celasllc.com
EOF
DPRK_XBT=17UVSMegvrzfobKC82dHXpZLtLcqzW9stF     # LI Jiadong, DPRK3 and CYBER2
OTHER_XBT=35QpLWYkvD3ALhjbge5bK2kd7HfHYcDMu3    # VASINSKYI Yaroslav, CYBER2 only

PORT=$(free_tcp_port)
write_config()   # write_config EXTRA-OPTIONS
{
  cat >"$T/test.conf" <<EOF
$(config_header)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel(database("$T/feeds") warninglists("$LISTS") $1); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_in); parser(p_dprk); destination(d_out); };
EOF
}

plan 24

write_config ""
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
pass "syslog-ng starts with OFAC's sdn.csv, a defanged list and a vendor playbook"
like "$(cat "$SNG_LOG")" "suppressed='?4'?.*other_programs='?18" \
  "the log counts the 4 benign values and the 18 OFAC entries of other programs"

send_line "$PORT" \
  "withdrawal to $DPRK_XBT approved" \
  "withdrawal to $OTHER_XBT approved" \
  "proxy CONNECT 163.25.24.44:80" \
  "dns query abiesvc.com A" \
  "GET https://antcapital.us/download HTTP/1.1" \
  "GET https://api.box.com/2.0/files/1 HTTP/1.1" \
  "dns query content.dropboxapi.com A" \
  "POST https://api.pcloud.com/uploadfile" \
  "dns query yandex.com A" \
  "dns query download.celasllc.com A"
wait_for_lines "$T/out.log" 10
ok $? "ten messages came out"

line() { sed -n "$1p" "$T/out.log"; }
is "$(field_of "$(line 1)" indicator)|$(field_of "$(line 1)" actor)" "$DPRK_XBT|LI, Jiadong" \
  "a DPRK3 entry's address matches"
like "$(field_of "$(line 1)" TAGS)" "dprk\\.match" "... tagged dprk.match"
is "$(field_of "$(line 2)" indicator)$(field_of "$(line 2)" match_count)" "" \
  "a CYBER2-only entry's address is not loaded by default"
is "$(field_of "$(line 3)" indicator)|$(field_of "$(line 3)" type)" "163.25.24.44|ipv4" \
  "hxxp://163[.]25[.]24[.]44 matches the address"
is "$(field_of "$(line 4)" indicator)|$(field_of "$(line 4)" actor)" "abiesvc.com|APT38" \
  "abiesvc[.]com matches, actor from the file's name"
is "$(field_of "$(line 5)" indicator)" "https://antcapital.us/download" "hxxps[://]antcapital[.]us/download matches"
for n in 6 7 8 9; do
  is "$(field_of "$(line $n)" indicator)$(field_of "$(line $n)" match_count)" "" \
    "a warninglisted service matches nothing: $(field_of "$(line $n)" MSG)"
done
# (the playbook names no actor: its C2 is an other match, not a DPRK one)
is "$(field_of "$(line 10)" other.indicator)" "celasllc.com" "the playbook's real C2 beside them matches"

stats=$(syslog_ng_ctl stats)
like "$stats" '^parser;dprk-intel;p_dprk;[^;]*;suppressed;4$' "stats: suppressed = 4"
like "$stats" '^parser;dprk-intel;p_dprk;[^;]*;feed_limits;0$' "stats: feed_limits = 0"

check=$("$TOOL" check --database "$T/feeds" --warninglists "$LISTS" 2>"$T/check.err")
like "$check" "^suppressed	$T/feeds/vendor-playbook\\.txt:1: domain 'box\\.com' is on warninglist 'cloudflare-top1k': not loaded$" \
  "dprk-intel check names box.com and the list that kept it out"
like "$check" "^suppressed	$T/feeds/vendor-playbook\\.txt:3: domain 'api\\.pcloud\\.com' is on warninglist 'dprk-intel-file-sharing'" \
  "... and api.pcloud.com"
like "$check" "^file	$T/feeds/sdn\\.csv	ofac-csv	loaded=20 .* other_programs=18" \
  "dprk-intel check counts the OFAC entries of other programs"

# sanctions-programs(all): the CYBER2 entry loads too, as a match of another
# program: its own tags and .dprk.other.* fields, never dprk.match.
# (the three entries whose remarks OFAC cut go: their continuation, in an
# sdn_comments.csv, is not part of the excerpt, and a cut address is an error)
sed -i '16d;21d;22d' "$T/feeds/sdn.csv"
write_config "sanctions-programs(all)"
stop_syslog_ng
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
send_line "$PORT" "withdrawal to $OTHER_XBT approved"
wait_for_lines "$T/out.log" 11
is "$(field_of "$(line 11)" other.indicator)|$(field_of "$(line 11)" other.actor)|$(field_of "$(line 11)" other.source)" \
  "$OTHER_XBT|VASINSKYI, Yaroslav|OFAC SDN" "with sanctions-programs(all) the CYBER2 entry's address matches as another program's"
like "$("$TOOL" check --database "$T/feeds" --warninglists "$LISTS" --sanctions-programs all 2>/dev/null)" \
  "^nexus	other	[0-9]+" "dprk-intel check --sanctions-programs all: entries of other programs are nexus other"
tags=$(field_of "$(line 11)" TAGS)
unlike "$tags" 'dprk\.match' "... and is not tagged dprk.match"
like "$tags" 'sanctions\.match' "... but sanctions.match"
is "$(field_of "$(line 11)" indicator)" "" "... and no .dprk.indicator"

done_testing
