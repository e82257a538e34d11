#!/bin/bash
# test-aggregate-input.sh: dprk-intel(mode(aggregate)) on what relays send,
# well-formed or not.  The messages are made here with json-parser() (the
# name-value pairs an edge writes: .dprk.matches, .dprk.indicator,
# .dprk.actors, .dprk.relay, .dprk.incident.id) and the dprk.match tag,
# instead of coming through an edge, so that each can be broken on purpose:
#  - well-formed matches join one incident per key, with the relays and the
#    relay's incident ids, the central node's own id and count written back;
#  - .dprk.matches that is not JSON, not an array, nested too deep or much
#    too long falls back to .dprk.indicator and .dprk.actors, is counted in
#    matches_unreadable and warned about once, naming the field and the relay;
#  - more than 64 entries (or entries without a name) are taken up to 64;
#  - a message without the dprk.match tag passes untouched;
#  - of an edge's matches only the DPRK-linked ones (dprk_intel.nexus dprk)
#    join the incident, with the actors of their DPRK-linked attributions;
#    other matches (dprk-intel.other_match, sanctions.match) are counted as
#    a scanning node counts them and are no incident;
#  - the daemon goes on delivering every message.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"

PORT=$(free_tcp_port)
# conf TIMEOUT
conf()
{
  cat >"$T/test.conf" <<EOF
$(config_header)
source s_in { network(ip(127.0.0.1) port($PORT) transport(tcp) flags(no-parse) log-msg-size(4194304)); };
parser p_central { dprk-intel(mode(aggregate) incident-key("\${key}") incident-timeout($1)); };
destination d_out { file("$T/out.log" template("\${n}\t\${.dprk.incident.id}\t\${.dprk.incident.count}\t\${.dprk.relay}\n")); };
destination d_sum { file("$T/summary.log" template("\${.dprk.incident.key}\tcount=\${.dprk.incident.count}\tindicators=\${.dprk.incident.indicators_count}\tactors=\${.dprk.incident.actors}\trelays=\${.dprk.incident.relays}\tids=\${.dprk.incident.relay_ids}\n")); };
log {
  source(s_in);
  parser { json-parser(); };
  if (match("^yes\$" value("tag"))) { rewrite { set-tag("dprk.match"); }; };
  if (match("^yes\$" value("other"))) { rewrite { set-tag("dprk-intel.other_match"); }; };
  if (match("^yes\$" value("sanctions"))) { rewrite { set-tag("sanctions.match"); }; };
  parser(p_central);
  log { filter { tags("dprk.incident"); }; destination(d_sum); flags(final); };
  log { destination(d_out); };
};
EOF
}

# the lines: n, key, tag, and the relay's fields
python3 - >"$T/in.log" <<'PY'
import json
def entry(name, actor="Lazarus Group"):
    e = {"indicator": {"name": name, "type": "eth"}, "dprk_intel": {"actor": actor}}
    return e
def line(n, key, matches, tag="yes", indicator="", actors="", relay="edge-1", relay_id="1111111111111111",
         other="no", sanctions="no"):
    d = {"n": n, "key": key, "tag": tag, "other": other, "sanctions": sanctions,
         ".dprk.indicator": indicator, ".dprk.actors": actors,
         ".dprk.relay": relay, ".dprk.incident.id": relay_id}
    if matches is not None:
        d[".dprk.matches"] = matches if isinstance(matches, str) else json.dumps(matches)
    print(json.dumps(d))
line(1, "good", [entry("0xaaa"), entry("0xbbb", "TraderTraitor")])
line(2, "good", [entry("0xaaa")], relay="edge-2", relay_id="2222222222222222")
line(3, "broken", "{not json", indicator="0xccc", actors="APT38,Kimsuky")
line(4, "broken", {"not": "an array"}, indicator="0xddd", actors="APT38")
line(5, "broken", "[" * 100 + "]" * 100, indicator="0xeee", actors="APT38")
line(6, "broken", None, indicator="0xfff", actors="APT38")
line(7, "wide", [entry("0x%04x" % i) for i in range(200)])
line(8, "wide", [{"dprk_intel": {"actor": "Actor %d" % i}} for i in range(200)] + [entry("0xlast")])
line(9, "huge", "[" + ",".join(['{"indicator":{"name":"0x%06x"}}' % i for i in range(60000)]) + "]",
     indicator="0xfirst", actors="Lazarus Group")
