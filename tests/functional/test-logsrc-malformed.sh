#!/bin/bash
# test-logsrc-malformed.sh: lines that look like a known log source but are
# malformed (logsrc/malformed.log, one kind a line, what each must get in
# logsrc/malformed.expect) pass through dprk-intel-enrich() and through
# their source's own parser unchanged, tagged dprk.unparsed.<source> with no
# parsed field, and are still scanned as free text: a sanctioned address in
# a broken line still matches, in MESSAGE.  Transfers without a usable
# amount (missing, not a number) still match, in their parsed field, and are
# tagged dprk.no_amount.<source> without crypto.amount.  dprk-intel() counts
# both, per source, in syslog-ng-ctl stats (unparsed_<source>,
# no_amount_<source>).
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/logsrc/logsrc.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"

LINES="$LOGSRC_DIR/malformed.log"
EXPECT="$LOGSRC_DIR/malformed.expect"
out_template='$(format-json --scope none msg=${MESSAGE} tags=${TAGS} indicator=${.dprk.indicator} field=${.dprk.field} --key .dprk.log.*)\n'

# check NAME OUTPUT [SOURCE]: malformed-check.py's lines as TAP
check()
{
  if ! python3 "$LOGSRC_DIR/malformed-check.py" "$1" "$LINES" "$EXPECT" "$2" $3 >"$T/check.out" 2>&1; then
    fail "$1: malformed-check.py ran"
    diag "$(cat "$T/check.out")"
    return
  fi
  logsrc_tap "$T/check.out"
}

# ---------------------------------------------------------------- the checker can fail
printf '%s\n' "$(head -n 1 "$LINES")" >"$T/probe.log"
head -n 2 "$EXPECT" >"$T/probe.expect"
printf '%s\n' "$(python3 -c 'import json,sys; print(json.dumps({"msg": sys.argv[1], "tags": "dprk.unparsed.exchange", "indicator": "", "_dprk": {"log": {"event": {"action": "x"}}}}))' "$(head -n 1 "$LINES")")" >"$T/probe.out"
python3 "$LOGSRC_DIR/malformed-check.py" probe "$T/probe.log" "$T/probe.expect" "$T/probe.out" >"$T/probe.check"
grep -q 'parsed fields on an unparsed line' "$T/probe.check" && grep -q 'matched .., want' "$T/probe.check"
ok $? "the checker fails on parsed fields of an unparsed line and on a missing match" || diag "$(cat "$T/probe.check")"

# ---------------------------------------------------------------- the config
conf="$T/malformed.conf"
logsrc_config_head >"$conf"
enrich_port=$(free_tcp_port)
cat >>"$conf" <<EOF
parser p_enrich { dprk-intel-enrich(database("$LOGSRC_FEED")); };
log {
  source { network(ip(127.0.0.1) port($enrich_port) transport(tcp) flags(no-parse)); };
  parser(p_enrich);
  destination { file("$T/out.enrich" template("$out_template")); };
};
EOF
declare -A port_of
while read -r source parser samples; do
  port_of[$source]=$(free_tcp_port)
  cat >>"$conf" <<EOF
log {
  source { network(ip(127.0.0.1) port(${port_of[$source]}) transport(tcp) flags(no-parse)); };
  parser { $parser(); };
  destination { file("$T/out.$source" template("$out_template")); };
};
EOF
done <<<"$LOGSRC_SOURCES"

start_syslog_ng "$conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
send_file "$enrich_port" "$LINES"
n_lines=$(grep -c '' "$LINES")
paste "$LINES" <(grep -v '^#' "$EXPECT" | cut -f1) >"$T/tagged"
while read -r source parser samples; do
  grep -P "\tdprk\.[a-z_]+\.$source\$" "$T/tagged" | cut -f1 >"$T/lines.$source"
  send_file "${port_of[$source]}" "$T/lines.$source"
done <<<"$LOGSRC_SOURCES"
wait_for_lines "$T/out.enrich" "$n_lines"
while read -r source parser samples; do
  wait_for_lines "$T/out.$source" "$(grep -c '' "$T/lines.$source")" 20
done <<<"$LOGSRC_SOURCES"
syslog_ng_ctl stats >"$T/stats"
# the counters go on across a reload: one more broken exchange event after it
reload_syslog_ng
head -n 1 "$LINES" >"$T/again.log"
send_file "$enrich_port" "$T/again.log"
wait_for_lines "$T/out.enrich" $((n_lines + 1)) 20
syslog_ng_ctl stats >"$T/stats.reloaded"
stop_syslog_ng

# ---------------------------------------------------------------- through dprk-intel-enrich()
check "dprk-intel-enrich()" "$T/out.enrich"

# ---------------------------------------------------------------- counted
# dprk-intel() of dprk-intel-enrich() counts each tag: unparsed_<source>,
# no_amount_<source>, as many as malformed.expect has lines of it
for tag in $(grep -v '^#' "$EXPECT" | cut -f1 | sort -u); do
  kind=${tag#dprk.}
  counter="${kind%%.*}_${kind#*.}"
  want=$(grep -c -P "^\Q$tag\E\t" "$EXPECT")
  got=$(sed -n "s/^parser;dprk-intel;p_enrich;[^;]*;$counter;//p" "$T/stats")
  is "$got" "$want" "syslog-ng-ctl stats: $counter = $want"
done

before=$(sed -n 's/^parser;dprk-intel;p_enrich;[^;]*;unparsed_exchange;//p' "$T/stats")
after=$(sed -n 's/^parser;dprk-intel;p_enrich;[^;]*;unparsed_exchange;//p' "$T/stats.reloaded")
is "$after" "$((before + 1))" "after syslog-ng-ctl reload, unparsed_exchange goes on counting ($before, then $after)"

# ---------------------------------------------------------------- through each source's parser
while read -r source parser samples; do
  check "$parser()" "$T/out.$source" "$source"
done <<<"$LOGSRC_SOURCES"

done_testing
