#!/bin/bash
# test-feeds-vendors.sh: the real syslog-ng loads a directory of DPRK indicator
# files as five vendors publish them (tests/data/feeds/vendors: Cisco Talos
# STIX 2.0 bundles and a text list, Unit 42 STIX 2.0 playbooks, an ESET MISP
# event and hash lists, Volexity IOC CSVs) and tags realistic log lines --
# firewall, proxy, DNS, EDR -- with each file's actor; near misses match
# nothing.
#
# Volexity's CSVs go through the generic IOC CSV reader, Talos's defanged text
# list through refanging, ESET's hash lists take their actor from the file
# name, and the bundled warninglists keep Unit 42's dropboxapi.com out.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

V=$top_srcdir/tests/data/feeds/vendors
TOOL=$top_builddir/tool/dprk-intel
[ -d "$V" ] || bail_out "no vendor feeds at $V"
[ -x "$TOOL" ] || bail_out "no dprk-intel tool at $TOOL"

mkdir -p "$T/feeds"
cp "$V"/talos/*.json "$V"/unit42/*.json "$V/eset/nukesped_lazarus-lazarus_3cx.json" \
   "$V/eset/scarcruft-samples.sha256" "$V/eset/nukesped_lazarus-samples.sha256" "$T/feeds/"
cp "$V"/volexity/*.csv "$V/talos/2022-09-lazarus-magicrat.txt" "$T/feeds/"

PORT=$(free_tcp_port)
cat >"$T/test.conf" <<EOF
$(config_header)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse)); };
parser p_dprk { dprk-intel(database("$T/feeds") warninglists("$top_srcdir/feeds/warninglists")); };
destination d_out { file("$T/out.log" template("$(di_out_template)")); };
log { source(s_in); parser(p_dprk); destination(d_out); };
EOF

plan 27

start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
pass "syslog-ng starts with Talos, Unit 42, ESET and Volexity files"

send_line "$PORT" \
  "kernel: [UFW BLOCK] IN=eth0 OUT= SRC=10.1.2.3 DST=193.56.28.251 LEN=60 PROTO=TCP SPT=51234 DPT=443" \
  "squid[812]: 1764496800.123 88 10.0.0.5 TCP_MISS/200 512 GET http://23.227.202.244:1224/uploads - HIER_DIRECT/23.227.202.244 text/html" \
  "named[77]: client 10.0.0.9#53311 (pumaria.store): query: pumaria.store IN A +E(0)" \
  "edr: file quarantined sha256=eebb01932de0b5605dd460cc82844d8693c00ea8ab5ffdf8dbede6528c1c18fd host=ws-114" \
  "fw: allow tcp 10.0.0.7:49812 -> 141.223.125.112:80 rule=web-out" \
  "fw: deny tcp 10.0.0.8:50000 -> 146.4.21.94:443 rule=default" \
  "av: 486bd76669fc2c0adc25a5498b42c1df5fc90514866d78318f8954aa0c67eacc detected on hr-laptop" \
  "kernel: [UFW BLOCK] IN=eth0 OUT= SRC=10.1.2.3 DST=193.56.28.252 LEN=60 PROTO=TCP DPT=443" \
  "named[77]: client 10.0.0.9#53312 (pumaria.store.example): query: pumaria.store.example IN A +E(0)" \
  "nginx: 10.0.0.12 - - [30/Nov/2026:10:00:00 +0000] \"POST https://content.dropboxapi.com/2/files/upload HTTP/1.1\" 200 17"
wait_for_lines "$T/out.log" 10
ok $? "ten messages came out"

check() {   # check LINE-NO INDICATOR TYPE ACTOR SOURCE WHAT
  local line
  line=$(sed -n "$1p" "$T/out.log")
  is "$(field_of "$line" indicator)|$(field_of "$line" type)|$(field_of "$line" actor)|$(field_of "$line" source)" \
    "$2|$3|$4|$5" "$6"
}
check 1 193.56.28.251 ipv4 "Lazarus Group" Talos \
  "Talos MagicRAT bundle: a network-traffic src_ref IP in a firewall line, actor from the bundle's threat-actor"
like "$(field_of "$(sed -n 1p "$T/out.log")" TAGS)" "dprk\\.match.*dprk\\.actor\\.lazarus_group|dprk\\.actor\\.lazarus_group.*dprk\\.match" \
  "... tagged dprk.match and dprk.actor.lazarus_group"
check 2 http://23.227.202.244:1224/uploads url "Famous Chollima" Talos \
  "Talos BeaverTail bundle: a URL in a proxy line, actor from the report's Recorded Future tag"
check 3 pumaria.store domain UAT-5394 Talos "Talos MoonPeak bundle: a domain in a DNS line, actor from MISP's threat-actor attribute"
check 4 eebb01932de0b5605dd460cc82844d8693c00ea8ab5ffdf8dbede6528c1c18fd sha256 "Lazarus Group" ESET \
  "ESET MISP event: a file hash in an EDR line"
check 5 141.223.125.112 ipv4 Konni STIX "Unit 42 Crooked Pisces playbook: an IP, actor Crooked Pisces = Konni"
like "$(field_of "$(sed -n 5p "$T/out.log")" TAGS)" "dprk\\.actor\\.konni" "... tagged dprk.actor.konni"
check 6 146.4.21.94 ipv4 "Lazarus Group" Talos "Talos CollectionRAT bundle: a C2 IP written as url:value"
line=$(sed -n 7p "$T/out.log")
is "$(field_of "$line" indicator)|$(field_of "$line" type)" "486bd76669fc2c0adc25a5498b42c1df5fc90514866d78318f8954aa0c67eacc|sha256" \
  "ESET ScarCruft hash list: a hash in an AV line"
is "$(field_of "$line" actor)" APT37 "... its actor from the file name (scarcruft-samples.sha256: ScarCruft = APT37)"
line=$(sed -n 8p "$T/out.log")
is "$(field_of "$line" indicator)$(field_of "$line" match_count)" "" "a neighbouring address does not match"
unlike "$(field_of "$line" TAGS)" "dprk\\.match" "... and is not tagged"
line=$(sed -n 9p "$T/out.log")
is "$(field_of "$line" indicator)$(field_of "$line" match_count)" "" "a listed domain as the label of another domain does not match"
line=$(sed -n 10p "$T/out.log")
is "$(field_of "$line" indicator)" "" "Unit 42's playbook lists dropboxapi.com: a Dropbox API call is not a DPRK match"
like "$(cat "$SNG_LOG")" "suppressed='?[1-9]" "... the warninglists kept values of the playbooks out"

# what every file loaded: the counts the unit tests check, through the daemon's own log
log=$(cat "$SNG_LOG")
like "$log" "indicators='?[0-9]{3}" "the database loaded" || diag "$(grep 'database loaded' "$SNG_LOG")"
"$TOOL" check --database "$T/feeds" >"$T/check.out" 2>"$T/check.err"
ok $? "dprk-intel check accepts the directory" || diag "$(head -5 "$T/check.err")"
like "$(cat "$T/check.out")" "2022-09-lazarus-three-rats\\.json	stix	loaded=67 " "Talos three RATs: 67 loaded"
like "$(cat "$T/check.out")" "crooked-pisces\\.json	stix	loaded=53 expired=0 ignored=5 " "Unit 42 Crooked Pisces: 53 loaded, 5 ignored"
like "$(cat "$T/check.out")" "nukesped_lazarus-lazarus_3cx\\.json	misp	loaded=15 expired=0 ignored=35 " "ESET event: 15 loaded, 35 ignored"
like "$(cat "$T/check.out")" "nukesped_lazarus-samples\\.sha256	plain	loaded=555 " "ESET NukeSped hash list: 555 loaded"
like "$(cat "$T/check.out")" "actor	Lazarus Group	[0-9]+" "check lists Lazarus Group among the actors"

send_line "$PORT" "dns: query www.journalide.org A from 10.0.0.3" "proxy: GET http://jquery.services/ 200" \
  "proxy: GET http://64.188.27.73/board/pct.gif 200"
wait_for_lines "$T/out.log" 13
# the 3CX file names no actor and is not declared DPRK: a match, not a DPRK one
is "$(field_of "$(sed -n 11p "$T/out.log")" indicator)|$(field_of "$(sed -n 11p "$T/out.log")" other.indicator)" \
  "|www.journalide.org" "Volexity 3CX CSV (no actor): a domain in a DNS line, an other match"
is "$(field_of "$(sed -n 12p "$T/out.log")" indicator)" "jquery.services" "Volexity InkySquid CSV: a hostname in a proxy line"
like "$(field_of "$(sed -n 13p "$T/out.log")" indicator)" "64\\.188\\.27\\.73" "Talos defanged text list: a refanged URL"

done_testing
