#!/bin/bash
# test-logsrc-e2e.sh: end to end through dprk-intel-enrich(): exchange
# withdrawals (logsrc/withdrawals.log) to sanctioned addresses become
# matches, ECS documents ($(dprk-intel-ecs)) carry the account and the amount,
# and an incident keyed by the account sums the amounts of that account's
# matched withdrawals -- not the clean one, not the one without an amount
# (which still matches).  Expectations: logsrc/e2e-expect.json.
# dprk-intel-enrich() hands its other options to dprk-intel(): a second
# instance with prefix() and incident-key() of its own, and options that
# dprk-intel() refuses, show that they arrive.
[ -n "$BASH_VERSION" ] || exec bash "$0" "$@"
. "${top_srcdir:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/functional/lib.sh"
. "$top_srcdir/tests/functional/logsrc/logsrc.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 not found"
ECS_DIR="$top_srcdir/tests/functional/ecs"
INPUT="$LOGSRC_DIR/withdrawals.log"

# ---------------------------------------------------------------- options reach dprk-intel()
syntax_conf()
{
  logsrc_config_head
  cat <<EOF
source s_in { stdin(); };
log { source(s_in); parser { dprk-intel-enrich($1); }; };
EOF
}

syntax_conf "database(\"$LOGSRC_FEED\") account-key(\"client.ref\") incident-timeout(600)" >"$T/good.conf"
syntax_check "$T/good.conf"
ok $? "dprk-intel-enrich() with database(), account-key() and incident-timeout(): the config is valid" ||
  diag "$(cat "$T/syntax.log")"

syntax_conf "database(\"$LOGSRC_FEED\") incident-timeout(0)" >"$T/bad-timeout.conf"
syntax_check "$T/bad-timeout.conf"
[ $? -ne 0 ] && grep -q 'incident-timeout() must be a number of seconds' "$T/syntax.log"
ok $? "incident-timeout(0) reaches dprk-intel(), which refuses it by name" || diag "$(cat "$T/syntax.log")"

syntax_conf "database(\"$T/no-such-feed.csv\")" >"$T/bad-db.conf"
syntax_check "$T/bad-db.conf"
[ $? -ne 0 ] && grep -q "database(): cannot read '$T/no-such-feed.csv'" "$T/syntax.log"
ok $? "database() reaches dprk-intel(): a missing feed is named" || diag "$(cat "$T/syntax.log")"

syntax_conf "database(\"$LOGSRC_FEED\") no-such-option(1)" >"$T/bad-option.conf"
syntax_check "$T/bad-option.conf"
[ $? -ne 0 ] && grep -Eq 'unknown option no.such.option\(\)' "$T/syntax.log"
ok $? "an unknown option reaches dprk-intel(), which names it" || diag "$(cat "$T/syntax.log")"

# ---------------------------------------------------------------- the daemon
port=$(free_tcp_port)
conf="$T/e2e.conf"
{
  logsrc_config_head
  cat <<EOF
source s_in { network(ip(127.0.0.1) port($port) transport(tcp) flags(no-parse)); };
parser p_enrich { dprk-intel-enrich(database("$LOGSRC_FEED") incident-timeout(1)); };
parser p_other { dprk-intel-enrich(database("$LOGSRC_FEED") incident-timeout(1) prefix(".z.") incident-key("shared")); };
destination d_ecs { file("$T/ecs.ndjson" template("\$(dprk-intel-ecs)\n")); };
destination d_other { file("$T/other.out" template("\${.z.indicator}\t\${.dprk.indicator}\t\${.z.incident.key}\t\${.z.incident.count}\t\${.z.incident.amount}\t\${TAGS}\n")); };
log { source(s_in); parser(p_enrich); destination(d_ecs); };
log { source(s_in); parser(p_other); destination(d_other); };
EOF
} >"$conf"
start_syslog_ng "$conf" || bail_out "syslog-ng did not start: $(cat "$SNG_LOG")"
send_file "$port" "$INPUT"
n=$(grep -c '' "$INPUT")
# the messages, then the two incident summaries (one incident-timeout later)
wait_for_lines "$T/ecs.ndjson" $((n + 2)) 30
wait_for_text "$T/other.out" 'dprk\.incident'
no_amount=$(logsrc_stat no_amount_exchange)
stop_syslog_ng

# ---------------------------------------------------------------- the documents
if python3 "$ECS_DIR/docs-expect.py" "$LOGSRC_DIR/e2e-expect.json" e2e "$T/ecs.ndjson" >"$T/expect.out"; then :; fi
logsrc_tap "$T/expect.out"
[ -s "$T/expect.out" ] || { fail "docs-expect.py printed nothing"; diag "$(cat "$T/ecs.ndjson")"; }

is "$no_amount" "1" "syslog-ng-ctl stats: the withdrawal without an amount is counted (no_amount_exchange = 1)"

# every match of acct-9001 belongs to the incident whose summary has the sum
ids=$(python3 - "$T/ecs.ndjson" <<'PY'
import json, sys
docs = [json.loads(l) for l in open(sys.argv[1])]
matches = [d["dprk_intel"]["incident"]["id"] for d in docs
           if d.get("crypto", {}).get("account") == "acct-9001" and d["event"]["kind"] == "alert"]
matched = set(matches)
summary = {d["dprk_intel"]["incident"]["id"] for d in docs
           if d.get("dprk_intel", {}).get("incident", {}).get("key") == "acct-9001"}
print(len(matches), "match(es) in", sorted(matched), "summary", sorted(summary), "same" if matched == summary else "differ")
PY
)
like "$ids" '^3 match\(es\) in .* same$' "the three matches of acct-9001 and its summary share one incident id" || diag "$ids"

# ---------------------------------------------------------------- options of the second instance
other_matches=$(grep -c 'dprk\.match' "$T/other.out")
is "$other_matches" "4" "prefix(\".z.\"): the second instance matched the four withdrawals to sanctioned addresses"
is "$(grep 'dprk\.match' "$T/other.out" | cut -f2 | sort -u)" "" "prefix(\".z.\"): nothing under .dprk. from the second instance"
summary=$(grep 'dprk\.incident' "$T/other.out")
is "$(printf '%s\n' "$summary" | cut -f3,4,5)" "$(printf 'shared\t4\t8.75')" \
  "incident-key(\"shared\") replaces the account key: one incident of 4 matches, 1.5 + 2.25 + 5"

done_testing