line(10, "untagged", [entry("0x999")], tag="no")
# as an edge writes a message with a DPRK-linked match and two others: the
# DPRK-linked one has a second DPRK actor and a non-DPRK one among its
# attributions (match-report.c: the primary first)
def ours(actor, nexus, attributions=None):
    d = {"actor": actor, "nexus": nexus} if actor else {"nexus": nexus}
    if attributions:
        d["attributions"] = [{"actor": a, "nexus": x} for a, x in attributions]
    return d
line(11, "mixed", [
    {"indicator": {"name": "0xother"}, "dprk_intel": ours(None, "unknown")},
    {"indicator": {"name": "0xdprk"}, "dprk_intel": ours("Lazarus Group", "dprk",
        [("Lazarus Group", "dprk"), ("Some Gang", "other"), ("APT38", "dprk")])},
    {"indicator": {"name": "0xsanctioned"}, "dprk_intel": ours("Some Gang", "other")}],
    other="yes", sanctions="yes")
# only other matches: no dprk.match, no incident, counted
line(12, "otheronly", [{"indicator": {"name": "0xother"}, "dprk_intel": ours(None, "unknown")}],
     tag="no", other="yes")
PY

plan 15

conf 3600
start_syslog_ng "$T/test.conf" || bail_out "syslog-ng did not start"
send_file "$PORT" "$T/in.log"
wait_for_lines "$T/out.log" 12
ok $? "every message comes out, however broken its matches"
ok $(is_running; echo $?) "syslog-ng is still running"
out=$(cat "$T/out.log")
id_good=$(awk -F'\t' '$1 == 1 { print $2 }' "$T/out.log")
ok $([ -n "$id_good" ] && [ "$id_good" != 1111111111111111 ]; echo $?) "a matched message gets the central node's own incident id ($id_good)"
is "$(awk -F'\t' '$1 <= 2 { print $2 "/" $3 }' "$T/out.log" | tr '\n' ' ')" "$id_good/1 $id_good/2 " \
  "two matches of one key: one incident, counts 1 and 2"
is "$(awk -F'\t' '$1 == 10 { print $2 "|" $3 "|" $4 }' "$T/out.log")" "1111111111111111||edge-1" \
  "a message without dprk.match passes untouched (the relay's id stays, no count)"
is "$(di_stat p_central matched) $(di_stat p_central scanned)" "10 12" "10 of the 12 messages were aggregated"
is "$(di_stat p_central other_matched) $(di_stat p_central sanctions_matched)" "2 1" \
  "other matches are counted as one node counts them (other_matched, sanctions_matched)"
is "$(di_stat p_central matches_unreadable)" "5" \
  "the 5 whose .dprk.matches is no JSON, no array, too deep, absent or too long are counted in matches_unreadable"
wait_for_text "$SNG_LOG" 'without a readable matches field' &&
  like "$(grep 'without a readable matches field' "$SNG_LOG" | wc -l) $(grep 'without a readable matches field' "$SNG_LOG")" \
    "^1 .*field='\\.dprk\\.matches'.*relay='edge-1'.*location=" \
    "and warned about once, naming the field, the relay and the parser's place in the config"

conf 1
reload_syslog_ng
wait_for_lines "$T/summary.log" 5
ok $? "the five incidents close after a reload to incident-timeout(1)"
like "$(grep '^good' "$T/summary.log")" $'count=2\tindicators=2\tactors=Lazarus Group,TraderTraitor\trelays=edge-1:1,edge-2:1\tids=1111111111111111,2222222222222222' \
  "well-formed: indicators and actors from .dprk.matches, both relays and their incident ids"
like "$(grep '^broken' "$T/summary.log")" $'count=4\tindicators=4\tactors=APT38,Kimsuky\t' \
  "no JSON, no array, too deep, none: .dprk.indicator and .dprk.actors instead"
like "$(grep '^wide' "$T/summary.log")" $'count=2\tindicators=65\t' \
  "more than 64 entries: the first 64 of each message (64 + the one named entry after 200 nameless ones)"
like "$(grep '^huge' "$T/summary.log")" $'count=1\tindicators=1\tactors=Lazarus Group\t' \
  "a .dprk.matches of over a megabyte is not parsed: the first indicator instead"
like "$(grep '^mixed' "$T/summary.log")" $'count=1\tindicators=1\tactors=Lazarus Group,APT38\t' \
  "only the DPRK-linked match joins the incident, with its DPRK-linked attributions' actors"

done_testing
