#!/bin/bash
# test-logsrc-fields.sh: every field the SCL log parsers extract from the
# sample logs of each source (samples/*.log), checked against
# logsrc/expected/<sample>.ndjson -- exactly: a field missing, a field too
# many or a different value fails.  Each source goes through its own parser
# (dprk-intel-<source>-parser()), and all of them together through
# dprk-intel-enrich(), which must extract the same fields and find the
# sanctioned addresses and listed IPs the samples name.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/logsrc/logsrc.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"

# fields_check NAME OUTPUT SAMPLE...: the checker's lines as TAP
fields_check()
{
  local name=$1 out=$2 s
  shift 2
  local samples=() expected=()
  for s in "$@"; do
    samples+=("$LOGSRC_SAMPLES/$s")
    expected+=("$LOGSRC_DIR/expected/${s%.log}.ndjson")
  done
  if ! python3 "$LOGSRC_DIR/fields-check.py" "$name" "${samples[@]}" -- "${expected[@]}" -- "$out" >"$T/check.out" 2>&1; then
    fail "$name: fields-check.py ran"
    diag "$(cat "$T/check.out")"
    return
  fi
  logsrc_tap "$T/check.out"
}

# ---------------------------------------------------------------- the checker can fail
printf '%s\n' '{"msg":"a","tags":"x","_dprk":{"log":{"source":{"ip":"192.0.2.1"},"crypto":{"amount":"1"}}}}' >"$T/probe.out"
printf 'a\n' >"$T/probe.log"
printf '%s\n' '{"fields":{"source.ip":"192.0.2.1","crypto.amount":"2","user.id":"u"},"tags":[]}' >"$T/probe.ndjson"
python3 "$LOGSRC_DIR/fields-check.py" probe "$T/probe.log" -- "$T/probe.ndjson" -- "$T/probe.out" >"$T/probe.check"
grep -q "crypto.amount='1', want '2'" "$T/probe.check" && grep -q "user.id missing" "$T/probe.check"
ok $? "the checker fails on a wrong value and on a missing field" || diag "$(cat "$T/probe.check")"

# ---------------------------------------------------------------- the config
conf="$T/parsers.conf"
logsrc_config_head >"$conf"
declare -A port_of
all_samples=()
while read -r source parser samples; do
  for s in $samples; do
    port_of[$s]=$(free_tcp_port)
    all_samples+=("$s")
    cat >>"$conf" <<EOF
log {
  source { network(ip(127.0.0.1) port(${port_of[$s]}) transport(tcp) flags(no-parse)); };
  parser { $parser(); };
  destination { file("$T/out.$s" template("$(logsrc_out_template)")); };
};
EOF
  done
done <<<"$LOGSRC_SOURCES"
enrich_port=$(free_tcp_port)
cat >>"$conf" <<EOF
parser p_enrich { dprk-intel-enrich(database("$LOGSRC_FEED")); };
destination d_enrich { file("$T/out.enrich" template("$(logsrc_out_template)")); };
destination d_match { file("$T/out.match" template("\${.dprk.indicator}\t\${.dprk.field}\t\${MESSAGE}\n")); };
log {
  source { network(ip(127.0.0.1) port($enrich_port) transport(tcp) flags(no-parse)); };
  parser(p_enrich);
  destination(d_enrich);
  if (tags("dprk.match")) { destination(d_match); };
};
EOF

start_syslog_ng "$conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
for s in "${all_samples[@]}"; do
  send_file "${port_of[$s]}" "$LOGSRC_SAMPLES/$s"
done
( cd "$LOGSRC_SAMPLES" && cat "${all_samples[@]}" ) >"$T/all.log"
send_file "$enrich_port" "$T/all.log"
for s in "${all_samples[@]}"; do
  wait_for_lines "$T/out.$s" "$(grep -c '' "$LOGSRC_SAMPLES/$s")" 20
done
wait_for_lines "$T/out.enrich" "$(grep -c '' "$T/all.log")" 20
stop_syslog_ng

# ---------------------------------------------------------------- one parser a source
while read -r source parser samples; do
  for s in $samples; do
    fields_check "$parser()" "$T/out.$s" "$s"
  done
done <<<"$LOGSRC_SOURCES"

# ---------------------------------------------------------------- all of them through dprk-intel-enrich()
fields_check "dprk-intel-enrich()" "$T/out.enrich" "${all_samples[@]}"

# the matches: each sanctioned address or listed IP of the samples, found
# in the parsed field that holds it (count, indicator, field)
matches=$(cut -f1,2 "$T/out.match" 2>/dev/null | LC_ALL=C sort | uniq -c | sed 's/^ *//' | LC_ALL=C sort)
expected_matches=$(LC_ALL=C sort "$LOGSRC_DIR/expected/matches.txt")
is "$matches" "$expected_matches" "dprk-intel-enrich(): the matches of the samples, by indicator and field"

done_testing
