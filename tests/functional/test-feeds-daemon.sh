#!/bin/bash
# test-feeds-daemon.sh: database() pointed at one directory that holds feeds
# as analysts get them -- a STIX 2.1 bundle, a MISP event, OFAC's sdn.csv,
# a maltrail list and an OFAC per-asset list, all from tests/data -- in a real
# syslog-ng: every format loads, junk values in third-party feeds are logged
# as warnings without keeping the feed out, and an indicator of each file
# matches with its actor, source and reference.  The STIX, MISP and per-asset
# files are not DPRK feeds (PoisonIvy, a Chinese RAT; a Chinese APT's MISP
# event; OFAC's addresses of every program): their matches are other
# matches, never dprk.match.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

F=$DI_DATA/feeds
[ -d "$F" ] || bail_out "no feeds at $F"
mkdir -p "$T/feeds"
cp "$F/stix21_threat-report_poisonivy.json" "$F/misp_event_osint_asert_four-element-sword.json" \
   "$F/ofac_sdn_csv_excerpt_lazarus_bluenoroff_andariel.csv" "$F/maltrail_apt_lazarus.txt" \
   "$F/ofac_0xB10C_lists/sanctioned_addresses_XBT.txt" "$T/feeds/"
XBT=$(head -n 1 "$F/ofac_0xB10C_lists/sanctioned_addresses_XBT.txt")

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel(database("$T/feeds")); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_in); parser(p_dprk); destination(d_out); };
EOF

plan 22

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
pass "syslog-ng starts with a directory of STIX, MISP, OFAC, maltrail and per-asset feeds"
like "$(cat "$SNG_LOG")" "misp_event_osint_asert_four-element-sword.json:\\\$\\.Event\\.Attribute\\[0\\]\\.value: invalid url '107\\.183\\.86' \\(skipped\\)" \
  "a junk MISP value is logged as a warning with its JSON path"
like "$(cat "$SNG_LOG")" "indicators='?[0-9]{4}" "the database loaded" ||
  diag "$(grep 'database loaded' "$SNG_LOG")"

send_line "$PORT" \
  "proxy GET http://js001.3322.org/index.html" \
  "av: 185fc01ec8adbaa94da741c4c1cf1b83185ae63899f14ce9949553c5dac3ecf6 quarantined" \
  "withdrawal to 0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B approved" \
  "dns query download.celasllc.com A" \
  "deposit from $XBT credited" \
  "deposit from TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq credited" \
  "nothing to see at 198.51.100.1"
wait_for_lines "$T/out.log" 7
ok $? "seven messages came out"

check() {   # check LINE-NO SECTION INDICATOR TYPE ACTOR SOURCE REFERENCE WHAT (SECTION: "" or "other.")
  local line s=$2
  line=$(sed -n "$1p" "$T/out.log")
  is "$(field_of "$line" "${s}indicator")|$(field_of "$line" "${s}type")" "$3|$4" "$8: indicator and type"
  is "$(field_of "$line" "${s}actor")|$(field_of "$line" "${s}source")|$(field_of "$line" "${s}reference")" "$5|$6|$7" \
    "$8: actor, source and reference"
}
check 1 other. js001.3322.org domain "" STIX indicator--b2f09ce0-2db4-480f-bd2f-073ddb3a0c87 "STIX bundle"
check 2 other. 185fc01ec8adbaa94da741c4c1cf1b83185ae63899f14ce9949553c5dac3ecf6 sha256 "" CIRCL \
  57153590-f73c-49fa-be4b-4737950d210f "MISP event"
check 3 "" 0xa0e1c89ef1a489c9c7de96311ed5ce5d32c20e4b eth "Lazarus Group" "OFAC SDN" 27307 "OFAC sdn.csv"
check 4 "" celasllc.com domain "Lazarus Group" maltrail https://securelist.com/operation-applejeus/87553/ \
  "maltrail list (a subdomain)"
line=$(sed -n 5p "$T/out.log")
is "$(field_of "$line" other.indicator)|$(field_of "$line" other.type)|$(field_of "$line" other.source)" \
  "$XBT|btc|OFAC SDN" "OFAC per-asset list: a bitcoin address"
line=$(sed -n 6p "$T/out.log")
is "$(field_of "$line" other.indicator)|$(field_of "$line" other.type)" "TUCsTq7TofTCJRRoHk6RvhMoS2mJLm5Yzq|trx" \
  "the TRON address OFAC filed as XBT is loaded and matched as trx"
like "$(field_of "$(sed -n 3p "$T/out.log")" TAGS)" "dprk\\.actor\\.lazarus_group" "OFAC row: tagged dprk.actor.lazarus_group"
tags=",$(field_of "$(sed -n 1p "$T/out.log")" TAGS),"
like "$tags" ",dprk-intel\\.other_match," "STIX row (not a DPRK feed): tagged dprk-intel.other_match"
unlike "$tags" "dprk\\.(match|actor)" "... and not dprk.match"
line=$(sed -n 7p "$T/out.log")
is "$(field_of "$line" indicator)$(field_of "$line" match_count)" "" "an unlisted address does not match"
unlike "$(field_of "$line" TAGS)" "dprk\\.match" "... and is not tagged"

# a broken file in the directory at reload: logged with FILE:LINE, old set kept
printf 'indicator,type\n999.1.2.3,ipv4\n' > "$T/feeds/zz-local.csv"
reload_syslog_ng
ok $? "syslog-ng-ctl reload with a broken CSV beside the good feeds"
like "$(cat "$SNG_LOG")" "zz-local\\.csv:2: invalid ipv4 address '999\\.1\\.2\\.3'" "the broken row is named FILE:LINE"
send_line "$PORT" "again to 0xa0e1c89Ef1a489c9C7dE96311eD5Ce5D32c20E4B"
wait_for_lines "$T/out.log" 8
is "$(field_of "$(sed -n 8p "$T/out.log")" actor)" "Lazarus Group" "the indicators already loaded stay in use"
